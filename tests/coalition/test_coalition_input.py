"""Input honesty for the coalition report: repeated record ids refused with the rows named, negative numbers
named as such, missing waiting times reported as missing, and one-sided bounds when everything went one way."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from trpkit.coalition.record import COLUMN_NAMES, RecordError, read_csv_text, write_csv
from trpkit.coalition.report import build_report
from trpkit.coalition.synthetic import records


def _csv(rows: list[dict]) -> str:  # type: ignore[type-arg]
    return write_csv(rows, [c for c in COLUMN_NAMES if c != "agency"])


def test_a_repeated_record_id_is_refused_naming_the_rows() -> None:
    rows = records(8, seed=1)
    rows[5]["record_id"] = rows[1]["record_id"]
    rows[7]["record_id"] = rows[1]["record_id"]
    with pytest.raises(RecordError) as caught:
        read_csv_text(_csv(rows), source="shared.csv")
    message = str(caught.value)
    assert message.startswith("shared.csv: 2 row(s) repeat a record_id already in the file")
    assert "row 7 repeats row 3; row 9 repeats row 3" in message and "appear once" in message


def test_every_row_with_the_same_record_id_is_one_clear_refusal_not_4062_decisions(tmp_path: Path) -> None:
    from trpkit.cli import cli

    rows = records(60, seed=2)
    for row in rows:
        row["record_id"] = rows[0]["record_id"]
    path = tmp_path / "same.csv"
    path.write_text(_csv(rows), encoding="utf-8")
    result = CliRunner().invoke(
        cli,
        ["coalition", "report", "--records", str(path)],
        env={"TRPKIT_CONFIG": "/nonexistent/config.toml"},
    )
    assert result.exit_code != 0 and "Traceback" not in result.output
    assert "59 row(s) repeat a record_id" in result.output and "(and 54 more)" in result.output


@pytest.mark.parametrize("column", ["processing_days", "strong_indicators", "duration_granted_months"])
def test_a_negative_number_gets_its_own_message(column: str) -> None:
    rows = records(3, seed=3)
    text = _csv(rows).splitlines()
    header = text[0].split(",")
    cells = text[1].split(",")
    cells[header.index(column)] = "-1"
    with pytest.raises(RecordError) as caught:
        read_csv_text("\n".join([text[0], ",".join(cells)]), source="f.csv")
    message = str(caught.value)
    assert f"column {column}: '-1' is negative" in message and "formula" not in message


def test_formula_characters_are_still_refused_as_such() -> None:
    rows = records(2, seed=4)
    text = _csv(rows).splitlines()
    header = text[0].split(",")
    cells = text[1].split(",")
    cells[header.index("processing_days")] = "-1+2"
    with pytest.raises(RecordError, match="formula character"):
        read_csv_text("\n".join([text[0], ",".join(cells)]))


def test_missing_waiting_times_are_reported_as_missing_not_as_undecided() -> None:
    data = records(300, seed=5, pending_share=0.0)
    for row in data:
        row["processing_days"] = None
    report = build_report(data, min_cell=10)
    assert not report["processing"]["ok"] and report["processing"]["missing"] == 300
    finding = next(f for f in report["findings"] if f["topic"] == "processing time")
    assert "fewer than half" not in finding["text"].lower()
    assert "missing, not undecided" in finding["text"]


def test_some_missing_waiting_times_are_counted_apart() -> None:
    data = records(300, seed=6, pending_share=0.0)
    for row in data[:40]:
        row["processing_days"] = None
    report = build_report(data, min_cell=10)
    assert report["processing"]["ok"] and report["processing"]["missing"] == 40
    assert report["processing"]["groups"]["all applications"]["n"] == 260
    finding = next(f for f in report["findings"] if f["topic"] == "processing time")
    assert "40 record(s) without a waiting time" in finding["text"]


def test_all_granted_gets_a_one_sided_bound_in_the_report() -> None:
    data = records(200, seed=7, pending_share=0.0)
    for row in data:
        row["outcome"] = "granted"
    report = build_report(data, min_cell=10)
    text = json.dumps(report["findings"])
    assert "100%–100%" not in text and "at least" in text
    assert report["overall"]["ci_one_sided"] and report["overall"]["ci"][1] == 1.0
