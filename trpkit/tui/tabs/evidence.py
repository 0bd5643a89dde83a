"""The Evidence tab: the numbered exhibits of the case, adding one, attaching a file into the vault."""

from __future__ import annotations

from rich.text import Text

from dataclasses import dataclass
from pathlib import Path

from rich.markup import escape
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.widgets import Button, DataTable, Input, Label, Select, Static

from trpkit.services.evidence import EVIDENCE_TYPES, EvidenceRow
from trpkit.tui.tabs.base import CaseTab


@dataclass
class EvidenceLoaded(Message):
    rows: list[EvidenceRow]


class EvidenceTab(CaseTab):
    TITLE = "Evidence"
    BINDINGS = [Binding("delete", "remove_exhibit", "Remove exhibit")]
    DEFAULT_CSS = """
    EvidenceTab #ev-table { height: 1fr; }
    EvidenceTab #ev-form { height: auto; padding: 0 1; }
    EvidenceTab #ev-form Horizontal { height: auto; }
    EvidenceTab #ev-form Input { width: 1fr; }
    EvidenceTab #ev-form Select { width: 40; }
    EvidenceTab #ev-form #ev-entries { width: 28; }
    EvidenceTab #ev-message { height: auto; padding: 0 1; }
    """

    def compose(self) -> ComposeResult:
        table: DataTable[str] = DataTable(id="ev-table", cursor_type="row")
        table.add_columns("Exhibit", "Type", "Date", "Description", "Source", "Files", "Passages", "Indicators")
        yield table
        with Vertical(id="ev-form"):
            yield Label("Add an exhibit (it takes the next number):")
            with Horizontal():
                yield Select([(label, value) for value, label in EVIDENCE_TYPES.items()], prompt="Type", id="ev-type")
                yield Input(placeholder="What it is and what it shows", id="ev-description")
                yield Input(placeholder="Narrative entries (3,4)", id="ev-entries", restrict=r"[0-9, ]*")
            with Horizontal():
                yield Input(placeholder="Date, as precise as known ('May 2024')", id="ev-date")
                yield Input(placeholder="Source", id="ev-source")
                yield Input(placeholder="How obtained", id="ev-how")
                yield Button("Add", variant="primary", id="ev-add")
            with Horizontal():
                yield Input(placeholder="Path of a file to attach to the selected exhibit (copied into the vault)",
                            id="ev-path")
                yield Button("Attach", id="ev-attach")
        yield Static("", id="ev-message")

    def reload(self) -> None:
        self._load()

    @work(thread=True, exclusive=True, group="evidence", exit_on_error=False)
    def _load(self) -> None:
        from trpkit.services.evidence import list_evidence

        with self.database.session() as session:
            rows = list_evidence(session, self.actor, self.case_code)
        self.post_message(EvidenceLoaded(rows))

    @on(EvidenceLoaded)
    def _show(self, message: EvidenceLoaded) -> None:
        table = self.query_one("#ev-table", DataTable)
        table.clear()
        for r in message.rows:
            files = ", ".join(a.name for a in r.attachments)
            description = r.description if len(r.description) <= 60 else r.description[:59] + "…"
            table.add_row(str(r.exhibit_number), r.type_label, Text(r.date.original if r.date else ""),
                          Text(description), Text(r.source), Text(files), ", ".join(map(str, r.narrative_entry_ids)),
                          ", ".join(r.indicator_ids),
                          key=str(r.exhibit_number))

    def _say(self, text: str) -> None:
        self.app.call_from_thread(self.query_one("#ev-message", Static).update, text)

    @on(Button.Pressed, "#ev-add")
    def _add_pressed(self) -> None:
        kind = self.query_one("#ev-type", Select).value
        if kind is Select.NULL:
            self.query_one("#ev-message", Static).update("Choose the type of evidence.")
            return
        values = {name: self.query_one(f"#ev-{name}", Input).value
                  for name in ("description", "date", "source", "how", "entries")}
        self._add_exhibit(str(kind), values)

    @work(thread=True, exclusive=True, group="evidence-save", exit_on_error=False)
    def _add_exhibit(self, kind: str, values: dict[str, str]) -> None:
        from trpkit.errors import TrpkitError
        from trpkit.services.evidence import add_evidence

        try:
            with self.database.session() as session:
                entries = [int(p) for p in values["entries"].replace(" ", "").split(",") if p]
                row = add_evidence(session, self.actor, self.case_code, type=kind, description=values["description"],
                                   date_text=values["date"], source=values["source"], how_obtained=values["how"],
                                   narrative_entry_ids=entries)
        except TrpkitError as exc:
            self._say(f"[b red]Not added:[/] {escape(str(exc))}")
            return
        self._say(f"Added as exhibit {row.exhibit_number}.")
        self._load()

    @on(Button.Pressed, "#ev-attach")
    def _attach_pressed(self) -> None:
        exhibit = self._selected_exhibit()
        if exhibit is None:
            self.query_one("#ev-message", Static).update("Add an exhibit first.")
            return
        self._attach_file(exhibit, self.query_one("#ev-path", Input).value.strip())

    @work(thread=True, exclusive=True, group="evidence-save", exit_on_error=False)
    def _attach_file(self, exhibit: int, path_text: str) -> None:
        from trpkit.errors import TrpkitError
        from trpkit.services.evidence import attach_file

        path = Path(path_text).expanduser()
        if not path_text or not path.is_file():
            self._say(f"[b red]No file at[/] {escape(path_text) or '(empty)'}.")
            return
        try:
            with self.database.session() as session:
                info = attach_file(session, self.actor, self.case_code, exhibit, path.name, path.read_bytes())
        except (TrpkitError, OSError) as exc:
            self._say(f"[b red]Not attached:[/] {escape(str(exc))}")
            return
        self._say(f"Attached {escape(info.name)} to exhibit {exhibit} ({info.size} bytes, inside the vault). "
                  "You may now delete the original.")
        self._load()

    def _selected_exhibit(self) -> int | None:
        table = self.query_one("#ev-table", DataTable)
        if table.row_count == 0 or table.cursor_row is None:
            return None
        return int(str(table.coordinate_to_cell_key((table.cursor_row, 0)).row_key.value))

    def action_remove_exhibit(self) -> None:
        from trpkit.tui.screens.confirm import ConfirmScreen

        exhibit = self._selected_exhibit()
        if exhibit is None:
            return

        def answered(yes: bool | None) -> None:
            if yes:
                self._remove(exhibit)

        self.app.push_screen(ConfirmScreen(f"Remove exhibit {exhibit}, its files and the indicator links resting on "
                                           "it? Other exhibits keep their numbers.", yes="Remove", no="Keep"),
                             answered)

    @work(thread=True, exclusive=True, group="evidence-save", exit_on_error=False)
    def _remove(self, exhibit: int) -> None:
        from trpkit.errors import TrpkitError
        from trpkit.services.evidence import delete_evidence

        try:
            with self.database.session() as session:
                delete_evidence(session, self.actor, self.case_code, exhibit)
        except TrpkitError as exc:
            self._say(f"[b red]Not removed:[/] {escape(str(exc))}")
            return
        self._say(f"Exhibit {exhibit} removed.")
        self._load()
