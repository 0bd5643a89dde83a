"""Honest fuzzy dates: keep what the person said, the interval it allows, and its real precision.

``parse_fuzzy`` turns a phrase ("around spring 2019", "hace dos años", "two weeks after arriving in
Canada") into a :class:`FuzzyDate`; ``format_fuzzy`` writes one back in a language, never more
precisely than the data. The words of each language live in ``checklists/date_phrases/<lang>.toml``
(adding a language is a data change); phrases the pre-parser does not know go to dateparser with
the language given, and anything left is kept verbatim as "unparsed" for a person to fix.

EDTF values written here: ``2019-03-14``, ``2019-03``, ``2019``, ``2019-21..24`` (spring..winter),
``2019-37..39`` (first, second, last four months: "early/mid/late 2019"), ``199X`` (decade),
intervals ``A/B`` with ``..`` for an open end, and the qualifiers ``~`` approximate, ``?``
uncertain, ``%`` both.
"""

from __future__ import annotations

import calendar
import os
import re
import tomllib
import unicodedata
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field, replace
from datetime import date, datetime, timedelta
from enum import StrEnum
from functools import lru_cache
from pathlib import Path
from typing import Any


class Precision(StrEnum):
    DAY = "day"
    MONTH = "month"
    SEASON = "season"
    YEAR = "year"
    DECADE = "decade"
    UNKNOWN = "unknown"


class DateStatus(StrEnum):
    PARSED = "parsed"
    UNPARSED = "unparsed"  # kept verbatim; a person must fix it


@dataclass(frozen=True)
class FuzzyDate:
    original: str
    language: str = "en"
    edtf: str | None = None
    earliest: date | None = None
    latest: date | None = None
    precision: Precision = Precision.UNKNOWN
    approximate: bool = False
    uncertain: bool = False
    status: DateStatus = DateStatus.UNPARSED

    @property
    def is_parsed(self) -> bool:
        return self.status is DateStatus.PARSED

    def to_dict(self) -> dict[str, Any]:
        """JSON-safe form used for storage (a JSON column) and for --json output."""
        data = asdict(self)
        data["earliest"] = self.earliest.isoformat() if self.earliest else None
        data["latest"] = self.latest.isoformat() if self.latest else None
        data["precision"] = self.precision.value
        data["status"] = self.status.value
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> FuzzyDate:
        return cls(
            original=str(data.get("original", "")),
            language=str(data.get("language", "en")),
            edtf=data.get("edtf"),
            earliest=date.fromisoformat(data["earliest"]) if data.get("earliest") else None,
            latest=date.fromisoformat(data["latest"]) if data.get("latest") else None,
            precision=Precision(data.get("precision", "unknown")),
            approximate=bool(data.get("approximate", False)),
            uncertain=bool(data.get("uncertain", False)),
            status=DateStatus(data.get("status", "unparsed")),
        )

    @classmethod
    def unparsed(cls, original: str, language: str = "en") -> FuzzyDate:
        return cls(original=original, language=language)


