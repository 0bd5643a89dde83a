"""Dashboard panel: what is overdue, due soon and coming across the cases the person may open.

Enter on a row opens that case at its Applications tab. Names never appear: case codes only.
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.message import Message
from textual.widgets import DataTable, Static

from trpkit.presenters import deadlines as words
from trpkit.services.deadlines import DeadlineSummary
from trpkit.tui.deadline_rows import cells
from trpkit.tui.tabs.base import DashboardPanel

SHOWN = 200  # rows in the panel; the full list is `trpkit deadlines`
WITHIN_DAYS = 120
VISIBLE_ROWS = 12


@dataclass
class DeadlinesLoaded(Message):
    summary: DeadlineSummary


class DeadlinesPanel(DashboardPanel):
    DEFAULT_CSS = """
    DeadlinesPanel #deadlines-table { height: 14; }
    DeadlinesPanel #deadlines-counts { padding: 0 0 1 0; }
    """

    def compose(self) -> ComposeResult:
        yield Static("Deadlines: loading…", id="deadlines-counts")
        table: DataTable[str] = DataTable(id="deadlines-table", cursor_type="row")
        table.add_columns(*words.HEADERS)
        yield table

    def reload(self) -> None:
        self._load()

    @work(thread=True, exclusive=True, group="dashboard-deadlines", exit_on_error=False)
    def _load(self) -> None:
        from trpkit.domain.clocks import DEFAULT_REMINDER_OFFSETS
        from trpkit.services.deadlines import list_deadlines

        app = self.app
        if getattr(app, "database", None) is None or getattr(app, "actor", None) is None:
            return
        settings = getattr(app, "settings", None)
        offsets = tuple(getattr(settings, "reminder_days", ()) or ()) or DEFAULT_REMINDER_OFFSETS
        summary = self.database.run(
            lambda session: list_deadlines(
                session, self.actor, within_days=WITHIN_DAYS, offsets=offsets, record=False
            )
        )
        self.post_message(DeadlinesLoaded(summary))

    @on(DeadlinesLoaded)
    def _show(self, message: DeadlinesLoaded) -> None:
        s = message.summary
        self.summary = s
        counts = Text("Deadlines: ", style="bold") + Text(words.counts_line(s, WITHIN_DAYS))
        if len(s.items) > SHOWN:
            counts += f" — first {SHOWN} shown; all of them: trpkit deadlines"
        self.query_one("#deadlines-counts", Static).update(counts)
        table = self.query_one("#deadlines-table", DataTable)
        table.clear()
        for index, item in enumerate(s.items[:SHOWN]):
            table.add_row(*cells(item), key=f"{index}:{item.case_code}")
        table.display = bool(s.items)
        table.styles.height = min(len(s.items), VISIBLE_ROWS) + 1  # header + rows; the rest scrolls

    @on(DataTable.RowSelected, "#deadlines-table")
    def _open(self, event: DataTable.RowSelected) -> None:
        code = str(event.row_key.value).split(":", 1)[1]
        self.app.run_worker(self.app.open_case(code, tab="applications"), exclusive=False)
