"""Incidents: what an NGO saw or learned about an event affecting several people, shared within days.

An incident is not a case file. It holds no person's name, case code, date of birth, phone or address:
a place at region level, a people-count band, how the event was framed (and whether that changed), the
indicators reported, what is known and not, the questions it raises, its sources and what the agency asks
of others. This module holds the model, the trafficking-or-smuggling second look (questions, never a
verdict) and the identifying-text check that every export runs.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from trpkit.domain.incident_vocab import Vocabulary, fold
from trpkit.domain.smuggling import ELEMENTS

# -------------------------------------------------------------------------------------------- model


@dataclass(frozen=True)
class Source:
    kind: str  # source_kind id: public_link | own_accompaniment | another_agency
    detail: str = ""  # a public link, or a word about it ("regional newspaper, 3 March")
    public: bool = False  # confidential sources are shared as their kind only


@dataclass(frozen=True)
class Incident:
    """One version of an incident. ``uid`` is stable across versions; ``sequence`` grows with each edit."""

    uid: str
    agency: str
    sequence: int
    title: str
    when_text: str  # as written; kept even when the date parser cannot read it
    when_parsed: bool
    when_earliest: str | None  # ISO dates bounding a parsed fuzzy date
    when_latest: str | None
    place: str  # place id (province or economic region)
    sector: str
    people: str  # band id
    framing: str
    framing_history: tuple[str, ...] = ()  # earlier framings, oldest first
    indicators: tuple[str, ...] = ()  # framework indicator ids (e.g. AL-5.01)
    facts: tuple[str, ...] = ()  # second-look facts reported (fact ids)
    known: str = ""
    unknown: str = ""
    questions: str = ""
    sources: tuple[Source, ...] = ()
    asks: tuple[str, ...] = ()
    withdrawn: bool = False

    @property
    def framing_changed(self) -> bool:
        return any(f != self.framing for f in self.framing_history)

    @property
    def calls_for_information(self) -> bool:
        return "call_for_information" in self.asks and not self.withdrawn


@dataclass(frozen=True)
class IncidentView:
    incident: Incident
    ref: str  # short reference shown to people (first 8 characters of the uid)
    own: bool
    followed: bool
    version: int
    updated_at: datetime
    received_at: datetime | None
    shared_sequence: int  # own: the last sequence put in a package (0 = never)
    place_name: str
    province: str
    when_needs_correction: bool  # the date is kept as written: the parser could not read it
    notes: tuple[str, ...] = field(default=())

    @property
    def unshared_changes(self) -> bool:
        return self.own and self.incident.sequence > self.shared_sequence


# Fields whose free text is checked before an export, with the label used in refusals.
TEXT_FIELDS = {
    "title": "title",
    "when_text": "when",
    "known": "what is known",
    "unknown": "what is not known",
    "questions": "questions",
}


def text_fields(incident: Incident) -> dict[str, str]:
    """Every free-text field, named as a person reads it (sources are numbered)."""
    out = {label: str(getattr(incident, name)) for name, label in TEXT_FIELDS.items()}
    for number, source in enumerate(incident.sources, start=1):
        out[f"source {number}"] = source.detail
    return out


# --------------------------------------------------------------------------------------- people bands


def band_below_minimum(band_id: str, minimum: int, vocab: Vocabulary) -> bool:
    """True when every count the band allows is below ``minimum`` (an unknown count is not a small count)."""
    band = vocab.get("band", band_id)
    high = band.extra.get("high")
    return isinstance(high, int) and high < minimum


def band_unknown(band_id: str, vocab: Vocabulary) -> bool:
    """True for a count nobody knows: it could be one person, so sharing it needs the same leave as a
    small count."""
    return not isinstance(vocab.get("band", band_id).extra.get("low"), int)


# ---------------------------------------------------------------------------------- the second look


@dataclass(frozen=True)
class SecondLookItem:
    element: str  # element id from trpkit.domain.smuggling
    element_label: str
    smuggling: str  # what smuggling usually looks like
    trafficking: str  # what points to trafficking
    reported: tuple[str, ...]  # fact labels reported for this element
    questions: tuple[str, ...]


@dataclass(frozen=True)
class SecondLook:
    items: tuple[SecondLookItem, ...]
    framed_as_smuggling: bool
    note: str


def second_look(incident: Incident, vocab: Vocabulary, language: str = "en") -> SecondLook:
    """The case file's trafficking-or-smuggling contrast applied to an incident's reported facts.

    Every element gets questions: those for facts reported, and those for facts nobody has asked about.
    Nothing here concludes; an unexplored element is shown as unexplored.
    """
    suffix = "_fr" if language == "fr" else ""
    reported = set(incident.facts)
    items = []
    for eid, label, smuggling, trafficking, _keys in ELEMENTS:
        facts = [f for f in vocab.labels["fact"].values() if f.extra["element"] == eid]
        said = tuple(f.text(language) for f in facts if f.id in reported)
        questions = tuple(
            str(f.extra[("if_reported" if f.id in reported else "if_unknown") + suffix]) for f in facts
        )
        items.append(SecondLookItem(eid, label, smuggling, trafficking, said, questions))
    smuggling_framed = incident.framing == "smuggling" or "smuggling" in incident.framing_history
    if language == "fr":
        note = (
            "Des questions à explorer, jamais une conclusion : le passage de clandestins se termine à la "
            "frontière, la traite continue après."
        )
    else:
        note = (
            "Questions to explore, never a verdict: smuggling ends at the border; trafficking goes on "
            "after it."
        )
    if smuggling_framed and reported:
        note += (
            " Présenté comme du passage de clandestins, alors que des faits rapportés touchent à la traite."
            if language == "fr"
            else " Framed as smuggling, yet reported facts speak to trafficking elements: a second look."
        )
    return SecondLook(tuple(items), smuggling_framed, note)


# ------------------------------------------------------------------------- identifying-text check


@dataclass(frozen=True)
class Identifier:
    """Something stored in the vault that must never leave: a name, alias, case code, UCI or phone."""

    kind: str  # "name" | "alias" | "case code" | "UCI" | "phone number"
    value: str


@dataclass(frozen=True)
class Finding:
    field: str  # the field as a person reads it ("what is known", "source 2")
    kind: str
    words: str  # the words as they appear in the text
    stored: bool = True  # matches something stored in the vault (False: a common pattern)

    def message(self) -> str:
        article = "an" if self.kind.split()[0] in ("alias", "email") else "a"  # "a UCI", "an alias"
        if self.kind.startswith("part of"):
            article = ""
        what = f"{article} {self.kind}".strip()
        if self.stored:
            return f"{self.field}: '{self.words}' matches {what} stored in the vault"
        return f"{self.field}: '{self.words}' looks like {what}"


# Common patterns, whatever the vault holds. Phone numbers: 7+ digits with usual separators, optionally
# with a country code; emails: anything@domain.tld.
PHONE_PATTERN = (
    r"(?<![\w])(?:\+?\d{1,3}[\s.\-]?)?(?:\(\d{2,4}\)[\s.\-]?|\d{2,4}[\s.\-])\d{3,4}[\s.\-]?\d{3,4}(?![\w])"
)
EMAIL_PATTERN = r"[\w.+\-]+@[\w\-]+(?:\.[\w\-]+)+"
DEFAULT_PATTERNS: Mapping[str, str] = {"phone number": PHONE_PATTERN, "email address": EMAIL_PATTERN}

_WORD = re.compile(r"\w+", re.UNICODE)
_NUMERIC = re.compile(r"\d(?:[\d\s().\-/]*\d)?")


@dataclass(frozen=True)
class _Token:
    folded: str
    start: int
    end: int


def _tokens(text: str) -> list[_Token]:
    # Fold per word so positions stay those of the original text (folding may change lengths).
    return [_Token(fold(m.group()), m.start(), m.end()) for m in _WORD.finditer(text)]


@dataclass(frozen=True)
class _Term:
    kind: str
    words: tuple[str, ...]


def _terms(
    identifiers: Iterable[Identifier], common: frozenset[str]
) -> tuple[list[_Term], list[tuple[str, str]]]:
    """Word sequences to look for, and digit strings (UCI, phone) compared on digits only.

    A whole name, alias or case code is always looked for. A single part of a multi-word name or alias
    is looked for alone too, whatever its length ("Li", "Ng"), unless it is a common word (``common``:
    "may", "de", "cruz") or a lone letter (an initial): those would refuse ordinary prose.
    """
    words: dict[tuple[str, ...], str] = {}
    digits: dict[str, str] = {}
    for ident in identifiers:
        value = ident.value.strip()
        if not value:
            continue
        if ident.kind in ("UCI", "phone number"):
            only = re.sub(r"\D", "", value)
            if len(only) >= 7:
                digits.setdefault(only, ident.kind)
            continue
        parts = tuple(t.folded for t in _tokens(value))
        if parts:
            words[parts] = ident.kind  # a whole value outranks the same words seen as a part
        if ident.kind in ("name", "alias") and len(parts) > 1:
            for part in parts:
                if len(part) > 1 and part not in common and not part.isdigit():
                    words.setdefault(
                        (part,), f"part of {'an' if ident.kind == 'alias' else 'a'} {ident.kind}"
                    )
    return [_Term(kind, w) for w, kind in words.items()], list(digits.items())


@dataclass(frozen=True)
class IdentifierIndex:
    """Identifiers prepared once for checking many texts (an export checks every field of every incident)."""

    by_first: Mapping[str, tuple[_Term, ...]]
    digits: tuple[tuple[str, str], ...]
    patterns: tuple[tuple[str, re.Pattern[str]], ...] = field(default=())


def build_index(
    identifiers: Iterable[Identifier],
    patterns: Mapping[str, str] = DEFAULT_PATTERNS,
    common: frozenset[str] = frozenset(),
) -> IdentifierIndex:
    """``common``: words never looked for alone (``trpkit.loading.incident_vocab.common_words()``: the
    shipped checklists/name-stopwords.toml)."""
    terms, digits = _terms(identifiers, common)
    by_first: dict[str, list[_Term]] = {}
    for term in terms:
        by_first.setdefault(term.words[0], []).append(term)
    compiled = tuple((kind, re.compile(p, re.UNICODE)) for kind, p in patterns.items())
    return IdentifierIndex(
        {k: tuple(sorted(v, key=lambda t: -len(t.words))) for k, v in by_first.items()},
        tuple(digits),
        compiled,
    )


def _check_text(label: str, text: str, index: IdentifierIndex) -> list[Finding]:
    found: list[Finding] = []
    tokens = _tokens(text)
    i = 0
    while i < len(tokens):
        matched = 0
        for term in index.by_first.get(tokens[i].folded, ()):
            n = len(term.words)
            if tuple(t.folded for t in tokens[i : i + n]) == term.words:
                found.append(Finding(label, term.kind, text[tokens[i].start : tokens[i + n - 1].end]))
                matched = n
                break
        i += matched or 1
    for match in _NUMERIC.finditer(text):
        only = re.sub(r"\D", "", match.group())
        for value, kind in index.digits:
            # Either way round: a stored '+1 514 555 0142' and a written '514-555-0142' are one number.
            if value in only or (len(only) >= 7 and only in value):
                found.append(Finding(label, kind, match.group().strip()))
                break
    for kind, pattern in index.patterns:
        for match in pattern.finditer(text):
            words = match.group().strip()
            if not any(f.words == words for f in found):
                found.append(Finding(label, kind, words, stored=False))
    return found


def find_identifying(
    texts: Mapping[str, str],
    identifiers: Sequence[Identifier] | IdentifierIndex,
    patterns: Mapping[str, str] = DEFAULT_PATTERNS,
    common: frozenset[str] = frozenset(),
) -> list[Finding]:
    """Every place in ``texts`` (field label -> text) where an identifier or a pattern appears.

    Matching ignores accents and case ('JOSÉ' matches 'Jose'), works on whole words (a name inside a
    longer word is not a match), and compares UCIs and phone numbers on their digits only.
    """
    if isinstance(identifiers, IdentifierIndex):
        index = identifiers
    else:  # ``common``: words never looked for alone, as in build_index
        index = build_index(identifiers, patterns, common)
    findings: list[Finding] = []
    for label, text in texts.items():
        if text:
            findings.extend(_check_text(label, text, index))
    return findings
