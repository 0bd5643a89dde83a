"""The incident bulletin's data files: ``incidents.toml`` (words), ``incident-places.toml`` (provinces and
economic regions) and ``name-stopwords.toml`` (the name check's common words), typed and checked."""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, Field, StrictInt, model_validator

from trpkit.domain.incident_vocab import (
    KINDS,
    PLACES_FILE,
    STOPWORDS_FILE,
    VOCAB_FILE,
    Label,
    Place,
    Vocabulary,
    fold,
)
from trpkit.loading.errors import DataFileError
from trpkit.loading.source import TomlFile, read_toml
from trpkit.loading.validate import DATA, validate

# The name tests and older callers use for these files' errors.
IncidentDataError = DataFileError

Text = Annotated[str, Field(min_length=1)]
# How a region's code and name were verified ([meta] verification says against what).
Check = Literal["statcan-er-2011-table", "statcan-er-2016-table", "statcan-census-dictionary", "unverified"]


class Meta(BaseModel):
    model_config = DATA
    name: Text
    version: Text
    citation: Text
    verification: Text


class Entry(BaseModel):
    model_config = DATA
    id: Text
    label: Text
    label_fr: Text


class Band(Entry):
    low: StrictInt | None = None  # None only for "unknown"
    high: StrictInt | None = None

    @model_validator(mode="after")
    def _bounds(self) -> Band:
        if self.id != "unknown" and self.low is None:
            raise ValueError(f"band '{self.id}' needs a whole-number low bound")
        if self.low is not None and self.high is not None and self.high < self.low:
            raise ValueError(f"band '{self.id}' has high < low")
        return self


class Fact(Entry):
    element: Text
    if_reported: Text
    if_reported_fr: Text
    if_unknown: Text
    if_unknown_fr: Text


Entries = Annotated[list[Entry], Field(min_length=1)]


class VocabFile(BaseModel):
    model_config = DATA
    meta: Meta
    framing: Entries
    band: Annotated[list[Band], Field(min_length=1)]
    ask: Entries
    source_kind: Entries
    sector: Entries
    fact: Annotated[list[Fact], Field(min_length=1)]


class Region(BaseModel):
    model_config = DATA
    id: Annotated[str, Field(pattern=r"^ER-\d{4}$", description="'ER-' and a 4-digit economic-region code")]
    checked: Check
    name: Text
    name_fr: str = ""
    also: list[Text] = []


class Province(BaseModel):
    model_config = DATA
    id: Text
    sgc: Text
    name: Text
    name_fr: str = ""
    region: list[Region] = []


class PlacesFile(BaseModel):
    model_config = DATA
    meta: Meta
    province: Annotated[list[Province], Field(min_length=1)]


SingleWord = Annotated[str, Field(min_length=1, pattern=r"^\S+$", description="one word, no spaces")]


class StopwordsFile(BaseModel):
    model_config = DATA
    meta: Meta
    words: Annotated[
        dict[str, list[SingleWord]], Field(min_length=1, description="a list of words per language")
    ]


_NAMES = {(kind,): (kind.replace("_", " "), "id") for kind in KINDS} | {
    ("province",): ("province", "id"),
    ("province", "region"): ("region", "id"),
}


def _labels(source: TomlFile) -> dict[str, dict[str, Label]]:
    data = validate(source, VocabFile, _NAMES)
    out: dict[str, dict[str, Label]] = {}
    for kind in KINDS:
        table: dict[str, Label] = {}
        for index, entry in enumerate(getattr(data, kind)):
            if entry.id in table:
                raise source.error((kind, index, "id"), f"[[{kind}]] id '{entry.id}' appears twice")
            extra: dict[str, Any] = entry.model_dump(exclude={"id", "label", "label_fr"}, exclude_none=True)
            table[entry.id] = Label(entry.id, entry.label, entry.label_fr, extra)
        out[kind] = table
    return out


def _places(source: TomlFile) -> tuple[dict[str, Place], str]:
    data = validate(source, PlacesFile, _NAMES)
    places: dict[str, Place] = {}

    def add(place: Place, loc: tuple[str | int, ...]) -> None:
        if place.id in places:
            raise source.error(loc, f"place id '{place.id}' appears twice")
        places[place.id] = place

    for p_index, prov in enumerate(data.province):
        add(Place(prov.id, prov.name, prov.name_fr, prov.id), ("province", p_index, "id"))
        for r_index, region in enumerate(prov.region):
            loc = ("province", p_index, "region", r_index, "id")
            if not region.id.startswith(f"ER-{prov.sgc}"):
                raise source.error(
                    loc,
                    f"region '{region.id}' of {prov.id} must be 'ER-' and a 4-digit code starting with {prov.sgc}",
                    f"region '{region.id}' field 'id'",
                )
            add(Place(region.id, region.name, region.name_fr, prov.id, tuple(region.also)), loc)
    return places, data.meta.citation


def load_vocabulary(directory: Path | None = None) -> Vocabulary:
    from trpkit.paths import checklists_dir

    folder = Path(directory) if directory else checklists_dir()
    labels = _labels(read_toml(folder / VOCAB_FILE))
    places, citation = _places(read_toml(folder / PLACES_FILE))
    return Vocabulary(labels, places, citation)


def load_common_words(directory: Path | None = None) -> frozenset[str]:
    """The name check's stop-list (name-stopwords.toml): common words never looked for alone, folded."""
    from trpkit.paths import checklists_dir

    source = read_toml((Path(directory) if directory else checklists_dir()) / STOPWORDS_FILE)
    data = validate(source, StopwordsFile)
    return frozenset(fold(word) for words in data.words.values() for word in words)


@functools.cache
def common_words() -> frozenset[str]:
    """The shipped stop-list, loaded once per process."""
    return load_common_words()


@functools.cache
def vocabulary() -> Vocabulary:
    """The shipped data, loaded once per process."""
    return load_vocabulary()
