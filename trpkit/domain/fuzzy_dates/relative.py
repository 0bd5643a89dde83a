"""Relative phrases: a number of units before or after a date ("two weeks after ..."), with the slack a
unit implies ("two years ago" is not to the day)."""

from __future__ import annotations

from datetime import date, timedelta

from trpkit.domain.fuzzy_dates.arithmetic import add_months
from trpkit.domain.fuzzy_dates.model import Precision
from trpkit.domain.fuzzy_dates.phrases import _RANK
from trpkit.domain.fuzzy_dates.resolved import _R, _span_edtf

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
