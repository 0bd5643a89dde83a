"""The coalition's questions, each with the model that answers it (statsmodels and scipy do the fitting).

- Do labour cases need more indicators than sex-trade cases for a grant? A logistic model of a grant on
  sector and indicator counts with their interaction, over every decision (never only the granted ones,
  which would condition on the outcome): the odds ratio at the same number of indicators, and how many extra
  strong indicators a labour case needs for the same chance.
- Are renewals refused once a criminal case ends? The refusal risk ratio with its interval.
- Do offices differ once case mix is accounted for? A likelihood-ratio test of an office term in a logistic
  model with the case-mix terms, and each office's shrunk effect, with its interval, from a mixed-effects
  logistic model with a random office intercept.
- Do labour cases arrive with fewer indicators? Mann-Whitney with the Hodges-Lehmann shift and its interval.

Every result carries the counts it was computed from (``counts``), so the disclosure pass can check it.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import numpy as np
from numpy.typing import NDArray

from trpkit.coalition.record import Record
from trpkit.coalition.regression import (
    decision_loglik,
    fit_binomial,
    fit_patterns,
    group_decisions,
    term_summary,
    unfit_reason,
)
from trpkit.coalition.stats import LABOUR, NOT_RECORDED, Z95, Frame, as_frame, source_counts
from trpkit.domain.coalition_policy import NEVER_BELOW

SEX_TRADE = ("sex_trade", "sexual")
RENEWAL_TYPES = ("subsequent_trp", "renewal", "extension")
ONGOING = ("investigation", "prosecution")
EVENTS_PER_PARAMETER = 10


def _expit(x: float) -> float:
    return 1 / (1 + math.exp(-x))


def _case_mix(frame: Frame, rows: NDArray[Any], skip: Sequence[str] = ()) -> dict[str, NDArray[Any]]:
    """Case-mix terms fully recorded for ``rows``: indicator counts, cooperation, criminal case, type."""
    columns: dict[str, NDArray[Any]] = {}
    for kind in ("strong", "medium", "weak"):
        name = f"{kind} indicators (each)"
        values = frame.number(f"{kind}_indicators")[rows]
        if name not in skip and values.size and not np.isnan(values).any():
            columns[name] = values
    cooperation = frame.text("law_enforcement_cooperation")[rows]
    if NOT_RECORDED not in cooperation:
        columns["cooperation with police (any)"] = (cooperation != "none").astype(float)
    criminal = frame.text("criminal_case_status")[rows]
    if NOT_RECORDED not in criminal:
        columns["criminal case concluded"] = (criminal == "concluded").astype(float)
        if (criminal == "none").any():  # against no case; without any, concluded is against ongoing
            columns["criminal case ongoing"] = np.isin(criminal, ONGOING).astype(float)
    types = frame.text("application_type")[rows]
    if NOT_RECORDED not in types:
        columns["renewal application"] = np.isin(types, RENEWAL_TYPES).astype(float)
    if "labour sector" not in skip:
        columns["labour sector"] = np.isin(frame.text("exploitation_sector")[rows], LABOUR).astype(float)
    return {name: col for name, col in columns.items() if name not in skip and col.std() > 0}


# ------------------------------------------------------------------------------- labour vs sex trade


def labour_indicators(data: Sequence[Record] | Frame, min_cell: int) -> dict[str, Any]:
    """Grant on sector (labour vs sex trade), strong indicators and their interaction, with case mix."""
    frame = as_frame(data)
    min_cell = max(min_cell, NEVER_BELOW)
    sectors = frame.text("exploitation_sector")
    strong_all = frame.number("strong_indicators")
    rows = frame.decided & np.isin(sectors, LABOUR + SEX_TRADE) & ~np.isnan(strong_all)
    labour = np.isin(sectors[rows], LABOUR).astype(float)
    y = frame.granted[rows].astype(float)
    counts = {
        "labour": [int(y[labour == 1].sum()), int((labour == 1).sum() - y[labour == 1].sum())],
        "sex_trade": [int(y[labour == 0].sum()), int((labour == 0).sum() - y[labour == 0].sum())],
    }
    result: dict[str, Any] = {"ok": False, "counts": source_counts(counts)}
    if min(sum(counts["labour"]), sum(counts["sex_trade"])) < min_cell:
        result["reason"] = f"fewer than {min_cell} decided labour or sex-trade cases with indicator counts"
        return result
    strong = strong_all[rows]
    controls = _case_mix(frame, rows, skip=("strong indicators (each)", "labour sector"))
    events = int(min(y.sum(), len(y) - y.sum()))
    core = {"labour sector": labour, "strong indicators (each)": strong}
    dropped: list[str] = []
    while controls and events < EVENTS_PER_PARAMETER * (len(core) + len(controls) + 2):
        dropped.append(controls.popitem()[0])
    if events < EVENTS_PER_PARAMETER * (len(core) + 2):
        result["reason"] = f"too few of the rarer outcome ({events}) for a model with an interaction"
        return result
    names = [*core, *controls]
    terms = {**core, **controls}
    X = np.column_stack([np.ones(len(y))] + [terms[n] for n in names])
    try:
        main = fit_binomial(X, y)
        with_interaction = fit_binomial(np.column_stack([X, labour * strong]), y)
    except ValueError as exc:
        result["reason"] = unfit_reason(exc)
        return result
    per_indicator = float(main.params[2])
    result.update(
        ok=True,
        n=int(rows.sum()),
        events=events,
        labour=term_summary(main, 1),
        per_strong_indicator=term_summary(main, 2),
        interaction=term_summary(with_interaction, X.shape[1]),
        extra_indicators=_extra_indicators(main),
        controls=[n for n in names if n not in core],
        controls_dropped=dropped,
        at_counts=_labour_at_counts(with_interaction, X.shape[1], strong),
        indicators_matter=bool(term_summary(main, 2)["ci"][0] > 1 and per_indicator > 0),
        method="logistic regression (binomial GLM), Wald 95% intervals; extra indicators by the delta method",
    )
    return result


def _extra_indicators(fit: Any) -> dict[str, Any]:
    """How many more strong indicators a labour case needs for the same odds: -b_labour / b_indicator."""
    b_labour, b_strong = float(fit.params[1]), float(fit.params[2])
    cov = np.asarray(fit.cov_params())[1:3, 1:3]
    if b_strong <= 0 or float(fit.conf_int(0.05)[2][0]) <= 0:
        return {"ok": False, "reason": "more strong indicators are not clearly linked to grants here"}
    ratio = -b_labour / b_strong
    gradient = np.array([-1 / b_strong, b_labour / b_strong**2])
    se = float(np.sqrt(gradient @ cov @ gradient))
    return {"ok": True, "estimate": ratio, "ci": [ratio - Z95 * se, ratio + Z95 * se]}


def _labour_at_counts(fit: Any, interaction: int, strong: NDArray[Any]) -> list[dict[str, Any]]:
    """The labour odds ratio at a few indicator counts (the interaction lets it change with the count)."""
    out = []
    for count in sorted({0, int(np.median(strong)), int(np.percentile(strong, 90))}):
        contrast = np.zeros(len(fit.params))
        contrast[1], contrast[interaction] = 1.0, float(count)
        test = fit.t_test(contrast)
        low, high = np.asarray(test.conf_int(alpha=0.05))[0]
        out.append(
            {
                "strong_indicators": count,
                "odds_ratio": float(np.exp(np.asarray(test.effect)[0])),
                "ci": [float(np.exp(low)), float(np.exp(high))],
            }
        )
    return out


# ------------------------------------------------------------------------------------------- renewals


def renewal_refusal_risk(data: Sequence[Record] | Frame, min_cell: int) -> dict[str, Any]:
    """Refusal risk of renewals once the criminal case ended, against renewals while it was ongoing."""
    from statsmodels.stats.proportion import confint_proportions_2indep

    frame = as_frame(data)
    min_cell = max(min_cell, NEVER_BELOW)
    renewal = np.isin(frame.text("application_type"), RENEWAL_TYPES) & frame.decided
    criminal = frame.text("criminal_case_status")
    ended = renewal & (criminal == "concluded")
    ongoing = renewal & np.isin(criminal, ONGOING)
    n1, n2 = int(ended.sum()), int(ongoing.sum())
    r1, r2 = int((ended & frame.refused).sum()), int((ongoing & frame.refused).sum())
    # [granted, refused] in each group
    result: dict[str, Any] = {"counts": source_counts({"ended": [n1 - r1, r1], "ongoing": [n2 - r2, r2]})}
    if min(n1, n2) < min_cell:
        return dict(result, ok=False, reason=f"fewer than {min_cell} decided renewals in either group")
    if r2 == 0:
        return dict(result, ok=False, reason="no renewal was refused while the case was ongoing: no ratio")
    low, high = confint_proportions_2indep(r1, n1, r2, n2, compare="ratio", method="score")
    return dict(
        result,
        ok=True,
        risk_ended=r1 / n1,
        risk_ongoing=r2 / n2,
        risk_ratio=(r1 / n1) / (r2 / n2),
        ci=[float(low), float(high)],
        method="risk ratio of a refusal, Koopman score interval (statsmodels)",
    )


# -------------------------------------------------------------------------------------------- offices


def office_adjusted(data: Sequence[Record] | Frame, min_cell: int) -> dict[str, Any]:
    """Offices compared for similar cases.

    A logistic model of a grant on the case-mix terms (sector, indicator counts, cooperation, criminal case,
    application type) with a random intercept per office (statsmodels' BinomialBayesMixedGLM, Laplace
    approximation at the posterior mode): each office's effect is shrunk toward the average office by the
    model itself, the less so the more decisions it has and the more offices differ, and comes with its
    95% interval. Whether offices differ at all is the likelihood-ratio test of an office term in the
    fixed-effects model (binomial GLM with and without an intercept per office).
    """
    from scipy.stats import chi2

    from trpkit.coalition.mixed_model import random_office_intercepts  # imports statsmodels: slow

    frame = as_frame(data)
    min_cell = max(min_cell, NEVER_BELOW)
    office = frame.text("ircc_office")
    known = frame.decided & ~np.isin(office, [NOT_RECORDED, "*", "unknown"])
    units, sizes = np.unique(office[known], return_counts=True)
    units = units[sizes >= min_cell]
    rows = known & np.isin(office, units)
    if len(units) < 2:
        return {"ok": False, "reason": f"fewer than two offices with at least {min_cell} decisions"}
    y = frame.granted[rows].astype(float)
    mix = _case_mix(frame, rows)
    base = np.column_stack([np.ones(len(y)), *mix.values()])
    where = np.searchsorted(units, office[rows])
    # One grouping by (case mix, office) serves the office models: the fixed-effects one (one intercept per
    # office, then the case-mix terms) and the mixed one; the model without offices groups more coarsely.
    cells = group_decisions(np.column_stack([base, where]), y)
    mix_cells, office_cells = base[cells.first], where[cells.first]
    full = np.column_stack([np.eye(len(units))[office_cells], mix_cells[:, 1:]])
    try:
        without = fit_binomial(base, y)
        with_office = fit_patterns(full, cells.grants, cells.trials)
    except ValueError as exc:
        return {"ok": False, "reason": f"the case-mix model cannot be fitted: {unfit_reason(exc)}"}
    gain = decision_loglik(with_office, full, cells.grants, cells.trials) - decision_loglik(
        without, mix_cells, cells.grants, cells.trials
    )
    statistic = max(0.0, 2 * gain)
    granted = np.bincount(where, weights=y, minlength=len(units)).astype(int)
    counts = [
        [int(g), int(t - g)] for g, t in zip(granted, np.bincount(where, minlength=len(units)), strict=True)
    ]
    mixed = random_office_intercepts(cells, mix_cells, office_cells, len(units), base.mean(axis=0))
    return {
        "ok": True,
        "case_mix": list(mix),
        "n": int(rows.sum()),
        "lr_statistic": statistic,
        "df": len(units) - 1,
        "p": float(chi2.sf(statistic, len(units) - 1)),
        "office_sd": mixed["office_sd"],
        "offices": _offices(with_office, units, counts, mixed),
        "method": "mixed-effects logistic model: case-mix terms and a random intercept per office "
        "(statsmodels BinomialBayesMixedGLM, posterior mode and Laplace intervals); offices differing "
        "tested by the likelihood ratio of an office term (binomial GLM)",
    }


def _offices(
    fit: Any, units: NDArray[Any], counts: list[list[int]], mixed: dict[str, Any]
) -> list[dict[str, Any]]:
    """Each office against the average office for similar cases: the fixed-effects adjusted odds ratio with
    its Wald interval, and the mixed model's shrunk odds ratio with its interval; ``adjusted_rate`` is the
    chance of a grant for a case of the coalition's average mix at that office (shrunk), with its interval."""
    effects = np.asarray(fit.params)[: len(units)]
    variances = np.diag(np.asarray(fit.cov_params()))[: len(units)]
    mean = float(np.mean(effects))
    out = []
    for index, (unit, effect, variance, count) in enumerate(
        zip(units, effects, variances, counts, strict=True)
    ):
        half = Z95 * math.sqrt(variance)
        shrunk, spread = float(mixed["effects"][index]), Z95 * float(mixed["sd"][index])
        out.append(
            {
                "value": str(unit),
                "counts": source_counts(count),
                "odds_ratio": math.exp(effect - mean),
                "ci": [math.exp(effect - mean - half), math.exp(effect - mean + half)],
                "shrunk_odds_ratio": math.exp(shrunk),
                "shrunk_ci": [math.exp(shrunk - spread), math.exp(shrunk + spread)],
                "adjusted_rate": _expit(mixed["typical"] + shrunk),
                "adjusted_rate_ci": [
                    _expit(mixed["typical"] + shrunk - spread),
                    _expit(mixed["typical"] + shrunk + spread),
                ],
            }
        )
    out.sort(key=lambda o: -o["shrunk_odds_ratio"])
    return out


