"""The Narrative tab's meetings: add one (a), edit the highlighted one (e) in a form over the tab, remove it
(delete: asks what happens to the entries it holds), and bring a removed one back (r: the removed
meetings, enter restores).

A base of NarrativeTab (which holds the meetings list and the status line), kept here so each module has
one job. The form's language is typed by name or code and kept as the ISO code the date finder reads.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any, ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.coordinate import Coordinate
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Button, DataTable, Input, Select, Static

from trpkit.services.narrative import MeetingRow
from trpkit.services.narrative_removal import RemovedRow
from trpkit.tui.tabs.base import CaseTab
from trpkit.tui.widgets.exhibit_files import friendly_error
from trpkit.tui.widgets.pickers import NamePicker, shown_as

MEETING_DRAFT = "meeting"  # the form_drafts name of a meeting form's typing kept when the app locked
MEETING_INPUTS = ("date", "language", "interpreter", "duration", "place", "wellbeing")
FIELD_TITLES = {
    "date": "Date (YYYY-MM-DD)",
    "duration": "Minutes",
    "language": "Language",
    "interpreter": "Interpreter",
    "place": "Place",
    "wellbeing": "Wellbeing",
}


def _entries(count: int) -> str:
    return f"{count} entr{'y' if count == 1 else 'ies'}"


class MeetingsTable(DataTable[Any]):
    """The case's meetings: e edits the highlighted one, delete removes it, r lists the removed ones."""

    HELP_WHERE = "Narrative tab, meetings table"
    BINDINGS: ClassVar = [
        # a and r are on the buttons under the table; the footer keeps room for Help and Lock
        Binding("a", "request('add')", "Add meeting", show=False),
        Binding("e", "request('edit')", "Edit meeting"),
        Binding("delete", "request('remove')", "Remove meeting"),
        Binding("r", "request('removed')", "Removed meetings", show=False),
    ]

    @dataclass
    class Requested(Message):
        what: str  # "edit" | "remove" | "removed"

    def action_request(self, what: str) -> None:
        self.post_message(self.Requested(what))


def meeting_buttons() -> ComposeResult:
    """Under the meetings list: the form opens over the tab, so the lists keep their room at 80×24."""
    with Horizontal(id="m-buttons"):
        yield Button("Add meeting (a)", id="m-add")
        yield Button("Removed… (r)", id="m-removed")


