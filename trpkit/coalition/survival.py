"""Waiting times: how long applications wait for a decision, with withdrawal as a competing outcome.

An application ends in a decision (granted, refused or returned) or in a withdrawal; pending ones are still
waiting (censored at the days they have waited). Treating a withdrawal as censoring would pretend the person
might still get a decision, so the share decided by a given day is the **cumulative incidence** of a decision
(Aalen-Johansen, statsmodels' CumIncidenceRight), with withdrawal as the competing outcome. The curve of
"still waiting" is the Kaplan-Meier curve of either ending (statsmodels' SurvfuncRight).
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from typing import Any

import numpy as np
from numpy.typing import NDArray

from trpkit.coalition.record import Record
from trpkit.coalition.stats import Z95, Frame, as_frame
from trpkit.domain.coalition_policy import NEVER_BELOW

DECISIONS = ("granted", "refused", "returned")


def _empty_curve() -> dict[str, Any]:
    return {
        "n": 0,
        "events": 0,
        "censored": 0,
        "times": [],
        "survival": [],
        "lower": [],
        "upper": [],
        "median": None,
        "median_ci": [None, None],
    }


def _number(value: float) -> float | None:
    return float(value) if np.isfinite(value) else None


def kaplan_meier(
    times: Sequence[float] | NDArray[Any], events: Sequence[bool] | NDArray[Any]
) -> dict[str, Any]:
    """The share still waiting over time (statsmodels' SurvfuncRight), log-log 95% pointwise bands, and the
    median with its interval (statsmodels' quantile_ci)."""
    from statsmodels.duration.survfunc import SurvfuncRight

    t = np.asarray(times, dtype=float)
    e = np.asarray(events, dtype=bool)
    if t.size == 0:
        return _empty_curve()
    with warnings.catch_warnings(), np.errstate(divide="ignore", invalid="ignore"):
        warnings.simplefilter("ignore")  # log(0) at the end of a curve that reaches 0: handled below
        fit = SurvfuncRight(t, e.astype(float))
        survival = np.asarray(fit.surv_prob, dtype=float)
        se = np.asarray(fit.surv_prob_se, dtype=float) / (survival * np.abs(np.log(survival)))
        log_log = np.log(-np.log(survival))
        lower = np.exp(-np.exp(log_log + Z95 * se))
        upper = np.exp(-np.exp(log_log - Z95 * se))
        median = float(fit.quantile(0.5))
        low, high = fit.quantile_ci(0.5) if e.any() else (np.nan, np.nan)
    lower = np.where(survival <= 0, 0.0, np.nan_to_num(lower, nan=0.0))
    upper = np.where(survival <= 0, 0.0, np.nan_to_num(upper, nan=1.0))
    upper = np.where(survival >= 1, 1.0, upper)
    return {
        "n": int(t.size),
        "events": int(e.sum()),
        "censored": int((~e).sum()),
        "times": np.asarray(fit.surv_times, dtype=float).tolist(),
        "survival": survival.tolist(),
        "lower": lower.tolist(),
        "upper": upper.tolist(),
        "median": _number(median),
        "median_ci": [_number(float(low)), _number(float(high))],
    }


def _first_at_or_above(times: NDArray[Any], curve: NDArray[Any], level: float) -> float | None:
    index = np.flatnonzero(curve >= level)
    return float(times[index[0]]) if index.size else None


def cumulative_incidence(days: NDArray[Any], status: NDArray[Any]) -> dict[str, Any]:
    """Aalen-Johansen cumulative incidence (statsmodels' CumIncidenceRight). ``status``: 0 still waiting,
    1 decided, 2 withdrawn. The median time to a decision is when the share decided reaches one half; its
    interval is where the curve's pointwise 95% band reaches one half (None: not reached)."""
    from statsmodels.duration.survfunc import CumIncidenceRight

    if not (status == 1).any() and not (status == 2).any():
        return {"times": [], "decided": [], "withdrawn": [], "median": None, "median_ci": [None, None]}
    with warnings.catch_warnings(), np.errstate(divide="ignore", invalid="ignore"):
        warnings.simplefilter("ignore")
        fit = CumIncidenceRight(days.astype(float), status.astype(float))
    times = np.asarray(fit.times, dtype=float)
    # CumIncidenceRight numbers its outcomes from the codes present: find decided (1) and withdrawn (2).
    codes = [int(c) for c in np.unique(status[status > 0])]
    curves = {code: np.asarray(fit.cinc[i], dtype=float) for i, code in enumerate(codes)}
    errors = {code: np.nan_to_num(np.asarray(fit.cinc_se[i], dtype=float)) for i, code in enumerate(codes)}
    decided = curves.get(1, np.zeros_like(times))
    se = errors.get(1, np.zeros_like(times))
    return {
        "times": times.tolist(),
        "decided": decided.tolist(),
        "withdrawn": curves.get(2, np.zeros_like(times)).tolist(),
        "median": _first_at_or_above(times, decided, 0.5),
        "median_ci": [
            _first_at_or_above(times, decided + Z95 * se, 0.5),
            _first_at_or_above(times, decided - Z95 * se, 0.5),
        ],
    }


def _small(count: int) -> bool:
    return 0 < count < NEVER_BELOW


def waiting_curve(days: NDArray[Any], outcome: NDArray[Any]) -> dict[str, Any]:
    """One group's curves: still waiting (either ending), and decided/withdrawn as competing outcomes."""
    decided = np.isin(outcome, DECISIONS)
    withdrawn = outcome == "withdrawn"
    curve = kaplan_meier(days, decided | withdrawn)
    status = np.where(decided, 1, np.where(withdrawn, 2, 0))
    incidence = cumulative_incidence(days, status)
    curve.update(
        events=int(decided.sum()),
        withdrawn=int(withdrawn.sum()),
        censored=int((status == 0).sum()),
        # The median waiting time for a decision comes from the cumulative incidence (withdrawals compete).
        median=incidence["median"],
        median_ci=incidence["median_ci"],
        median_all_endings=curve["median"],
        incidence=incidence,
    )
    for key in ("n", "events", "withdrawn", "censored"):
        if _small(curve[key]):
            curve[key] = "< 5"
    return curve


def processing_times(data: Sequence[Record] | Frame, min_cell: int) -> dict[str, Any]:
    """Waiting-time curves for all applications and by application type; records without a waiting time
    are counted as missing (never taken as undecided)."""
    frame = as_frame(data)
    days = frame.number("processing_days")
    usable = ~np.isnan(days)
    missing = int((~usable).sum())
    if not usable.any():
        return {
            "ok": False,
            "missing": frame.n,
            "reason": f"none of the {frame.n} records has a waiting time (processing_days is empty or absent)",
        }
    groups: dict[str, Any] = {"all applications": waiting_curve(days[usable], frame.outcome[usable])}
    hidden = 0
    types = frame.text("application_type")
    for value in sorted(set(types[usable].tolist())):
        rows = usable & (types == value)
        if rows.sum() >= max(min_cell, NEVER_BELOW):
            groups[value] = waiting_curve(days[rows], frame.outcome[rows])
        else:
            hidden += 1
    return {
        "ok": True,
        "groups": groups,
        "suppressed_groups": hidden,
        "missing": missing if not _small(missing) else "< 5",
        "note": "pending applications are counted as still waiting at the days they have waited; a "
        "withdrawal is a competing outcome (cumulative incidence), not a delay",
    }
