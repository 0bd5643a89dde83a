"""Statistics: known values, small-number suppression, planted effects found, absent effects not claimed."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from trpkit.coalition import regression, stats, summaries, survival
from trpkit.coalition.record import COLUMN_NAMES, RecordError, read_csv_text, write_csv
from trpkit.coalition.report import build_report, render_text, write_docx
from trpkit.coalition.synthetic import Effects, records

COUNT_KEYS = {"n", "granted", "refused", "count", "events", "censored", "refusals", "decided", "records"}


def _small_counts(value, path="") -> list[str]:  # type: ignore[no-untyped-def]
    """Every place in a report where a count of 1 to 4 is shown."""
    found = []
    if isinstance(value, dict):
        for key, item in value.items():
            if key in COUNT_KEYS and isinstance(item, int) and not isinstance(item, bool) and 0 < item < 5:
                found.append(f"{path}.{key}={item}")
            found += _small_counts(item, f"{path}.{key}")
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found += _small_counts(item, f"{path}[{index}]")
    return found


def test_wilson_interval_known_values() -> None:
    low, high = stats.wilson(0, 10)
    assert low == 0 and high == pytest.approx(0.2775, abs=1e-4)
    low, high = stats.wilson(5, 10)
    assert (low, high) == (pytest.approx(0.2366, abs=1e-4), pytest.approx(0.7634, abs=1e-4))


def test_kaplan_meier_matches_a_hand_computed_curve() -> None:
    # times 2, 3+, 4, 4, 6+, 8 (+ = still pending): S(2)=5/6, S(4)=5/6*2/4, S(8)=0
    curve = survival.kaplan_meier([2, 3, 4, 4, 6, 8], [True, False, True, True, False, True])
    assert curve["times"] == [2, 4, 8]
    assert curve["survival"] == pytest.approx([5 / 6, 5 / 6 * 2 / 4, 0.0])
    assert curve["median"] == 4 and curve["censored"] == 2
    assert all(
        lo <= s <= hi for lo, s, hi in zip(curve["lower"], curve["survival"], curve["upper"], strict=True)
    )


def test_kaplan_meier_median_not_reached_when_most_are_pending() -> None:
    curve = survival.kaplan_meier([10, 20, 30, 40, 50], [True, False, False, False, False])
    assert curve["median"] is None


def test_small_groups_are_pooled_or_suppressed_and_counts_1_to_4_never_shown() -> None:
    data = records(400, seed=3)
    table = stats.grant_table(data, "origin_region", min_cell=10)
    assert all(cell["n"] >= 10 for cell in table["cells"])
    assert not _small_counts(table)
    for cell in table["cells"]:
        if cell["masked"]:
            assert cell["rate"] is None and cell["rate_display"][0] in "<>"


@settings(max_examples=25, deadline=None)
@given(
    n=st.integers(min_value=0, max_value=200),
    seed=st.integers(0, 10_000),
    min_cell=st.integers(5, 30),
    base=st.floats(-3, 3),
)
def test_no_report_ever_shows_a_count_from_1_to_4(n: int, seed: int, min_cell: int, base: float) -> None:
    report = build_report(records(n, seed=seed, effects=Effects(base=base)), min_cell=min_cell)
    assert not _small_counts(report), _small_counts(report)
    text = json.dumps(report)
    assert "ngo-a" not in text  # the agency is never published


def test_a_lonely_small_group_cannot_be_recovered_from_the_total() -> None:
    data = [{"outcome": "granted", "gender": "woman"} for _ in range(30)] + [
        {"outcome": "refused", "gender": "man"} for _ in range(3)
    ]
    table = stats.grant_table(data, "gender", min_cell=10)
    # Showing 'woman' alone would let anyone compute the 3 men from the total: only the pool is shown.
    assert [c["value"] for c in table["cells"]] == ["other groups (2)"]
    assert table["cells"][0]["refused"] is None and table["cells"][0]["granted"] is None


def test_the_report_finds_a_planted_cooperation_effect() -> None:
    report = build_report(records(2500, seed=21, effects=Effects(cooperation=1.2)), min_cell=10)
    cooperation = report["comparisons"][0]
    assert cooperation["ok"] and cooperation["p"] < 0.001 and cooperation["odds_ratio"] > 2
    term = next(t for t in report["regression"]["terms"] if t["term"].startswith("cooperation"))
    assert term["ci"][0] > 1.5 and term["p"] < 0.001
    finding = next(f for f in report["findings"] if f["topic"].startswith("Does cooperating"))
    assert finding["strength"] == "clear" and "unlikely to be chance" in finding["text"]


def test_the_report_finds_renewals_refused_after_the_criminal_case_ends() -> None:
    report = build_report(records(4000, seed=22, effects=Effects(concluded_at_renewal=-2.0)), min_cell=10)
    renewal = report["comparisons"][1]
    assert renewal["ok"] and renewal["p"] < 0.01 and renewal["odds_ratio"] < 1


def test_the_report_claims_nothing_where_nothing_was_planted() -> None:
    report = build_report(records(2500, seed=23), min_cell=10)
    for comparison in report["comparisons"]:
        assert comparison["p"] >= 0.05, comparison["question"]
    finding = next(f for f in report["findings"] if f["topic"].startswith("Does cooperating"))
    assert finding["strength"] == "unclear" and "No clear difference" in finding["text"]
    assert report["variation"]["ircc_office"]["p_heterogeneity"] >= 0.05


def test_office_variation_is_found_and_shrunk_toward_the_overall_rate() -> None:
    effects = Effects(office={"toronto": 1.5, "halifax": -1.5})
    result = summaries.variation(records(3000, seed=24, effects=effects), "ircc_office", min_cell=10)
    assert result["ok"] and result["p_heterogeneity"] < 0.001
    for unit in result["units"]:
        raw = (unit["granted"] or 0) / unit["n"] if unit["granted"] is not None else None
        if raw is not None:
            lo, hi = sorted([raw, result["overall_rate"]])
            assert lo - 1e-9 <= unit["shrunk"] <= hi + 1e-9
    assert result["units"][0]["value"] == "toronto" and result["units"][-1]["value"] == "halifax"


def test_regression_says_plainly_when_the_data_do_not_allow_it() -> None:
    result = regression.logistic_regression(records(40, seed=25))
    assert not result["ok"] and "too few decisions" in result["reason"]
    result = regression.logistic_regression([{"outcome": "granted"}] * 50)
    assert not result["ok"] and "no decisions with" in result["reason"]


def test_too_few_records_give_an_honest_report() -> None:
    report = build_report(records(6, seed=27))
    assert report["findings"][0]["strength"] == "insufficient"
    assert "too few" in render_text(report)


def test_csv_round_trip_and_formula_cells_are_refused() -> None:
    data = records(50, seed=28)
    text = write_csv(data, COLUMN_NAMES)
    _header, back = read_csv_text(text)
    assert back == [dict(r, refusal_reasons=r["refusal_reasons"]) for r in data]
    bad = text.replace("toronto", '=HYPERLINK("http://x")', 1)
    with pytest.raises(RecordError, match="formula"):
        read_csv_text(bad)


def test_word_report_has_charts(tmp_path: Path) -> None:
    import docx

    path = write_docx(
        build_report(records(600, seed=29, effects=Effects(cooperation=1.0))), tmp_path / "r.docx"
    )
    document = docx.Document(str(path))
    assert len(document.inline_shapes) >= 3
    text = "\n".join(p.text for p in document.paragraphs)
    assert "Does cooperating with police" in text and "Limits of this analysis" in text
    assert "What is not shown, and why" in text
    # No number in the report, in its text or its tables, reads 'nan', and no cell holds a count from 1 to 4.
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    assert cells, "the report has no tables"
    assert not re.search(r"\bnan\b", "\n".join([text, *cells]), re.IGNORECASE)
    assert not [c for c in cells if re.fullmatch(r"[1-4]", c.strip())]


def test_group_differences_are_not_claimed_by_chance_across_many_seeds() -> None:
    """With no planted effect, the whole report should rarely claim a group difference (family-wise 5%)."""
    claims = 0
    for seed in range(60, 72):
        report = build_report(records(800, seed=seed), min_cell=10)
        claims += any(t["p_adjusted"] < 0.05 for t in report["tests"])
    assert claims <= 2
