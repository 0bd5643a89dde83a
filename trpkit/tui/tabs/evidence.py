"""The Evidence tab: the numbered exhibits of the case and a form to add or change one.

Keys: arrows pick an exhibit (the form follows) · enter edits it · ctrl+n new exhibit · ctrl+s save ·
delete removes the exhibit (or, in the files list, the file), after asking. The date is written as
words ("spring 2019", "around May 2024"); the form shows what the words were understood to mean
before saving. Files are copied INTO the vault; their size and SHA-256 are shown. If someone else
changed the exhibit meanwhile, nothing is overwritten: the form says so and shows their version.
escape with unsaved changes asks before leaving the case file.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

from rich.markup import escape
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.widgets import Button, DataTable, Input, Label, Select, SelectionList, Static

from trpkit.services.evidence import EVIDENCE_TYPES, EvidenceRow
from trpkit.services.narrative import NarrativeEntryRow
from trpkit.tui.tabs.evidence_form import date_meaning
from trpkit.tui.tabs.evidence_saving import EvidenceFailed, ExhibitSaving
from trpkit.tui.widgets.exhibit_files import ExhibitFiles, friendly_error


@dataclass
class EvidenceLoaded(Message):
    rows: list[EvidenceRow]
    entries: list[NarrativeEntryRow]


class EvidenceTab(ExhibitSaving):
    TITLE = "Evidence"
    BINDINGS: ClassVar = [
        Binding("ctrl+n", "new_exhibit", "New exhibit"),
        Binding("delete", "delete_exhibit", "Delete exhibit"),
        Binding("escape", "leave", "Back to list", show=False),
    ]
    DEFAULT_CSS = """
    EvidenceTab #ev-table { height: 1fr; min-height: 5; }
    EvidenceTab #ev-bottom { height: auto; max-height: 70%; overflow-y: auto; border-top: solid $primary-darken-2; }
    EvidenceTab.-narrow #ev-bottom { layout: vertical; }
    EvidenceTab.-narrow #ev-side { width: 1fr; border-left: none; padding: 0; }
    EvidenceTab #ev-form { width: 1fr; height: auto; padding: 0 1 0 0; }
    EvidenceTab #ev-side { width: 54; height: auto; padding: 0 0 0 1; border-left: solid $primary-darken-2; }
    EvidenceTab Horizontal { height: auto; }
    EvidenceTab .ev-label { width: 14; color: $text-muted; }
    EvidenceTab Input { width: 1fr; }
    EvidenceTab Select { width: 1fr; }
    EvidenceTab #ev-form Horizontal { margin-bottom: 1; }
    EvidenceTab #ev-form .ev-tight { margin-bottom: 0; }
    EvidenceTab #ev-heading { height: auto; text-style: bold; margin-bottom: 1; }
    EvidenceTab #ev-date-meaning { height: auto; width: 1fr; }
    EvidenceTab Button { width: auto; min-width: 8; margin-right: 1; }
    EvidenceTab #ev-side Label { margin-top: 1; }
    EvidenceTab #ev-side #ev-entries-label { margin-top: 0; }
    EvidenceTab #ev-message { height: auto; min-height: 1; padding: 0 1; border-top: solid $primary-darken-2; }
    """

    # ------------------------------------------------------------------------------------------ layout
    def on_resize(self) -> None:
        # Below 110 columns the files and passages go under the form (and the bottom scrolls), so the
        # form keeps a usable width and the list of exhibits keeps its rows.
        self.set_class(self.size.width < 110, "-narrow")

    def compose(self) -> ComposeResult:
        table: DataTable[Any] = DataTable(id="ev-table", cursor_type="row")
        table.add_columns(
            "Exhibit", "Type", "Date", "Description", "Source", "Files", "Passages", "Indicators"
        )
        yield table
        with Horizontal(id="ev-bottom"):
            with Vertical(id="ev-form"):
                yield Static("", id="ev-heading")
                with Horizontal():
                    yield Label("Type", classes="ev-label")
                    yield Select(
                        [(label, value) for value, label in EVIDENCE_TYPES.items()],
                        prompt="Choose the type of evidence",
                        id="ev-type",
                        compact=True,
                    )
                with Horizontal(classes="ev-tight"):
                    yield Label("Date", classes="ev-label")
                    yield Input(
                        placeholder="in words: 'spring 2019', 'March 2024', 'around 2018'",
                        id="ev-date",
                        compact=True,
                    )
                with Horizontal():
                    yield Label("", classes="ev-label")
                    yield Static(date_meaning(None), id="ev-date-meaning")
                with Horizontal():
                    yield Label("Description", classes="ev-label")
                    yield Input(placeholder="what it is and what it shows", id="ev-description", compact=True)
                with Horizontal():
                    yield Label("Source", classes="ev-label")
                    yield Input(placeholder="who or where it comes from", id="ev-source", compact=True)
                with Horizontal():
                    yield Label("How obtained", classes="ev-label")
                    yield Input(
                        placeholder="given by the person, requested from …", id="ev-how", compact=True
                    )
                with Horizontal():
                    yield Button("Save (ctrl+s)", variant="primary", id="ev-save", compact=True)
                    yield Button("New exhibit (ctrl+n)", id="ev-new", compact=True)
                    yield Button(
                        "Delete…",
                        variant="error",
                        id="ev-delete",
                        compact=True,
                        tooltip="Delete this exhibit (asks first)",
                    )
                    yield Button(
                        "Renumber…",
                        id="ev-renumber",
                        compact=True,
                        tooltip="Number the exhibits 1 to n in date order (asks first)",
                    )
            with Vertical(id="ev-side"):
                yield Label("Narrative entries it rests on:", id="ev-entries-label")
                yield SelectionList[int](id="ev-entries", compact=True)
                yield ExhibitFiles(self.case_code, id="ev-files-box")
        yield Static("", id="ev-message")

    def on_mount(self) -> None:
        self.query_one("#ev-entries", SelectionList).styles.height = 5
        self._show_form()
        super().on_mount()

    # ------------------------------------------------------------------------------------------ loading
    def reload(self) -> None:
        self._load()

    @work(thread=True, exclusive=True, group="evidence", exit_on_error=False)
    def _load(self) -> None:
        from trpkit.errors import TrpkitError
        from trpkit.services.evidence import list_evidence
        from trpkit.services.narrative import list_entries

        try:
            rows, entries = self.database.run(
                lambda session: (
                    list_evidence(session, self.actor, self.case_code),
                    list_entries(session, self.actor, self.case_code),
                )
            )
        except TrpkitError as exc:
            self.post_message(EvidenceFailed(f"Could not load the exhibits: {friendly_error(exc)}"))
            return
        self.post_message(EvidenceLoaded(rows, entries))

    @on(EvidenceLoaded)
    def _show(self, message: EvidenceLoaded) -> None:
        self.rows, self.entries = message.rows, message.entries
        table = self.query_one("#ev-table", DataTable)
        table.clear()
        for r in self.rows:
            if str(r.exhibit_number) in table.rows:
                continue
            files = ", ".join(a.name for a in r.attachments)
            description = r.description if len(r.description) <= 60 else r.description[:59] + "…"
            when = Text(r.date.original if r.date else "")
            if r.date is not None and not r.date.is_parsed:
                when.append(" (?)", style="yellow")
            table.add_row(
                str(r.exhibit_number),
                r.type_label,
                when,
                Text(description),
                Text(r.source),
                Text(files),
                ", ".join(map(str, r.narrative_entry_ids)),
                ", ".join(r.indicator_ids),
                key=str(r.exhibit_number),
            )
        self._fill_entry_choices()
        current = self._row_by_id(self.form.evidence_id)
        dirty = self.is_dirty()
        if self.form.evidence_id is not None and current is None:
            if not dirty:
                self._say(f"Exhibit {self.form.exhibit} is no longer in the register (someone removed it).")
                self._load_form(None)
        elif current is not None and (self._refill_form or not dirty):
            self._load_form(current)  # fresh values and version (someone else may have saved)
        elif current is not None and current.version != self.form.version:
            self._say(
                f"[b yellow]Someone else saved exhibit {current.exhibit_number} while you were editing it.[/] "
                "Saving will not overwrite their change: you will see their version and what you typed."
            )
        elif self.form.evidence_id is None and not self.new_mode and not dirty and self.rows:
            self._load_form(self.rows[min(table.cursor_row, len(self.rows) - 1)])
        self._refill_form = False
        self._follow_form_in_table()
        self._show_form()

    def _follow_form_in_table(self) -> None:
        table = self.query_one("#ev-table", DataTable)
        row = self._row_by_id(self.form.evidence_id)
        if row is not None and str(row.exhibit_number) in table.rows:
            table.move_cursor(row=table.get_row_index(str(row.exhibit_number)))

    # ------------------------------------------------------------------------------------------ choosing
    @on(DataTable.RowHighlighted, "#ev-table")
    def _highlighted(self, event: DataTable.RowHighlighted) -> None:
        table = self.query_one("#ev-table", DataTable)
        if not table.has_focus or event.cursor_row != table.cursor_row:
            return  # a refill of the table, not a person moving through it
        row = self._row_at_cursor()
        if row is None or (row.id == self.form.evidence_id and not self.new_mode):
            return
        if self.is_dirty():
            self._say(
                f"[b yellow]Unsaved changes in the form[/] ({self._form_name()}): ctrl+s saves them; enter "
                "on this row opens it and drops them."
            )
            return
        self._load_form(row)

    @on(DataTable.RowSelected, "#ev-table")
    def _selected(self) -> None:
        row = self._row_at_cursor()
        if row is None:
            return
        if self.is_dirty() and (row.id != self.form.evidence_id or self.new_mode):
            from trpkit.tui.screens.confirm import ConfirmScreen

            def answered(yes: bool | None) -> None:
                if yes:
                    self._load_form(row)
                    self._say(f"Exhibit {row.exhibit_number} opened; the unsaved changes were dropped.")
                    self.query_one("#ev-description", Input).focus()

            self.app.push_screen(
                ConfirmScreen(
                    f"Drop your unsaved changes to {escape(self._form_name())} and open "
                    f"exhibit {row.exhibit_number}?",
                    yes="Drop and open",
                    no="Keep editing",
                ),
                answered,
            )
            return
        if row.id != self.form.evidence_id or self.new_mode:
            self._load_form(row)
        self.query_one("#ev-description", Input).focus()

    def _row_at_cursor(self) -> EvidenceRow | None:
        table = self.query_one("#ev-table", DataTable)
        if table.row_count == 0:
            return None
        key = str(table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value)
        return next((r for r in self.rows if str(r.exhibit_number) == key), None)

    def action_new_exhibit(self) -> None:
        if self.is_dirty():
            from trpkit.tui.screens.confirm import ConfirmScreen

            def answered(yes: bool | None) -> None:
                if yes:
                    self._start_new()

            self.app.push_screen(
                ConfirmScreen(
                    f"Drop your unsaved changes to {escape(self._form_name())} and start a new exhibit?",
                    yes="Drop and start new",
                    no="Keep editing",
                ),
                answered,
            )
            return
        self._start_new()

    def action_leave(self) -> None:
        """escape leaves the case file, as everywhere; with unsaved changes in the form it asks first."""
        if not self.is_dirty():
            self.app.pop_screen()
            return
        from trpkit.tui.screens.confirm import ConfirmScreen

        def answered(yes: bool | None) -> None:
            if yes:
                self.app.pop_screen()

        self.app.push_screen(
            ConfirmScreen(
                f"Leave the case file? Your changes to {escape(self._form_name())} are "
                "not saved and will be lost (ctrl+s saves them).",
                yes="Leave",
                no="Stay",
            ),
            answered,
        )

    def _start_new(self) -> None:
        self._load_form(None)
        self._say("New exhibit: choose its type, describe it, then ctrl+s.")
        self.query_one("#ev-type", Select).focus()

    @on(Button.Pressed, "#ev-new")
    def _new_pressed(self) -> None:
        self.action_new_exhibit()

    # ------------------------------------------------------------------------------------------ files
    @on(ExhibitFiles.Report)
    def _files_report(self, message: ExhibitFiles.Report) -> None:
        self._say(message.text)
        if message.changed:
            self.reload()
