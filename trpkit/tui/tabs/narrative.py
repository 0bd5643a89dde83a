"""The Narrative tab: meetings, the entry editor (own words or summary) with autosave, and history.

Keys: ctrl+s save · ctrl+n new entry · ctrl+d discard the unsaved draft · ctrl+r restore the version
selected in the history. The editor autosaves a draft every few seconds while you type; if the
laptop dies, the draft is offered again next time. A save that would overwrite someone else's newer
version opens a screen with both versions, and you choose.
"""

from __future__ import annotations

from typing import Any, ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, DataTable, Input, Label, Select, Static, TextArea

from trpkit.services.narrative_drafts import DraftRow
from trpkit.tui.tabs.narrative_meetings import MeetingsTable, meeting_buttons
from trpkit.tui.tabs.narrative_saving import NarrativeSaving
from trpkit.tui.tabs.narrative_state import EditorState, NarrativeLoaded, in_session
from trpkit.tui.widgets.pickers import NamePicker

AUTOSAVE_SECONDS = 3.0
KIND_OPTIONS = [("The person's own words (verbatim)", "own_words"), ("My summary", "summary")]


class NarrativeTab(NarrativeSaving):
    TITLE = "Narrative"
    BINDINGS: ClassVar = [
        Binding("ctrl+n", "new_entry", "New entry"),
        Binding("ctrl+d", "discard_draft", "Discard draft"),
        Binding("ctrl+r", "restore", "Restore version"),
    ]
    DEFAULT_CSS = """
    NarrativeTab #narrative-columns { height: 1fr; }
    NarrativeTab #narrative-left { width: 45; }
    NarrativeTab #meetings { height: 1fr; }
    NarrativeTab #entries { height: 2fr; }
    NarrativeTab #narrative-editor-column { width: 1fr; padding: 0 1; }
    NarrativeTab #editor { height: 2fr; }
    NarrativeTab #translation { height: 1fr; }
    NarrativeTab #history { height: 8; }
    NarrativeTab #editor-buttons { height: auto; }
    NarrativeTab #revision-preview { height: auto; max-height: 8; padding: 0 1; color: $text-muted; }
    NarrativeTab #editor-fields { height: auto; }
    NarrativeTab #editor-fields Input { width: 1fr; }
    NarrativeTab #editor-fields Select { width: 40; }
    NarrativeTab #language-picker { width: 1fr; }
    NarrativeTab #language-picker .picker-hint { height: 1; text-wrap: nowrap; text-overflow: ellipsis; }
    NarrativeTab #m-buttons { height: auto; }
    NarrativeTab #m-buttons Button { min-width: 8; margin-right: 1; }
    NarrativeTab #narrative-status { height: auto; color: $text-muted; }
    """

    # ------------------------------------------------------------------------------------------ layout
    def compose(self) -> ComposeResult:
        with Horizontal(id="narrative-columns"):
            with Vertical(id="narrative-left"):
                meetings = MeetingsTable(id="meetings", cursor_type="row")
                meetings.add_columns("Date", "Lang", "Entries", "Wellbeing")
                yield meetings
                entries: DataTable[str] = DataTable(id="entries", cursor_type="row")
                entries.add_columns("#", "Kind", "Ver", "Text")
                yield entries
                yield from meeting_buttons()
            with Vertical(id="narrative-editor-column"):
                with Horizontal(id="editor-fields"):
                    yield Select(KIND_OPTIONS, value="own_words", allow_blank=False, id="kind")
                    yield NamePicker(
                        "language", input_id="language", placeholder="Language of the text (Spanish, es…)"
                    )
                    yield Input(placeholder="Translated by", id="translated-by", tooltip="Who translated it")
                yield TextArea(id="editor", soft_wrap=True)
                yield Label("Translation (optional)")
                yield TextArea(id="translation", soft_wrap=True)
                with Horizontal(id="editor-buttons"):
                    yield Button("Save (ctrl+s)", variant="primary", id="save")
                    yield Button("New entry (ctrl+n)", id="new")
                    yield Button("Restore selected version (ctrl+r)", id="restore")
                yield Static("Choose or add a meeting, then write.", id="narrative-status")
                history: DataTable[str] = DataTable(id="history", cursor_type="row")
                history.add_columns("Ver", "Action", "By", "Saved (UTC)", "Text")
                yield history
                yield Static("", id="revision-preview")

    def on_mount(self) -> None:
        self.set_interval(AUTOSAVE_SECONDS, self._autosave_tick)
        super().on_mount()

    def on_unmount(self) -> None:
        """Leaving the case file (or quitting) with unsaved typing: keep it as a draft right now."""
        if self.dirty:
            self._save_draft_now(dict(self._last_seen))  # the widgets are already gone: the last values seen

    # ------------------------------------------------------------------------------------------ loading
    def reload(self) -> None:
        self._load()

    @work(thread=True, exclusive=True, group="narrative-load", exit_on_error=False)
    def _load(self) -> None:
        from trpkit.services.narrative import list_entries
        from trpkit.services.narrative_drafts import list_drafts
        from trpkit.services.narrative_meetings import list_meetings

        def load(session: Any) -> NarrativeLoaded:
            return NarrativeLoaded(
                list_meetings(session, self.actor, self.case_code),
                list_entries(session, self.actor, self.case_code),
                list_drafts(session, self.actor, self.case_code),
            )

        self.post_message(in_session(self.database, load))

    @on(NarrativeLoaded)
    def _show(self, message: NarrativeLoaded) -> None:
        self.meetings, self.entries, self.drafts = message.meetings, message.entries, message.drafts
        self._offer_meeting_draft()
        table = self.query_one("#meetings", DataTable)
        table.clear()
        for m in self.meetings:
            if str(m.id) in table.rows:  # never twice, even if two loads land together
                continue
            table.add_row(
                m.held_on.isoformat(),
                Text(m.language),
                str(m.entry_count),
                Text(m.wellbeing_notes[:20]),
                key=str(m.id),
            )
        if self.state.meeting_id is None and self.meetings:
            self.state.meeting_id = self.meetings[-1].id
        if self.state.meeting_id is not None:
            row = next((i for i, m in enumerate(self.meetings) if m.id == self.state.meeting_id), None)
            if row is not None:
                table.move_cursor(row=row)
        self._fill_entries()
        if self._pending_entry is not None and any(e.id == self._pending_entry for e in self.entries):
            entry_id, self._pending_entry = self._pending_entry, None
            self.show_entry(entry_id)
        elif self.drafts and not self.dirty and self.state.entry_id is None and not self._editor_text():
            self._offer_draft(self.drafts[-1])

    def show_entry_when_loaded(self, entry_id: int) -> None:
        """Open ``entry_id`` (from search results) as soon as the entries are here."""
        if any(e.id == entry_id for e in self.entries):
            self.show_entry(entry_id)
        else:
            self._pending_entry = entry_id

    def show_entry(self, entry_id: int) -> None:
        entry = next(e for e in self.entries if e.id == entry_id)
        self.state.meeting_id = entry.meeting_id
        meetings = self.query_one("#meetings", DataTable)
        row = next((i for i, m in enumerate(self.meetings) if m.id == entry.meeting_id), None)
        if row is not None:
            meetings.move_cursor(row=row)
        self._fill_entries()
        self.open_entry(entry_id)
        self.query_one("#editor", TextArea).focus()

    def _fill_entries(self) -> None:
        table = self.query_one("#entries", DataTable)
        table.clear()
        for e in self.entries:
            if e.meeting_id == self.state.meeting_id and str(e.id) not in table.rows:
                draft = "✎ " if any(d.entry_id == e.id for d in self.drafts) else ""
                table.add_row(
                    str(e.position),
                    "own words" if e.kind == "own_words" else "summary",
                    f"v{e.version}",
                    Text(draft + " ".join(e.text.split())[:40]),
                    key=str(e.id),
                )

    def _offer_draft(self, draft: DraftRow) -> None:
        """Put a recovered autosave back in the editor (it stays a draft until saved)."""
        entry = next((e for e in self.entries if e.id == draft.entry_id), None)
        self.state = EditorState(draft.meeting_id, draft.entry_id, draft.base_version)
        self._load_editor(draft.text, draft.kind, draft.language, draft.translation, draft.translated_by)
        what = f"entry {entry.id}" if entry else "a new entry"
        self._status(
            f"[b]Recovered unsaved text[/] for {what}, autosaved {draft.saved_at:%Y-%m-%d %H:%M:%S} UTC. "
            "ctrl+s saves it, ctrl+d discards it."
        )
        if entry is not None:
            self._load_history(entry.id)

    # ------------------------------------------------------------------------------------------ selection
    @on(DataTable.RowSelected, "#meetings")
    @on(DataTable.RowHighlighted, "#meetings")
    def _meeting_chosen(self, event: DataTable.RowSelected | DataTable.RowHighlighted) -> None:
        if event.row_key is None or event.row_key.value is None:
            return
        meeting_id = int(event.row_key.value)
        if meeting_id != self.state.meeting_id:
            self.state.meeting_id = meeting_id
            self._fill_entries()

    @on(DataTable.RowSelected, "#entries")
    def _entry_chosen(self, event: DataTable.RowSelected) -> None:
        if event.row_key.value is None:
            return
        self.open_entry(int(event.row_key.value))

    def open_entry(self, entry_id: int) -> None:
        if self.dirty:
            self._autosave_now()
        entry = next((e for e in self.entries if e.id == entry_id), None)
        if entry is None:
            return
        draft = next((d for d in self.drafts if d.entry_id == entry.id), None)
        if draft is not None:
            self._offer_draft(draft)
            return
        self.state = EditorState(entry.meeting_id, entry.id, entry.version)
        self._load_editor(entry.text, entry.kind, entry.language, entry.translation, entry.translated_by)
        self._status(f"Entry {entry.id}, version {entry.version}, told {entry.meeting_date}.")
        self._load_history(entry.id)

    def action_new_entry(self) -> None:
        if self.state.meeting_id is None:
            self._status("Add a meeting first: a in the meetings list, or the Add meeting button.")
            return
        if self.dirty:
            self._autosave_now()
        meeting = next((m for m in self.meetings if m.id == self.state.meeting_id), None)
        self.state = EditorState(self.state.meeting_id, None, None)
        self._load_editor("", "own_words", meeting.language if meeting else "", "", "")
        self.query_one("#history", DataTable).clear()
        self._status("New entry: write the person's words as said (or switch to summary).")
        self.query_one("#editor", TextArea).focus()

    @on(Button.Pressed, "#new")
    def _new_pressed(self) -> None:
        self.action_new_entry()
