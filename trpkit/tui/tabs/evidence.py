"""The Evidence tab: the numbered exhibits of the case and a form to add or change one.

Keys: arrows pick an exhibit (the form follows) · enter edits it · ctrl+n new exhibit · ctrl+s save ·
delete removes the exhibit (or, in the files list, the file), after asking. The date is written as
words ("spring 2019", "around May 2024"); the form shows what the words were understood to mean
before saving. Files are copied INTO the vault; their size and SHA-256 are shown. If someone else
changed the exhibit meanwhile, nothing is overwritten: the form says so and shows their version.
escape with unsaved changes asks before leaving the case file.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass, field
from datetime import date
from typing import Any, ClassVar

from rich.markup import escape
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.widgets import Button, DataTable, Input, Label, Select, SelectionList, Static
from textual.widgets.selection_list import Selection

from trpkit.domain.fuzzy_dates import FuzzyDate
from trpkit.services.evidence import EVIDENCE_TYPES, EvidenceRow
from trpkit.services.narrative import NarrativeEntryRow
from trpkit.tui.tabs.base import CaseTab
from trpkit.tui.widgets.exhibit_files import ExhibitFiles, friendly_error

FIELDS = ("type", "date_text", "description", "source", "how_obtained")
FIELD_WORDS = {
    "type": "type",
    "date_text": "date",
    "description": "description",
    "source": "source",
    "how_obtained": "how obtained",
    "entries": "narrative entries",
}
DATE_HINT = "Write the date as it is known: 'March 2024', 'spring 2019', 'around 2018', '2024-03-05'."


@dataclass
class EvidenceLoaded(Message):
    rows: list[EvidenceRow]
    entries: list[NarrativeEntryRow]


@dataclass
class DateRead(Message):
    text: str
    date: FuzzyDate | None


@dataclass
class ExhibitSaved(Message):
    row: EvidenceRow
    note: str


@dataclass
class ExhibitConflict(Message):
    """Someone else changed (or renumbered) the exhibit: their version is reloaded, the typing is listed."""

    text: str
    mine: dict[str, Any]


@dataclass
class EvidenceDone(Message):
    note: str
    new_form: bool = False  # the exhibit in the form is gone: start a new one


@dataclass
class EvidenceFailed(Message):
    text: str
    reload: bool = False


@dataclass
class FormState:
    """What the form holds: an existing exhibit (its id and the version it started from) or a new one."""

    evidence_id: int | None = None
    exhibit: int | None = None
    version: int | None = None
    clean: dict[str, Any] = field(default_factory=dict)  # the values as loaded or saved


def plain_date(d: date) -> str:
    return f"{d.day} {calendar.month_name[d.month]} {d.year}"


def date_meaning(fd: FuzzyDate | None) -> str:
    """What the date words were understood to mean, in plain words (Rich markup)."""
    from trpkit.domain.fuzzy_dates import format_fuzzy

    if fd is None:
        return f"[dim]No date. {escape(DATE_HINT)}[/]"
    if not fd.is_parsed:
        return (
            "[b yellow]Not understood as a date.[/] Saved as written, the exhibit cannot be put in date order. "
            f"[dim]{escape(DATE_HINT)}[/]"
        )
    span = (
        "on " + plain_date(fd.earliest)
        if fd.earliest == fd.latest and fd.earliest
        else f"between {plain_date(fd.earliest) if fd.earliest else '?'} and "
        f"{plain_date(fd.latest) if fd.latest else '?'}"
    )
    return f"Understood as [b]{escape(format_fuzzy(fd))}[/]: {span}."


class EvidenceTab(CaseTab):
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

    def __init__(self, case_code: str, *, id: str | None = None) -> None:
        super().__init__(case_code, id=id)
        self.rows: list[EvidenceRow] = []
        self.entries: list[NarrativeEntryRow] = []
        self.form = FormState()
        self.new_mode = False  # the form holds a new exhibit on purpose (ctrl+n)
        self.saving = False
        self._refill_form = False  # after a conflict: show their version even though the form is dirty
        self._date_parsed: dict[str, FuzzyDate | None] = {}

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

    def _row_by_id(self, evidence_id: int | None) -> EvidenceRow | None:
        return next((r for r in self.rows if r.id == evidence_id), None) if evidence_id is not None else None

    def _follow_form_in_table(self) -> None:
        table = self.query_one("#ev-table", DataTable)
        row = self._row_by_id(self.form.evidence_id)
        if row is not None and str(row.exhibit_number) in table.rows:
            table.move_cursor(row=table.get_row_index(str(row.exhibit_number)))

    def _fill_entry_choices(self) -> None:
        choices = self.query_one("#ev-entries", SelectionList)
        keep = set(choices.selected)
        choices.clear_options()
        for e in self.entries:
            kind = "own words" if e.kind == "own_words" else "summary"
            preview = " ".join(e.text.split())
            preview = preview if len(preview) <= 60 else preview[:59] + "…"
            prompt = Text(f"{e.id}. {e.meeting_date:%Y-%m-%d} {kind}: ", style="bold")
            prompt.append(preview, style="")
            choices.add_option(Selection(prompt, e.id, e.id in keep))

    # ------------------------------------------------------------------------------------------ the form
    def _values(self) -> dict[str, Any]:
        kind = self.query_one("#ev-type", Select).value
        return {
            "type": "" if kind is Select.NULL else str(kind),
            "date_text": self.query_one("#ev-date", Input).value.strip(),
            "description": self.query_one("#ev-description", Input).value.strip(),
            "source": self.query_one("#ev-source", Input).value.strip(),
            "how_obtained": self.query_one("#ev-how", Input).value.strip(),
            "entries": tuple(sorted(self.query_one("#ev-entries", SelectionList).selected)),
        }

    def _row_values(self, row: EvidenceRow | None) -> dict[str, Any]:
        if row is None:
            return {
                "type": "",
                "date_text": "",
                "description": "",
                "source": "",
                "how_obtained": "",
                "entries": (),
            }
        return {
            "type": row.type,
            "date_text": row.date.original if row.date else "",
            "description": row.description,
            "source": row.source,
            "how_obtained": row.how_obtained,
            "entries": tuple(sorted(row.narrative_entry_ids)),
        }

    def is_dirty(self) -> bool:
        values = self._values()
        if values["type"] != "account":
            values["entries"] = self.form.clean.get("entries", ())  # not used for other types
        return (bool(self.form.clean) and values != self.form.clean) or (
            not self.form.clean and any(v for v in values.values())
        )

    def _load_form(self, row: EvidenceRow | None) -> None:
        values = self._row_values(row)
        self.form = FormState(
            row.id if row else None, row.exhibit_number if row else None, row.version if row else None, values
        )
        self.new_mode = row is None
        select = self.query_one("#ev-type", Select)
        if values["type"]:
            select.value = values["type"]
        else:
            select.clear()
        self.query_one("#ev-date", Input).value = values["date_text"]
        self.query_one("#ev-description", Input).value = values["description"]
        self.query_one("#ev-source", Input).value = values["source"]
        self.query_one("#ev-how", Input).value = values["how_obtained"]
        choices = self.query_one("#ev-entries", SelectionList)
        choices.deselect_all()
        for entry_id in values["entries"]:
            if any(e.id == entry_id for e in self.entries):
                choices.select(entry_id)
        self._read_date_now(values["date_text"])
        self.query_one(ExhibitFiles).show(row)
        self._show_form()

    def _show_form(self) -> None:
        """The heading (which exhibit, unsaved or not) and which parts of the form apply."""
        row = self._row_by_id(self.form.evidence_id)
        dirty = self.is_dirty()
        if row is None:
            next_number = max((r.exhibit_number for r in self.rows), default=0) + 1
            heading = Text(f"New exhibit — it will be number {next_number} when saved")
        else:
            heading = Text(f"Exhibit {row.exhibit_number} (version {row.version})")
            if row.indicator_ids:
                heading.append(f" · supports {', '.join(row.indicator_ids)}", style="")
        if dirty:
            heading.append("  • unsaved changes: ctrl+s saves", style="yellow")
        self.query_one("#ev-heading", Static).update(heading)
        account = self._values()["type"] == "account"
        choices = self.query_one("#ev-entries", SelectionList)
        choices.disabled = not account or not self.entries
        label = self.query_one("#ev-entries-label", Label)
        if not self.entries:
            label.update("Narrative entries it rests on: none written yet (Narrative tab).")
        elif account:
            label.update("Narrative entries it rests on (space ticks one):")
        else:
            label.update("Narrative entries (for “the person's account” only):")
        self.query_one("#ev-delete", Button).disabled = row is None

    @on(Input.Changed, "#ev-description, #ev-source, #ev-how")
    @on(Select.Changed, "#ev-type")
    @on(SelectionList.SelectedChanged, "#ev-entries")
    def _form_changed(self) -> None:
        self._show_form()

    @on(Input.Changed, "#ev-date")
    def _date_changed(self, event: Input.Changed) -> None:
        self._read_date_now(event.value)
        self._show_form()

    def _read_date_now(self, text: str) -> None:
        text = text.strip()
        if text in self._date_parsed:
            self.query_one("#ev-date-meaning", Static).update(date_meaning(self._date_parsed[text]))
        else:
            self._read_date(text)

    @work(thread=True, exclusive=True, group="evidence-date", exit_on_error=False)
    def _read_date(self, text: str) -> None:
        from trpkit.services.evidence import parse_date_words

        self.post_message(DateRead(text, parse_date_words(text)))

    @on(DateRead)
    def _date_read(self, message: DateRead) -> None:
        self._date_parsed[message.text] = message.date
        if message.text == self.query_one("#ev-date", Input).value.strip():
            self.query_one("#ev-date-meaning", Static).update(date_meaning(message.date))

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

    def _form_name(self) -> str:
        return f"exhibit {self.form.exhibit}" if self.form.evidence_id is not None else "the new exhibit"

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

    # ------------------------------------------------------------------------------------------ saving
    def _say(self, text: str) -> None:
        self.query_one("#ev-message", Static).update(text)

    def action_save(self) -> None:
        if self.saving:
            self._say("Still saving the last change…")
            return
        values = self._values()
        if not values["type"]:
            self._say("[b red]Not saved:[/] choose the type of evidence first.")
            self.query_one("#ev-type", Select).focus()
            return
        if not values["description"]:
            self._say("[b red]Not saved:[/] describe the exhibit: what it is and what it shows.")
            self.query_one("#ev-description", Input).focus()
            return
        if self.form.evidence_id is not None and not self.is_dirty():
            self._say(f"Nothing to save: exhibit {self.form.exhibit} is unchanged.")
            return
        date_changed = values["date_text"] != self.form.clean.get("date_text", "")
        if date_changed and values["date_text"]:
            from trpkit.services.evidence import parse_date_words

            fd = self._date_parsed.get(values["date_text"], None) or parse_date_words(values["date_text"])
            if fd is not None and not fd.is_parsed:
                from trpkit.tui.screens.confirm import ConfirmScreen

                def answered(yes: bool | None) -> None:
                    if yes:
                        self._start_save(values)
                    else:
                        self._say("Not saved yet: correct the date words, then ctrl+s. " + escape(DATE_HINT))
                        self.query_one("#ev-date", Input).focus()

                self.app.push_screen(
                    ConfirmScreen(
                        f"“{escape(values['date_text'])}” is not understood as a date. Keep the words as written? "
                        "The exhibit will not be put in date order until the date is corrected.",
                        yes="Keep the words",
                        no="Correct the date",
                    ),
                    answered,
                )
                return
        self._start_save(values)

    @on(Button.Pressed, "#ev-save")
    def _save_pressed(self) -> None:
        self.action_save()

    def _start_save(self, values: dict[str, Any]) -> None:
        self.saving = True
        self._save(
            FormState(self.form.evidence_id, self.form.exhibit, self.form.version, dict(self.form.clean)),
            values,
        )

    @work(thread=True, group="evidence-save", exit_on_error=False)
    def _save(self, form: FormState, values: dict[str, Any]) -> None:
        from trpkit.errors import ConflictError, NotFound, TrpkitError
        from trpkit.services.evidence import add_evidence, update_evidence

        account = values["type"] == "account"
        try:
            with self.database.session() as session:
                if form.evidence_id is None:
                    row = add_evidence(
                        session,
                        self.actor,
                        self.case_code,
                        type=values["type"],
                        description=values["description"],
                        date_text=values["date_text"],
                        source=values["source"],
                        how_obtained=values["how_obtained"],
                        narrative_entry_ids=values["entries"] if account else (),
                    )
                    note = f"Added as exhibit {row.exhibit_number}."
                else:
                    changes = {k: values[k] for k in FIELDS if values[k] != form.clean.get(k)}
                    entries = values["entries"] if account else ()
                    row = update_evidence(
                        session,
                        self.actor,
                        self.case_code,
                        form.exhibit or 0,
                        expected_version=form.version,
                        evidence_id=form.evidence_id,
                        narrative_entry_ids=entries
                        if tuple(entries) != tuple(form.clean.get("entries", ()))
                        else None,
                        **changes,
                    )
                    note = f"Exhibit {row.exhibit_number} saved (version {row.version})."
        except ConflictError as exc:
            self.post_message(ExhibitConflict(str(exc), values))
            return
        except NotFound as exc:
            self.post_message(EvidenceFailed(f"Not saved: {friendly_error(exc)}", reload=True))
            return
        except TrpkitError as exc:
            self.post_message(EvidenceFailed(f"Not saved: {friendly_error(exc)}"))
            return
        except Exception as exc:  # never leave the form stuck on "saving" (the vault busy, the disk full, …)
            self.post_message(
                EvidenceFailed(
                    f"Not saved: an unexpected problem ({type(exc).__name__}). Your typing "
                    "is still in the form; try ctrl+s again."
                )
            )
            raise
        self.post_message(ExhibitSaved(row, note))

    @on(ExhibitSaved)
    def _saved(self, message: ExhibitSaved) -> None:
        self.saving = False
        row = message.row
        self.rows = [r for r in self.rows if r.id != row.id] + [row]
        self.form = FormState(row.id, row.exhibit_number, row.version, self._row_values(row))
        self.new_mode = False
        note = message.note
        if row.date is not None and not row.date.is_parsed:
            note += " Its date is kept as written (not understood as a date)."
        self._say(escape(note))
        self.reload()

    @on(ExhibitConflict)
    def _conflict(self, message: ExhibitConflict) -> None:
        self.saving = False
        mine, clean = message.mine, self.form.clean
        typed = [f"{FIELD_WORDS[k]} “{escape(str(mine[k]))}”" for k in FIELDS if mine.get(k) != clean.get(k)]
        if mine.get("entries") != clean.get("entries") and mine.get("type") == "account":
            typed.append("narrative entries " + (", ".join(map(str, mine["entries"])) or "none"))
        self._say(
            f"[b red]Not saved: someone else changed {escape(self._form_name())} while you were editing.[/] "
            f"{escape(message.text)} The form now shows their version."
            + (
                f" What you had typed: {'; '.join(typed)}. Make your change again, then ctrl+s."
                if typed
                else ""
            )
        )
        self._refill_form = True
        self.reload()

    @on(EvidenceFailed)
    def _failed(self, message: EvidenceFailed) -> None:
        self.saving = False
        self._say(f"[b red]{escape(message.text)}[/]")
        if message.reload:
            self.reload()

    @on(EvidenceDone)
    def _done(self, message: EvidenceDone) -> None:
        self.saving = False
        self._say(escape(message.note))
        if message.new_form:
            self.form = FormState()
            self._load_form(None)
            self.new_mode = False  # open the exhibit under the cursor when the list is back
        self.reload()

    # ------------------------------------------------------------------------------------------ deleting
    @on(ExhibitFiles.Report)
    def _files_report(self, message: ExhibitFiles.Report) -> None:
        self._say(message.text)
        if message.changed:
            self.reload()

    def action_delete_exhibit(self) -> None:
        from trpkit.tui.screens.confirm import ConfirmScreen

        row = self._row_by_id(self.form.evidence_id)
        if row is None:
            self._say("Nothing to delete: the form holds a new exhibit that is not saved (ctrl+n clears it).")
            return
        parts = []
        if row.attachments:
            parts.append(f"its {len(row.attachments)} file(s) inside the vault")
        if row.indicator_ids:
            parts.append(f"its links to indicators {', '.join(row.indicator_ids)}")
        goes = f" {' and '.join(parts).capitalize()} go with it." if parts else ""
        question = (
            f"Delete exhibit {row.exhibit_number} (“{escape(row.description[:80])}”)?{goes} The other "
            "exhibits keep their numbers; “Renumber by date” closes the gap."
        )

        def answered(yes: bool | None) -> None:
            if yes:
                self._delete(row)

        self.app.push_screen(ConfirmScreen(question, yes="Delete", no="Keep"), answered)

    @on(Button.Pressed, "#ev-delete")
    def _delete_pressed(self) -> None:
        self.action_delete_exhibit()

    @work(thread=True, group="evidence-save", exit_on_error=False)
    def _delete(self, row: EvidenceRow) -> None:
        from trpkit.errors import ConflictError, NotFound, TrpkitError
        from trpkit.services.evidence import delete_evidence

        try:
            self.database.run(
                lambda session: delete_evidence(
                    session,
                    self.actor,
                    self.case_code,
                    row.exhibit_number,
                    expected_version=row.version,
                    evidence_id=row.id,
                )
            )
        except ConflictError as exc:
            self.post_message(
                EvidenceFailed(
                    f"Not deleted: {exc} Look at the exhibit again before deleting it.", reload=True
                )
            )
            return
        except NotFound as exc:
            self.post_message(
                EvidenceDone(
                    f"Exhibit {row.exhibit_number} was already gone: {friendly_error(exc)}", new_form=True
                )
            )
            return
        except TrpkitError as exc:
            self.post_message(EvidenceFailed(f"Not deleted: {friendly_error(exc)}"))
            return
        self.post_message(
            EvidenceDone(
                f"Exhibit {row.exhibit_number} deleted, with its files and indicator links.", new_form=True
            )
        )

    def action_renumber(self) -> None:
        from trpkit.tui.screens.confirm import ConfirmScreen

        if self.is_dirty():
            self._say(
                f"Save (ctrl+s) or drop your changes to {escape(self._form_name())} before renumbering."
            )
            return
        if not self.rows:
            self._say("No exhibits to renumber yet.")
            return

        def answered(yes: bool | None) -> None:
            if yes:
                self._renumber()

        self.app.push_screen(
            ConfirmScreen(
                f"Number the {len(self.rows)} exhibits 1 to {len(self.rows)} in date order (undated ones last)? Letters "
                "or an evidence index already drafted quote the old numbers: draft them again afterwards.",
                yes="Renumber",
                no="Keep the numbers",
            ),
            answered,
        )

    @on(Button.Pressed, "#ev-renumber")
    def _renumber_pressed(self) -> None:
        self.action_renumber()

    @work(thread=True, group="evidence-save", exit_on_error=False)
    def _renumber(self) -> None:
        from trpkit.errors import TrpkitError
        from trpkit.services.evidence import renumber_exhibits

        try:
            rows = self.database.run(lambda session: renumber_exhibits(session, self.actor, self.case_code))
        except TrpkitError as exc:
            self.post_message(EvidenceFailed(f"Not renumbered: {friendly_error(exc)}"))
            return
        self.post_message(EvidenceDone(f"Exhibits renumbered 1 to {len(rows)} in date order."))
