"""The presenters' words on their own: what the CLI and the TUI both show (no database needed)."""

from __future__ import annotations

from datetime import date

from trpkit.presenters import deadlines as words
from trpkit.services.deadlines import DeadlineSummary
from trpkit.services.deadlines_compute import DeadlineItem

TODAY = date(2026, 3, 2)


def _item(status: str, due: date, days: int, ref: str | None = "TRP-2026-0001/A1") -> DeadlineItem:
    return DeadlineItem(
        "TRP-2026-0001",
        ref,
        "permit_expiry",
        due,
        status,
        days,
        "no renewal",
        application_type="subsequent_trp",
    )


def test_counts_name_the_day_only_when_asked() -> None:
    summary = DeadlineSummary(TODAY, 1, 0, 2, (_item("overdue", date(2026, 3, 1), -1),))
    assert words.counts_line(summary, 120) == "1 overdue, 0 due within two weeks, 2 coming (next 120 days)"
    assert words.counts_line(summary, None, say_day=True) == (
        "1 overdue, 0 due within two weeks, 2 coming (as of 2026-03-02, any date)"
    )
    empty = DeadlineSummary(TODAY, 0, 0, 0, ())
    assert words.counts_line(empty, 30) == "Nothing due or overdue (next 30 days)."


def test_a_row_says_what_without_repeating_the_case() -> None:
    assert words.row(_item("overdue", date(2026, 3, 1), -1)) == (
        "overdue",
        "2026-03-01",
        "-1",
        "TRP-2026-0001/A1",
        "TRP expires",
        "no renewal",
    )
    assert words.row(_item("coming", date(2026, 5, 1), 60, ref=None))[2:4] == ("+60", "TRP-2026-0001")
    assert len(words.row(_item("due", TODAY, 0))) == len(words.HEADERS)
