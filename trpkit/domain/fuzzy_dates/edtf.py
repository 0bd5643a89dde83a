"""Reading back the EDTF values trpkit writes: the interval each allows, and an EDTF that covers a result."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date

from trpkit.domain.fuzzy_dates.atoms import _numeric
from trpkit.domain.fuzzy_dates.model import Precision
from trpkit.domain.fuzzy_dates.resolved import _R, _Ctx, _decade, _qualify, _span_edtf, _widen


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
