"""The shared record's CSV form: injection-safe writing, strict reading."""

from __future__ import annotations

import csv
import io

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from trpkit.coalition.record import (
    COLUMN_BY_NAME,
    RecordError,
    format_cell,
    parse_cell,
    read_csv_text,
    write_csv,
)

DANGEROUS = ("=", "+", "-", "@", "\t", "\r", "|", "%")


@settings(max_examples=200, deadline=None)
@given(
    value=st.text(max_size=40),
    column=st.sampled_from(["ircc_office", "origin_region", "policy_period", "age_band", "application_type"]),
)
def test_no_written_cell_can_start_a_formula(value: str, column: str) -> None:
    cell = format_cell(COLUMN_BY_NAME[column], value)
    assert not cell.startswith(DANGEROUS)
    text = write_csv([{column: value, "outcome": "granted"}], [column, "outcome"])
    for row in csv.reader(io.StringIO(text)):
        assert not any(c.startswith(DANGEROUS) for c in row)


@settings(max_examples=200, deadline=None)
@given(value=st.text(min_size=1, max_size=30))
def test_reading_accepts_only_well_formed_cells(value: str) -> None:
    for column in ("ircc_office", "outcome", "processing_days", "submitted", "refusal_reasons"):
        try:
            parsed = parse_cell(COLUMN_BY_NAME[column], value)
        except ValueError:
            continue
        if parsed is not None:
            assert not str(value).strip().startswith(DANGEROUS)


def test_unknown_or_repeated_columns_and_ragged_rows_are_refused() -> None:
    with pytest.raises(RecordError, match="unknown column"):
        read_csv_text("outcome,name\ngranted,Rosa\n")
    with pytest.raises(RecordError, match="repeated"):
        read_csv_text("outcome,outcome\ngranted,granted\n")
    with pytest.raises(RecordError, match="row 2: 1 cells for 2 columns"):
        read_csv_text("outcome,gender\ngranted\n")
    with pytest.raises(RecordError, match="unknown outcome"):
        read_csv_text("outcome\nmaybe\n")
    _header, rows = read_csv_text("\ufeffoutcome,refusal_reasons\nrefused,criteria_not_met;other\n")
    assert rows[0]["refusal_reasons"] == ("criteria_not_met", "other")
