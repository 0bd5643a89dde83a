"""Phrase data: the words of each language (checklists/date_phrases/*.toml), holidays, loading and caching."""

from __future__ import annotations

import os
import re
import tomllib
import unicodedata
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache
from pathlib import Path
from typing import Any

from dateutil.easter import EASTER_ORTHODOX, EASTER_WESTERN
from dateutil.easter import easter as dateutil_easter

from trpkit.domain.fuzzy_dates.model import Precision


class PhraseDataError(ValueError):
    """A phrase file is malformed: the message names the file, the line and the problem."""


SEASONS = {"spring": 21, "summer": 22, "autumn": 23, "winter": 24}
SEASON_BY_CODE = {v: k for k, v in SEASONS.items()}
PARTS = ("early", "mid", "late")
UNITS = ("day", "week", "month", "year")
PATTERN_KINDS = (
    "range",
    "alternative",
    "before",
    "after",
    "ago",
    "offset_after",
    "offset_before",
    "last",
    "previous_year",
    "this",
    "age",
    "decade",
)
FORMAT_KEYS = (
    "day",
    "month",
    "season",
    "decade",
    "early",
    "mid",
    "late",
    "around",
    "around_range",
    "uncertain",
    "between",
    "before",
    "after",
    "unknown",
)
# Optional [format] keys, for languages whose dates take an article or a preposition (French: "vers le
# printemps 2019", "en mars 2019", "au début de 2019"). A language without them is written with the plain
# forms above, unchanged. ``*_det`` is the form used after "around", "between", "before" and "after" (the
# date with its article: "le 15 mars 2019"); ``*_in`` the form inside a sentence (with its preposition:
# "en mars 2019", asked for with ``format_fuzzy(..., in_sentence=True)``); ``first_day`` writes the first
# of a month ("1er mars 2019"); ``elision`` contracts a word before a vowel or a mute h ("d'avril", "l'été").
_DET_KEYS = ("day_det", "early_det", "mid_det", "late_det")
_IN_KEYS = ("day_in", "month_in", "year_in", "decade_in", "early_in", "mid_in", "late_in")
OPTIONAL_FORMAT_KEYS = ("first_day", *_DET_KEYS, *_IN_KEYS)
_ELISION_NEXT = "aeiouyàâäéèêëîïôöûùüœh"
_RANK = {
    Precision.DAY: 0,
    Precision.MONTH: 1,
    Precision.SEASON: 2,
    Precision.YEAR: 3,
    Precision.DECADE: 4,
    Precision.UNKNOWN: 5,
}


def _phrases_dir() -> Path:
    return _phrases_dir_for(os.environ.get("TRPKIT_CHECKLISTS_DIR"))


@lru_cache(maxsize=8)
def _phrases_dir_for(override: str | None) -> Path:
    from trpkit.paths import checklists_dir

    return checklists_dir() / "date_phrases"


def normalise(text: str) -> str:
    """Lower-case, NFC, straight apostrophes, French elisions split off ("l'été" -> "l' été"), single spaces."""
    s = unicodedata.normalize("NFC", text).casefold()
    s = s.replace("\u2019", "'").replace("\u2018", "'").replace("`", "'").replace("\u00a0", " ")
    s = re.sub(r"\b(l|d|qu|j|c)'\s*", r"\1' ", s)
    s = re.sub(r"\s*,\s*", " , ", s)
    return re.sub(r"\s+", " ", s).strip()


@dataclass(frozen=True)
class Holiday:
    id: str
    rule: str
    month: int = 0
    day: int = 0
    offset: int = 0
    weekday: int = 0
    n: int = 1
    span: int = 1

    def occurrence(self, year: int) -> tuple[date, date]:
        if self.rule == "fixed":
            start = date(year, self.month, self.day)
        elif self.rule == "easter":
            start = easter(year) + timedelta(days=self.offset)
        elif self.rule == "orthodox_easter":
            start = orthodox_easter(year) + timedelta(days=self.offset)
        else:  # nth_weekday
            first = date(year, self.month, 1)
            start = first + timedelta(days=(self.weekday - first.weekday()) % 7 + 7 * (self.n - 1))
        return start, start + timedelta(days=self.span - 1)


def easter(year: int) -> date:
    """Western Easter Sunday."""
    return dateutil_easter(year, EASTER_WESTERN)


def orthodox_easter(year: int) -> date:
    """Orthodox Easter Sunday, as a Gregorian date."""
    return dateutil_easter(year, EASTER_ORTHODOX)