# ---------------------------------------------------------------------------------------------------
# Phrase data (checklists/date_phrases/*.toml)
# ---------------------------------------------------------------------------------------------------


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
    """Western Easter Sunday (anonymous Gregorian algorithm)."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = divmod(b, 4)
    g = (8 * b + 13) // 25
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    l_ = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 19 * l_) // 433
    month = (h + l_ - 7 * m + 90) // 25
    return date(year, month, (h + l_ - 7 * m + 33 * month + 19) % 32)


def orthodox_easter(year: int) -> date:
    """Orthodox Easter Sunday (Meeus' Julian algorithm, converted to the Gregorian calendar)."""
    a, b, c = year % 4, year % 7, year % 19
    d = (19 * c + 15) % 30
    e = (2 * a + 4 * b - d + 34) % 7
    month, day = divmod(d + e + 114, 31)
    return date(year, month, day + 1) + timedelta(days=year // 100 - year // 400 - 2)


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


# ---------------------------------------------------------------------------------------------------
# Date arithmetic
# ---------------------------------------------------------------------------------------------------


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def add_months(d: date, months: int) -> date:
    index = d.year * 12 + d.month - 1 + months
    year, month = divmod(index, 12)
    year = min(max(year, 1), 9999)
    return date(year, month + 1, min(d.day, calendar.monthrange(year, month + 1)[1]))


def _season_bounds(year: int, season: str) -> tuple[date, date]:
    if season == "winter":  # meteorological winter ending in ``year``: December of year-1 to February
        return date(year - 1, 12, 1), _month_end(year, 2)
    start = {"spring": 3, "summer": 6, "autumn": 9}[season]
    return date(year, start, 1), _month_end(year, start + 2)


def _part_bounds(start: date, end: date, part: str, precision: Precision) -> tuple[date, date]:
    if precision is Precision.YEAR:
        first = {"early": 1, "mid": 5, "late": 9}[part]
        return date(start.year, first, 1), _month_end(start.year, first + 3)
    if precision is Precision.MONTH:
        lo, hi = {"early": (1, 10), "mid": (11, 20), "late": (21, end.day)}[part]
        return date(start.year, start.month, lo), date(start.year, start.month, hi)
    if precision is Precision.DECADE:
        lo, hi = {"early": (0, 3), "mid": (4, 6), "late": (7, 9)}[part]
        return date(start.year + lo, 1, 1), date(start.year + hi, 12, 31)
    raise ValueError(part)


# ---------------------------------------------------------------------------------------------------
# Internal result
# ---------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _R:
    earliest: date | None
    latest: date | None
    precision: Precision
    edtf: str  # without qualifiers
    approximate: bool = False
    uncertain: bool = False
    has_year: bool = True


def _point(d: date, precision: Precision) -> str:
    if precision is Precision.DAY:
        return d.isoformat()
    if precision in (Precision.MONTH, Precision.SEASON):
        return f"{d.year:04d}-{d.month:02d}"
    return f"{d.year:04d}"


def _span_edtf(earliest: date | None, latest: date | None, precision: Precision) -> str:
    a = _point(earliest, precision) if earliest else ".."
    b = _point(latest, precision) if latest else ".."
    return a if a == b else f"{a}/{b}"


def _day(d: date) -> _R:
    return _R(d, d, Precision.DAY, d.isoformat())


def _month(year: int, month: int) -> _R:
    return _R(date(year, month, 1), _month_end(year, month), Precision.MONTH, f"{year:04d}-{month:02d}")


def _year(year: int) -> _R:
    return _R(date(year, 1, 1), date(year, 12, 31), Precision.YEAR, f"{year:04d}")


def _season(year: int, season: str) -> _R:
    start, end = _season_bounds(year, season)
    return _R(start, end, Precision.SEASON, f"{year:04d}-{SEASONS[season]}")


def _decade(start_year: int) -> _R:
    return _R(
        date(start_year, 1, 1), date(start_year + 9, 12, 31), Precision.DECADE, f"{start_year // 10:03d}X"
    )


def _holiday(year: int, hid: str) -> _R:
    start, end = load_holidays()[hid].occurrence(year)
    return _R(start, end, Precision.DAY, _span_edtf(start, end, Precision.DAY))


_MARGIN = {
    Precision.DAY: (0, 7),
    Precision.MONTH: (1, 0),
    Precision.SEASON: (1, 0),
    Precision.YEAR: (12, 0),
    Precision.DECADE: (24, 0),
}


def _widen(r: _R) -> _R:
    """An approximate date may fall a little outside what was said: widen the interval for ordering."""
    # an interval written with days ("early March" = 1-10 March) is widened like a day, not a month
    shape = Precision.DAY if re.search(r"\d{4}-\d{2}-\d{2}", r.edtf) else r.precision
    months, days = _MARGIN.get(shape, (0, 0))
    lo = add_months(r.earliest, -months) - timedelta(days=days) if r.earliest else None
    hi = add_months(r.latest, months) + timedelta(days=days) if r.latest else None
    if hi and months:
        hi = _month_end(hi.year, hi.month)
    return replace(r, earliest=lo, latest=hi, approximate=True)


def _qualify(edtf: str, approximate: bool, uncertain: bool) -> str:
    mark = "%" if approximate and uncertain else "~" if approximate else "?" if uncertain else ""
    if not mark:
        return edtf
    return "/".join(side if side == ".." else side + mark for side in edtf.split("/"))


# ---------------------------------------------------------------------------------------------------
# Parser
# ---------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Ctx:
    data: LanguageData | None
    language: str
    base: date
    anchors: Mapping[str, FuzzyDate]
    depth: int = 0
    fallback: bool = True  # may ask dateparser when the phrase files do not know the phrase


_STRIP = " \t.;:!\"'()[]«»“”"


def _strip_prefix(s: str, forms: tuple[str, ...]) -> tuple[str, bool]:
    for form in forms:
        if s == form:
            return "", True
        if s.startswith(form + " ") or (form.endswith(("'", "-")) and s.startswith(form)):
            return s[len(form) :].strip(), True
    return s, False


def _strip_suffix(s: str, forms: tuple[str, ...]) -> tuple[str, bool]:
    for form in forms:
        if s.endswith(" " + form):
            return s[: -len(form) - 1].strip(), True
    return s, False


def _number(text: str, data: LanguageData | None) -> tuple[int, bool] | None:
    text = text.strip()
    if text.isdigit():
        return int(text), False
    if data is None:
        return None
    if text in data.numbers:
        return data.numbers[text], False
    if text in data.approximate_numbers:
        return data.approximate_numbers[text], True
    return None


def parse_fuzzy(
    text: str,
    language: str = "en",
    relative_to: date | None = None,
    anchors: Mapping[str, FuzzyDate] | None = None,
) -> FuzzyDate:
    return _parse_fuzzy(text, language, relative_to, anchors, fallback=True)


def _parse_fuzzy(
    text: str,
    language: str,
    relative_to: date | None,
    anchors: Mapping[str, FuzzyDate] | None,
    fallback: bool,
) -> FuzzyDate:
    """Read a date phrase. Never raises on bad text: returns status "unparsed" with the original kept.

    Relative phrases ("two years ago", "last November") count from ``relative_to`` (the date of the
    meeting where it was said; today when not given). ``anchors`` maps names of other events
    ("arrival_canada", "birth", or words like "arriving in Canada") to their dates, for phrases
    such as "two weeks after arriving in Canada" or "when I was 15".
    """
    original = text if isinstance(text, str) else str(text)
    language = (language or "en").strip().lower().replace("_", "-")
    try:
        if "-" in language and language_data(language) is None:  # "fr-ca" -> "fr"
            language = language.split("-")[0]
        if language == "fil":
            language = "tl"
        data = language_data(language)
        ctx = _Ctx(
            data, language, relative_to or date.today(), anchors or {}, fallback=fallback or data is None
        )
        result = _parse(original, ctx)
    except (ValueError, OverflowError, KeyError, IndexError, PhraseDataError, ImportError):
        result = None
    if result is None or (result.earliest is None and result.latest is None):
        return FuzzyDate.unparsed(original, language)
    if result.earliest and result.latest and result.earliest > result.latest:
        return FuzzyDate.unparsed(original, language)
    result = _covering_edtf(result)
    return FuzzyDate(
        original=original,
        language=language,
        edtf=_qualify(result.edtf, result.approximate, result.uncertain),
        earliest=result.earliest,
        latest=result.latest,
        precision=result.precision,
        approximate=result.approximate,
        uncertain=result.uncertain or not result.has_year,
        status=DateStatus.PARSED,
    )


def edtf_bounds(edtf: str) -> tuple[date | None, date | None] | None:
    """The interval an EDTF value written by trpkit allows (qualifiers widen it), or None if unknown."""
    sides = edtf.split("/")
    if len(sides) > 2:
        return None
    out: list[date | None] = []
    for i, side in enumerate(sides):
        if side == "..":
            out.append(None)
            continue
        mark = side[-1] if side and side[-1] in "~?%" else ""
        core = side.rstrip("~?%")
        ctx = _Ctx(None, "en", date(2000, 1, 1), {})
        r = _decade(int(core[:3]) * 10) if re.fullmatch(r"\d{3}X", core) else _numeric(core, ctx)
        if r is None:
            return None
        if mark in ("~", "%"):
            r = _widen(r)
        out.append(r.earliest if i == 0 else r.latest)
        if len(sides) == 1:
            out.append(r.latest)
    return out[0], out[1]


def _covering_edtf(r: _R) -> _R:
    """Make sure the words written back (from the EDTF) allow at least the whole interval."""
    bounds = edtf_bounds(_qualify(r.edtf, r.approximate, r.uncertain))
    if bounds is None:
        return r
    lo, hi = bounds
    covers = (r.earliest is None or (lo is not None and lo <= r.earliest)) and (
        r.latest is None or (hi is not None and hi >= r.latest)
    )
    if covers or (r.earliest is None and r.latest is None):
        return r
    precision = (
        r.precision if r.precision in (Precision.DAY, Precision.MONTH, Precision.YEAR) else Precision.MONTH
    )
    return replace(r, edtf=_span_edtf(r.earliest, r.latest, precision))


def _parse(text: str, ctx: _Ctx) -> _R | None:
    s = normalise(text).strip(_STRIP)
    uncertain = False
    while s.endswith("?"):
        s, uncertain = s[:-1].strip(_STRIP), True
    return _expr(s, ctx, uncertain=uncertain)


def _expr(s: str, ctx: _Ctx, *, approximate: bool = False, uncertain: bool = False) -> _R | None:
    """Qualifiers (around, maybe), then the structures, then the plain date."""
    if ctx.depth > 6 or not s:
        return None
    data = ctx.data
    if data is not None:
        changed = True
        while changed:
            changed = False
            s, hit = _strip_prefix(s, data.uncertain)
            if not hit:
                s, hit = _strip_suffix(s, data.uncertain)
            if hit:
                uncertain = changed = True
            s, hit = _strip_prefix(s, data.approximate)
            if not hit:
                s, hit = _strip_suffix(s, data.approximate)
            if hit:
                approximate = changed = True
    r = _structure(s, replace(ctx, depth=ctx.depth + 1), approximate)
    if r is None:
        return None
    if approximate and not r.approximate:
        r = _widen(r)
    return replace(r, uncertain=r.uncertain or uncertain)


def _structure(s: str, ctx: _Ctx, approximate: bool) -> _R | None:
    data = ctx.data
    candidates = [s]
    if data is not None:  # also try without leading filler words ("in", "el", "au")
        t = s
        while True:
            t, hit = _strip_prefix(t, data.fillers)
            if not hit or not t:
                break
            candidates.append(t)
    for cand in candidates:
        r = _numeric(cand, ctx)
        if r is None and data is not None:
            r = (
                _relative_patterns(cand, ctx)
                or _part(cand, ctx)
                or _atoms(cand, ctx)
                or _range_patterns(cand, ctx, approximate)
            )
        if r is not None:
            return r
    # dateparser only for the whole phrase
    return _dateparser(s, ctx) if ctx.depth <= 1 and ctx.fallback else None


def _match(kind: str, s: str, data: LanguageData) -> re.Match[str] | None:
    for pattern in data.patterns.get(kind, ()):
        m = pattern.match(s)
        if m:
            return m
    return None


def _relative_patterns(s: str, ctx: _Ctx) -> _R | None:
    data = ctx.data
    assert data is not None
    for kind in ("ago", "offset_after", "offset_before", "age", "decade", "last", "previous_year", "this"):
        m = _match(kind, s, data)
        if m is None:
            continue
        r = _relative(kind, m, ctx)
        if r is not None:
            return r
    return None


def _range_patterns(s: str, ctx: _Ctx, approximate: bool) -> _R | None:
    data = ctx.data
    assert data is not None
    for kind in ("range", "alternative"):
        r = _range(kind, s, ctx, approximate)
        if r is not None:
            return r
    for kind in ("before", "after"):
        m = _match(kind, s, data)
        if m is None:
            continue
        inner = _expr(m.group("x"), ctx) or _anchor_date(m.group("x"), ctx)
        if inner is None:
            continue
        if kind == "before":
            latest = inner.earliest - timedelta(days=1) if inner.earliest else None
            return _R(None, latest, inner.precision, f"../{inner.edtf}", has_year=inner.has_year)
        earliest = inner.latest + timedelta(days=1) if inner.latest else None
        return _R(earliest, None, inner.precision, f"{inner.edtf}/..", has_year=inner.has_year)
    return None


def _split_points(kind: str, s: str, data: LanguageData) -> list[tuple[str, str]]:
    """Every (a, b) split a range pattern allows (a lazy group alone would miss "2017 - 2018 - ...")."""
    out: list[tuple[str, str]] = []
    for pattern in data.patterns.get(kind, ()):
        m = pattern.match(s)
        if not m:
            continue
        out.append((m.group("a"), m.group("b")))
    return out


def _range(kind: str, s: str, ctx: _Ctx, approximate: bool) -> _R | None:
    data = ctx.data
    assert data is not None
    for a_text, b_text in _split_points(kind, s, data):
        b = _expr(b_text, ctx, approximate=approximate)
        if b is None:
            continue
        a = _expr(a_text, ctx, approximate=approximate)
        day = _day_number(a_text.strip(), data)
        if day is not None and b.precision is Precision.DAY and b.earliest is not None and b.has_year:
            # "du 3 au 10 mai 2019", "from the 3rd to the 10th of May": the day borrows month and year
            a = _day(date(b.earliest.year, b.earliest.month, day))
        if (a is None or not a.has_year) and b.has_year and b.latest is not None:
            # "from May to August 2019", "entre mayo y agosto de 2019": the left side borrows the year
            plain_b = _expr(b_text, ctx) if approximate else b
            if plain_b is None or plain_b.latest is None:
                continue
            year = plain_b.latest.year
            for y in (year, year - 1):
                plain = _expr(f"{a_text} {y}", ctx)
                if plain is not None and plain.earliest and plain.earliest <= plain_b.latest:
                    a = _expr(f"{a_text} {y}", ctx, approximate=approximate)
                    break
        if a is None or a.earliest is None or b.latest is None or a.earliest > b.latest:
            continue
        precision = max(a.precision, b.precision, key=lambda p: _RANK[p])
        edtf = f"{a.edtf}/{b.edtf}"
        return _R(
            a.earliest,
            b.latest,
            precision,
            edtf,
            approximate=a.approximate or b.approximate,
            uncertain=kind == "alternative" or a.uncertain or b.uncertain,
            has_year=a.has_year and b.has_year,
        )
    return None


_UNIT_SLACK = {"day": (0, 0), "week": (0, 3), "month": (0, 15), "year": (6, 0)}
_UNIT_PRECISION = {
    "day": Precision.DAY,
    "week": Precision.DAY,
    "month": Precision.MONTH,
    "year": Precision.YEAR,
}


def _shift(d: date, unit: str, n: int) -> date:
    if unit == "day":
        return d + timedelta(days=n)
    if unit == "week":
        return d + timedelta(weeks=n)
    if unit == "month":
        return add_months(d, n)
    return add_months(d, 12 * n)


def _offset(lo: date, hi: date, unit: str, n: int, fuzzy_number: bool, base_precision: Precision) -> _R:
    months, days = _UNIT_SLACK[unit]
    if fuzzy_number:  # "a few weeks": one more unit either way
        months, days = (
            months + (12 if unit == "year" else 1 if unit == "month" else 0),
            days + (7 if unit == "week" else 2 if unit == "day" else 0),
        )
    earliest = add_months(_shift(lo, unit, n), -months) - timedelta(days=days)
    latest = add_months(_shift(hi, unit, n), months) + timedelta(days=days)
    precision = max(_UNIT_PRECISION[unit], base_precision, key=lambda p: _RANK[p])
    approximate = fuzzy_number or unit != "day" or base_precision is not Precision.DAY
    centre_lo, centre_hi = _shift(lo, unit, n), _shift(hi, unit, n)
    return _R(
        earliest, latest, precision, _span_edtf(centre_lo, centre_hi, precision), approximate=approximate
    )


def _relative(kind: str, m: re.Match[str], ctx: _Ctx) -> _R | None:
    data = ctx.data
    assert data is not None
    base = ctx.base
    if kind == "ago":
        num = _number(m.group("n"), data)
        if num is None:
            return None
        unit = data.units[m.group("unit")]
        return _offset(base, base, unit, -num[0], num[1], Precision.DAY)
    if kind in ("offset_after", "offset_before"):
        num = _number(m.group("n"), data)
        if num is None:
            return None
        unit = data.units[m.group("unit")]
        target = _expr(m.group("x"), ctx) or _anchor_date(m.group("x"), ctx)
        if target is None or target.earliest is None or target.latest is None:
            return None
        sign = 1 if kind == "offset_after" else -1
        r = _offset(target.earliest, target.latest, unit, sign * num[0], num[1], target.precision)
        return replace(r, uncertain=target.uncertain)
    if kind == "age":
        num = _number(m.group("n"), data)
        birth = _lookup_anchor("birth", ctx)
        if num is None or birth is None or birth.earliest is None or birth.latest is None:
            return None
        lo = add_months(birth.earliest, 12 * num[0])
        hi = add_months(birth.latest, 12 * (num[0] + 1)) - timedelta(days=1)
        return _R(
            lo,
            hi,
            Precision.YEAR,
            _span_edtf(lo, hi, Precision.YEAR),
            approximate=num[1] or birth.approximate,
        )
    if kind == "decade":
        d = m.group("d").lstrip("'")
        value = data.decades.get(d) if not d.isdigit() else int(d)
        if value is None:
            return None
        if value >= 100:
            if value % 10:
                return None
            return _decade(value)
        if value % 10:
            return None
        start = 2000 + value if 2000 + value <= base.year else 1900 + value
        return _decade(start)
    # last / previous_year / this: x is a month, season, holiday or unit
    x = m.group("x").strip()
    year = base.year - 1 if kind == "previous_year" else base.year
    if x in data.units:
        unit = data.units[x]
        if kind == "this":
            return (
                _year(base.year)
                if unit == "year"
                else _month(base.year, base.month)
                if unit == "month"
                else None
            )
        if kind == "previous_year":
            return None
        if unit == "year":
            return _year(base.year - 1)
        if unit == "month":
            prev = add_months(base, -1)
            return _month(prev.year, prev.month)
        if unit == "week":
            monday = base - timedelta(days=base.weekday() + 7)
            return _R(
                monday,
                monday + timedelta(days=6),
                Precision.DAY,
                _span_edtf(monday, monday + timedelta(days=6), Precision.DAY),
            )
        return _day(base - timedelta(days=1))
    kind_of, value = atom_kind(x, ctx)
    if kind_of is None:
        return None
    if kind in ("previous_year", "this"):
        return _build_atom(kind_of, value, year)
    # last: the most recent occurrence that is over (or, for a month, strictly before this month)
    for y in (base.year, base.year - 1, base.year - 2):
        r = _build_atom(kind_of, value, y)
        if r is None or r.latest is None:
            return None
        if kind_of == "month" and (y, value) < (base.year, base.month):
            return r
        if kind_of != "month" and r.latest < base:
            return r
    return None


def atom_kind(x: str, ctx: _Ctx) -> tuple[str | None, Any]:
    data = ctx.data
    assert data is not None
    x = x.strip().rstrip(".")
    for conn in ("the ",):
        x = x.removeprefix(conn)
    toks = [t for t in _holiday_tokens(x, data).split() if t not in data.connectors]
    if len(toks) != 1:
        return None, None
    t = toks[0]
    if t.startswith("§h:"):
        return "holiday", t[3:]
    if t in data.months:
        return "month", data.months[t]
    if t in data.seasons:
        return "season", data.seasons[t]
    return None, None


def _build_atom(kind: str, value: Any, year: int) -> _R | None:
    if kind == "month":
        return _month(year, value)
    if kind == "season":
        return _season(year, value)
    if kind == "holiday":
        return _holiday(year, value)
    return None


def _holiday_tokens(s: str, data: LanguageData) -> str:
    for name in sorted(data.holidays, key=len, reverse=True):
        if name in s:
            s = re.sub(rf"(?<!\w){re.escape(name)}(?!\w)", f" §h:{data.holidays[name]} ", s)
    return re.sub(r"\s+", " ", s).strip()


def _part(s: str, ctx: _Ctx) -> _R | None:
    data = ctx.data
    assert data is not None
    for form, part in data.parts:
        if s == form:
            continue
        if s.startswith(form + " ") or (form.endswith(("'", "-")) and s.startswith(form)):
            rest = s[len(form) :].strip().lstrip("-").strip()
            inner = _expr(rest, ctx)
            if inner is None or inner.earliest is None or inner.latest is None or inner.approximate:
                continue
            if inner.precision not in (Precision.YEAR, Precision.MONTH, Precision.DECADE):
                continue
            lo, hi = _part_bounds(inner.earliest, inner.latest, part, inner.precision)
            if inner.precision is Precision.YEAR:
                edtf = f"{lo.year:04d}-{37 + PARTS.index(part)}"
                precision = Precision.SEASON
            elif inner.precision is Precision.MONTH:
                edtf, precision = f"{lo.isoformat()}/{hi.isoformat()}", Precision.MONTH
            else:
                edtf, precision = f"{lo.year:04d}/{hi.year:04d}", Precision.YEAR
            return _R(lo, hi, precision, edtf, uncertain=inner.uncertain, has_year=inner.has_year)
    return None


_ISO_DAY = re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$")
_ISO_MONTH = re.compile(r"^(\d{4})[-/](\d{1,2})$")
_NUMERIC = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4}|\d{2})$")
_MONTH_YEAR = re.compile(r"^(\d{1,2})[/.-](\d{4})$")
_YEAR = re.compile(r"^(\d{4})$")
_EDTF_SEASON = re.compile(r"^(\d{4})-(2[1-4]|3[7-9])$")


