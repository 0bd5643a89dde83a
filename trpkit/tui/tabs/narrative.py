"""The Narrative tab: meetings, the entry editor (own words or summary) with autosave, and history.

Keys: ctrl+s save · ctrl+n new entry · ctrl+d discard the unsaved draft · ctrl+r restore the version
selected in the history. The editor autosaves a draft every few seconds while you type; if the
laptop dies, the draft is offered again next time. A save that would overwrite someone else's newer
version opens a screen with both versions, and you choose.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any, ClassVar, TypeVar

from rich.markup import escape
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Button, DataTable, Input, Label, Select, Static, TextArea

from trpkit.services.narrative import MeetingRow, NarrativeEntryRow
from trpkit.services.narrative_drafts import DraftRow
from trpkit.services.narrative_history import RevisionRow
from trpkit.tui.tabs.narrative_meetings import MeetingsMixin, MeetingsTable, meeting_buttons
from trpkit.tui.widgets.exhibit_files import friendly_error
from trpkit.tui.widgets.pickers import NamePicker, shown_as

if TYPE_CHECKING:
    from trpkit.db.database import Database

AUTOSAVE_SECONDS = 3.0


def in_session(database: Database, fn: Callable[[Any], T]) -> T:
    """Run ``fn(session)`` in one unit of work, with the busy-vault retry of ``Database.run``."""
    return database.run(fn)


T = TypeVar("T")
KIND_OPTIONS = [("The person's own words (verbatim)", "own_words"), ("My summary", "summary")]


@dataclass
class NarrativeLoaded(Message):
    meetings: list[MeetingRow]
    entries: list[NarrativeEntryRow]
    drafts: list[DraftRow]


@dataclass
class HistoryLoaded(Message):
    entry_id: int
    revisions: list[RevisionRow]


@dataclass
class DraftSaved(Message):
    draft: DraftRow
    seq: int  # the edit it contains


@dataclass
class EntrySaved(Message):
    entry: NarrativeEntryRow
    note: str
    seq: int = -1  # the edit it contains (-1: not from the editor)


@dataclass
class SaveFailed(Message):
    text: str


@dataclass
class ConflictFound(Message):
    theirs: NarrativeEntryRow
    mine: dict[str, Any]


@dataclass
class EditorState:
    """What is open in the editor: an existing entry (with the version it started from) or a new one."""

    meeting_id: int | None = None
    entry_id: int | None = None
    base_version: int | None = None


class ConflictScreen(ModalScreen[str]):
    """Both versions side by side: keep mine, keep theirs, or edit both together."""

    BINDINGS: ClassVar = [
        Binding("m", "choose('mine')", "Keep mine"),
        Binding("t", "choose('theirs')", "Keep theirs"),
        Binding("e", "choose('edit')", "Edit both"),
        Binding("escape", "choose('edit')", "Back to editing"),
    ]
    DEFAULT_CSS = """
    ConflictScreen { align: center middle; }
    ConflictScreen > Vertical { width: 90%; height: 80%; border: thick $warning; background: $surface; padding: 1; }
    ConflictScreen Horizontal { height: 1fr; }
    ConflictScreen TextArea { width: 1fr; height: 1fr; }
    ConflictScreen #conflict-buttons { height: auto; }
    """

    def __init__(self, theirs: NarrativeEntryRow, mine_text: str) -> None:
        super().__init__()
        self.theirs = theirs
        self.mine_text = mine_text

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(
                f"[b]Someone else saved this entry[/] (now version {self.theirs.version}) while you were "
                "editing. Nothing is lost: choose what to keep."
            )
            with Horizontal():
                with Vertical():
                    yield Label(f"Theirs — version {self.theirs.version}")
                    yield TextArea(self.theirs.text, read_only=True, id="conflict-theirs")
                with Vertical():
                    yield Label("Yours — not saved yet")
                    yield TextArea(self.mine_text, read_only=True, id="conflict-mine")
            with Horizontal(id="conflict-buttons"):
                yield Button("Keep mine (m)", variant="warning", id="keep-mine")
                yield Button("Keep theirs (t)", id="keep-theirs")
                yield Button("Edit both together (e)", variant="primary", id="edit-both")

    def action_choose(self, choice: str) -> None:
        self.dismiss(choice)

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        self.dismiss(
            {"keep-mine": "mine", "keep-theirs": "theirs", "edit-both": "edit"}[event.button.id or ""]
        )


class NarrativeTab(MeetingsMixin):
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

    def __init__(self, case_code: str, *, id: str | None = None) -> None:
        super().__init__(case_code, id=id)
        self.state = EditorState()
        self.meetings: list[MeetingRow] = []
        self.entries: list[NarrativeEntryRow] = []
        self.drafts: list[DraftRow] = []
        self.dirty = False
        self._loading_editor = False
        self._last_autosave: datetime | None = None
        self._pending_entry: int | None = None
        self.revisions: list[RevisionRow] = []
        self._seq = 0  # counts edits in the editor
        self._clean_values: dict[str, str] = {}  # what the editor held when loaded or saved
        self._last_seen: dict[str, str] = {}
        self._saved_seq = -1  # the last edit that reached a saved version

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

    def flush(self) -> None:
        """Locking: keep the typing since the last autosave (read from the widgets, which still exist)."""
        if self.state.meeting_id is not None and self._values() != self._clean_values:
            self._save_draft_now(self._values())
            self.dirty = False

    def _save_draft_now(self, values: dict[str, str]) -> None:
        if self.state.meeting_id is None or not values.get("text", "").strip():
            return
        database = getattr(self.app, "database", None)
        if database is None:
            return  # the vault is already closed; flush() ran before locking
        from trpkit.services.narrative_drafts import save_draft

        state = self.state
        try:
            in_session(
                database,
                lambda s: save_draft(
                    s,
                    self.actor,
                    self.case_code,
                    meeting_id=state.meeting_id or 0,
                    entry_id=state.entry_id,
                    base_version=state.base_version,
                    **values,
                ),
            )
        except Exception as exc:  # noqa: BLE001 - never block leaving the screen; the periodic autosave ran
            self.log.error(f"could not keep the typing draft on leaving: {exc}")
            self.app.notify(
                "Your latest typing could not be kept as a draft; the last autosave is safe.",
                severity="warning",
            )

    def _status(self, text: str | Text) -> None:
        self.query_one("#narrative-status", Static).update(text)

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

    def _editor_text(self) -> str:
        return self.query_one("#editor", TextArea).text

    def _load_editor(self, text: str, kind: str, language: str, translation: str, translated_by: str) -> None:
        language = shown_as("language", language)  # "Spanish", not "es": what the picker understands
        self._loading_editor = True
        self.query_one("#editor", TextArea).load_text(text)
        self.query_one("#translation", TextArea).load_text(translation)
        self.query_one("#kind", Select).value = kind
        self.query_one("#language", Input).value = language
        self.query_one("#translated-by", Input).value = translated_by
        self._loading_editor = False
        self._clean_values = {
            "text": text,
            "kind": kind,
            "language": language,
            "translation": translation,
            "translated_by": translated_by,
        }
        self._last_seen = dict(self._clean_values)
        self.dirty = False

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

    # ------------------------------------------------------------------------------------------ history
    @work(thread=True, exclusive=True, group="narrative-history", exit_on_error=False)
    def _load_history(self, entry_id: int) -> None:
        from trpkit.services.narrative_history import entry_history

        revisions = in_session(
            self.database, lambda s: entry_history(s, self.actor, self.case_code, entry_id)
        )
        self.post_message(HistoryLoaded(entry_id, revisions))

    @on(HistoryLoaded)
    def _show_history(self, message: HistoryLoaded) -> None:
        if message.entry_id != self.state.entry_id:
            return
        self.revisions = message.revisions
        table = self.query_one("#history", DataTable)
        table.clear()
        shown: set[int] = set()
        for r in message.revisions:
            # One row per version. Once, under load in CI, a history arrived holding a version twice
            # (cause not found); a duplicate key would crash the app and lose the typing on screen.
            if r.version in shown:
                continue
            shown.add(r.version)
            table.add_row(
                f"v{r.version}",
                r.action,
                Text(r.saved_by),
                f"{r.saved_at:%Y-%m-%d %H:%M}",
                Text(" ".join(r.text.split())[:50]),
                key=str(r.version),
            )

    @on(DataTable.RowHighlighted, "#history")
    def _preview_revision(self, event: DataTable.RowHighlighted) -> None:
        """The whole text of the version under the cursor (to compare before restoring)."""
        revision = next((r for r in self.revisions if str(r.version) == str(event.row_key.value)), None)
        preview = self.query_one("#revision-preview", Static)
        if revision is None:
            preview.update("")
            return
        body = Text(f"v{revision.version} ({revision.action}, {revision.saved_by}): ", style="bold")
        body.append(revision.text)
        if revision.translation:
            body.append(f"\nTranslation: {revision.translation}")
        preview.update(body)

    def action_restore(self) -> None:
        table = self.query_one("#history", DataTable)
        if self.state.entry_id is None or table.row_count == 0:
            self._status("Open an entry and choose a version in its history first.")
            return
        version = int(table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value or 0)
        self._restore(self.state.entry_id, version, self.state.base_version)

    @on(Button.Pressed, "#restore")
    def _restore_pressed(self) -> None:
        self.action_restore()

    @work(thread=True, exclusive=True, group="narrative-save", exit_on_error=False)
    def _restore(self, entry_id: int, version: int, expected: int | None) -> None:
        from trpkit.errors import TrpkitError
        from trpkit.services.narrative import EntryConflict
        from trpkit.services.narrative_history import restore_revision

        try:
            row = in_session(
                self.database,
                lambda s: restore_revision(
                    s, self.actor, self.case_code, entry_id, version, expected_version=expected
                ),
            )
        except EntryConflict as conflict:
            self.post_message(SaveFailed(f"Not restored: {conflict}"))
            return
        except TrpkitError as exc:
            self.post_message(SaveFailed(f"Not restored: {friendly_error(exc)}"))
            return
        self.post_message(EntrySaved(row, f"Version {version} restored as version {row.version}."))

    # ------------------------------------------------------------------------------------------ editing
    @on(TextArea.Changed)
    @on(Input.Changed, "#language, #translated-by")
    @on(Select.Changed, "#kind")
    def _changed(self) -> None:
        # programmatic loads post Changed events too (later): only a real difference counts as an edit
        if self.state.meeting_id is None:
            return
        values = self._values()
        if values != self._clean_values:
            if values != self._last_seen:
                self._seq += 1
            self.dirty = True
        else:
            self.dirty = False  # typed back to what is saved: nothing to keep
        self._last_seen = values

    def _values(self) -> dict[str, str]:
        return {
            "text": self._editor_text(),
            "kind": str(self.query_one("#kind", Select).value),
            "language": self.query_one("#language", Input).value.strip(),
            "translation": self.query_one("#translation", TextArea).text,
            "translated_by": self.query_one("#translated-by", Input).value.strip(),
        }

    def _autosave_tick(self) -> None:
        if self.dirty:
            self._autosave_now()

    def _autosave_now(self) -> None:
        if self.state.meeting_id is None or not self._editor_text().strip():
            return
        self.dirty = False
        self._autosave(
            EditorState(self.state.meeting_id, self.state.entry_id, self.state.base_version),
            self._values(),
            self._seq,
        )

    @work(thread=True, group="narrative-autosave", exit_on_error=False)
    def _autosave(self, state: EditorState, values: dict[str, str], seq: int) -> None:
        from trpkit.errors import TrpkitError
        from trpkit.services.narrative_drafts import save_draft

        try:
            draft = in_session(
                self.database,
                lambda s: save_draft(
                    s,
                    self.actor,
                    self.case_code,
                    meeting_id=state.meeting_id or 0,
                    entry_id=state.entry_id,
                    base_version=state.base_version,
                    **values,
                ),
            )
        except TrpkitError as exc:
            self.post_message(SaveFailed(f"Autosave failed: {friendly_error(exc)}"))
            return
        self.post_message(DraftSaved(draft, seq))

    @on(DraftSaved)
    def _draft_saved(self, message: DraftSaved) -> None:
        if message.seq <= self._saved_seq:
            # this autosave finished after a save that already contains its text: it is stale
            self._discard(message.draft.meeting_id, message.draft.entry_id)
            return
        self.drafts = [d for d in self.drafts if d.id != message.draft.id] + [message.draft]
        self._last_autosave = message.draft.saved_at
        if not self.dirty:
            self._status(
                f"Draft autosaved {message.draft.saved_at:%H:%M:%S} UTC — ctrl+s to save it as a version."
            )

    def action_save(self) -> None:
        if self.state.meeting_id is None:
            self._status("Add or choose a meeting first.")
            return
        values = self._values()
        if not values["text"].strip():
            self._status("Nothing to save: the entry is empty.")
            return
        self.dirty = False
        self._save(
            EditorState(self.state.meeting_id, self.state.entry_id, self.state.base_version),
            values,
            seq=self._seq,
        )

    @on(Button.Pressed, "#save")
    def _save_pressed(self) -> None:
        self.action_save()

    @work(thread=True, exclusive=True, group="narrative-save", exit_on_error=False)
    def _save(
        self, state: EditorState, values: dict[str, str], force_version: int | None = None, seq: int = -1
    ) -> None:
        from trpkit.errors import TrpkitError
        from trpkit.services.narrative import EntryConflict, add_entry, update_entry
        from trpkit.services.narrative_drafts import discard_draft, list_drafts

        def save(session: Any) -> tuple[NarrativeEntryRow, str]:
            if state.entry_id is None:
                row = add_entry(
                    session,
                    self.actor,
                    self.case_code,
                    state.meeting_id or 0,
                    values["text"],
                    kind=values["kind"],
                    language=values["language"],
                    translation=values["translation"],
                    translated_by=values["translated_by"],
                )
                for draft in list_drafts(session, self.actor, self.case_code):
                    if draft.entry_id is None and draft.meeting_id == state.meeting_id:
                        discard_draft(session, self.actor, self.case_code, draft.id)
                return row, f"Entry {row.id} saved (version 1)."
            row = update_entry(
                session,
                self.actor,
                self.case_code,
                state.entry_id,
                expected_version=force_version or state.base_version or 0,
                **values,
            )
            return row, f"Saved: entry {row.id}, version {row.version}."

        try:
            row, note = in_session(self.database, save)
        except EntryConflict as conflict:
            self.post_message(ConflictFound(conflict.theirs, values))
            return
        except TrpkitError as exc:
            self.post_message(SaveFailed(f"Not saved: {friendly_error(exc)}"))
            return
        self.post_message(EntrySaved(row, note, seq))

    @on(EntrySaved)
    def _saved(self, message: EntrySaved) -> None:
        row = message.entry
        self._saved_seq = max(self._saved_seq, message.seq)
        edited_since = self._seq > message.seq >= 0 or (message.seq < 0 and self.dirty)
        self.state = EditorState(row.meeting_id, row.id, row.version)
        self.drafts = [d for d in self.drafts if d.entry_id != row.id]
        if not edited_since:
            self._load_editor(row.text, row.kind, row.language, row.translation, row.translated_by)
        self._status(message.note)
        self._load_history(row.id)
        self._load()

    @on(SaveFailed)
    def _failed(self, message: SaveFailed) -> None:
        self.dirty = True
        self._status(f"[b red]{escape(message.text)}[/]")

    @on(ConflictFound)
    def _conflict(self, message: ConflictFound) -> None:
        mine = message.mine
        theirs = message.theirs

        def chosen(choice: str | None) -> None:
            if choice == "mine":
                self._save(
                    EditorState(theirs.meeting_id, theirs.id, theirs.version),
                    mine,
                    force_version=theirs.version,
                    seq=self._seq,
                )
            elif choice == "theirs":
                self.state = EditorState(theirs.meeting_id, theirs.id, theirs.version)
                self._load_editor(
                    theirs.text, theirs.kind, theirs.language, theirs.translation, theirs.translated_by
                )
                self._discard(theirs.meeting_id, theirs.id)
                self._status(f"Kept their version {theirs.version}; your text was set aside.")
                self._load_history(theirs.id)
            else:
                self.state = EditorState(theirs.meeting_id, theirs.id, theirs.version)
                self._load_editor(
                    f"{theirs.text}\n\n--- your version ---\n{mine['text']}",
                    mine["kind"],
                    mine["language"],
                    mine["translation"],
                    mine["translated_by"],
                )
                self.dirty = True
                self._status(
                    f"Both versions are in the editor (theirs first). Edit, then ctrl+s saves on top of "
                    f"version {theirs.version}."
                )

        self._status("[b]Someone else saved a newer version.[/] Choose what to keep.")
        self.app.push_screen(ConflictScreen(theirs, mine["text"]), chosen)

    def action_discard_draft(self) -> None:
        if self.state.meeting_id is None:
            return
        self._discard(self.state.meeting_id, self.state.entry_id)
        entry = next((e for e in self.entries if e.id == self.state.entry_id), None)
        if entry is not None:
            self._load_editor(entry.text, entry.kind, entry.language, entry.translation, entry.translated_by)
            self.state.base_version = entry.version
        else:
            self._load_editor("", "own_words", "", "", "")
        self._status("Draft discarded.")

    @work(thread=True, group="narrative-discard", exit_on_error=False)
    def _discard(self, meeting_id: int, entry_id: int | None) -> None:
        from trpkit.services.narrative_drafts import discard_draft, list_drafts

        def discard(session: Any) -> None:
            for draft in list_drafts(session, self.actor, self.case_code):
                if draft.meeting_id == meeting_id and draft.entry_id == entry_id:
                    discard_draft(session, self.actor, self.case_code, draft.id)

        in_session(self.database, discard)
        self.drafts = [d for d in self.drafts if not (d.meeting_id == meeting_id and d.entry_id == entry_id)]
