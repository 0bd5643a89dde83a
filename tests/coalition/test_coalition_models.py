"""The coalition's questions with the right models: planted effects are found, nothing is claimed where
nothing was planted, and the numbers agree with statsmodels and scipy computed independently."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from trpkit.coalition import findings, models, stats, summaries, survival
from trpkit.coalition.synthetic import Effects, records

LABOUR_NEEDS_TWO_MORE = Effects(base=-0.2, labour_sector=-1.2, per_strong_indicator=0.6)


def test_labour_cases_needing_two_more_strong_indicators_is_found_without_conditioning_on_the_outcome() -> (
    None
):
    result = models.labour_indicators(records(2500, seed=26, effects=LABOUR_NEEDS_TWO_MORE), min_cell=10)
    assert result["ok"]
    labour = result["labour"]
    assert labour["ci"][1] < 1 and labour["ci"][0] < math.exp(-1.2) < labour["ci"][1]
    extra = result["extra_indicators"]
    assert extra["ok"] and 1.3 < extra["estimate"] < 2.7 and extra["ci"][0] < 2 < extra["ci"][1]
    assert result["interaction"]["ci"][0] < 1 < result["interaction"]["ci"][1]  # none planted
    finding = findings.labour_indicators(result)
    assert finding["strength"] == "clear"
    assert "at the same number of indicators, labour cases had lower odds of a grant" in finding["text"]
    assert "more strong indicators" in finding["text"] and "consistent with" in finding["text"]


def test_no_labour_difference_is_claimed_when_none_was_planted() -> None:
    result = models.labour_indicators(records(2500, seed=31, effects=Effects(per_strong_indicator=0.6)), 10)
    assert result["ok"] and result["labour"]["p"] >= 0.05
    finding = findings.labour_indicators(result)
    assert finding["strength"] == "unclear" and "neither shown nor ruled out" in finding["text"]


def test_the_labour_model_agrees_with_a_per_decision_statsmodels_fit() -> None:
    """Independent oracle: statsmodels' Logit on one row per decision, built from the records directly."""
    import statsmodels.api as sm

    data = records(1500, seed=32, effects=LABOUR_NEEDS_TWO_MORE)
    result = models.labour_indicators(data, min_cell=10)
    rows = [
        r
        for r in data
        if r["outcome"] in ("granted", "refused") and r["exploitation_sector"] in (*stats.LABOUR, "sex_trade")
    ]
    names = result["controls"]
    columns = {
        "medium indicators (each)": lambda r: r["medium_indicators"],
        "weak indicators (each)": lambda r: r["weak_indicators"],
        "cooperation with police (any)": lambda r: r["law_enforcement_cooperation"] != "none",
        "criminal case ongoing": lambda r: r["criminal_case_status"] in ("investigation", "prosecution"),
        "criminal case concluded": lambda r: r["criminal_case_status"] == "concluded",
        "renewal application": lambda r: r["application_type"] == "subsequent_trp",
    }
    X = np.array(
        [
            [1.0, r["exploitation_sector"] in stats.LABOUR, r["strong_indicators"]]
            + [float(columns[n](r)) for n in names]
            for r in rows
        ],
        dtype=float,
    )
    y = np.array([r["outcome"] == "granted" for r in rows], dtype=float)
    oracle = sm.Logit(y, X).fit(disp=0)
    assert result["labour"]["odds_ratio"] == pytest.approx(math.exp(oracle.params[1]), rel=1e-6)
    assert result["labour"]["ci"][0] == pytest.approx(math.exp(oracle.conf_int()[1][0]), rel=1e-6)


def test_renewal_refusals_after_a_concluded_case_are_found_as_a_risk_ratio() -> None:
    data = records(3000, seed=22, effects=Effects(concluded_at_renewal=-2.0))
    result = models.renewal_refusal_risk(data, min_cell=10)
    assert result["ok"] and result["ci"][0] > 1.5 and result["risk_ended"] > result["risk_ongoing"]
    renewals = [r for r in data if r["application_type"] == "subsequent_trp" and r["outcome"] != "pending"]
    ended = [r for r in renewals if r["criminal_case_status"] == "concluded"]
    refused = sum(r["outcome"] == "refused" for r in ended)
    assert result["risk_ended"] == pytest.approx(refused / len(ended))
    finding = findings.renewal_risk(result)
    assert finding["strength"] == "clear" and "more frequent once it ends" in finding["text"]