def _numeric(s: str, ctx: _Ctx) -> _R | None:
    """Language-independent numeric forms: ISO dates, day/month/year by the language's order, years."""
    s = s.replace(" ", "")
    if m := _YEAR.match(s):
        return _year(int(m.group(1))) if 1000 <= int(m.group(1)) <= 2999 else None
    if m := _ISO_DAY.match(s):
        return _day(date(int(m.group(1)), int(m.group(2)), int(m.group(3))))
    if m := _EDTF_SEASON.match(s):
        year, code = int(m.group(1)), int(m.group(2))
        if code <= 24:
            return _season(year, SEASON_BY_CODE[code])
        lo, hi = _part_bounds(date(year, 1, 1), date(year, 12, 31), PARTS[code - 37], Precision.YEAR)
        return _R(lo, hi, Precision.SEASON, f"{year:04d}-{code}")
    if m := _ISO_MONTH.match(s):
        return _month(int(m.group(1)), int(m.group(2)))
    if m := _MONTH_YEAR.match(s):
        return _month(int(m.group(2)), int(m.group(1)))
    if m := _NUMERIC.match(s):
        order = ctx.data.date_order if ctx.data else "DMY"
        parts = (
            dict(zip(order, (m.group(1), m.group(2), m.group(3)), strict=True)) if order[2] == "Y" else None
        )
        if parts is None:
            return None
        year = int(parts["Y"])
        if year < 100:
            year += 2000 if year <= ctx.base.year % 100 else 1900
        day, month = int(parts["D"]), int(parts["M"])
        r = _day(date(year, month, day))
        # 03/04/2019 could be either order: keep the language's reading but say it is uncertain
        return replace(r, uncertain=day <= 12 and month <= 12 and day != month)
    return None


