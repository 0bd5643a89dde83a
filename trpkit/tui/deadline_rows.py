"""Deadline rows as the TUI shows them: the presenter's words, the status in colour."""

from __future__ import annotations

from rich.text import Text

from trpkit.presenters import deadlines as words
from trpkit.services.deadlines_compute import DeadlineItem

STATUS_STYLES = {"overdue": "bold red", "due": "bold yellow", "coming": ""}


def cells(item: DeadlineItem) -> tuple[Text, ...]:
    status, *rest = words.row(item)
    return (Text(status, style=STATUS_STYLES.get(status, "")), *(Text(cell) for cell in rest))
