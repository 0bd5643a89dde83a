"""Countries (ISO 3166-1 alpha-2) and languages (ISO 639) by name or by code, in English, French and Spanish.

The names come from CLDR through Babel, so "Mexico", "México" and "Mexique" all give MX and "Spanish",
"espagnol" and "español" all give es. Matching ignores case, accents and punctuation. A name that is not
recognised raises :class:`UnknownName` carrying the closest matches, for a message that says what to type.
"""

from __future__ import annotations

import difflib
import unicodedata
from dataclasses import dataclass
from functools import cache

NAME_LOCALES = ("en", "fr", "es")  # the languages names are accepted in (the app's and the CLI's users)

# CLDR territories that are not countries of ISO 3166-1 (groupings, pseudo-regions, "unknown").
_NOT_COUNTRIES = frozenset({"EU", "EZ", "UN", "QO", "XA", "XB", "ZZ"})


class UnknownName(ValueError):
    """``text`` names no country / language; ``suggestions`` are the closest ("Mexico (MX)", …)."""

    def __init__(self, what: str, text: str, suggestions: list[str]) -> None:
        self.what, self.text, self.suggestions = what, text, suggestions
        hint = f" Did you mean: {', '.join(suggestions)}?" if suggestions else ""
        example = "Mexico, México or MX" if what == "country" else "Spanish, espagnol or es"
        super().__init__(f"'{text}' is not a {what} trpkit knows.{hint} Type a name or a code ({example}).")


@dataclass(frozen=True)
class _Index:
    names: dict[str, str]  # code -> English name
    by_key: dict[str, set[str]]  # normalised name or code -> codes
    labels: dict[str, str]  # normalised name -> the name as written (for suggestions)


def _key(text: str) -> str:
    """Case, accents, apostrophes and punctuation do not matter: "Côte d’Ivoire" == "cote d'ivoire"."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join("".join(c if c.isalnum() else " " for c in plain).split())


def _build(kind: str) -> _Index:
    from babel import Locale

    names: dict[str, str] = {}
    by_key: dict[str, set[str]] = {}
    labels: dict[str, str] = {}
    for locale_code in NAME_LOCALES:
        table = getattr(Locale.parse(locale_code), kind)
        for code, name in table.items():
            if not _wanted(kind, code):
                continue
            code = code.upper() if kind == "territories" else code.lower()
            names.setdefault(code, name)  # English first: the name shown
            key = _key(name)
            by_key.setdefault(key, set()).add(code)
            labels.setdefault(key, name)
    for code in names:
        by_key.setdefault(_key(code), set()).add(code)
    for alias, code in _aliases(kind).items():
        if code in names and _key(alias) not in by_key:
            by_key[_key(alias)] = {code}
    return _Index(names, by_key, labels)


def _aliases(kind: str) -> dict[str, str]:
    """Other names people type: CLDR's old country codes ("UK" -> GB) and spoken-language names."""
    from babel.core import get_global

    if kind == "languages":
        return {"Mandarin": "zh", "Putonghua": "zh", "Farsi": "fa", "Dari": "prs"}
    old_codes = get_global("territory_aliases")
    return {
        old: new[0] for old, new in old_codes.items() if len(old) == 2 and old.isalpha() and len(new) == 1
    }


def _wanted(kind: str, code: str) -> bool:
    if kind == "territories":
        return len(code) == 2 and code.isalpha() and code.upper() not in _NOT_COUNTRIES
    # ISO 639-1 (two letters) or 639-2/3 (three): not regional variants such as es_419 or zh_Hant
    return code.isalpha() and len(code) in (2, 3) and code != "und"


@cache
def _countries() -> _Index:
    return _build("territories")


@cache
def _languages() -> _Index:
    return _build("languages")


def _resolve(index: _Index, what: str, text: str) -> str:
    key = _key(text)
    if not key:
        raise UnknownName(what, text, [])
    codes = index.by_key.get(key)
    if codes is None:
        # a unique beginning is enough ("philipp" -> PH), never a guess between several
        starts = {c for k, cs in index.by_key.items() if len(key) >= 4 and k.startswith(key) for c in cs}
        codes = starts if len(starts) == 1 else None
        if codes is None and len(starts) > 1:
            raise UnknownName(what, text, sorted(_label(index, c) for c in starts)[:6])
    if codes is None:
        raise UnknownName(what, text, _closest(index, key))
    if len(codes) > 1:
        raise UnknownName(what, text, sorted(_label(index, c) for c in codes))
    return next(iter(codes))


def _label(index: _Index, code: str) -> str:
    return f"{index.names[code]} ({code})"


def _closest(index: _Index, key: str) -> list[str]:
    near = difflib.get_close_matches(key, [k for k in index.by_key if len(k) > 3], n=4, cutoff=0.6)
    seen: list[str] = []
    for k in near:
        for code in sorted(index.by_key[k]):
            label = _label(index, code)
            if label not in seen:
                seen.append(label)
    return seen[:4]


def resolve_country(text: str) -> str:
    """The ISO 3166-1 alpha-2 code for a country name (en/fr/es) or code: "Mexique" -> "MX"."""
    return _resolve(_countries(), "country", text)


def resolve_language(text: str) -> str:
    """The ISO 639 code for a language name (en/fr/es) or code: "espagnol" -> "es"."""
    return _resolve(_languages(), "language", text)


def country_name(code: str) -> str:
    """The English name of a country code, or the code itself if it is not one."""
    return _countries().names.get(code.upper(), code)


def language_name(code: str) -> str:
    """The English name of a language code, or the text itself (older files kept names, not codes)."""
    return _languages().names.get(code.lower(), code)


def _names_in_order(kind: str) -> list[str]:
    """Every name, English first, then French, then Spanish, each alphabetically (completion offers the
    English name when several start the same way: "Tagal" -> "Tagalog", not Spanish "tagalo")."""
    from babel import Locale

    seen: dict[str, None] = {}
    for locale_code in NAME_LOCALES:
        table = getattr(Locale.parse(locale_code), kind)
        for code, name in sorted(table.items(), key=lambda item: _key(item[1])):
            if _wanted(kind, code):
                seen.setdefault(name, None)
    return list(seen)


@cache
def country_names() -> list[str]:
    """Every country name in every accepted language (for completion while typing)."""
    return _names_in_order("territories")


@cache
def language_names() -> list[str]:
    """Every language name in every accepted language (for completion while typing)."""
    return _names_in_order("languages")
