"""The Narrative tab's editor fields: what is open (EditorState), loading text into the fields,
reading them back, and the status line. The tab's history, saving and loading build on this."""

from __future__ import annotations

from datetime import datetime

from rich.text import Text
from textual.widgets import Input, Select, Static, TextArea

from trpkit.services.narrative import MeetingRow, NarrativeEntryRow
from trpkit.services.narrative_drafts import DraftRow
from trpkit.services.narrative_history import RevisionRow
from trpkit.tui.tabs.narrative_meetings import MeetingsMixin
from trpkit.tui.tabs.narrative_state import EditorState
from trpkit.tui.widgets.pickers import shown_as


class NarrativeEditor(MeetingsMixin):
    """The editor's state and fields, shared by the NarrativeTab's parts (a CaseTab, so Textual
    registers the handlers of the classes built on it)."""

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

    def _status(self, text: str | Text) -> None:
        self.query_one("#narrative-status", Static).update(text)

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

    def _values(self) -> dict[str, str]:
        return {
            "text": self._editor_text(),
            "kind": str(self.query_one("#kind", Select).value),
            "language": self.query_one("#language", Input).value.strip(),
            "translation": self.query_one("#translation", TextArea).text,
            "translated_by": self.query_one("#translated-by", Input).value.strip(),
        }

    def _load(self) -> object:
        """Fetch meetings, entries and drafts again (the NarrativeTab's worker)."""
        raise NotImplementedError
