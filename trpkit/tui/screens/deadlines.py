"""Every deadline across the person's cases, with filters and the calendar export.

Enter on a row opens that case at its Applications tab. Case codes only, never names.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.message import Message
from textual.widgets import Button, DataTable, Footer, Header, Input, Label, Select, Static

from trpkit.presenters import deadlines as words
from trpkit.services.deadlines import DeadlineSummary
from trpkit.services.deadlines_compute import DeadlineItem
from trpkit.tui.deadline_rows import cells
from trpkit.tui.typed import AppScreen


@dataclass
class AllDeadlinesLoaded(Message):
    summary: DeadlineSummary


class DeadlinesScreen(AppScreen[None]):
    DEFAULT_CSS = """
    DeadlinesScreen #dl-filters, DeadlinesScreen #dl-export-row { height: auto; padding: 0 1; }
    DeadlinesScreen #dl-filters Input { width: 12; }
    DeadlinesScreen #dl-filters #dl-case { width: 1fr; max-width: 30; }
    DeadlinesScreen #dl-export-row #dl-path { width: 1fr; }
    DeadlinesScreen #dl-filters Select { width: 22; }
    DeadlinesScreen Label { padding: 1 1 0 1; }
    DeadlinesScreen #dl-counts, DeadlinesScreen #dl-message { padding: 0 1; height: auto; }
    """
    BINDINGS = [
        Binding("escape", "app.pop_screen", "Back"),
        Binding("f5", "reload", "Refresh"),
        Binding("ctrl+o", "export", "Export .ics"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.summary: DeadlineSummary | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="dl-filters"):
            yield Label("Within days:")
            yield Input("120", id="dl-within", type="integer")
            yield Select(
                [("overdue", "overdue"), ("due soon", "due"), ("coming", "coming")],
                prompt="Any status",
                id="dl-status",
            )
            yield Input(placeholder="Case code", id="dl-case")
        # Its own row, so the export stays on screen at 80 columns.
        with Horizontal(id="dl-export-row"):
            yield Label("Calendar file:")
            yield Input(str(Path.home() / "trpkit-deadlines.ics"), id="dl-path")
            yield Button("Export .ics", id="dl-export")
        yield Static("Loading…", id="dl-counts")
        table: DataTable[str] = DataTable(id="dl-table", cursor_type="row")
        table.add_columns(*words.HEADERS)
        yield table
        yield Static("", id="dl-message")
        yield Footer()

    def on_mount(self) -> None:
        self.title = "Deadlines"
        self.action_reload()

    def _within(self) -> int | None:
        text = self.query_one("#dl-within", Input).value.strip()
        return int(text) if text.isdigit() else None

    def action_reload(self) -> None:
        self._load(self._within())

    @on(Input.Submitted, "#dl-within")
    def _within_changed(self) -> None:
        self.action_reload()

    @on(Input.Changed, "#dl-case")
    @on(Select.Changed, "#dl-status")
    def _filter_changed(self) -> None:
        self._fill()

    @work(thread=True, exclusive=True, group="deadlines-screen", exit_on_error=False)
    def _load(self, within: int | None) -> None:
        from trpkit.domain.clocks import DEFAULT_REMINDER_OFFSETS
        from trpkit.services.deadlines import list_deadlines

        app = self.app
        settings = getattr(app, "settings", None)
        offsets = tuple(getattr(settings, "reminder_days", ()) or ()) or DEFAULT_REMINDER_OFFSETS
        summary = self.database.run(
            lambda session: list_deadlines(session, self.actor, within_days=within, offsets=offsets)
        )
        self.post_message(AllDeadlinesLoaded(summary))

    @on(AllDeadlinesLoaded)
    def _loaded(self, message: AllDeadlinesLoaded) -> None:
        self.summary = message.summary
        self._fill()

    def visible_items(self) -> list[DeadlineItem]:
        if self.summary is None:
            return []
        status = self.query_one("#dl-status", Select).value
        case = self.query_one("#dl-case", Input).value.strip().upper()
        return [
            i
            for i in self.summary.items
            if (status is Select.NULL or i.status == status) and (not case or case in i.case_code)
        ]

    def _fill(self) -> None:
        if self.summary is None:
            return
        s = self.summary
        items = self.visible_items()
        within = self._within()
        self.query_one("#dl-counts", Static).update(
            Text(f"{words.counts_line(s, within)}; {len(items)} shown")
        )
        table = self.query_one("#dl-table", DataTable)
        table.clear()
        table.add_rows(cells(i) for i in items)

    @on(DataTable.RowSelected, "#dl-table")
    def _open(self, event: DataTable.RowSelected) -> None:
        items = self.visible_items()
        if 0 <= event.cursor_row < len(items):
            code = items[event.cursor_row].case_code
            self.app.run_worker(self.app.open_case(code, tab="applications"), exclusive=False)

    def action_export(self) -> None:
        self._export()

    @on(Button.Pressed, "#dl-export")
    def _export(self) -> None:
        self._write_ics(self.query_one("#dl-path", Input).value.strip(), self._within())

    @work(thread=True, exclusive=True, group="deadlines-export", exit_on_error=False)
    def _write_ics(self, path: str, within: int | None) -> None:
        from trpkit.errors import TrpkitError
        from trpkit.services.deadlines import export_ics

        app = self.app
        try:
            count = self.database.run(
                lambda session: export_ics(session, self.actor, Path(path).expanduser(), within_days=within)
            )
        except (TrpkitError, OSError) as exc:
            app.call_from_thread(
                self.query_one("#dl-message", Static).update, f"[b red]Not exported:[/] {exc}"
            )
            return
        app.call_from_thread(
            self.query_one("#dl-message", Static).update,
            f"{count} deadline(s) written to {path} (case codes only, no names).",
        )
