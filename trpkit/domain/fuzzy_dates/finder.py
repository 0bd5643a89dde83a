"""Finding date phrases in narrative text: suggestions for a person to accept, never added alone."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime

from trpkit.domain.fuzzy_dates.model import FuzzyDate
from trpkit.domain.fuzzy_dates.parser import _parse_fuzzy
from trpkit.domain.fuzzy_dates.phrases import LanguageData, _alternation, language_data, normalise


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
    found = _dateparser_hits(text, language, relative_to) if data is None else []
    found += _date_words(text, data, found)
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


def _dateparser_hits(text: str, language: str, relative_to: date | None) -> list[tuple[int, int]]:
    """(start, end) of each phrase dateparser's search finds: the finder for languages without a phrase
    file (a phrase file's own words find more, and 10x faster)."""
    try:
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
    found: list[tuple[int, int]] = []
    cursor = 0
    for phrase, _when in hits:
        start = text.find(phrase, cursor)
        if start < 0:
            start = text.find(phrase)
        if start < 0:
            continue
        found.append((start, start + len(phrase)))
        cursor = start + len(phrase)
    return found


def _date_words(text: str, data: LanguageData | None, found: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Years, and the phrase file's months, seasons, units and holidays, outside what ``found`` covers
    (dateparser does not know seasons, holidays, "hace dos años"...)."""
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
    covered, added = list(found), []
    for pattern in cores:
        for m in re.finditer(pattern, lowered):
            if not any(s <= m.start() < e for s, e in covered):
                covered.append((m.start(), m.end()))
                added.append((m.start(), m.end()))
    return added


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
