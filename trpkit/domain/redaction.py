"""Redacted copies of a draft: identifying details replaced by roles, for supervision or coalition talk.

Names (the person's, their aliases and dependants', employers' and recruiters'), dates of birth, the
UCI, addresses, postal codes, telephone numbers and e-mail addresses become "[the person]",
"[employer]", "[telephone number]"... Replacement is whole-word and case-insensitive; longer terms are
replaced first, and each part of a person's name (three letters or more) is replaced too, so
"Marisol" alone is caught as well as "Marisol Brennvik".
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

ROLE_WORDS = {
    "en": {
        "person": "the person",
        "birth_date": "date of birth",
        "uci": "UCI",
        "phone": "telephone number",
        "email": "e-mail address",
        "address": "address",
        "postal_code": "postal code",
        "dependant": "dependant",
        "employer": "employer",
        "recruiter": "recruiter",
        "controller": "controller",
        "co-worker": "co-worker",
        "other": "person involved",
    },
    "fr": {
        "person": "la personne",
        "birth_date": "date de naissance",
        "uci": "IUC",
        "phone": "numéro de téléphone",
        "email": "adresse courriel",
        "address": "adresse",
        "postal_code": "code postal",
        "dependant": "personne à charge",
        "employer": "employeur",
        "recruiter": "recruteur",
        "controller": "contrôleur",
        "co-worker": "collègue",
        "other": "personne en cause",
    },
}

_PHONE = re.compile(r"(?<![\w+])\+?\d(?:[\d ().\-]{5,}\d)(?!\w)")
_EMAIL = re.compile(r"[\w.+\-]+@[\w\-]+(?:\.[\w\-]+)+")
_POSTAL = re.compile(r"\b[ABCEGHJ-NPRSTVXY]\d[ABCEGHJ-NPRSTV-Z] ?\d[ABCEGHJ-NPRSTV-Z]\d\b", re.IGNORECASE)
_STREET_WORDS = (
    r"street|st|avenue|ave|road|rd|boulevard|blvd|drive|dr|lane|ln|way|court|ct|crescent|cres|"
    r"rue|chemin|ch|route|rang|place|pl|calle|avenida|av|carrera"
)
_ADDRESS = re.compile(
    r"\b\d{1,6}[A-Za-z]?,?\s+(?:(?:" + _STREET_WORDS + r")\.?\s+[\w'\-]+(?:\s+[\w'\-]+){0,3}"
    r"|[\w'\-]+(?:\s+[\w'\-]+){0,3}\s+(?:" + _STREET_WORDS + r")\b\.?)",
    re.IGNORECASE,
)


_REPEATED = re.compile(r"(\[[^\[\]]+\])(?:\s+\1)+")


def _digits(text: str) -> int:
    return sum(ch.isdigit() for ch in text)


@dataclass(frozen=True)
class Redactor:
    language: str
    terms: tuple[tuple[str, str], ...]  # (text to find, replacement), longest first

    def apply(self, text: str) -> str:
        if not text:
            return text
        result = text
        for term, replacement in self.terms:
            pattern = re.compile(r"(?<!\w)" + re.escape(term) + r"(?!\w)", re.IGNORECASE)
            result = pattern.sub(replacement, result)
        words = ROLE_WORDS[self.language]
        result = _EMAIL.sub(f"[{words['email']}]", result)
        result = _ADDRESS.sub(f"[{words['address']}]", result)
        result = _POSTAL.sub(f"[{words['postal_code']}]", result)
        result = _PHONE.sub(
            lambda m: f"[{words['phone']}]" if _digits(m.group(0)) >= 7 else m.group(0), result
        )
        return _REPEATED.sub(r"\1", result)  # "[employer] [employer]" (two parts of one name) -> "[employer]"

    def apply_tree(self, value: object) -> object:
        if isinstance(value, str):
            return self.apply(value)
        if isinstance(value, dict):
            return {k: self.apply_tree(v) for k, v in value.items()}
        if isinstance(value, (list, tuple)):
            return [self.apply_tree(v) for v in value]
        return value


def build_redactor(
    language: str,
    *,
    person_names: Iterable[str] = (),
    birth_dates: Iterable[str] = (),
    uci: str = "",
    others: Iterable[tuple[str, str]] = (),
) -> Redactor:
    """``others`` are (name, role) pairs: role is a ROLE_WORDS key (employer, recruiter...) or free text."""
    words = ROLE_WORDS["fr" if language == "fr" else "en"]
    found: dict[str, str] = {}

    def add(term: str, replacement: str) -> None:
        term = term.strip()
        if len(term) >= 2 and term.lower() not in found:
            found[term.lower()] = replacement

    person = f"[{words['person']}]"
    for name in person_names:
        add(name, person)
    for name in person_names:  # then each part of the name
        for part in re.split(r"[\s,]+", name):
            if len(part.strip(".-'")) >= 3:
                add(part.strip(".,"), person)
    for text in birth_dates:
        add(text, f"[{words['birth_date']}]")
    if uci:
        add(uci, f"[{words['uci']}]")
    for name, role in others:
        label = f"[{words.get(role, role)}]"
        add(name, label)
        for part in re.split(r"\s+", name):
            if len(part) >= 4 and part[:1].isupper():
                add(part, label)
    ordered = sorted(found.items(), key=lambda kv: -len(kv[0]))
    return Redactor("fr" if language == "fr" else "en", tuple(ordered))