class MeetingFormScreen(ModalScreen[MeetingRow | None]):
    """A meeting's details: adds a new one, or saves the changes to ``meeting``. Answers the saved meeting
    (None: closed without saving). esc with changes asks first (save / discard / stay)."""

    DEFAULT_CSS = """
    MeetingFormScreen { align: center middle; }
    MeetingFormScreen > VerticalScroll { width: 76; max-width: 100%; height: auto; max-height: 100%; border: thick $primary; padding: 0 1; background: $surface; }
    MeetingFormScreen Horizontal { height: auto; }
    MeetingFormScreen Horizontal > Input { width: 1fr; }
    MeetingFormScreen #m-error { color: $error; height: auto; }
    MeetingFormScreen Button { margin-right: 1; }
    """
    BINDINGS: ClassVar = [Binding("escape", "close", "Close"), Binding("ctrl+s", "save", "Save")]

    def __init__(
        self, case_code: str, meeting: MeetingRow | None = None, recovered: dict[str, str] | None = None
    ) -> None:
        super().__init__()
        self.case_code, self.meeting = case_code, meeting
        self.recovered = recovered  # typing kept when the app locked, put back unsaved

    def compose(self) -> ComposeResult:
        base = {**self._baseline(), **(self.recovered or {})}
        title = f"Meeting of {self.meeting.held_on}" if self.meeting else "New meeting"
        with VerticalScroll():
            yield Static(f"[b]{title}[/b] — date as YYYY-MM-DD (2026-03-14); empty: today")
            if self.recovered is not None:
                yield Static(
                    "[b]Recovered typing not saved when the app locked:[/b] ctrl+s saves it, esc drops it.",
                    id="m-recovered",
                )
            with Horizontal():
                yield Input(base["date"], placeholder="Date YYYY-MM-DD", id="m-date")
                yield Input(base["duration"], placeholder="Minutes", id="m-duration", type="integer")
            yield NamePicker(
                "language",
                input_id="m-language",
                value=base["language"],
                placeholder="Language (Spanish, es…)",
            )
            with Horizontal():
                yield Input(base["interpreter"], placeholder="Interpreter", id="m-interpreter")
                yield Input(base["place"], placeholder="Place", id="m-place")
            yield Input(
                base["wellbeing"], placeholder="Wellbeing (e.g. asked to stop early)", id="m-wellbeing"
            )
            yield Static("", id="m-error")
            with Horizontal():
                yield Button("Save (ctrl+s)", variant="primary", id="m-save")
                yield Button("Cancel (esc)", id="m-close")

    def on_mount(self) -> None:
        # each field's name in its top border: still readable once the placeholder is replaced by a value
        for name, title in FIELD_TITLES.items():
            self.query_one(f"#m-{name}", Input).border_title = title
        self.query_one("#m-date", Input).focus()

    def _baseline(self) -> dict[str, str]:
        m = self.meeting
        if m is None:
            return dict.fromkeys(MEETING_INPUTS, "")
        return {
            "date": m.held_on.isoformat(),
            "language": shown_as("language", m.language),
            "interpreter": m.interpreter,
            "duration": "" if m.duration_minutes is None else str(m.duration_minutes),
            "place": m.place,
            "wellbeing": " ".join(m.wellbeing_notes.split()),
        }

    def _values(self) -> dict[str, str]:
        return {name: self.query_one(f"#m-{name}", Input).value.strip() for name in MEETING_INPUTS}

    def changed(self) -> bool:
        return self._values() != self._baseline()

    @on(Button.Pressed, "#m-close")
    def action_close(self) -> None:
        from trpkit.tui.screens.confirm import UnsavedScreen

        if not self.changed():
            self.dismiss(None)
            return

        def answered(choice: str | None) -> None:
            if choice == "save":
                self.action_save()
            elif choice == "discard":
                self._drop_draft()
                self.dismiss(None)

        self.app.push_screen(UnsavedScreen("The meeting form"), answered)

    def flush_typing(self) -> None:
        """The app is locking (the vault closes next): keep what was typed as a draft, offered back when the
        same person opens the case's Narrative tab again."""
        if not self.changed():
            return
        from trpkit.services.form_drafts import save_form_draft
        from trpkit.tui.tabs.narrative import in_session

        app: Any = self.app
        kept = {"meeting_id": self.meeting.id if self.meeting else None, "values": self._values()}
        in_session(app.database, lambda s: save_form_draft(s, app.actor, self.case_code, MEETING_DRAFT, kept))

    @work(thread=True, group="meeting-draft", exit_on_error=False)
    def _drop_draft(self) -> None:
        if self.recovered is None:
            return  # nothing was kept for this form
        from trpkit.services.form_drafts import discard_form_draft
        from trpkit.tui.tabs.narrative import in_session

        app: Any = self.app
        in_session(app.database, lambda s: discard_form_draft(s, app.actor, self.case_code, MEETING_DRAFT))

    @on(Button.Pressed, "#m-save")
    @on(Input.Submitted)
    def action_save(self) -> None:
        values = self._values()
        try:
            held_on = date.fromisoformat(values["date"]) if values["date"] else date.today()
        except ValueError:
            self._error(f"'{values['date']}' is not a date: write the day as YYYY-MM-DD (2026-03-14).")
            return
        minutes = values["duration"]
        fields: dict[str, Any] = {
            "held_on": held_on,
            "language": values["language"],
            "interpreter": values["interpreter"],
            "place": values["place"],
            "duration_minutes": int(minutes) if minutes.isdigit() else None,
            "wellbeing_notes": values["wellbeing"],
        }
        if self.meeting is not None:
            before = self._baseline()
            names = dict(
                zip(
                    fields, ("date", "language", "interpreter", "place", "duration", "wellbeing"), strict=True
                )
            )
            fields = {key: value for key, value in fields.items() if values[names[key]] != before[names[key]]}
            if not fields:
                self.dismiss(None)
                return
        self._save(fields)

    def _error(self, text: str) -> None:
        self.query_one("#m-error", Static).update(Text(text))

    @work(thread=True, exclusive=True, group="meeting-form", exit_on_error=False)
    def _save(self, fields: dict[str, Any]) -> None:
        from trpkit.errors import TrpkitError
        from trpkit.services.narrative_meetings import add_meeting, update_meeting
        from trpkit.tui.tabs.narrative import in_session

        app: Any = self.app
        m = self.meeting
        try:
            if m is None:
                row = in_session(app.database, lambda s: add_meeting(s, app.actor, self.case_code, **fields))
            else:
                row = in_session(
                    app.database,
                    lambda s: update_meeting(
                        s, app.actor, self.case_code, m.id, expected_version=m.version, **fields
                    ),
                )
        except TrpkitError as exc:
            app.call_from_thread(self._error, f"Not saved: {friendly_error(exc)}")
            return
        if self.recovered is not None:
            from trpkit.services.form_drafts import discard_form_draft

            in_session(
                app.database, lambda s: discard_form_draft(s, app.actor, self.case_code, MEETING_DRAFT)
            )
        app.call_from_thread(self.dismiss, row)


