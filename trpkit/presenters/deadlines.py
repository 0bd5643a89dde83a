"""Deadlines in words: `trpkit deadlines`, the dashboard panel and the Deadlines screen say the same."""

from __future__ import annotations

from trpkit.documents.calendar import deadline_summary, deadline_title
from trpkit.services.deadlines import DeadlineSummary
from trpkit.services.deadlines_compute import DEFAULT_DUE_WINDOW, DeadlineItem

HEADERS = ("Status", "Due", "Days", "Case", "What", "Detail")


def what(item: DeadlineItem) -> str:
    """The item's title without its case code (the Case column says it). The words are the calendar
    file's (``documents.calendar``, below the services that write it), so the faces and the calendar agree."""
    return deadline_title(item)


def title(item: DeadlineItem) -> str:
    """The title with its case code, as the calendar's summary says it ("TRP-2026-0001: TRP expires")."""
    return deadline_summary(item)


def row(item: DeadlineItem) -> tuple[str, ...]:
    return (
        item.status,
        str(item.due),
        f"{item.days_left:+d}",
        item.ref or item.case_code,
        what(item),
        item.detail,
    )


def horizon(within_days: int | None) -> str:
    return f"next {within_days} days" if within_days is not None else "any date"


def _window(days: int) -> str:
    return "two weeks" if days == 14 else f"{days} days"


def counts_line(summary: DeadlineSummary, within_days: int | None, say_day: bool = False) -> str:
    """ "2 overdue, 1 due within two weeks, 5 coming (next 120 days)"; ``say_day`` adds the day counted
    from (when it is not today, e.g. ``--today``)."""
    when = f"as of {summary.today}, {horizon(within_days)}" if say_day else horizon(within_days)
    if not summary.items:
        return f"Nothing due or overdue ({when})."
    return (
        f"{summary.overdue} overdue, {summary.due} due within {_window(DEFAULT_DUE_WINDOW)}, "
        f"{summary.coming} coming ({when})"
    )
