"""Calendar arithmetic the parser needs (months, seasons, early/mid/late parts)."""

from __future__ import annotations

import calendar
from datetime import date

from dateutil.relativedelta import relativedelta

from trpkit.domain.fuzzy_dates.model import Precision


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def add_months(d: date, months: int) -> date:
    """``d`` moved by whole months (the day clamped to the month's end), kept within years 1 to 9999:
    a phrase like "9000 years ago" must not crash the parser."""
    here = d.year * 12 + d.month - 1
    target = min(max(here + months, 12), 9999 * 12 + 11)
    return d + relativedelta(months=target - here)


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
