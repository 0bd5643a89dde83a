"""The parser's internal result (an interval with its EDTF) and the context a phrase is read in."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date, timedelta

from trpkit.domain.fuzzy_dates.arithmetic import _month_end, _season_bounds, add_months
from trpkit.domain.fuzzy_dates.model import FuzzyDate, Precision
from trpkit.domain.fuzzy_dates.phrases import SEASONS, LanguageData, known_holidays


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
    start, end = known_holidays()[hid].occurrence(year)
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


@dataclass(frozen=True)
class _Ctx:
    data: LanguageData | None
    language: str
    base: date
    anchors: Mapping[str, FuzzyDate]
    depth: int = 0
    fallback: bool = True  # may ask dateparser when the phrase files do not know the phrase
