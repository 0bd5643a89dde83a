"""How a dependant is related to the person: five kinds, and the everyday words people type for them.

The person's own word ("son", "mère") is kept as the description and written in the letter's language
where the pair is known; a word that is not known needs the kind ``other`` with a description.
"""

from __future__ import annotations

import unicodedata
from enum import StrEnum


class Relationship(StrEnum):
    SPOUSE = "spouse"  # spouse or common-law partner
    CHILD = "child"
    PARENT = "parent"
    SIBLING = "sibling"
    OTHER = "other"


RELATIONSHIP_LABELS: dict[str, dict[Relationship, str]] = {
    "en": {
        Relationship.SPOUSE: "spouse or common-law partner",
        Relationship.CHILD: "child",
        Relationship.PARENT: "parent",
        Relationship.SIBLING: "brother or sister",
        Relationship.OTHER: "other",
    },
    "fr": {
        Relationship.SPOUSE: "époux ou conjoint de fait",
        Relationship.CHILD: "enfant",
        Relationship.PARENT: "parent",
        Relationship.SIBLING: "frère ou sœur",
        Relationship.OTHER: "autre",
    },
}

# Everyday words people type, and what they mean. The word itself is kept as the description.
_WORDS: dict[str, Relationship] = {
    **dict.fromkeys(
        (
            "spouse",
            "wife",
            "husband",
            "partner",
            "common-law partner",
            "common law partner",
            "common-law",
            "common law",
            "conjoint",
            "conjointe",
            "conjoint de fait",
            "conjointe de fait",
            "époux",
            "épouse",
            "epoux",
            "epouse",
            "femme",
            "mari",
        ),
        Relationship.SPOUSE,
    ),
    **dict.fromkeys(
        (
            "child",
            "son",
            "daughter",
            "stepson",
            "stepdaughter",
            "stepchild",
            "step-son",
            "step-daughter",
            "step-child",
            "adopted son",
            "adopted daughter",
            "adopted child",
            "enfant",
            "fils",
            "fille",
        ),
        Relationship.CHILD,
    ),
    **dict.fromkeys(
        (
            "parent",
            "mother",
            "father",
            "mom",
            "mum",
            "dad",
            "stepmother",
            "stepfather",
            "mère",
            "mere",
            "père",
            "pere",
        ),
        Relationship.PARENT,
    ),
    **dict.fromkeys(
        (
            "sibling",
            "brother",
            "sister",
            "half-brother",
            "half-sister",
            "stepbrother",
            "stepsister",
            "frère",
            "frere",
            "sœur",
            "soeur",
        ),
        Relationship.SIBLING,
    ),
    "other": Relationship.OTHER,
    "autre": Relationship.OTHER,
}
# The same everyday words in the other language of a letter (English, French): "son" in a French letter
# reads "fils". A word not listed here is written as typed.
_WORD_PAIRS = (
    ("wife", "épouse"),
    ("husband", "époux"),
    ("spouse", "époux ou épouse"),
    ("partner", "conjoint ou conjointe"),
    ("common-law partner", "conjoint de fait"),
    ("common law partner", "conjoint de fait"),
    ("son", "fils"),
    ("daughter", "fille"),
    ("stepson", "beau-fils"),
    ("stepdaughter", "belle-fille"),
    ("step-son", "beau-fils"),
    ("step-daughter", "belle-fille"),
    ("adopted son", "fils adoptif"),
    ("adopted daughter", "fille adoptive"),
    ("adopted child", "enfant adopté"),
    ("mother", "mère"),
    ("father", "père"),
    ("mom", "mère"),
    ("mum", "mère"),
    ("dad", "père"),
    ("stepmother", "belle-mère"),
    ("stepfather", "beau-père"),
    ("brother", "frère"),
    ("sister", "sœur"),
    ("half-brother", "demi-frère"),
    ("half-sister", "demi-sœur"),
    ("stepbrother", "demi-frère"),
    ("stepsister", "demi-sœur"),
)
_IN_LANGUAGE: dict[str, dict[str, str]] = {
    "fr": dict(_WORD_PAIRS),
    "en": {
        **{fr: en for en, fr in reversed(_WORD_PAIRS)},
        "epoux": "husband",
        "epouse": "wife",
        "mere": "mother",
        "pere": "father",
        "frere": "brother",
        "soeur": "sister",
        "conjoint": "partner",
        "conjointe": "partner",
        "conjoint de fait": "common-law partner",
        "conjointe de fait": "common-law partner",
    },
}

_KIND_ALIASES = {
    "spouse_or_common_law_partner": Relationship.SPOUSE,
    "common_law_partner": Relationship.SPOUSE,
    "brother_or_sister": Relationship.SIBLING,
}


class DependantError(ValueError):
    """Input that cannot be a dependant; the message says what to change."""


def _key(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).strip().lower().split())


def _read_relationship(text: str) -> tuple[Relationship, str]:
    """Stored words to (kind, the person's own word). Unknown words are kept as a self-description."""
    key = _key(text)
    if not key:
        return Relationship.OTHER, ""
    for member in Relationship:
        if key == member.value:
            return member, ""
    alias = _KIND_ALIASES.get(key.replace(" ", "_").replace("-", "_"))
    if alias is not None:
        return alias, ""
    if key in _WORDS:
        return _WORDS[key], text.strip()
    return Relationship.OTHER, text.strip()


def parse_relationship(text: str, described_as: str = "") -> tuple[Relationship, str]:
    """Input words to (kind, description). Accepts the vocabulary ("child", "spouse"...) and everyday words
    ("son", "wife", "mère"); anything else needs ``other`` with a description."""
    described = " ".join(str(described_as or "").split())
    key = _key(str(text or ""))
    if not key:
        raise DependantError("Say how they are related: spouse, child, parent, sibling or other.")
    kind: Relationship | None = None
    for member in Relationship:
        if key == member.value:
            kind = member
    if kind is None:
        kind = _KIND_ALIASES.get(key.replace(" ", "_").replace("-", "_"))
    if kind is None and key in _WORDS:
        kind = _WORDS[key]
        if not described and key not in ("other", "autre"):
            described = str(text).strip()
    if kind is None:
        raise DependantError(
            f"Unknown relationship '{str(text).strip()}': use spouse, child, parent, sibling or other "
            "(for other, also describe how they are related, e.g. 'niece')."
        )
    if kind is Relationship.OTHER and not described:
        raise DependantError(
            "For 'other', describe how they are related (for example 'niece' or 'grandmother')."
        )
    return kind, described