def test_no_renewal_difference_is_claimed_when_none_was_planted() -> None:
    result = models.renewal_refusal_risk(records(3000, seed=23), min_cell=10)
    assert result["ok"] and result["ci"][0] < 1 < result["ci"][1]
    assert findings.renewal_risk(result)["strength"] == "unclear"


def _office_data(n: int, seed: int, office_effect: float) -> list[dict[str, Any]]:
    """Offices that see different case mixes: office 'a' gets cases with many more strong indicators, office
    'b' mostly labour cases and office 'c' mostly renewals. A grant depends on the indicators, the sector and
    the application type, and on the office only through ``office_effect`` (for office 'f')."""
    rng = np.random.default_rng(seed)
    offices = np.array(list("abcdef"))[rng.integers(0, 6, n)]
    strong = rng.poisson(np.where(offices == "a", 4.0, 1.0))
    labour = rng.random(n) < np.where(offices == "b", 0.85, 0.3)
    renewal = rng.random(n) < np.where(offices == "c", 0.8, 0.2)
    logit = -0.6 + 0.8 * strong - 1.0 * labour - 0.8 * renewal + np.where(offices == "f", office_effect, 0.0)
    granted = rng.random(n) < 1 / (1 + np.exp(-logit))
    return [
        {
            "outcome": "granted" if g else "refused",
            "ircc_office": str(o),
            "strong_indicators": int(s),
            "medium_indicators": 0,
            "weak_indicators": 0,
            "exploitation_sector": "agriculture" if lab else "sex_trade",
            "law_enforcement_cooperation": "none",
            "criminal_case_status": "none",
            "application_type": "subsequent_trp" if ren else "initial_trp",
        }
        for o, s, lab, ren, g in zip(offices, strong, labour, renewal, granted, strict=True)
    ]


def test_an_office_difference_that_is_only_case_mix_is_not_claimed() -> None:
    data = _office_data(1800, seed=5, office_effect=0.0)
    crude = summaries.variation(data, "ircc_office", min_cell=10)
    assert crude["p_heterogeneity"] < 0.001  # crude rates differ: offices a, b and c see other cases
    adjusted = models.office_adjusted(data, min_cell=10)
    assert adjusted["ok"] and adjusted["p"] >= 0.05
    assert {"labour sector", "renewal application", "strong indicators (each)"} <= set(adjusted["case_mix"])
    for office in adjusted["offices"]:  # no office's shrunk interval excludes the average office
        low, high = office["shrunk_ci"]
        assert low < 1 < high, office
    assert findings.office_adjusted(adjusted)["strength"] == "unclear"


def test_an_office_difference_after_case_mix_is_found_and_shrunk_with_intervals() -> None:
    data = _office_data(1800, seed=6, office_effect=-1.5)
    adjusted = models.office_adjusted(data, min_cell=10)
    assert adjusted["ok"] and adjusted["p"] < 0.001
    lowest = adjusted["offices"][-1]
    assert lowest["value"] == "f" and lowest["ci"][1] < 1 and lowest["shrunk_ci"][1] < 1
    for office in adjusted["offices"]:  # the mixed model pulls each estimate toward the average office
        assert abs(math.log(office["shrunk_odds_ratio"])) <= abs(math.log(office["odds_ratio"])) + 0.05
        low, high = office["shrunk_ci"]
        assert low < office["shrunk_odds_ratio"] < high
        rate_low, rate_high = office["adjusted_rate_ci"]
        assert rate_low < office["adjusted_rate"] < rate_high
    assert adjusted["office_sd"] > 0.3
    text = findings.office_adjusted(adjusted)["text"]
    assert "consistent with offices differing" in text and "strong indicators" in text and "95% CI" in text