def _atoms(s: str, ctx: _Ctx) -> _R | None:
    """A plain date made of words and numbers: "14 March 2019", "el verano de 2019", "Noël 2018"."""
    data = ctx.data
    assert data is not None
    toks = _holiday_tokens(s, data).replace("/", " / ").split()
    day = month = year = None
    season = holiday = None
    year_pair: tuple[int, int] | None = None
    for tok in toks:
        tok = tok.rstrip(".")
        if not tok or tok in data.connectors:
            continue
        if tok.startswith("§h:"):
            if holiday:
                return None
            holiday = tok[3:]
        elif re.fullmatch(r"\d{4}", tok) and 1000 <= int(tok) <= 2999:
            if year is not None:
                return None
            year = int(tok)
        elif m := re.fullmatch(r"(\d{4})[-/](\d{4})", tok):
            year_pair = (int(m.group(1)), int(m.group(2)))
        elif tok in data.months:
            if month:
                return None
            month = data.months[tok]
        elif tok in data.seasons:
            if season:
                return None
            season = data.seasons[tok]
        else:
            num = _day_number(tok, data)
            if num is None or day is not None:
                return None
            day = num
    if year_pair:
        # "winter 2018-2019": the winter that ends in the second year
        if season == "winter" and year is None and year_pair[1] == year_pair[0] + 1 and not (day or month):
            return _season(year_pair[1], "winter")
        return None
    kinds = sum(x is not None for x in (month, season, holiday))
    if kinds > 1 or (day is not None and month is None):
        return None
    if kinds == 0:
        return _year(year) if year is not None and day is None else None
    if year is None:
        return _most_recent(month, season, holiday, day, ctx)
    if month is not None:
        return _day(date(year, month, day)) if day is not None else _month(year, month)
    if season is not None:
        return _season(year, season)
    return _holiday(year, holiday)  # type: ignore[arg-type]