class RemoveMeetingScreen(ModalScreen[tuple[str, int | None] | None]):
    """What happens to a meeting's entries: move them to another meeting, or remove them with it."""

    DEFAULT_CSS = """
    RemoveMeetingScreen { align: center middle; }
    RemoveMeetingScreen > Vertical { width: 76; max-width: 100%; height: auto; border: thick $warning; padding: 1 2; background: $surface; }
    RemoveMeetingScreen Horizontal { height: auto; margin-top: 1; }
    RemoveMeetingScreen Button { margin-right: 1; }
    """
    BINDINGS: ClassVar = [Binding("escape", "dismiss(None)", "Keep the meeting")]

    def __init__(self, meeting: MeetingRow, others: list[MeetingRow]) -> None:
        super().__init__()
        self.meeting, self.others = meeting, others

    def compose(self) -> ComposeResult:
        m = self.meeting
        with Vertical():
            if m.entry_count:
                choice = (
                    "Move them to another meeting, or remove them with it?"
                    if self.others
                    else "Remove them with it? (To keep them, add the right meeting first and move them there.)"
                )
                yield Static(
                    f"The meeting of {m.held_on} holds {_entries(m.entry_count)}. {choice} Either way the "
                    "meeting can be restored from Removed… (r in the meetings table).",
                    markup=False,
                )
                if self.others:
                    yield Select(
                        [(f"{o.held_on} ({_entries(o.entry_count)})", o.id) for o in self.others],
                        value=self.others[-1].id,
                        allow_blank=False,
                        id="move-to",
                    )
            else:
                yield Static(
                    f"Remove the meeting of {m.held_on}? It holds no entries, and can be restored from "
                    "Removed… (r in the meetings table).",
                    markup=False,
                )
            with Horizontal():
                if m.entry_count and self.others:
                    yield Button("Move the entries, remove the meeting", variant="primary", id="move")
                yield Button(
                    "Remove with its entries" if m.entry_count else "Remove", variant="warning", id="remove"
                )
                yield Button("Keep (esc)", id="keep")

    def on_mount(self) -> None:
        self.query_one("#keep", Button).focus()  # enter alone never removes anything

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "move":
            self.dismiss(("move", int(str(self.query_one("#move-to", Select).value))))
        elif event.button.id == "remove":
            self.dismiss(("remove", None))
        else:
            self.dismiss(None)


