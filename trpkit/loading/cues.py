"""Reading and checking ``checklists/indicator-cues.toml`` into a :class:`~trpkit.domain.cue_file.CueBook`.

Every cue must point at a Delphi item number some list has, with phrases that parse
(:func:`~trpkit.domain.cues.compile_cue`); every sector must be one of the case's sector values.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from functools import lru_cache
from pathlib import Path
from typing import Annotated

from pydantic import BaseModel, Field, model_validator

from trpkit.domain.cue_file import CUES_FILE, LANGUAGES, CueBook
from trpkit.domain.cues import Cue, CuePhraseError, compile_cue
from trpkit.domain.vocab import ExploitationSector
from trpkit.loading.framework_models import ItemKey, Meta, Text
from trpkit.loading.frameworks import load_frameworks
from trpkit.loading.lines import Loc
from trpkit.loading.source import TomlFile, read_toml
from trpkit.loading.validate import DATA, validate

Words = Annotated[list[Text], Field(min_length=1)]


class Negations(BaseModel):
    """Words that negate a cue before it, per language."""

    model_config = DATA
    en: Words
    fr: Words
    es: Words


class Phrases(BaseModel):
    model_config = DATA
    en: list[Text] = []
    fr: list[Text] = []
    es: list[Text] = []

    @model_validator(mode="after")
    def _some(self) -> Phrases:
        if not (self.en or self.fr or self.es):
            raise ValueError(f"give phrases in at least one of {', '.join(LANGUAGES)}")
        return self


class CueEntry(Phrases):
    items: Annotated[list[ItemKey], Field(min_length=1, description='Delphi item numbers like ["5.01"]')]


class CueFile(BaseModel):
    model_config = DATA
    meta: Meta
    negations: Negations
    cue: Annotated[list[CueEntry], Field(min_length=1)]
    sectors: dict[str, Phrases] = {}


def _compile(
    src: TomlFile, loc: Loc, phrases: Phrases, items: tuple[str, ...], negations: Sequence[str]
) -> list[Cue]:
    cues: list[Cue] = []
    for lang in LANGUAGES:
        for index, text in enumerate(getattr(phrases, lang)):
            try:
                cues.append(compile_cue(text, items, lang, tuple(negations)))
            except CuePhraseError as exc:
                raise src.error((*loc, lang, index), str(exc), f"field '{lang}'") from None
    return cues


def load_cues(directory: Path, item_keys: Collection[str]) -> CueBook:
    """Load the cue file of ``directory``; ``item_keys`` are the Delphi item numbers that exist."""
    src = read_toml(directory / f"{CUES_FILE}.toml")
    data = validate(src, CueFile)
    if data.meta.id != src.path.stem or data.meta.kind != "cues":
        raise src.error(("meta", "id"), f'[meta] must say id = "{src.path.stem}" and kind = "cues"')
    negations = [w for lang in LANGUAGES for w in getattr(data.negations, lang)]
    cues: list[Cue] = []
    for index, entry in enumerate(data.cue):
        for key in entry.items:
            if key not in item_keys:
                raise src.error(
                    ("cue", index, "items"), f"item {key} is in no Delphi list", f"cue {index + 1}"
                )
        cues.extend(_compile(src, ("cue", index), entry, tuple(entry.items), negations))
    known = {s.value for s in ExploitationSector} - {"other", "unknown"}
    sectors: dict[str, tuple[Cue, ...]] = {}
    for sector, phrases in data.sectors.items():
        if sector not in known:
            raise src.error(("sectors", sector), f"unknown sector '{sector}': use {', '.join(sorted(known))}")
        sectors[sector] = tuple(_compile(src, ("sectors", sector), phrases, (), negations))
    return CueBook(
        tuple(cues),
        tuple(negations),
        sectors,
        data.meta.verification,
        data.meta.verification_note,
        tuple(data.meta.sources),
        src.path,
    )


def cue_book(directory: Path | None = None) -> CueBook:
    """The cue file next to the frameworks (cached until a file changes), checked against them."""
    frameworks = load_frameworks(directory)
    path = frameworks.directory / f"{CUES_FILE}.toml"
    try:
        stamp = path.stat().st_mtime_ns
    except FileNotFoundError:
        stamp = -1
    keys = frozenset(i.key for lst in frameworks.delphi.values() for i in lst.indicators)
    return _cached(frameworks.directory, stamp, keys)


@lru_cache(maxsize=4)
def _cached(directory: Path, _stamp: int, keys: frozenset[str]) -> CueBook:
    return load_cues(directory, keys)