def _day_number(tok: str, data: LanguageData) -> int | None:
    for suffix in ("", *data.ordinal_suffixes):
        if suffix and not tok.endswith(suffix):
            continue
        core = tok[: len(tok) - len(suffix)] if suffix else tok
        if core.isdigit() and 1 <= int(core) <= 31:
            return int(core)
    return None


def _most_recent(
    month: int | None, season: str | None, holiday: str | None, day: int | None, ctx: _Ctx
) -> _R | None:
    """No year given ("in March"): the most recent one up to the meeting date, flagged uncertain."""
    base = ctx.base
    for y in (base.year, base.year - 1):
        if month is not None:
            r = _day(date(y, month, day)) if day is not None else _month(y, month)
        elif season is not None:
            r = _season(y, season)
        else:
            r = _holiday(y, holiday)  # type: ignore[arg-type]
        if r.earliest is not None and r.earliest <= base:
            return replace(r, has_year=False)
    return None


_STOP = frozenset(
    [
        "the",
        "a",
        "an",
        "and",
        "of",
        "in",
        "to",
        "at",
        "on",
        "my",
        "me",
        "i",
        "we",
        "was",
        "were",
        "de",
        "la",
        "le",
        "les",
        "el",
        "los",
        "las",
        "en",
        "au",
        "du",
        "des",
        "l",
        "d",
        "a",
        "al",
        "do",
        "da",
        "no",
        "na",
        "que",
        "je",
        "j",
        "me",
        "mi",
        "yo",
        "y",
        "e",
        "et",
        "o",
        "ou",
        "to",
        "into",
        "from",
        "for",
    ]
)


def _stems(text: str) -> frozenset[str]:
    return frozenset(w[:5] for w in re.findall(r"\w+", normalise(text)) if w not in _STOP and len(w) > 1)


def _lookup_anchor(name: str, ctx: _Ctx) -> FuzzyDate | None:
    for key, value in ctx.anchors.items():
        if normalise(key) == name and value.is_parsed:
            return value
    return None


def _anchor_date(text: str, ctx: _Ctx) -> _R | None:
    """The date of another event named in the phrase ("arriving in Canada")."""
    fd = _find_anchor(text, ctx)
    if fd is None or fd.earliest is None or fd.latest is None:
        return None
    edtf = (fd.edtf or "").replace("~", "").replace("?", "").replace("%", "") or _span_edtf(
        fd.earliest, fd.latest, fd.precision
    )
    return _R(fd.earliest, fd.latest, fd.precision, edtf, approximate=fd.approximate, uncertain=fd.uncertain)


def _find_anchor(text: str, ctx: _Ctx) -> FuzzyDate | None:
    if not ctx.anchors:
        return None
    wanted = _stems(text)
    if not wanted:
        return None
    best: tuple[float, FuzzyDate] | None = None
    data = ctx.data
    for key, value in ctx.anchors.items():
        if not value.is_parsed:
            continue
        names = [key]
        if data is not None:  # an event-type key ("arrival_canada") also answers to its phrases
            names += list(data.anchors.get(key, ()))
        for name in names:
            have = _stems(name.replace("_", " "))
            if not have:
                continue
            overlap = len(have & wanted)
            score = overlap / len(have | wanted)
            if have <= wanted or wanted <= have:
                score += 1
            if overlap and score >= 0.5 and (best is None or score > best[0]):
                best = (score, value)
    return best[1] if best else None