# ------------------------------------------------------------------------------- indicator counts


def hodges_lehmann(x: NDArray[Any], y: NDArray[Any]) -> dict[str, Any]:
    """Mann-Whitney test (scipy) with the Hodges-Lehmann shift (median of all differences x - y) and its
    distribution-free 95% interval (order statistics of the differences at the Mann-Whitney critical
    value, normal approximation). Differences are weighted by value counts, so 10^5 records stay fast."""
    from scipy.stats import mannwhitneyu

    test = mannwhitneyu(x, y, alternative="two-sided")
    xs, x_counts = np.unique(x, return_counts=True)
    ys, y_counts = np.unique(y, return_counts=True)
    differences = np.subtract.outer(xs, ys).ravel()
    weights = np.outer(x_counts, y_counts).ravel().astype(float)
    order = np.argsort(differences, kind="stable")
    differences, cumulative = differences[order], np.cumsum(weights[order])
    m, n = len(x), len(y)
    pairs = float(m) * float(n)

    def at(rank: float) -> float:  # the difference at this (1-based) rank among all m*n pairs
        return float(differences[min(np.searchsorted(cumulative, rank), len(differences) - 1)])

    critical = max(1.0, math.floor(pairs / 2 - Z95 * math.sqrt(pairs * (m + n + 1) / 12)))
    return {
        "p": float(test.pvalue),
        "shift": (at(math.floor((pairs + 1) / 2)) + at(math.ceil((pairs + 1) / 2))) / 2,
        "ci": [at(critical), at(pairs - critical + 1)],
    }


def indicators_labour_vs_sex_trade(data: Sequence[Record] | Frame, min_cell: int) -> dict[str, Any]:
    """Strong + medium indicators documented in labour and in sex-trade cases, over all decisions."""
    frame = as_frame(data)
    min_cell = max(min_cell, NEVER_BELOW)
    total = frame.number("strong_indicators") + frame.number("medium_indicators")
    sectors = frame.text("exploitation_sector")
    rows = frame.decided & ~np.isnan(total)
    labour = total[rows & np.isin(sectors, LABOUR)]
    sexual = total[rows & np.isin(sectors, SEX_TRADE)]
    counts = source_counts({"labour": int(labour.size), "sex_trade": int(sexual.size)})
    if min(labour.size, sexual.size) < min_cell:
        return {"ok": False, "counts": counts, "reason": f"fewer than {min_cell} decided cases in a sector"}
    return {
        "ok": True,
        "counts": counts,
        "labour_median": float(np.median(labour)),
        "sex_trade_median": float(np.median(sexual)),
        **hodges_lehmann(labour, sexual),
        "method": "Mann-Whitney test with the Hodges-Lehmann shift and its 95% interval",
    }
