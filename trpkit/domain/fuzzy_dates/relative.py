"""Relative phrases: a number of units before or after a date ("two years ago"), with the slack a unit
implies (not to the day); an age ("when I was 15"); a decade ("the 90s"); "last"/"this" a month, season,
holiday or unit. Phrases that parse another date inside them ("two weeks after ...") stay in the parser."""

from __future__ import annotations

import re
from datetime import date, timedelta

from trpkit.domain.fuzzy_dates.anchors import _lookup_anchor
from trpkit.domain.fuzzy_dates.arithmetic import add_months
from trpkit.domain.fuzzy_dates.atoms import _build_atom, _number, atom_kind
from trpkit.domain.fuzzy_dates.model import Precision
from trpkit.domain.fuzzy_dates.phrases import _RANK
from trpkit.domain.fuzzy_dates.resolved import _R, _Ctx, _day, _decade, _month, _span_edtf, _year

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


def _ago(m: re.Match[str], ctx: _Ctx) -> _R | None:
    """ "two years ago": counted back from the day it was said."""
    data = ctx.data
    assert data is not None
    num = _number(m.group("n"), data)
    if num is None:
        return None
    unit = data.units[m.group("unit")]
    return _offset(ctx.base, ctx.base, unit, -num[0], num[1], Precision.DAY)


def _age(m: re.Match[str], ctx: _Ctx) -> _R | None:
    """ "when I was 15": the year after the 15th birthday, from the birth anchor."""
    data = ctx.data
    assert data is not None
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


def _decade_phrase(m: re.Match[str], ctx: _Ctx) -> _R | None:
    """ "the 90s", "the nineties": a two-digit decade is the most recent one not in the future."""
    data = ctx.data
    assert data is not None
    d = m.group("d").lstrip("'")
    value = data.decades.get(d) if not d.isdigit() else int(d)
    if value is None or value % 10:
        return None
    if value >= 100:
        return _decade(value)
    start = 2000 + value if 2000 + value <= ctx.base.year else 1900 + value
    return _decade(start)


def _last_or_this(kind: str, m: re.Match[str], ctx: _Ctx) -> _R | None:
    """last / previous_year / this: x is a unit ("last month"), or a month, season or holiday."""
    data = ctx.data
    assert data is not None
    base = ctx.base
    x = m.group("x").strip()
    if x in data.units:
        return _last_or_this_unit(kind, data.units[x], base)
    kind_of, value = atom_kind(x, ctx)
    if kind_of is None:
        return None
    if kind in ("previous_year", "this"):
        return _build_atom(kind_of, value, base.year - 1 if kind == "previous_year" else base.year)
    # last: the most recent occurrence that is over (or, for a month, strictly before this month)
    for y in (base.year, base.year - 1, base.year - 2):
        occurrence = _build_atom(kind_of, value, y)
        if occurrence is None or occurrence.latest is None:
            return None
        if kind_of == "month" and (y, value) < (base.year, base.month):
            return occurrence
        if kind_of != "month" and occurrence.latest < base:
            return occurrence
    return None


def _last_or_this_unit(kind: str, unit: str, base: date) -> _R | None:
    """ "this year", "last month", "last week" (Monday to Sunday), "last day"."""
    if kind == "this":
        return (
            _year(base.year) if unit == "year" else _month(base.year, base.month) if unit == "month" else None
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
        sunday = monday + timedelta(days=6)
        return _R(monday, sunday, Precision.DAY, _span_edtf(monday, sunday, Precision.DAY))
    return _day(base - timedelta(days=1))