@lru_cache(maxsize=32)
def _date_data_parser(language: str, base: date, order: str | None) -> Any:
    from dateparser.date import DateDataParser  # imported lazily: ~50 ms, not needed at start-up

    settings: dict[str, Any] = {
        # never let dateparser fill a missing day or month from today: take the first, and keep the parts
        "PREFER_DAY_OF_MONTH": "first",
        "PREFER_MONTH_OF_YEAR": "first",
        "PREFER_DATES_FROM": "past",
        "RELATIVE_BASE": datetime(base.year, base.month, base.day),
    }
    if order:
        settings["DATE_ORDER"] = order
    return DateDataParser(languages=[language], settings=settings)


@lru_cache(maxsize=64)
def _month_names(language: str) -> dict[str, int]:
    from dateparser.languages.loader import default_loader

    info = default_loader.get_locale(language).info
    names: dict[str, int] = {}
    for number, key in enumerate(
        (
            "january",
            "february",
            "march",
            "april",
            "may",
            "june",
            "july",
            "august",
            "september",
            "october",
            "november",
            "december",
        ),
        1,
    ):
        for name in info.get(key, []):
            names[unicodedata.normalize("NFC", name).casefold().rstrip(".")] = number
    return names


def _month_named(s: str, language: str) -> int | None:
    """The month whose name (in dateparser's data for the language) is a word of ``s``, if exactly one."""
    names = _month_names(language)
    found = {
        names[w] for w in re.split(r"[\s,.;:/()-]+", unicodedata.normalize("NFC", s).casefold()) if w in names
    }
    if not found and language != "en":
        return None
    return found.pop() if len(found) == 1 else None


def _dateparser(s: str, ctx: _Ctx) -> _R | None:
    """Fall back on dateparser (language given), keeping only the parts the text really had."""
    if ctx.language not in dateparser_languages() or not re.search(r"[^\W\d_]", s):
        return None
    parser = _date_data_parser(ctx.language, ctx.base, ctx.data.date_order if ctx.data else None)
    found = parser.get_date_data(s)
    if found is None or found.date_obj is None:
        return None
    d = found.date_obj.date()
    parts = set(getattr(found, "parts", ()) or ())
    period = found.period or "day"
    relative = not re.search(r"\d{4}", s) and "year" in parts
    if not parts or parts <= {"day"}:
        return None  # a bare day number: month and year would be invented
    if not relative and "month" in parts:
        # dateparser can misread a month it does not know (it folds some vowel signs away: Punjabi
        # "ਜੂਨ" June came back as January): keep the month only if its name is really in the text
        said = _month_named(s, ctx.language)
        numeric = re.search(r"\d{1,2}\s*[./-]\s*\d{1,2}\s*[./-]\s*\d{2,4}|\d{4}\s*[./-]\s*\d{1,2}", s)
        if said is None and numeric:
            pass  # the month was written as a number
        elif said is None:
            parts -= {"month", "day"}
            period = "year"
        elif said != d.month:
            d = d.replace(month=said, day=min(d.day, calendar.monthrange(d.year, said)[1]))
    if period in ("day", "time") and "day" in parts:
        r = _day(d)
    elif period == "week":
        r = _R(d - timedelta(days=3), d + timedelta(days=3), Precision.DAY, d.isoformat(), approximate=True)
    elif period == "month":
        r = _month(d.year, d.month)
        if relative:
            r = replace(r, approximate=True)
    elif period == "year":
        r = _year(d.year)
        if relative:
            lo, hi = (
                add_months(ctx.base, -12 * (ctx.base.year - d.year) - 6),
                add_months(ctx.base, -12 * (ctx.base.year - d.year) + 6),
            )
            r = _R(lo, hi, Precision.YEAR, f"{d.year:04d}", approximate=True)
    else:
        return None
    return replace(r, has_year="year" in parts)


# ---------------------------------------------------------------------------------------------------
# Formatter
# ---------------------------------------------------------------------------------------------------


def _fmt_data(language: str) -> LanguageData:
    data = language_data(language) or language_data("en")
    assert data is not None
    return data


def _fmt_day(year: int, month: int, day: int, data: LanguageData) -> str:
    f = data.formats
    shown: int | str = f["first_day"] if day == 1 and "first_day" in f else day
    return f["day"].format(day=shown, month=data.month_names[month - 1], year=year)


# How a single date is written: alone (a list line, a table cell), "det" after "around", "between", "before"
# or "after" (with its article), "in" inside a sentence (with its preposition).
ALONE, DET, IN = "alone", "det", "in"


def _styled(kind: str, text: str, data: LanguageData, style: str) -> str:
    """``text`` as the ``{kind}_{style}`` form says ("le {x}", "en {x}"), when the language has one."""
    template = data.formats.get(f"{kind}_{style}") if style != ALONE else None
    return template.format(x=text) if template else text


def _fmt_part(part: str, x: str, data: LanguageData, style: str) -> str:
    """ "early 2019" / "début 2019"; "le début de 2019" after "vers"; "au début de 2019" in a sentence."""
    f = data.formats
    template = f.get(f"{part}_{style}") if style != ALONE else None
    return (template or f[part]).format(x=x)


def _fmt_value(v: str, data: LanguageData, style: str = ALONE) -> str | None:
    f = data.formats
    if m := re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", v):
        return _styled("day", _fmt_day(int(m.group(1)), int(m.group(2)), int(m.group(3)), data), data, style)
    if m := re.fullmatch(r"(\d{4})-(\d{2})", v):
        year, code = int(m.group(1)), int(m.group(2))
        if 1 <= code <= 12:
            month = f["month"].format(month=data.month_names[code - 1], year=year)
            return _styled("month", month, data, style) if style == IN else month
        if code in SEASON_BY_CODE:
            forms = {DET: data.season_names_det, IN: data.season_names_in}.get(style) or data.season_names
            return f["season"].format(season=forms[SEASON_BY_CODE[code]], year=year)
        if 37 <= code <= 39:
            return _fmt_part(PARTS[code - 37], str(year), data, style)
        return None
    if m := re.fullmatch(r"(\d{4})", v):
        year_text = str(int(m.group(1)))
        return _styled("year", year_text, data, style) if style == IN else year_text
    if m := re.fullmatch(r"(\d{3})X", v):
        decade = f["decade"].format(decade=int(m.group(1)) * 10)
        return _styled("decade", decade, data, style) if style == IN else decade
    return None


