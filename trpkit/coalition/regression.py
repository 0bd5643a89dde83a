"""Logistic regression of a grant, fitted on covariate patterns (statsmodels' binomial GLM).

``fit_binomial`` is shared by every logistic model of the report; ``logistic_regression`` is the report's
regression of a grant on cooperation with police and criminal case status, holding case mix constant.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from trpkit.coalition.record import Record
from trpkit.coalition.stats import DIMENSION_LABELS, NOT_RECORDED, Frame, as_frame


def covariate_patterns(X: NDArray[Any]) -> tuple[NDArray[np.intp], NDArray[np.intp]]:
    """The distinct rows of ``X``: the index of each one's first row, and each row's pattern number."""
    # Each row numbered by its columns' value codes (mixed radix, renumbered before it could overflow), then
    # one sort of integers: much faster than sorting the rows as raw bytes or np.unique(axis=0).
    key = np.zeros(len(X), dtype=np.int64)
    for column in np.asarray(X, dtype=float).T:
        codes, size = _value_codes(column)
        if (int(key.max(initial=0)) + 1) * size >= 2**62:
            key = np.unique(key, return_inverse=True)[1].reshape(-1)
        key = key * size + codes
    _, first, inverse = np.unique(key, return_index=True, return_inverse=True)
    return first, inverse.reshape(-1)


def _value_codes(column: NDArray[Any]) -> tuple[NDArray[np.int64], int]:
    """Each value's code (0 to size - 1, in the values' order) and the number of codes."""
    low, high = column.min(initial=0.0), column.max(initial=0.0)
    if np.isfinite(low) and high - low < 2**20 and np.array_equal(column, np.round(column)):
        # small whole numbers (indicators, counts): the value itself, shifted, is a code
        return (column - low).astype(np.int64), int(high - low) + 1
    values, codes = np.unique(column, return_inverse=True)
    return codes.reshape(-1).astype(np.int64), len(values)


@dataclass(frozen=True)
class Patterns:
    """Decisions grouped by covariate pattern: all a logistic model's likelihood depends on."""

    first: NDArray[np.intp]  # each pattern's first row
    inverse: NDArray[np.intp]  # each row's pattern
    grants: NDArray[Any]  # float counts, as statsmodels takes them
    trials: NDArray[Any]


def group_decisions(X: NDArray[Any], y: NDArray[Any]) -> Patterns:
    """The rows of ``X`` grouped by pattern, with the grants (``y`` = 1) and decisions of each."""
    first, inverse = covariate_patterns(X)
    grants = np.bincount(inverse, weights=y, minlength=len(first))
    trials = np.bincount(inverse, minlength=len(first)).astype(float)
    return Patterns(first, inverse, grants, trials)


def fit_binomial(X: NDArray[Any], y: NDArray[Any]) -> Any:
    """A logistic regression of ``y`` (0/1) on ``X``, fitted on the distinct covariate patterns with their
    numbers of grants and refusals (a binomial GLM): the same estimates as one row per decision, much
    faster. Raises ValueError when the model cannot be estimated (separation, a singular design, no
    convergence)."""
    cells = group_decisions(X, y)
    return fit_patterns(np.asarray(X, dtype=float)[cells.first], cells.grants, cells.trials)


def fit_patterns(patterns: NDArray[Any], grants: NDArray[Any], trials: NDArray[Any]) -> Any:
    """``fit_binomial`` on decisions already grouped: one row of ``patterns`` per group (any grouping in which
    each group's rows are alike gives the same fit)."""
    from statsmodels.genmod import families
    from statsmodels.genmod.generalized_linear_model import GLM

    if np.linalg.matrix_rank(patterns.T @ patterns) < patterns.shape[1]:  # k x k: cheap at 10^5 rows
        raise ValueError("collinear")  # e.g. every case has a criminal case: 'none' cannot be the reference
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            # QR for each IRLS step: the default least squares takes an SVD of the whole pattern matrix each
            # iteration, seconds at 10^5 decisions.
            fit = GLM(np.column_stack([grants, trials - grants]), patterns, family=families.Binomial()).fit(
                maxiter=100, wls_method="qr"
            )
        except Exception as exc:  # noqa: BLE001 - singular matrix, perfect separation: reported, not raised
            raise ValueError(type(exc).__name__) from None
    params, bse = np.asarray(fit.params), np.asarray(fit.bse)
    if not getattr(fit, "converged", True) or not np.all(np.isfinite(bse)) or np.any(np.abs(params) > 15):
        raise ValueError("separation")
    return fit


def decision_loglik(fit: Any, patterns: NDArray[Any], grants: NDArray[Any], trials: NDArray[Any]) -> float:
    """The sum over decisions of log P(outcome): unlike a grouped fit's own ``llf``, it carries no binomial
    constants, which depend on how the decisions were grouped."""
    mu = np.clip(np.asarray(fit.predict(patterns)), 1e-12, 1 - 1e-12)
    return float(np.sum(grants * np.log(mu) + (trials - grants) * np.log(1 - mu)))


