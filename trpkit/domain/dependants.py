"""Dependants in Canada: family members who depend on the person and are in Canada with them.

IRCC can issue a TRP to a dependent family member in Canada as well as to the person, so each
dependant records whether they are to be included in the application. Dates of birth keep the
words as given (``dependant_birth_dates``); relationships accept everyday words
(``dependant_relationships``).

Stored form: ``Person.dependants_in_canada`` is a JSON list of dicts (see ``Dependant.to_stored``).
Older records hold only ``name`` and ``relationship`` (free words such as "son"); they are still read.
Each dependant has a small number that is stable for that person: numbers are never reused after
a removal (the next free number is kept beside the list, see ``next_id``).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

from trpkit.domain.dependant_birth_dates import BirthDate, _years_before, parse_birth_date
from trpkit.domain.dependant_relationships import (
    _IN_LANGUAGE,
    RELATIONSHIP_LABELS,
    DependantError,
    Relationship,
    _key,
    _read_relationship,
    parse_relationship,
)

MAX_NAME = 200
MAX_DESCRIBED = 100
MAX_BIRTH_TEXT = 100
MAX_STATUS = 100
MAX_NOTES = 500
NEXT_ID_KEY = "next_dependant_id"  # in Person.extra: the number the next dependant gets


@dataclass(frozen=True)
class Dependant:
    id: int
    name: str
    relationship: Relationship
    described_as: str = (
        ""  # the person's own word for the relationship ("stepson", "niece"); needed for other
    )
    birth: BirthDate = field(default_factory=BirthDate)
    status_in_canada: str = ""  # free text: "no status", "visitor (expired)", "Canadian citizen"...
    include_in_application: bool = True
    notes: str = ""

    def relationship_label(self, language: str = "en") -> str:
        """The words to show: the person's own word if given, else the vocabulary's label."""
        if self.described_as:
            return self.described_as
        return RELATIONSHIP_LABELS["fr" if language == "fr" else "en"][self.relationship]

    def describe(self, language: str = "en", on: date | None = None) -> str:
        """Relationship and, when the date of birth allows, age: "son, 9", "enfant, 9 ans", "child, 8 or 9"."""
        label = self.relationship_label(language)
        if (
            self.described_as
        ):  # a letter is in one language: "son" reads "fils" in French (unknown words as typed)
            words = _IN_LANGUAGE["fr" if language == "fr" else "en"]
            label = words.get(self.described_as.strip().lower(), self.described_as)
        ages = self.birth.age_on(on) if on is not None else None
        if ages is None or ages[1] < 0:
            return label
        low, high = max(ages[0], 0), ages[1]
        if high - low > 2:
            return label
        joiner = (
            ("ou" if language == "fr" else "or") if high - low == 1 else ("à" if language == "fr" else "to")
        )
        years = str(high) if low == high else f"{low} {joiner} {high}"
        return f"{label}, {years} ans" if language == "fr" else f"{label}, {years}"

    def to_stored(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "relationship": self.relationship.value,
            "described_as": self.described_as,
            "birth_date_text": self.birth.text,
            "birth_date_earliest": self.birth.earliest.isoformat() if self.birth.earliest else None,
            "birth_date_latest": self.birth.latest.isoformat() if self.birth.latest else None,
            "status_in_canada": self.status_in_canada,
            "include_in_application": self.include_in_application,
            "notes": self.notes,
        }

    @classmethod
    def from_stored(cls, data: Mapping[str, Any], fallback_id: int) -> Dependant:
        """Read a stored dict, old or new; never raises on odd values (they were saved by someone)."""
        kind, described = _read_relationship(str(data.get("relationship") or ""))
        if data.get("described_as"):
            described = str(data["described_as"])
        raw_id = data.get("id")
        include = data.get("include_in_application", True)
        return cls(
            id=raw_id
            if isinstance(raw_id, int) and not isinstance(raw_id, bool) and raw_id > 0
            else fallback_id,
            name=str(data.get("name") or ""),
            relationship=kind,
            described_as=described,
            birth=BirthDate(
                str(data.get("birth_date_text") or ""),
                _iso(data.get("birth_date_earliest")),
                _iso(data.get("birth_date_latest")),
            ),
            status_in_canada=str(data.get("status_in_canada") or ""),
            include_in_application=include
            if isinstance(include, bool)
            else str(include).lower() in ("true", "yes", "1"),
            notes=str(data.get("notes") or ""),
        )


def _iso(value: Any) -> date | None:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value)) if value else None
    except ValueError:
        return None


def _clean_text(value: Any, what: str, limit: int, *, one_line: bool = True) -> str:
    text = str(value or "")
    if any(unicodedata.category(ch) == "Cc" and (one_line or ch not in "\n\t") for ch in text):
        raise DependantError(f"The {what} contains control characters or line breaks: type it on one line.")
    text = text.strip() if not one_line else " ".join(text.split())
    if len(text) > limit:
        raise DependantError(f"The {what} is too long ({len(text)} characters; at most {limit}).")
    return text


def _bool(value: Any, what: str) -> bool:
    if isinstance(value, bool):
        return value
    key = str(value).strip().lower()
    if key in ("yes", "y", "true", "1", "oui", "include", "included"):
        return True
    if key in ("no", "n", "false", "0", "non", "exclude", "not included"):
        return False
    raise DependantError(f"'{value}' is not yes or no ({what}).")


FIELDS = (
    "name",
    "relationship",
    "described_as",
    "birth_date",
    "status_in_canada",
    "include_in_application",
    "notes",
)


def build(
    values: Mapping[str, Any],
    *,
    dependant_id: int,
    today: date,
    existing: Dependant | None = None,
    others: Iterable[Dependant] = (),
) -> Dependant:
    """A validated dependant from input ``values`` (keys in FIELDS); with ``existing``, only the given keys
    change. ``others`` are the person's other dependants (a name may not be recorded twice)."""
    unknown = sorted(set(values) - set(FIELDS))
    if unknown:
        raise DependantError(f"Unknown dependant field '{unknown[0]}': use {', '.join(FIELDS)}.")
    base = existing or Dependant(dependant_id, "", Relationship.OTHER)
    name = _clean_text(values["name"], "name", MAX_NAME) if "name" in values else base.name
    if not name:
        raise DependantError("A dependant needs a name (the name IRCC should put on the permit, if known).")
    if "relationship" in values or "described_as" in values:
        words = values.get("relationship", base.relationship.value)
        described_in = values.get("described_as", base.described_as if "relationship" not in values else "")
        described_in = _clean_text(described_in, "description of the relationship", MAX_DESCRIBED)
        kind, described = parse_relationship(str(words or ""), described_in)
    else:
        if existing is None:
            raise DependantError("Say how they are related: spouse, child, parent, sibling or other.")
        kind, described = base.relationship, base.described_as
    birth = base.birth
    if "birth_date" in values:
        text = _clean_text(values["birth_date"], "date of birth", MAX_BIRTH_TEXT)
        birth = parse_birth_date(text, today)
        if birth.earliest is not None and birth.earliest > today:
            raise DependantError(f"The date of birth '{text}' is in the future: check the year.")
        if birth.latest is not None and birth.latest < _years_before(today, 120):
            raise DependantError(f"The date of birth '{text}' is more than 120 years ago: check the year.")
        if birth.latest is not None and birth.latest > today:
            birth = replace(birth, latest=today)
    status = (
        _clean_text(values["status_in_canada"], "status in Canada", MAX_STATUS)
        if "status_in_canada" in values
        else base.status_in_canada
    )
    include = (
        _bool(values["include_in_application"], "include in the application")
        if "include_in_application" in values
        else base.include_in_application
    )
    notes = (
        _clean_text(values["notes"], "notes", MAX_NOTES, one_line=False) if "notes" in values else base.notes
    )
    for other in others:
        if other.id != dependant_id and _key(other.name) == _key(name):
            raise DependantError(
                f"{name} is already recorded (dependant {other.id}): edit that one instead. If they are two "
                "people with the same name, add something to tell them apart (a second name, 'the younger')."
            )
    return Dependant(dependant_id, name, kind, described, birth, status, include, notes)


