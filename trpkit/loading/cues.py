"""Reading and checking ``checklists/indicator-cues.toml`` into a :class:`~trpkit.domain.cue_file.CueBook`."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from functools import lru_cache
from pathlib import Path
from typing import Any

from trpkit.domain.cue_file import CUES_FILE, LANGUAGES, CueBook
from trpkit.domain.cues import Cue, CuePhraseError, compile_cue
from trpkit.domain.frameworks import Verification
from trpkit.domain.vocab import ExploitationSector
from trpkit.loading.frameworks import _enum, _meta, _Source, _unknown_keys, load_frameworks


def _phrases(src: _Source, table: Mapping[str, Any], line: int | None, what: str) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for lang in LANGUAGES:
        value = table.get(lang, [])
        if not isinstance(value, list) or not all(isinstance(p, str) and p.strip() for p in value):
            raise src.error(line, f"{what}: '{lang}' must be a list of phrases")
        out[lang] = [p.strip() for p in value]
    if not any(out.values()):
        raise src.error(line, f"{what}: give phrases in at least one of {', '.join(LANGUAGES)}")
    return out


def _compile_all(
    src: _Source,
    phrases: Mapping[str, list[str]],
    items: tuple[str, ...],
    negations: tuple[str, ...],
    line: int | None,
) -> list[Cue]:
    cues: list[Cue] = []
    for lang, texts in phrases.items():
        for text in texts:
            try:
                cues.append(compile_cue(text, items, lang, negations))
            except CuePhraseError as exc:
                raise src.error(line, str(exc)) from None
    return cues


def _negations(src: _Source) -> tuple[str, ...]:
    raw = src.data.get("negations")
    line = src.table_line("negations")
    if not isinstance(raw, dict):
        raise src.error(line, "missing [negations] table (en, fr, es: words that negate a cue before it)")
    _unknown_keys(src, raw, LANGUAGES, lambda k: src.key_line(k, line or 1), "[negations]")
    words: list[str] = []
    for lang in LANGUAGES:
        value = raw.get(lang)
        if not isinstance(value, list) or not all(isinstance(w, str) and w.strip() for w in value):
            raise src.error(line, f"[negations] needs '{lang}': a list of words")
        words.extend(w.strip() for w in value)
    return tuple(words)


def load_cues(directory: Path, item_keys: Collection[str]) -> CueBook:
    """Load the cue file of ``directory``; ``item_keys`` are the Delphi item numbers that exist."""
    src = _Source(directory / f"{CUES_FILE}.toml")
    meta = _meta(src, "cues")
    negations = _negations(src)
    raw = src.data.get("cue")
    if not isinstance(raw, list) or not raw:
        raise src.error(None, "missing [[cue]] entries")
    cues: list[Cue] = []
    for index, entry in enumerate(raw):
        line = src.entry_key_line("cue", index)
        if not isinstance(entry, dict):
            raise src.error(line, "each cue must be a [[cue]] table")
        _unknown_keys(
            src, entry, {"items", *LANGUAGES}, lambda k, i=index: src.entry_key_line("cue", i, k), "cue"
        )
        items = entry.get("items")
        if not isinstance(items, list) or not items or not all(isinstance(i, str) for i in items):
            raise src.error(line, "cue: 'items' must list Delphi item numbers like [\"5.01\"]")
        for key in items:
            if key not in item_keys:
                raise src.error(
                    src.entry_key_line("cue", index, "items"), f"cue: item {key} is in no Delphi list"
                )
        cues.extend(
            _compile_all(src, _phrases(src, entry, line, f"cue {items}"), tuple(items), negations, line)
        )
    sectors: dict[str, tuple[Cue, ...]] = {}
    raw_sectors = src.data.get("sectors", {})
    known = {s.value for s in ExploitationSector} - {"other", "unknown"}
    if not isinstance(raw_sectors, dict):
        raise src.error(src.table_line("sectors"), "[sectors] must be tables like [sectors.agriculture]")
    for sector, table in raw_sectors.items():
        line = src.table_line(f"sectors.{sector}")
        if sector not in known:
            raise src.error(line, f"unknown sector '{sector}': use {', '.join(sorted(known))}")
        if not isinstance(table, dict):
            raise src.error(line, f"[sectors.{sector}] must be a table of phrases per language")
        _unknown_keys(
            src, table, LANGUAGES, lambda k, ln=line: src.key_line(k, ln or 1), f"[sectors.{sector}]"
        )
        phrases = _phrases(src, table, line, f"sector '{sector}'")
        sectors[sector] = tuple(_compile_all(src, phrases, (), negations, line))
    return CueBook(
        tuple(cues),
        negations,
        sectors,
        _enum(src, Verification, meta["verification"], src.key_line("verification"), "[meta] verification"),
        str(meta.get("verification_note", "")),
        tuple(meta["sources"]),
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