@dataclass(frozen=True)
class LanguageData:
    language: str
    date_order: str
    months: dict[str, int]
    seasons: dict[str, str]
    holidays: dict[str, str]
    approximate: tuple[str, ...]
    uncertain: tuple[str, ...]
    fillers: tuple[str, ...]
    connectors: frozenset[str]
    ordinal_suffixes: tuple[str, ...]
    parts: tuple[tuple[str, str], ...]  # (form, part), longest form first
    numbers: dict[str, int]
    approximate_numbers: dict[str, int]
    units: dict[str, str]
    decades: dict[str, int]
    patterns: dict[str, tuple[re.Pattern[str], ...]]
    formats: dict[str, str]
    season_names: dict[str, str]
    month_names: tuple[str, ...]
    anchors: dict[str, tuple[str, ...]] = field(default_factory=dict)
    season_names_det: dict[str, str] = field(default_factory=dict)  # "le printemps", "l'été" (French)
    season_names_in: dict[str, str] = field(default_factory=dict)  # "au printemps", "à l'été" (French)
    elision: dict[str, str] = field(default_factory=dict)  # "de" -> "d'" before a vowel (French)


def _line_of(text: str, needle: str) -> int:
    for number, line in enumerate(text.splitlines(), 1):
        if needle in line:
            return number
    return 0


def _longest_first(words: Any) -> tuple[str, ...]:
    return tuple(sorted({normalise(w) for w in words}, key=lambda w: (-len(w), w)))


def _alternation(words: Any) -> str:
    return "|".join(re.escape(w) for w in _longest_first(words))


def _compile(pattern: str, data: dict[str, Any]) -> re.Pattern[str]:
    numbers = _alternation(list(data["numbers"]) + list(data["approximate_numbers"]))
    groups = {
        "a": r"(?P<a>.+?)",
        "b": r"(?P<b>.+)",
        "x": r"(?P<x>.+)",
        "n": rf"(?P<n>\d{{1,3}}|{numbers})",
        "unit": rf"(?P<unit>{_alternation(data['units'])})",
        "d": rf"(?P<d>'?\d{{2}}|\d{{4}}|{_alternation(data['decades']) or 'x^'})",
    }
    out = []
    for piece in re.split(r"(\{[a-z]+\})", normalise(pattern)):
        if piece.startswith("{") and piece.endswith("}"):
            out.append(groups[piece[1:-1]])
        elif piece:
            out.append(re.escape(piece).replace(r"\ ", r"\s+"))
    return re.compile("^" + "".join(out) + "$")


def _load_language(path: Path) -> LanguageData:
    text = path.read_text(encoding="utf-8")
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise PhraseDataError(f"{path}: {exc}") from None

    def fail(key: str, problem: str) -> PhraseDataError:
        return PhraseDataError(f"{path}, line {_line_of(text, key)}: {problem}")

    meta = raw.get("meta", {})
    for key in ("name", "language", "version", "source", "verification"):
        if key not in meta:
            raise fail("[meta]", f"[meta] needs '{key}'")
    if meta["language"] != path.stem:
        raise fail("language", f"language '{meta['language']}' does not match the file name '{path.stem}'")
    order = meta.get("date_order", "DMY")
    if sorted(order) != ["D", "M", "Y"]:
        raise fail("date_order", f"date_order '{order}' must be an order of D, M and Y such as DMY")
    months = {normalise(k): v for k, v in raw.get("months", {}).items()}
    for name, month in raw.get("months", {}).items():
        if not isinstance(month, int) or not 1 <= month <= 12:
            raise fail(name, f"month '{name}' must map to a number from 1 to 12")
    if set(months.values()) != set(range(1, 13)):
        raise fail("[months]", "[months] must name all twelve months")
    seasons = {normalise(k): v for k, v in raw.get("seasons", {}).items()}
    for name, season in raw.get("seasons", {}).items():
        if season not in SEASONS:
            raise fail(name, f"season '{name}' must map to one of {', '.join(SEASONS)}")
    known_holidays = load_holidays()
    holidays = {normalise(k): v for k, v in raw.get("holidays", {}).items()}
    for name, hid in raw.get("holidays", {}).items():
        if hid not in known_holidays:
            raise fail(name, f"holiday '{name}' refers to '{hid}', which holidays.toml does not define")
    words = raw.get("words", {})
    parts: list[tuple[str, str]] = []
    for part, forms in raw.get("parts", {}).items():
        if part not in PARTS:
            raise fail(part, f"[parts] key '{part}' must be early, mid or late")
        parts += [(normalise(f), part) for f in forms]
    parts.sort(key=lambda p: -len(p[0]))
    units = {normalise(k): v for k, v in raw.get("units", {}).items()}
    for name, unit in raw.get("units", {}).items():
        if unit not in UNITS:
            raise fail(name, f"unit '{name}' must map to one of {', '.join(UNITS)}")
    raw.setdefault("numbers", {})
    raw.setdefault("approximate_numbers", {})
    raw.setdefault("decades", {})
    raw["units"] = units
    patterns: dict[str, tuple[re.Pattern[str], ...]] = {}
    for kind, items in raw.get("patterns", {}).items():
        if kind not in PATTERN_KINDS:
            raise fail(kind, f"unknown pattern kind '{kind}' (known: {', '.join(PATTERN_KINDS)})")
        try:
            patterns[kind] = tuple(_compile(p, raw) for p in items)
        except (KeyError, re.error) as exc:
            raise fail(kind, f"pattern in '{kind}' is invalid: {exc}") from None
    fmt = raw.get("format", {})
    for key in (*FORMAT_KEYS, "season_names", "month_names"):
        if key not in fmt:
            raise fail("[format]", f"[format] needs '{key}'")
    if len(fmt["month_names"]) != 12:
        raise fail("month_names", "month_names must list twelve names")
    for key in OPTIONAL_FORMAT_KEYS:
        if key in fmt and (not isinstance(fmt[key], str) or not fmt[key].strip()):
            raise fail(key, f"[format] {key} must be a non-empty text")
    for key in (*_DET_KEYS, *_IN_KEYS):
        if key in fmt and "{x}" not in fmt[key]:
            raise fail(key, f"[format] {key} must contain {{x}} (where the date goes)")
    season_forms = {}
    for key in ("season_names_det", "season_names_in"):
        names = fmt.get(key, {})
        if (
            not isinstance(names, dict)
            or (names and set(names) != set(SEASONS))
            or not all(isinstance(v, str) and v.strip() for v in names.values())
        ):
            raise fail(key, f"[format] {key} must name the four seasons ({', '.join(SEASONS)})")
        season_forms[key] = dict(names)
    elision = fmt.get("elision", {})
    if not isinstance(elision, dict) or not all(
        isinstance(k, str) and isinstance(v, str) and k and v for k, v in elision.items()
    ):
        raise fail("elision", '[format] elision must be a table of word = contracted form, e.g. de = "d\'"')
    return LanguageData(
        language=path.stem,
        date_order=order,
        months=months,
        seasons=seasons,
        holidays=holidays,
        approximate=_longest_first(words.get("approximate", [])),
        uncertain=_longest_first(words.get("uncertain", [])),
        fillers=_longest_first(words.get("fillers", [])),
        connectors=frozenset(normalise(w) for w in words.get("connectors", [])) | {","},
        ordinal_suffixes=_longest_first(words.get("ordinal_suffixes", [])),
        parts=tuple(parts),
        numbers={normalise(k): v for k, v in raw["numbers"].items()},
        approximate_numbers={normalise(k): v for k, v in raw["approximate_numbers"].items()},
        units=units,
        decades={normalise(k): v for k, v in raw["decades"].items()},
        patterns=patterns,
        formats={k: v for k, v in fmt.items() if isinstance(v, str)},
        season_names=dict(fmt["season_names"]),
        month_names=tuple(fmt["month_names"]),
        anchors={k: tuple(normalise(x) for x in v) for k, v in raw.get("anchors", {}).items()},
        season_names_det=season_forms["season_names_det"],
        season_names_in=season_forms["season_names_in"],
        elision=dict(elision),
    )