_HAS_STATUS = re.compile(
    r"\b(citizen|citoyen(ne)?|permanent resident|résident(e)? permanent(e)?|\bPR\b)", re.IGNORECASE
)


def warnings(dependant: Dependant) -> tuple[str, ...]:
    """Things a careful accompanier would want pointed out; none of them stops a save."""
    found = []
    if dependant.include_in_application and _HAS_STATUS.search(dependant.status_in_canada):
        found.append(
            f"Dependant {dependant.id}: the status in Canada says '{dependant.status_in_canada}', yet they "
            "are to be included in the TRP application. A citizen or permanent resident needs no permit: "
            "check whether to include them."
        )
    if dependant.birth.text and not dependant.birth.understood:
        found.append(
            f"Dependant {dependant.id}: the date of birth '{dependant.birth.text}' was kept as written but "
            "could not be read as a date, so no age is shown. Try '2016', 'March 2016' or 'aged 9'."
        )
    if dependant.include_in_application and not dependant.birth.text:
        found.append(f"Dependant {dependant.id}: no date of birth yet; IRCC will need it for their permit.")
    return tuple(found)


def from_stored_list(items: Iterable[Mapping[str, Any]] | None) -> tuple[Dependant, ...]:
    """Read a stored list in order. Entries without a number (older records) get the next free ones, in
    list order, so they read the same until the list is next saved (which stores the numbers)."""
    rows = [item for item in (items or ()) if isinstance(item, Mapping)]
    taken = {r.get("id") for r in rows if isinstance(r.get("id"), int) and not isinstance(r.get("id"), bool)}
    next_free = max([i for i in taken if isinstance(i, int)] + [0]) + 1
    result = []
    seen: set[int] = set()
    for row in rows:
        dependant = Dependant.from_stored(row, next_free)
        if dependant.id in seen:  # a duplicated number in a hand-edited record: give this one a new number
            dependant = replace(dependant, id=next_free)
        if dependant.id == next_free:
            next_free += 1
        seen.add(dependant.id)
        result.append(dependant)
    return tuple(result)


def to_stored_list(dependants: Iterable[Dependant]) -> list[dict[str, Any]]:
    return [d.to_stored() for d in dependants]


def next_id(dependants: Iterable[Dependant], extra: Mapping[str, Any] | None) -> int:
    """The number for a new dependant: above every number in use and every number ever given out."""
    counter = (extra or {}).get(NEXT_ID_KEY)
    floor = counter if isinstance(counter, int) and not isinstance(counter, bool) else 1
    return max([d.id + 1 for d in dependants] + [floor, 1])


def for_application(dependants: Iterable[Dependant], language: str, on: date) -> tuple[dict[str, str], ...]:
    """What a draft lists when it asks for a permit for dependants too: only those to be included."""
    return tuple(
        {"name": d.name, "relationship": d.describe(language, on)}
        for d in dependants
        if d.include_in_application and d.name
    )