def test_the_mixed_model_agrees_with_statsmodels_variational_fit() -> None:
    """The shrunk effects are the mixed model's: the variational fit of the same model lands close."""
    from scipy import sparse
    from statsmodels.genmod.bayes_mixed_glm import BinomialBayesMixedGLM

    data = _office_data(1200, seed=8, office_effect=-1.0)
    adjusted = models.office_adjusted(data, min_cell=10)
    units = sorted({r["ircc_office"] for r in data})
    y = np.array([r["outcome"] == "granted" for r in data], dtype=float)
    exog = np.column_stack(
        [
            np.ones(len(data)),
            [r["strong_indicators"] for r in data],
            [r["application_type"] == "subsequent_trp" for r in data],
            [r["exploitation_sector"] == "agriculture" for r in data],
        ]
    ).astype(float)
    z = sparse.csr_matrix(
        (np.ones(len(data)), (np.arange(len(data)), [units.index(r["ircc_office"]) for r in data]))
    )
    vb = BinomialBayesMixedGLM(y, exog, z, np.zeros(len(units), dtype=int), vcp_p=1.0, fe_p=10.0).fit_vb()
    ours = {o["value"]: math.log(o["shrunk_odds_ratio"]) for o in adjusted["offices"]}
    for unit, effect in zip(units, vb.vc_mean, strict=True):
        assert ours[unit] == pytest.approx(effect, abs=0.1)


def test_shrunk_office_rates_have_intervals_that_contain_them() -> None:
    result = summaries.variation(
        records(3000, seed=24, effects=Effects(office={"toronto": 1.5})), "ircc_office", 10
    )
    for unit in result["units"]:
        low, high = unit["shrunk_ci"]
        assert low < unit["shrunk"] < high


@pytest.mark.parametrize(
    "cells", [(3, 9, 12, 4), (0, 11, 8, 9), (20, 15, 30, 44), (90, 60, 70, 80), (600, 450, 700, 520)]
)
def test_fisher_comes_with_the_exact_conditional_odds_ratio_interval(
    cells: tuple[int, int, int, int],
) -> None:
    from scipy.stats.contingency import odds_ratio

    result = stats.fisher_2x2(*cells)
    oracle = odds_ratio(np.array(cells).reshape(2, 2), kind="conditional")
    ci = oracle.confidence_interval(0.95)
    assert result["or_method"] == "exact conditional"
    assert result["odds_ratio"] == pytest.approx(oracle.statistic)
    expected_low = ci.low if math.isfinite(ci.low) else None
    expected_high = ci.high if math.isfinite(ci.high) else None
    assert result["or_ci"] == [pytest.approx(expected_low), pytest.approx(expected_high)]


def test_only_a_table_with_every_margin_above_1000_gets_the_large_sample_interval_and_says_so() -> None:
    from scipy.stats.contingency import odds_ratio

    cells = (1500, 1100, 1300, 1400)
    result = stats.fisher_2x2(*cells)
    exact = odds_ratio(np.array(cells).reshape(2, 2), kind="conditional").confidence_interval(0.95)
    assert result["or_method"] == "large-sample (Woolf)" and "1,000" in result["or_note"]
    assert result["or_ci"][0] == pytest.approx(exact.low, rel=0.01)
    assert result["or_ci"][1] == pytest.approx(exact.high, rel=0.01)
    # one small margin is enough for the exact interval
    assert stats.fisher_2x2(1500, 1100, 600, 40)["or_method"] == "exact conditional"


def test_wilson_and_holm_are_statsmodels_and_all_one_way_gets_a_one_sided_bound() -> None:
    from statsmodels.stats.proportion import proportion_confint

    assert stats.wilson(7, 20) == pytest.approx(proportion_confint(7, 20, method="wilson"))
    assert stats.holm([0.01, 0.04, 0.03]) == pytest.approx([0.03, 0.06, 0.06])
    cell = stats.rate_cell("all granted", 12, 0)
    bound = proportion_confint(12, 12, alpha=0.10, method="wilson")[0]
    assert cell["ci_one_sided"] and cell["ci"] == [pytest.approx(bound), 1.0]
    assert cell["ci_display"] == f"at least {bound:.0%}" and "100%–100%" not in cell["ci_display"]
    refused = stats.rate_cell("all refused", 0, 15)
    assert refused["ci"][0] == 0.0 and refused["ci_display"].startswith("at most")


