"""Phrase data: the words of each language (checklists/date_phrases/*.toml) and the holidays they name.

The files are read and checked by ``trpkit.loading.date_phrases``, which installs itself as this
package's :class:`PhraseSource`; here are the data's shapes and the lookups the parser uses.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Protocol

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


def longest_first(words: Iterable[str]) -> tuple[str, ...]:
    return tuple(sorted({normalise(w) for w in words}, key=lambda w: (-len(w), w)))


def _alternation(words: Iterable[str]) -> str:
    return "|".join(re.escape(w) for w in longest_first(words))


def compile_pattern(
    pattern: str, numbers: Iterable[str], units: Iterable[str], decades: Iterable[str]
) -> re.Pattern[str]:
    """A ``[patterns]`` entry as a regex: ``{n}`` matches digits or ``numbers``, ``{unit}`` and ``{d}`` the
    language's unit and decade words (KeyError for an unknown placeholder, re.error for a broken one)."""
    groups = {
        "a": r"(?P<a>.+?)",
        "b": r"(?P<b>.+)",
        "x": r"(?P<x>.+)",
        "n": rf"(?P<n>\d{{1,3}}|{_alternation(numbers)})",
        "unit": rf"(?P<unit>{_alternation(units)})",
        "d": rf"(?P<d>'?\d{{2}}|\d{{4}}|{_alternation(decades) or 'x^'})",
    }
    out = []
    for piece in re.split(r"(\{[a-z]+\})", normalise(pattern)):
        if piece.startswith("{") and piece.endswith("}"):
            out.append(groups[piece[1:-1]])
        elif piece:
            out.append(re.escape(piece).replace(r"\ ", r"\s+"))
    return re.compile("^" + "".join(out) + "$")


# The phrase files, once read and checked: the loading layer installs its reader here
# (``trpkit.loading.date_phrases.install()``), so this package never opens a file itself.
class PhraseSource(Protocol):
    def language(self, code: str) -> LanguageData | None:
        """The checked data of ``code``'s phrase file; None when there is no such file."""

    def languages(self) -> list[str]:
        """The codes of every phrase file."""

    def holidays(self) -> Mapping[str, Holiday]:
        """The holidays the phrase files may name, by id."""


_source: PhraseSource | None = None


def use_phrase_source(source: PhraseSource) -> None:
    """Read phrase data from ``source`` from now on (the loading layer's reader, or a test's)."""
    global _source
    _source = source


def _phrases() -> PhraseSource:
    if _source is None:
        raise RuntimeError(
            "the date-phrase files are not loaded: call trpkit.loading.date_phrases.install() at start-up"
        )
    return _source


def known_holidays() -> Mapping[str, Holiday]:
    return _phrases().holidays()


def language_data(language: str) -> LanguageData | None:
    """The phrase data for ``language`` (e.g. "fr"), or None when trpkit has no file for it."""
    if not re.fullmatch(r"[a-z]{2,3}(-[a-z0-9]+)?", language) or language == "holidays":
        return None
    return _phrases().language(language)


def phrase_languages() -> list[str]:
    """Languages with a phrase file (full pre-parser and formatter)."""
    return _phrases().languages()


@functools.lru_cache(maxsize=1)
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