def load_holidays() -> dict[str, Holiday]:
    return _load_holidays(_phrases_dir() / "holidays.toml")


@lru_cache(maxsize=8)
def _load_holidays(path: Path) -> dict[str, Holiday]:
    text = path.read_text(encoding="utf-8")
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise PhraseDataError(f"{path}: {exc}") from None
    out: dict[str, Holiday] = {}
    for hid, spec in raw.get("holiday", {}).items():
        try:
            holiday = Holiday(id=hid, **spec)
            if holiday.rule not in ("fixed", "easter", "orthodox_easter", "nth_weekday"):
                raise ValueError(f"unknown rule '{holiday.rule}'")
            holiday.occurrence(2020)
        except (TypeError, ValueError) as exc:
            raise PhraseDataError(
                f"{path}, line {_line_of(text, f'[holiday.{hid}]')}: holiday '{hid}': {exc}"
            ) from None
        out[hid] = holiday
    return out


def language_data(language: str) -> LanguageData | None:
    """The phrase data for ``language`` (e.g. "fr"), or None when trpkit has no file for it."""
    return _language_data_at(_phrases_dir(), language)


@lru_cache(maxsize=64)
def _language_data_at(folder: Path, language: str) -> LanguageData | None:
    if not re.fullmatch(r"[a-z]{2,3}(-[a-z0-9]+)?", language) or language == "holidays":
        return None
    path = folder / f"{language}.toml"
    return _load_language(path) if path.is_file() else None


def phrase_languages() -> list[str]:
    """Languages with a phrase file (full pre-parser and formatter)."""
    return sorted(p.stem for p in _phrases_dir().glob("*.toml") if p.stem != "holidays")


@lru_cache(maxsize=1)
def dateparser_languages() -> frozenset[str]:
    from dateparser.data.languages_info import language_order

    return frozenset(language_order)


def supported_languages() -> list[str]:
    """Every language code parse_fuzzy understands (phrase files plus dateparser's own)."""
    return sorted(set(phrase_languages()) | dateparser_languages())


def anchor_phrases(event_type: str, languages: tuple[str, ...] = ()) -> tuple[str, ...]:
    """Words people use for an event type ("arriving in Canada" ...), from every phrase file or the given ones."""
    out: list[str] = []
    for lang in languages or tuple(phrase_languages()):
        data = language_data(lang)
        if data:
            out += data.anchors.get(event_type, ())
    return tuple(dict.fromkeys(out))
