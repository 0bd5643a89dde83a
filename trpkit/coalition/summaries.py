"""Descriptive summaries for the report: indicators present by sector and outcome, refusal reasons, and the
grant rates of offices and officers shrunk toward the overall rate (empirical Bayes)."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import numpy as np

from trpkit.coalition.record import Record
from trpkit.coalition.stats import (
    DIMENSION_LABELS,
    NOT_RECORDED,
    Frame,
    as_frame,
    rate_cell,
    small,
    source_counts,
    wilson,
)
from trpkit.domain.coalition_policy import NEVER_BELOW


def _value(record: Record, dimension: str) -> str:
    value = record.get(dimension)
    if value is None or value == "":
        return NOT_RECORDED
    if dimension == "law_enforcement_cooperation":
        return str(value)
    return str(value)


# ---------------------------------------------------------------------------------- indicators by sector


def _summary(values: Sequence[float]) -> dict[str, Any]:
    array = np.asarray(values, dtype=float)
    return {
        "n": int(array.size),
        "mean": float(array.mean()),
        "median": float(np.median(array)),
        "q1": float(np.percentile(array, 25)),
        "q3": float(np.percentile(array, 75)),
    }


def indicators_by_sector(data: Sequence[Record] | Frame, min_cell: int) -> dict[str, Any]:
    """Indicators present at grant and at refusal, by sector (a description: whether labour cases need more
    indicators for a grant is ``models.labour_indicators``, which does not condition on the outcome)."""
    frame = as_frame(data)
    min_cell = max(min_cell, NEVER_BELOW)
    strong = frame.number("strong_indicators")
    rows_ok = frame.decided & ~np.isnan(strong)
    if not rows_ok.any():
        return {"ok": False, "reason": "the data have no indicator counts"}
    total_all = np.nan_to_num(strong) + np.nan_to_num(frame.number("medium_indicators"))
    sectors = frame.text("exploitation_sector")
    rows = []
    hidden = 0
    for sector in sorted(set(sectors[rows_ok].tolist())):
        in_sector = rows_ok & (sectors == sector)
        entry: dict[str, Any] = {"sector": sector}
        for outcome, mask in (("granted", frame.granted), ("refused", frame.refused)):
            group = total_all[in_sector & mask]
            entry[outcome] = _summary(group) if group.size >= min_cell else None
        if entry["granted"] is None and entry["refused"] is None:
            hidden += 1
            continue
        rows.append(entry)
    return {
        "ok": True,
        "measure": "strong + medium indicators present",
        "sectors": rows,
        "suppressed_sectors": hidden,
    }


# ------------------------------------------------------------------------------------------ refusal reasons


def refusal_reasons(data: Sequence[Record] | Frame, min_cell: int) -> dict[str, Any]:
    records = as_frame(data).records
    min_cell = max(min_cell, NEVER_BELOW)
    refused = [r for r in records if r.get("outcome") == "refused"]
    with_reasons = [r for r in refused if r.get("refusal_reasons")]
    if not with_reasons:
        return {"ok": False, "reason": "the data have no coded refusal reasons"}
    if len(with_reasons) < min_cell:
        return {"ok": False, "reason": f"fewer than {min_cell} refusals with coded reasons"}

    def table(rows: list[Record]) -> dict[str, Any]:
        counts: dict[str, int] = {}
        for r in rows:
            for code in r["refusal_reasons"]:
                counts[code] = counts.get(code, 0) + 1
        return {
            "refusals": len(rows),
            "reasons": [
                {
                    "code": code,
                    "count": None if small(c) else c,
                    "display": "< 5" if small(c) else str(c),
                    "share": None if small(c) else c / len(rows),
                }
                for code, c in sorted(counts.items(), key=lambda item: -item[1])
            ],
        }

    result: dict[str, Any] = {"ok": True, "all": table(with_reasons), "by": {}}
    for dimension in ("application_type", "policy_period"):
        groups: dict[str, Any] = {}
        hidden = 0
        by_value: dict[str, list[Record]] = {}
        for r in with_reasons:
            by_value.setdefault(_value(r, dimension), []).append(r)
        for value, rows in sorted(by_value.items()):
            if len(rows) >= min_cell:
                groups[value] = table(rows)
            else:
                hidden += 1
        result["by"][dimension] = {"groups": groups, "suppressed_groups": hidden}
    return result


# ---------------------------------------------------------------------------- office / officer variation


def variation(data: Sequence[Record] | Frame, dimension: str, min_cell: int) -> dict[str, Any]:
    """Grant rates of units (offices, officers) above the minimum, shrunk toward the overall rate.

    Empirical Bayes (beta-binomial, method of moments): a unit's estimate is pulled toward the overall rate
    the more, the fewer decisions it has and the less the units truly differ.
    """
    min_cell = max(min_cell, NEVER_BELOW)
    frame = as_frame(data)
    counts = {
        u: [c[0], c[0] + c[1]]
        for u, c in frame.counts(dimension).items()
        if u not in (NOT_RECORDED, "*", "unknown")
    }
    if not counts:
        return {"ok": False, "reason": f"the data have no {DIMENSION_LABELS.get(dimension, dimension)}"}
    units = {u: c for u, c in counts.items() if c[1] >= min_cell}
    hidden = len(counts) - len(units)
    if len(units) < 2:
        return {
            "ok": False,
            "reason": f"fewer than two {DIMENSION_LABELS.get(dimension, dimension)} groups with "
            f"at least {min_cell} decisions",
            "suppressed_units": hidden,
        }
    g = np.array([c[0] for c in units.values()], float)
    n = np.array([c[1] for c in units.values()], float)
    p0 = g.sum() / n.sum()
    rates = g / n
    weights = n / n.sum()
    observed_var = float(np.sum(weights * (rates - p0) ** 2))
    noise = float(np.sum(weights * p0 * (1 - p0) / n))
    tau2 = max(0.0, observed_var - noise)
    strength = (p0 * (1 - p0) / tau2 - 1) if tau2 > 0 else math.inf
    from scipy.stats import chi2_contingency

    table = np.column_stack([g, n - g])
    p_heterogeneity = float(chi2_contingency(table)[1]) if (table.sum(axis=0) > 0).all() else 1.0
    out = _shrunk_units(units, p0, strength)
    out.sort(key=lambda c: -c["shrunk"])
    return {
        "ok": True,
        "dimension": dimension,
        "label": DIMENSION_LABELS.get(dimension, dimension),
        "overall_rate": float(p0),
        "between_unit_sd": math.sqrt(tau2),
        "prior_strength": None if math.isinf(strength) else float(strength),
        "p_heterogeneity": p_heterogeneity,
        "units": out,
        "suppressed_units": hidden,
    }


def _shrunk_units(units: dict[str, list[int]], p0: float, strength: float) -> list[dict[str, Any]]:
    """Each unit's rate cell with its shrunk estimate and interval (``units``: value -> [granted, decided])."""
    from scipy.stats import beta

    granted = sum(c[0] for c in units.values())
    decided = sum(c[1] for c in units.values())
    out = []
    for unit, (gi, ni) in units.items():
        shrunk = p0 if math.isinf(strength) else (gi + strength * p0) / (ni + strength)
        cell = rate_cell(unit, gi, ni - gi)
        cell["shrunk"] = float(shrunk)
        if not math.isinf(strength):
            # The unit's posterior under the fitted beta prior: its 2.5% and 97.5% quantiles (scipy).
            a, b = gi + strength * p0, ni - gi + strength * (1 - p0)
            cell["shrunk_ci"] = [float(beta.ppf(0.025, a, b)), float(beta.ppf(0.975, a, b))]
        else:  # units do not differ beyond chance: each is the overall rate, with the overall interval
            cell["shrunk_ci"] = list(wilson(granted, decided))
        cell["counts"] = source_counts([int(gi), int(ni - gi)])
        out.append(cell)
    return out