class RemovedScreen(ModalScreen[int | None]):
    """Meetings removed from this case file; enter restores the highlighted one."""

    DEFAULT_CSS = """
    RemovedScreen { align: center middle; }
    RemovedScreen > Vertical { width: 90; max-width: 100%; height: auto; max-height: 90%; border: thick $primary; padding: 1 2; background: $surface; }
    RemovedScreen DataTable { height: auto; max-height: 12; }
    """
    BINDINGS: ClassVar = [Binding("escape", "dismiss(None)", "Close")]

    def __init__(self, rows: list[RemovedRow]) -> None:
        super().__init__()
        self.rows = [r for r in rows if r.restored_at is None]

    def compose(self) -> ComposeResult:
        with Vertical():
            if not self.rows:
                yield Static("Nothing removed from this narrative is waiting to be restored. (esc closes)")
                return
            yield Static("Removed meetings: enter restores the highlighted one with its entries. esc closes.")
            table: DataTable[Any] = DataTable(id="removed-table", cursor_type="row")
            table.add_columns("What", "Removed by", "When (UTC)")
            for r in self.rows:
                table.add_row(
                    Text(r.label), Text(r.removed_by), f"{r.removed_at:%Y-%m-%d %H:%M}", key=str(r.id)
                )
            yield table

    @on(DataTable.RowSelected)
    def _chosen(self, event: DataTable.RowSelected) -> None:
        self.dismiss(int(str(event.row_key.value)))


@dataclass
class MeetingChanged(Message):
    note: str
    meeting_id: int | None = None  # the meeting to show afterwards