@settings(max_examples=30, deadline=None)
@given(
    x=st.lists(st.integers(0, 8), min_size=5, max_size=25),
    y=st.lists(st.integers(0, 8), min_size=5, max_size=25),
)
def test_hodges_lehmann_matches_the_median_of_all_pairwise_differences(x: list[int], y: list[int]) -> None:
    result = models.hodges_lehmann(np.array(x, float), np.array(y, float))
    differences = np.sort(np.subtract.outer(np.array(x), np.array(y)).ravel())
    assert result["shift"] == pytest.approx(float(np.median(differences)))
    assert result["ci"][0] <= result["shift"] <= result["ci"][1]
    assert differences[0] <= result["ci"][0] and result["ci"][1] <= differences[-1]


def test_labour_indicator_counts_use_hodges_lehmann_not_a_welch_interval() -> None:
    data = records(2000, seed=28)
    for r in data:
        if r["exploitation_sector"] in stats.LABOUR:
            r["strong_indicators"] += 2
    result = models.indicators_labour_vs_sex_trade(data, min_cell=10)
    assert result["ok"] and result["p"] < 0.001 and result["ci"][0] > 0.5
    assert "Hodges-Lehmann" in result["method"] and "Welch" not in str(result)


def test_withdrawal_is_a_competing_outcome_not_a_delay() -> None:
    days = np.array([10.0] * 40 + [100.0 + i for i in range(60)])
    outcome = np.array(["withdrawn"] * 40 + ["granted"] * 60, dtype=object)
    curve = survival.waiting_curve(days, outcome)
    # Half of all applications decided: the 50th decision, at day 149. Censoring withdrawals would give 129.
    assert curve["median"] == 149.0
    assert curve["incidence"]["decided"][-1] == pytest.approx(0.6)
    assert curve["incidence"]["withdrawn"][-1] == pytest.approx(0.4)
    assert curve["withdrawn"] == 40 and curve["censored"] == 0


def test_kaplan_meier_agrees_with_statsmodels() -> None:
    from statsmodels.duration.survfunc import SurvfuncRight

    rng = np.random.default_rng(3)
    times, events = rng.integers(1, 300, 200).astype(float), rng.random(200) < 0.7
    curve = survival.kaplan_meier(times, events)
    oracle = SurvfuncRight(times, events.astype(float))
    assert curve["survival"] == pytest.approx(list(oracle.surv_prob))
    assert curve["median"] == oracle.quantile(0.5)


def test_the_word_report_carries_the_modelled_questions(tmp_path) -> None:  # type: ignore[no-untyped-def]
    import docx

    from trpkit.coalition.report import build_report, write_docx

    effects = Effects(base=-0.2, labour_sector=-1.2, per_strong_indicator=0.6, concluded_at_renewal=-2.0)
    path = write_docx(build_report(records(2500, seed=26, effects=effects), min_cell=10), tmp_path / "r.docx")
    document = docx.Document(str(path))
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert "Labour and sex-trade cases at the same number of indicators" in headings
    assert "Renewals refused after the criminal case ended" in headings
    assert "Offices compared for similar cases" in headings
    cells = [c.text for table in document.tables for row in table.rows for c in row.cells]
    assert "any number (no interaction)" in cells


def test_terms_that_cannot_be_told_apart_are_said_plainly_and_the_models_adapt() -> None:
    from trpkit.coalition import regression

    data = records(1500, seed=3)
    for row in data:  # no decision without a criminal case: 'none' cannot be the comparison
        if row["criminal_case_status"] == "none":
            row["criminal_case_status"] = "investigation"
    result = regression.logistic_regression(data)
    assert not result["ok"] and "cannot be told apart" in result["reason"]
    assert models.office_adjusted(data, 10)["ok"] and models.labour_indicators(data, 10)["ok"]