def _month_part(a: str, b: str) -> tuple[str, int, int] | None:
    """(part, year, month) when a/b is the early, mid or late third of one month."""
    ma, mb = re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", a), re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", b)
    if not (ma and mb and ma.group(1, 2) == mb.group(1, 2)):
        return None
    year, month = int(ma.group(1)), int(ma.group(2))
    if not 1 <= month <= 12:
        return None
    lo, hi = int(ma.group(3)), int(mb.group(3))
    last = calendar.monthrange(year, month)[1]
    for part, (plo, phi) in zip(PARTS, ((1, 10), (11, 20), (21, last)), strict=True):
        if (lo, hi) == (plo, phi):
            return part, year, month
    return None


def _fmt_interval(a: str, b: str, data: LanguageData, style: str = ALONE) -> str | None:
    f = data.formats
    if a == ".." and b == "..":
        return None
    if a == b:  # "between 2025 and 2025" is just 2025
        return _fmt_value(a, data, style)
    if a == "..":
        inner = _fmt_value(b, data, DET)
        return f["before"].format(x=inner) if inner else None
    if b == "..":
        inner = _fmt_value(a, data, DET)
        return f["after"].format(x=inner) if inner else None
    if found := _month_part(a, b):
        part, year, month = found
        return _fmt_part(part, f["month"].format(month=data.month_names[month - 1], year=year), data, style)
    ma, mb = re.fullmatch(r"(\d{4})-(\d{2})", a), re.fullmatch(r"(\d{4})-(\d{2})", b)
    if ma and mb and ma.group(1) == mb.group(1) and int(ma.group(2)) <= 12 and int(mb.group(2)) <= 12:
        # "between May and August 2019": the year is said once
        return f["between"].format(a=data.month_names[int(ma.group(2)) - 1], b=_fmt_value(b, data))
    fa, fb = _fmt_value(a, data, DET), _fmt_value(b, data, DET)
    if fa is None or fb is None:
        return None
    return f["between"].format(a=fa, b=fb)


_ELISION: dict[int, re.Pattern[str]] = {}


def _elide(text: str, data: LanguageData) -> str:
    """Contract a word before a vowel or a mute h, as the language's [format] elision says ("d'avril")."""
    if not data.elision:
        return text
    pattern = _ELISION.get(id(data))
    if pattern is None:
        words = "|".join(re.escape(w) for w in sorted(data.elision, key=len, reverse=True))
        pattern = _ELISION[id(data)] = re.compile(
            rf"(?<![\w'’-])({words}) (?=[{_ELISION_NEXT}])", re.IGNORECASE
        )

    def contract(match: re.Match[str]) -> str:
        word = match.group(1)
        short = data.elision[word.lower()] if word.lower() in data.elision else data.elision[word]
        return short[0].upper() + short[1:] if word[0].isupper() else short

    return pattern.sub(contract, text)


def format_fuzzy(fd: FuzzyDate, language: str = "en", *, in_sentence: bool = False) -> str:
    """Write a date back in ``language`` at its own precision ("March 2019", "mars 2019",
    "around spring 2019", "vers le printemps 2019", "between 2017 and 2018"). Unparsed dates are shown
    as they were said.

    ``in_sentence`` writes the form that follows a verb, for languages whose phrase file gives one
    (French "arrivée en mars 2019", "au printemps 2019", "à l'été 2019", "au début de 2019", "le 15 mars
    2019"); others write the same as alone."""
    if not fd.is_parsed or not fd.edtf:
        return fd.original
    data = _fmt_data(language)
    core = fd.edtf
    sides = core.split("/")
    marks = {side[-1] for side in sides if side and side[-1] in "~?%"}
    clean = [side.rstrip("~?%") for side in sides]
    approximate = fd.approximate or bool(marks & {"~", "%"})
    uncertain = fd.uncertain or bool(marks & {"?", "%"})
    # after "around" the date takes its article ("vers le printemps 2019"), in languages that have one
    style = DET if approximate else IN if in_sentence else ALONE
    if len(clean) == 1:
        text = _fmt_value(clean[0], data, style)
    elif len(clean) == 2:
        text = _fmt_interval(clean[0], clean[1], data, style)
    else:
        text = None
    if text is None:
        return fd.original
    if approximate:
        # a part of a month is one date, not a range, in languages that give it an article ("vers la fin
        # d'août 2019"); others keep their range wording
        single = (
            len(clean) == 1
            or clean[0] == clean[1]
            or (
                len(clean) == 2
                and (part := _month_part(*clean)) is not None
                and f"{part[0]}_det" in data.formats
            )
        )
        text = data.formats["around" if single else "around_range"].format(x=text)
    if uncertain:
        text = data.formats["uncertain"].format(x=text)
    return _elide(text, data)


def describe_interval(fd: FuzzyDate) -> str:
    """ISO bounds for tables: "2019-03-01 – 2019-03-31", "? – 2018-12-31"."""
    lo = fd.earliest.isoformat() if fd.earliest else "?"
    hi = fd.latest.isoformat() if fd.latest else "?"
    return lo if lo == hi else f"{lo} – {hi}"


# ---------------------------------------------------------------------------------------------------
# Finding date phrases in narrative text (suggestions for a person to accept, never added alone)
# ---------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DatePhrase:
    start: int
    end: int
    phrase: str
    date: FuzzyDate


def _is_dateish(phrase: str, data: LanguageData | None) -> bool:
    """Keep a found phrase only if it names a year, a month, a season, a holiday or a counted unit."""
    s = normalise(phrase)
    if re.search(r"\b\d{4}\b", s) or re.search(r"\b(1[89]|20)?\d0'?s\b", s):
        return True
    if data is None:
        return bool(re.search(r"\d", s))
    words = set(re.findall(r"[^\W\d_]+", s))
    if words & (set(data.months) | set(data.seasons) | set(data.decades)):
        return any(len(w) > 3 for w in words & set(data.months)) or bool(
            words & (set(data.seasons) | set(data.decades))
        )
    if any(name in s for name in data.holidays):
        return True
    counted = bool(re.search(r"\d", s)) or bool(_number_words(data).search(s))
    return counted and bool(words & set(data.units))


_NUMBER_WORDS: dict[int, re.Pattern[str]] = {}


def _number_words(data: LanguageData) -> re.Pattern[str]:
    pattern = _NUMBER_WORDS.get(id(data))
    if pattern is None:
        words = list(data.numbers) + list(data.approximate_numbers)
        pattern = _NUMBER_WORDS[id(data)] = re.compile(rf"(?<!\w)(?:{_alternation(words) or 'x^'})(?!\w)")
    return pattern