def unfit_reason(exc: ValueError) -> str:
    """Why ``fit_binomial`` could not fit, in words for the report."""
    if str(exc) == "collinear":
        return (
            "some terms are fixed combinations of others in these data (for example, no decision without a "
            "criminal case to compare with), so their effects cannot be told apart"
        )
    if str(exc) == "separation":
        return (
            "the model did not converge: some group has (almost) only grants or only refusals (separation), "
            "so its odds cannot be estimated"
        )
    return f"the model cannot be estimated on these data ({exc})"


def term_summary(fit: Any, index: int) -> dict[str, Any]:
    low, high = np.asarray(fit.conf_int(0.05))[index]
    return {
        "odds_ratio": float(np.exp(fit.params[index])),
        "ci": [float(np.exp(low)), float(np.exp(high))],
        "p": float(fit.pvalues[index]),
    }


def _controls(frame: Frame, rows: NDArray[Any]) -> list[tuple[str, dict[str, NDArray[Any]]]]:
    """The regression's control groups of terms, fully recorded for ``rows``, in the order they are dropped
    last to first when there are too few decisions: indicator counts, then application type and period
    (each against its most frequent value)."""
    controls: list[tuple[str, dict[str, NDArray[Any]]]] = []
    counts = {kind: frame.number(f"{kind}_indicators")[rows] for kind in ("strong", "medium", "weak")}
    if all(not np.isnan(c).any() for c in counts.values()):
        controls.append(("indicator counts", {f"{kind} indicators (each)": c for kind, c in counts.items()}))
    for dimension in ("application_type", "policy_period"):
        values = frame.text(dimension)[rows]
        uniques, tally = np.unique(values, return_counts=True)
        if len(uniques) >= 2 and NOT_RECORDED not in uniques:
            ordered = [str(u) for _, u in sorted(zip(-tally, uniques, strict=True))]
            reference = ordered[0]
            label = DIMENSION_LABELS[dimension]
            controls.append(
                (
                    label,
                    {
                        f"{label}: {level} (vs {reference})": (values == level).astype(float)
                        for level in ordered[1:]
                    },
                )
            )
    return controls


def logistic_regression(data: Sequence[Record] | Frame, min_events_per_parameter: int = 10) -> dict[str, Any]:
    """Outcome on cooperation and criminal case status, controlling for indicator counts, type and period."""
    frame = as_frame(data)
    cooperation = frame.raw("law_enforcement_cooperation")
    criminal = frame.raw("criminal_case_status")
    rows = frame.decided & (cooperation != None) & (criminal != None)  # noqa: E711 - numpy elementwise
    if not rows.any():
        missing = [c for c in ("law_enforcement_cooperation", "criminal_case_status") if not frame.present(c)]
        return {
            "ok": False,
            "reason": "the data have no decisions with "
            + (", ".join(missing) if missing else "cooperation and criminal case status recorded"),
        }
    y = frame.granted[rows].astype(float)
    events = int(min(y.sum(), len(y) - y.sum()))
    columns: dict[str, NDArray[Any]] = {
        "cooperation with police (any)": (cooperation[rows] != "none").astype(float)
    }
    for status in ("investigation", "prosecution", "concluded"):
        columns[f"criminal case: {status} (vs none)"] = (criminal[rows] == status).astype(float)
    controls = _controls(frame, rows)
    dropped: list[str] = []

    def usable(cols: dict[str, NDArray[Any]]) -> dict[str, NDArray[Any]]:
        return {name: col for name, col in cols.items() if col.std() > 0}

    while True:
        design = usable(dict(columns, **{k: v for _, group in controls for k, v in group.items()}))
        parameters = len(design) + 1
        if events >= min_events_per_parameter * parameters or not controls:
            break
        name, _ = controls.pop()
        dropped.append(name)
    if not usable(columns):
        return {"ok": False, "reason": "cooperation and criminal case status do not vary in these decisions"}
    if events < min_events_per_parameter * parameters:
        return {
            "ok": False,
            "reason": (
                f"too few decisions for a regression: {events} of the rarer outcome, and {parameters} parameters need "
                f"at least {min_events_per_parameter * parameters} (10 per parameter)"
            ),
            "n": len(y),
        }
    names = list(design)
    X = np.column_stack([np.ones(len(y))] + [design[n] for n in names])
    try:
        fit = fit_binomial(X, y)
    except ValueError as exc:
        return {"ok": False, "reason": unfit_reason(exc), "n": len(y)}
    terms = [{"term": name, **term_summary(fit, i + 1)} for i, name in enumerate(names)]
    return {
        "ok": True,
        "n": len(y),
        "events": events,
        "terms": terms,
        "controls": [name for name, _ in controls],
        "controls_dropped": dropped,
        "method": "binomial GLM (logit link) on covariate patterns, Wald 95% intervals",
    }
