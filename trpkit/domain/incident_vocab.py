"""The incident bulletin's data: places (checklists/incident-places.toml) and words
(checklists/incidents.toml), loaded once and validated, with a place picker that refuses unknown places.
"""

from __future__ import annotations

import difflib
import functools
import re
import tomllib
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from trpkit.errors import UsageError
from trpkit.paths import checklists_dir

PLACES_FILE = "incident-places.toml"
STOPWORDS_FILE = "name-stopwords.toml"
# How a region's code and name were verified (each region's `checked`; [meta] verification says against what).
REGION_CHECKS = frozenset(
    {"statcan-er-2011-table", "statcan-er-2016-table", "statcan-census-dictionary", "unverified"}
)
VOCAB_FILE = "incidents.toml"
KINDS = ("framing", "band", "ask", "source_kind", "sector", "fact")


class IncidentDataError(UsageError):
    """A bulletin data file is malformed: the message names the file and the problem."""


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


def _read(path: Path) -> dict[str, Any]:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise IncidentDataError(f"{path}: missing (reinstall trpkit or restore the file)") from None
    except tomllib.TOMLDecodeError as exc:
        raise IncidentDataError(f"{path}: not valid TOML ({exc})") from None


def _meta(path: Path, data: dict[str, Any]) -> str:
    meta = data.get("meta")
    if not isinstance(meta, dict):
        raise IncidentDataError(f"{path}: needs a [meta] table")
    for key in ("name", "version", "citation", "verification"):
        if not isinstance(meta.get(key), str) or not meta[key]:
            raise IncidentDataError(f"{path}: [meta] needs {key}")
    return str(meta["citation"])


def _labels(path: Path, data: dict[str, Any]) -> dict[str, dict[str, Label]]:
    out: dict[str, dict[str, Label]] = {}
    for kind in KINDS:
        items = data.get(kind)
        if not isinstance(items, list) or not items:
            raise IncidentDataError(f"{path}: needs at least one [[{kind}]]")
        table: dict[str, Label] = {}
        for item in items:
            ident, label, label_fr = item.get("id"), item.get("label"), item.get("label_fr")
            if not all(isinstance(v, str) and v for v in (ident, label, label_fr)):
                raise IncidentDataError(f"{path}: every [[{kind}]] needs id, label and label_fr ({item})")
            if ident in table:
                raise IncidentDataError(f"{path}: [[{kind}]] id '{ident}' appears twice")
            extra = {k: v for k, v in item.items() if k not in ("id", "label", "label_fr")}
            table[ident] = Label(ident, label, label_fr, extra)
        out[kind] = table
    for band in out["band"].values():
        low, high = band.extra.get("low"), band.extra.get("high")
        if band.id != "unknown" and not isinstance(low, int):
            raise IncidentDataError(f"{path}: band '{band.id}' needs a whole-number low bound")
        if isinstance(low, int) and isinstance(high, int) and high < low:
            raise IncidentDataError(f"{path}: band '{band.id}' has high < low")
    for fact in out["fact"].values():
        for key in ("element", "if_reported", "if_reported_fr", "if_unknown", "if_unknown_fr"):
            if not isinstance(fact.extra.get(key), str) or not fact.extra[key]:
                raise IncidentDataError(f"{path}: fact '{fact.id}' needs {key}")
    return out


def _places(path: Path, data: dict[str, Any]) -> dict[str, Place]:
    places: dict[str, Place] = {}
    provinces = data.get("province")
    if not isinstance(provinces, list) or not provinces:
        raise IncidentDataError(f"{path}: needs [[province]] tables")

    def add(place: Place) -> None:
        if place.id in places:
            raise IncidentDataError(f"{path}: place id '{place.id}' appears twice")
        places[place.id] = place

    for prov in provinces:
        pid, sgc, name = prov.get("id"), prov.get("sgc"), prov.get("name")
        if not all(isinstance(v, str) and v for v in (pid, sgc, name)):
            raise IncidentDataError(f"{path}: every [[province]] needs id, sgc and name")
        add(Place(pid, name, prov.get("name_fr", ""), pid))
        for region in prov.get("region", []):
            rid, rname = region.get("id"), region.get("name")
            if not (isinstance(rid, str) and isinstance(rname, str) and rname):
                raise IncidentDataError(f"{path}: a region of {pid} needs id and name")
            if not rid.startswith(f"ER-{sgc}") or len(rid) != 7 or not rid[3:].isdigit():
                raise IncidentDataError(
                    f"{path}: region '{rid}' of {pid} must be 'ER-' and a 4-digit code starting with {sgc}"
                )
            if region.get("checked") not in REGION_CHECKS:
                raise IncidentDataError(
                    f"{path}: region '{rid}' needs checked = one of {', '.join(sorted(REGION_CHECKS))}"
                )
            also = tuple(str(a) for a in region.get("also", []))
            add(Place(rid, rname, region.get("name_fr", ""), pid, also))
    return places


def load_vocabulary(directory: Path | None = None) -> Vocabulary:
    folder = Path(directory) if directory else checklists_dir()
    vocab_path, places_path = folder / VOCAB_FILE, folder / PLACES_FILE
    vocab_data, places_data = _read(vocab_path), _read(places_path)
    _meta(vocab_path, vocab_data)
    citation = _meta(places_path, places_data)
    return Vocabulary(_labels(vocab_path, vocab_data), _places(places_path, places_data), citation)


def load_common_words(directory: Path | None = None) -> frozenset[str]:
    """The name check's stop-list (name-stopwords.toml): common words never looked for alone, folded."""
    path = (Path(directory) if directory else checklists_dir()) / STOPWORDS_FILE
    data = _read(path)
    _meta(path, data)
    lists = data.get("words")
    if not isinstance(lists, dict) or not lists:
        raise IncidentDataError(f"{path}: needs a [words] table with a list per language")
    words: set[str] = set()
    for language, items in lists.items():
        if not isinstance(items, list) or not all(
            isinstance(w, str) and w.strip() and len(w.split()) == 1 for w in items
        ):
            raise IncidentDataError(f"{path}: [words] {language} must be a list of single words")
        words.update(fold(w) for w in items)
    return frozenset(words)


@functools.cache
def common_words() -> frozenset[str]:
    """The shipped stop-list, loaded once per process."""
    return load_common_words()


@functools.cache
def vocabulary() -> Vocabulary:
    """The shipped data, loaded once per process."""
    return load_vocabulary()


def _key(text: str) -> str:
    """Names compare on their words only: 'Windsor--Sarnia', 'windsor sarnia' and 'WINDSOR-SARNIA' agree."""
    return " ".join(re.findall(r"\w+", fold(text)))


def _names(place: Place) -> tuple[str, ...]:
    return tuple(n for n in (place.name, place.name_fr, *place.also) if n)


def _closeness(typed: str, key: str) -> float:
    """How close a typed name is to a place name or to one of its words ('saskatoun' ~ 'Saskatoon--Biggar')."""
    candidates = [key, *key.split()]
    return max(difflib.SequenceMatcher(None, typed, c).ratio() for c in candidates)


def resolve_place(text: str, vocab: Vocabulary | None = None) -> Place:
    """A place by id or name (accents and case ignored); unknown places are refused with the closest names."""
    vocab = vocab or vocabulary()
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