def find_date_phrases(
    text: str,
    language: str = "en",
    relative_to: date | None = None,
    anchors: Mapping[str, FuzzyDate] | None = None,
) -> list[DatePhrase]:
    """Date phrases in ``text``: around each year, month, season, holiday or counted unit (and, for
    languages without a phrase file, each hit of dateparser's search), the longest nearby phrase
    that parse_fuzzy reads is kept. dateparser's search alone has many false positives ("a an hours
    at a"): only phrases that parse and name one of those are kept, and each is only a suggestion.
    """
    if not text.strip():
        return []
    language = (language or "en").lower()
    data = language_data(language)
    found: list[tuple[int, int]] = []
    try:
        if data is not None:
            # the phrase file's own words (years, months, seasons, holidays, units) find more, and find
            # them 10x faster, than dateparser's search; it stays the finder for the other languages
            raise LookupError
        from dateparser.search import search_dates

        base = relative_to or date.today()
        hits = (
            search_dates(
                text,
                languages=[language],
                settings={
                    "RELATIVE_BASE": datetime(base.year, base.month, base.day),
                    "PREFER_DATES_FROM": "past",
                    "PREFER_DAY_OF_MONTH": "first",
                    "PREFER_MONTH_OF_YEAR": "first",
                },
            )
            or []
        )
    except (ValueError, ImportError, KeyError, LookupError):
        hits = []
    cursor = 0
    for phrase, _when in hits:
        start = text.find(phrase, cursor)
        if start < 0:
            start = text.find(phrase)
        if start < 0:
            continue
        found.append((start, start + len(phrase)))
        cursor = start + len(phrase)
    # dateparser does not know seasons, holidays, "hace dos años"...: add the words that carry a date
    cores = [r"\b(?:1[89]\d\d|20\d\d)\b"]
    if data is not None:
        names = [
            w
            for w in list(data.months) + list(data.seasons) + list(data.units) + list(data.holidays)
            if len(w) > 3 or w in data.units
        ]
        cores.append(
            r"(?<!\w)(?:" + "|".join(re.escape(w) for w in sorted(names, key=len, reverse=True)) + r")(?!\w)"
        )
    lowered = text.casefold()
    for pattern in cores:
        for m in re.finditer(pattern, lowered):
            if not any(s <= m.start() < e for s, e in found):
                found.append((m.start(), m.end()))
    out: list[DatePhrase] = []
    taken: list[tuple[int, int]] = []
    cache: dict[str, FuzzyDate] = {}
    for start, end in sorted(set(found)):
        if any(s <= start < e for s, e in taken):
            continue
        best = _widen_phrase(text, start, end, language, relative_to, anchors, data, cache)
        if best is None:
            continue
        if any(s < best.end and best.start < e for s, e in taken):
            continue
        taken.append((best.start, best.end))
        out.append(best)
    return out


_LEFT_WORDS = 4
_RIGHT_WORDS = 3
_SENTENCE_END = re.compile(r"[.!?;:]\s")


def _widen_phrase(
    text: str,
    start: int,
    end: int,
    language: str,
    relative_to: date | None,
    anchors: Mapping[str, FuzzyDate] | None,
    data: LanguageData | None,
    cache: dict[str, FuzzyDate],
) -> DatePhrase | None:
    """Try a few words to the left ("around", "the end of", "last") and right ("ago", "2019"); a longer
    phrase wins only if it changes the date (so "in the summer of 2020 the" stays "summer of 2020")."""
    window_lo = max(0, start - 60)
    left_text = text[window_lo:start]
    cut = max((m.end() for m in _SENTENCE_END.finditer(left_text)), default=0)
    left_starts = [window_lo + cut + m.start() for m in re.finditer(r"\S+", left_text[cut:])][-_LEFT_WORDS:]
    right_text = text[end : end + 50]
    stop = _SENTENCE_END.search(right_text)
    right_text = right_text[: stop.start() + 1] if stop else right_text
    right_ends = [end + m.end() for m in re.finditer(r"\S+", right_text)][:_RIGHT_WORDS]
    best: DatePhrase | None = None
    for s in [start, *left_starts[::-1]]:
        for e in [end, *right_ends]:
            raw = text[s:e]
            phrase = raw.strip(" ,.;:!?()\"'«»“”")
            if not phrase:
                continue
            if not _is_dateish(phrase, data):
                continue
            fd = cache.get(phrase)
            if fd is None:
                fd = cache[phrase] = _parse_fuzzy(
                    phrase, language, relative_to, anchors, fallback=data is None
                )
            if not fd.is_parsed:
                continue
            if relative_to is not None and fd.earliest is not None and fd.earliest > relative_to:
                continue  # a story told on that day is about the past ("two weeks later" is not a date)
            if best is not None and _same(fd, best.date):
                continue
            if best is None or len(phrase) > len(best.phrase):
                s2 = s + raw.index(phrase)
                best = DatePhrase(s2, s2 + len(phrase), phrase, fd)
    return _trim(best, language, relative_to, anchors, data, cache) if best else None


def _same(a: FuzzyDate, b: FuzzyDate) -> bool:
    return (a.edtf, a.earliest, a.latest, a.approximate, a.uncertain) == (
        b.edtf,
        b.earliest,
        b.latest,
        b.approximate,
        b.uncertain,
    )


def _trim(
    found: DatePhrase,
    language: str,
    relative_to: date | None,
    anchors: Mapping[str, FuzzyDate] | None,
    data: LanguageData | None,
    cache: dict[str, FuzzyDate],
) -> DatePhrase:
    """Drop words at either end that do not change the date ("and by and in 2016" -> "2016")."""
    changed = True
    while changed:
        changed = False
        for side in ("left", "right"):
            words = list(re.finditer(r"\S+", found.phrase))
            if len(words) < 2:
                return found
            if side == "left":
                cut = words[1].start()
                phrase, start = found.phrase[cut:], found.start + cut
            else:
                phrase, start = found.phrase[: words[-2].end()], found.start
            phrase_clean = phrase.strip(" ,.;:!?()\"'«»“”")
            start += phrase.index(phrase_clean) if phrase_clean else 0
            fd = cache.get(phrase_clean)
            if fd is None:
                fd = cache[phrase_clean] = _parse_fuzzy(
                    phrase_clean, language, relative_to, anchors, fallback=data is None
                )
            if phrase_clean and fd.is_parsed and _is_dateish(phrase_clean, data) and _same(fd, found.date):
                found = DatePhrase(start, start + len(phrase_clean), phrase_clean, fd)
                changed = True
    return found
