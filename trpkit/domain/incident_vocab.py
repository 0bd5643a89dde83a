"""The incident bulletin's data: places (checklists/incident-places.toml) and words
(checklists/incidents.toml), as ``trpkit.loading.incident_vocab`` reads them, with a place picker that
refuses unknown places.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from trpkit.errors import UsageError

PLACES_FILE = "incident-places.toml"
STOPWORDS_FILE = "name-stopwords.toml"
# How a region's code and name were verified (each region's `checked`; [meta] verification says against what).
REGION_CHECKS = frozenset(
    {"statcan-er-2011-table", "statcan-er-2016-table", "statcan-census-dictionary", "unverified"}
)
VOCAB_FILE = "incidents.toml"
KINDS = ("framing", "band", "ask", "source_kind", "sector", "fact")


@dataclass(frozen=True)
class Label:
    id: str
    label: str
    label_fr: str
    extra: Mapping[str, Any]

    def text(self, language: str = "en") -> str:
        return self.label_fr if language == "fr" and self.label_fr else self.label


@dataclass(frozen=True)
class Place:
    id: str  # "ON" or "ER-3530"
    name: str
    name_fr: str
    province: str  # the province or territory id ("ON" for both "ON" and "ER-3530")
    also: tuple[str, ...] = ()

    def text(self, language: str = "en") -> str:
        return self.name_fr if language == "fr" and self.name_fr else self.name


@dataclass(frozen=True)
class Vocabulary:
    labels: Mapping[str, Mapping[str, Label]]  # kind -> id -> label
    places: Mapping[str, Place]
    places_source: str

    def get(self, kind: str, item: str) -> Label:
        try:
            return self.labels[kind][item]
        except KeyError:
            choices = ", ".join(self.labels.get(kind, {}))
            raise UsageError(f"unknown {kind.replace('_', ' ')} '{item}': use one of {choices}") from None

    def ids(self, kind: str) -> tuple[str, ...]:
        return tuple(self.labels[kind])

    def label(self, kind: str, item: str, language: str = "en") -> str:
        found = self.labels.get(kind, {}).get(item)
        return found.text(language) if found else item

    def place(self, place_id: str) -> Place:
        try:
            return self.places[place_id]
        except KeyError:
            raise UsageError(f"unknown place id '{place_id}'") from None

    def province_of(self, place_id: str) -> Place:
        return self.places[self.places[place_id].province]


def fold(text: str) -> str:
    """Accent- and case-insensitive form: 'Montréal' and 'MONTREAL' fold to the same text."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold().strip()


def _key(text: str) -> str:
    """Names compare on their words only: 'Windsor--Sarnia', 'windsor sarnia' and 'WINDSOR-SARNIA' agree."""
    return " ".join(re.findall(r"\w+", fold(text)))


def _names(place: Place) -> tuple[str, ...]:
    return tuple(n for n in (place.name, place.name_fr, *place.also) if n)


def _closeness(typed: str, key: str) -> float:
    """How close a typed name is to a place name or to one of its words ('saskatoun' ~ 'Saskatoon--Biggar')."""
    candidates = [key, *key.split()]
    return max(difflib.SequenceMatcher(None, typed, c).ratio() for c in candidates)


def resolve_place(text: str, vocab: Vocabulary) -> Place:
    """A place by id or name (accents and case ignored); unknown places are refused with the closest names."""
    wanted = text.strip()
    if not wanted:
        raise UsageError("Say where, at region level: a province or an economic region (e.g. 'Toronto').")
    if wanted.upper() in vocab.places:
        return vocab.places[wanted.upper()]
    folded = _key(wanted)
    by_name: dict[str, Place] = {}
    for place in vocab.places.values():  # provinces come first: 'Yukon' is the territory
        for name in _names(place):
            by_name.setdefault(_key(name), place)
    if folded in by_name:
        return by_name[folded]
    suggestions: list[str] = []
    for _score, key in sorted(((_closeness(folded, key), key) for key in by_name), reverse=True)[:6]:
        place = by_name[key]
        label = f"{place.name} ({place.id})"
        if _score >= 0.7 and label not in suggestions:
            suggestions.append(label)
    suggestions = suggestions[:3]
    hint = f" Closest: {'; '.join(suggestions)}." if suggestions else ""
    raise UsageError(
        f"'{wanted}' is not in the place list (provinces and economic regions only, never an address)."
        f"{hint} See 'trpkit incident places'."
    )
