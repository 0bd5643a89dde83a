"""The Narrative tab's meetings: add one (a), edit the highlighted one (e) in a form over the tab, remove it
(delete: asks what happens to the entries it holds), and bring a removed one back (r: the removed
meetings, enter restores).

A base of NarrativeTab (which holds the meetings list and the status line), kept here so each module has
one job. The form is in ``narrative_meeting_form``, the removal screens in ``narrative_meeting_removal``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.coordinate import Coordinate
from textual.message import Message
from textual.widgets import Button, DataTable

from trpkit.services.narrative import MeetingRow
from trpkit.tui.tabs.base import CaseTab
from trpkit.tui.tabs.narrative_meeting_form import MEETING_DRAFT, MEETING_INPUTS, MeetingFormScreen
from trpkit.tui.tabs.narrative_meeting_removal import RemovedScreen, RemoveMeetingScreen, _entries
from trpkit.tui.widgets.exhibit_files import friendly_error


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
        from trpkit.tui.tabs.narrative_state import in_session

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
        from trpkit.tui.tabs.narrative_state import SaveFailed, in_session

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
        from trpkit.tui.tabs.narrative_state import in_session

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
        from trpkit.tui.tabs.narrative_state import SaveFailed, in_session

        tab: Any = self
        try:
            row = in_session(tab.database, lambda s: restore_removed(s, tab.actor, tab.case_code, number))
        except TrpkitError as exc:
            tab.post_message(SaveFailed(f"Not restored: {friendly_error(exc)}"))
            return
        tab.post_message(
            MeetingChanged(f"Restored the meeting of {row.held_on} with {_entries(row.entry_count)}.", row.id)
        )