class MeetingsMixin(CaseTab):
    """Meeting handlers of the NarrativeTab, which derives from this (a CaseTab itself, so Textual
    registers the handlers below)."""

    _meeting_draft_offered = False

    def _offer_meeting_draft(self) -> None:
        """Once per opening of the tab: a meeting form's typing kept when the app locked comes back in the
        form, unsaved (ctrl+s saves it, esc asks whether to drop it)."""
        if not self._meeting_draft_offered:
            self._meeting_draft_offered = True
            self._load_meeting_draft()

    @work(thread=True, group="meeting-draft", exit_on_error=False)
    def _load_meeting_draft(self) -> None:
        from trpkit.services.form_drafts import discard_form_draft, get_form_draft
        from trpkit.tui.tabs.narrative import in_session

        tab: Any = self
        draft = in_session(tab.database, lambda s: get_form_draft(s, tab.actor, tab.case_code, MEETING_DRAFT))
        if draft is None:
            return
        meeting_id = draft.values.get("meeting_id")
        meeting = next((m for m in tab.meetings if m.id == meeting_id), None)
        if meeting_id is not None and meeting is None:  # the meeting was removed meanwhile
            in_session(tab.database, lambda s: discard_form_draft(s, tab.actor, tab.case_code, MEETING_DRAFT))
            return
        values = {k: str(v) for k, v in dict(draft.values.get("values", {})).items() if k in MEETING_INPUTS}
        tab.app.call_from_thread(self._open_meeting_form, meeting, values)

    def _open_meeting_form(self, meeting: MeetingRow | None, recovered: dict[str, str] | None = None) -> None:
        tab: Any = self

        def saved(row: MeetingRow | None) -> None:
            if row is not None:
                verb = "added" if meeting is None else "saved"
                hint = " ctrl+n starts an entry." if meeting is None else ""
                self.post_message(MeetingChanged(f"Meeting of {row.held_on} {verb}.{hint}", row.id))

        tab.app.push_screen(MeetingFormScreen(tab.case_code, meeting, recovered), saved)

    @on(Button.Pressed, "#m-add")
    def _add_pressed(self) -> None:
        self._open_meeting_form(None)

    @on(MeetingChanged)
    def _meeting_changed(self, message: MeetingChanged) -> None:
        tab: Any = self
        if message.meeting_id is not None:
            tab.state.meeting_id = message.meeting_id
            tab.state.entry_id = None if tab.state.entry_id is None else tab.state.entry_id
        elif all(m.id != tab.state.meeting_id for m in tab.meetings):
            tab.state.meeting_id = None
        tab._status(message.note)
        tab._load()

    # ---------------------------------------------------------------------------------- table requests
    def _highlighted_meeting(self) -> MeetingRow | None:
        table = self.query_one("#meetings", DataTable)
        if not table.row_count:
            return None
        key = table.coordinate_to_cell_key(Coordinate(table.cursor_row, 0)).row_key.value
        return next((m for m in self.meetings if str(m.id) == key), None)  # type: ignore[attr-defined]

    @on(MeetingsTable.Requested)
    def _meeting_request(self, message: MeetingsTable.Requested) -> None:
        if message.what == "removed":
            self._show_removed()
            return
        if message.what == "add":
            self._open_meeting_form(None)
            return
        meeting = self._highlighted_meeting()
        if meeting is None:
            self._status("No meeting yet: a adds one.")  # type: ignore[attr-defined]
            return
        if message.what == "edit":
            self._open_meeting_form(meeting)
        else:
            self._ask_to_remove_meeting(meeting)

    def _ask_to_remove_meeting(self, meeting: MeetingRow) -> None:
        others = [m for m in self.meetings if m.id != meeting.id]  # type: ignore[attr-defined]

        def answered(choice: tuple[str, int | None] | None) -> None:
            if choice is not None:
                self._remove_meeting(meeting.id, meeting.version, choice[0], choice[1])

        self.app.push_screen(RemoveMeetingScreen(meeting, others), answered)

    @work(thread=True, exclusive=True, group="narrative-save", exit_on_error=False)
    def _remove_meeting(self, meeting_id: int, version: int, entries: str, move_to: int | None) -> None:
        from trpkit.errors import TrpkitError
        from trpkit.services.narrative_removal import remove_meeting
        from trpkit.tui.tabs.narrative import SaveFailed, in_session

        tab: Any = self
        try:
            said = in_session(
                tab.database,
                lambda s: remove_meeting(
                    s,
                    tab.actor,
                    tab.case_code,
                    meeting_id,
                    entries=entries,  # type: ignore[arg-type]
                    move_to=move_to,
                    expected_version=version,
                ),
            )
        except TrpkitError as exc:
            tab.post_message(SaveFailed(f"Meeting not removed: {friendly_error(exc)}"))
            return
        if tab.state.meeting_id == meeting_id:
            tab.state.meeting_id = move_to
            tab.state.entry_id = None if move_to is None else tab.state.entry_id
        tab.post_message(MeetingChanged(said, move_to))

    # --------------------------------------------------------------------------------- removed meetings
    @on(Button.Pressed, "#m-removed")
    def _removed_pressed(self) -> None:
        self._show_removed()

    @work(thread=True, exclusive=True, group="narrative-removed", exit_on_error=False)
    def _show_removed(self) -> None:
        from trpkit.services.narrative_removal import list_removed
        from trpkit.tui.tabs.narrative import in_session

        tab: Any = self
        rows = in_session(tab.database, lambda s: list_removed(s, tab.actor, tab.case_code))

        def answered(number: int | None) -> None:
            if number is not None:
                self._restore_removed(number)

        tab.app.call_from_thread(tab.app.push_screen, RemovedScreen(rows), answered)

    @work(thread=True, exclusive=True, group="narrative-save", exit_on_error=False)
    def _restore_removed(self, number: int) -> None:
        from trpkit.errors import TrpkitError
        from trpkit.services.narrative_removal import restore_removed
        from trpkit.tui.tabs.narrative import SaveFailed, in_session

        tab: Any = self
        try:
            row = in_session(tab.database, lambda s: restore_removed(s, tab.actor, tab.case_code, number))
        except TrpkitError as exc:
            tab.post_message(SaveFailed(f"Not restored: {friendly_error(exc)}"))
            return
        tab.post_message(
            MeetingChanged(f"Restored the meeting of {row.held_on} with {_entries(row.entry_count)}.", row.id)
        )
