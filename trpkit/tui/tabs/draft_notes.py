"""The Draft tab's notes editor: what the accompanier writes for the letter, section by section.

Text typed but not saved yet stays in the editor when the saved notes reload; ctrl+s saves every
section changed, never over someone else's newer version.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from textual import on, work
from textual.message import Message
from textual.widgets import Button, Select, Static, TextArea

from trpkit.tui.tabs.base import CaseTab

if TYPE_CHECKING:
    from trpkit.services.drafting_notes import NotesDetail


@dataclass
class NotesLoaded(Message):
    notes: NotesDetail | None
    saved: bool = False
    error: str = ""


class DraftNotes(CaseTab):
    """The notes editor of the DraftTab, which derives from this (a CaseTab itself, so Textual registers
    the handlers below)."""

    SECTIONS = [
        ("Vulnerabilities", "vulnerabilities"),
        ("Safety", "safety"),
        ("Risks on return", "risks_on_return"),
        ("Continued need (subsequent TRP)", "continued_need"),
        ("Recovery (subsequent TRP)", "recovery"),
        ("Criminal case (subsequent TRP)", "criminal_case"),
        ("Needs: health", "needs_health"),
        ("Needs: housing", "needs_housing"),
        ("Needs: work", "needs_work"),
        ("Ties in Canada: work (subsequent TRP)", "ties_work"),
        ("Ties in Canada: studies (subsequent TRP)", "ties_studies"),
        ("Ties in Canada: community (subsequent TRP)", "ties_community"),
        ("Ties in Canada: family (subsequent TRP)", "ties_family"),
        ("Ties in Canada: treatment (subsequent TRP)", "ties_treatment"),
        ("IRCC office (address block)", "ircc_office"),
    ]

    _notes_version = 0
    _notes_loaded = False
    _notes_saved: dict[str, str] = {}  # replaced per instance on first load
    _notes_edits: dict[str, str] = {}
    _section = "vulnerabilities"

    def _show_notes(self, notes: NotesDetail, keep_edits: bool = True) -> None:
        """Show the saved notes; text typed but not saved yet stays in the editor (unless just saved)."""
        if keep_edits and self._notes_loaded:
            self._remember_edit()
        self._notes_loaded = True
        self._notes_version = notes.version
        self._notes_saved = dict(notes.values)
        if not keep_edits:
            self._notes_edits = {}
        area = self.query_one("#draft-notes-text", TextArea)
        text = self._notes_edits.get(self._section, self._notes_saved.get(self._section, ""))
        if area.text != text:
            area.load_text(text)

    @on(Select.Changed, "#draft-notes-section")
    def _section_changed(self, event: Select.Changed) -> None:
        self._remember_edit()
        self._section = str(event.value)
        area = self.query_one("#draft-notes-text", TextArea)
        area.load_text(self._notes_edits.get(self._section, self._notes_saved.get(self._section, "")))

    def _remember_edit(self) -> None:
        text = self.query_one("#draft-notes-text", TextArea).text
        if text != self._notes_saved.get(self._section, ""):
            self._notes_edits = {**self._notes_edits, self._section: text}
        else:
            self._notes_edits = {k: v for k, v in self._notes_edits.items() if k != self._section}

    def action_save(self) -> None:
        """ctrl+s (from the case file): save the notes typed in any section."""
        self._remember_edit()
        if not self._notes_edits:
            self.query_one("#draft-notes-status", Static).update("Nothing to save.")
            return
        self.query_one("#draft-notes-status", Static).update("Saving…")
        self._save_notes(dict(self._notes_edits), self._notes_version)

    @on(Button.Pressed, "#draft-notes-save")
    def _save_pressed(self) -> None:
        self.action_save()

    @work(thread=True, exclusive=True, group="draft-notes", exit_on_error=False)
    def _save_notes(self, values: dict[str, str], version: int) -> None:
        from trpkit.errors import TrpkitError
        from trpkit.services.drafting_notes import update_notes

        try:
            with self.database.session() as session:
                notes = update_notes(
                    session, self.actor, self.case_code, expected_version=version or None, **values
                )
        except TrpkitError as exc:
            self.post_message(NotesLoaded(None, error=str(exc)))
            return
        self.post_message(NotesLoaded(notes, saved=True))

    @on(NotesLoaded)
    def _notes_saved_or_refused(self, message: NotesLoaded) -> None:
        status = self.query_one("#draft-notes-status", Static)
        if message.error or message.notes is None:
            status.update(
                f"[b red]Not saved:[/] {message.error} Your text is still here; copy it before "
                "reloading (ctrl+r)."
            )
            return
        self._show_notes(message.notes, keep_edits=False)
        status.update(f"Saved (version {message.notes.version}).")
        self.reload()
