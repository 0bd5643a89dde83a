"""The Narrative tab's saving: edits tracked, drafts autosaved every few seconds (and kept when
leaving or locking), ctrl+s saving a version, a conflicting save resolved on a screen, ctrl+d
discarding the draft."""

from __future__ import annotations

from typing import Any

from rich.markup import escape
from textual import on, work
from textual.widgets import Button, Input, Select, TextArea

from trpkit.services.narrative import NarrativeEntryRow
from trpkit.tui.tabs.narrative_conflict import ConflictScreen
from trpkit.tui.tabs.narrative_history import NarrativeHistory
from trpkit.tui.tabs.narrative_state import (
    ConflictFound,
    DraftSaved,
    EditorState,
    EntrySaved,
    SaveFailed,
    in_session,
)
from trpkit.tui.widgets.exhibit_files import friendly_error


class NarrativeSaving(NarrativeHistory):
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
