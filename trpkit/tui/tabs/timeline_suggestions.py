"""The Timeline tab's date suggestions: scan the narrative for date phrases (s), accept the selected one
as the event type chosen in the form (enter or y), or dismiss it (x).

A base of TimelineTab (a CaseTab itself, so Textual registers the handlers below), with the tab's
status line.
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.markup import escape
from textual import on, work
from textual.message import Message
from textual.widgets import DataTable, Input, Select, Static

from trpkit.tui.tabs.base import CaseTab
from trpkit.tui.tabs.narrative_state import in_session


@dataclass
class TimelineNote(Message):
    text: str


class TimelineSuggestions(CaseTab):
    """Date suggestions and the status line; TimelineTab derives from this."""

    @on(TimelineNote)
    def _show_note(self, message: TimelineNote) -> None:
        self._note(message.text)

    def _note(self, text: str) -> None:
        self.query_one("#timeline-status", Static).update(text)

    # ------------------------------------------------------------------------------------------ suggestions
    def action_suggest(self) -> None:
        self._note("Looking for dates in the narrative…")
        self._suggest()

    @work(thread=True, exclusive=True, group="timeline-save", exit_on_error=False)
    def _suggest(self) -> None:
        from trpkit.services.timeline_suggestions import suggest_dates

        rows = in_session(self.database, lambda s: suggest_dates(s, self.actor, self.case_code))
        self.post_message(
            TimelineNote(
                f"{len(rows)} suggestion(s) to review: y accepts (as the event type chosen "
                "below), x dismisses."
            )
        )
        self.reload()

    def _selected_suggestion(self) -> int | None:
        table = self.query_one("#suggestions", DataTable)
        if table.row_count == 0:
            return None
        return int(table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value or 0)

    def action_accept(self) -> None:
        suggestion = self._selected_suggestion()
        event_type = self.query_one("#e-type", Select).value
        if suggestion is None:
            self._note("No suggestion selected (s finds dates in the narrative).")
            return
        if event_type is Select.NULL:
            self._note("Choose the event type below first, then accept.")
            self.query_one("#e-type", Select).focus()
            return
        self._accept(suggestion, str(event_type), self.query_one("#e-title", Input).value.strip())

    @on(DataTable.RowSelected, "#suggestions")
    def _suggestion_selected(self) -> None:
        self.action_accept()

    @work(thread=True, exclusive=True, group="timeline-save", exit_on_error=False)
    def _accept(self, suggestion_id: int, event_type: str, title: str) -> None:
        from trpkit.errors import TrpkitError
        from trpkit.services.timeline_suggestions import accept_suggestion

        try:
            row = in_session(
                self.database,
                lambda s: accept_suggestion(
                    s, self.actor, self.case_code, suggestion_id, event_type=event_type, title=title
                ),
            )
        except TrpkitError as exc:
            self.post_message(TimelineNote(f"[b red]Not accepted:[/] {escape(str(exc))}"))
            return
        self.post_message(
            TimelineNote(f"Accepted: {row.type_label}, {escape(row.date_text)} (linked to its entry).")
        )
        self.reload()

    def action_dismiss(self) -> None:
        suggestion = self._selected_suggestion()
        if suggestion is not None:
            self._dismiss(suggestion)

    @work(thread=True, exclusive=True, group="timeline-save", exit_on_error=False)
    def _dismiss(self, suggestion_id: int) -> None:
        from trpkit.services.timeline_suggestions import dismiss_suggestion

        in_session(self.database, lambda s: dismiss_suggestion(s, self.actor, self.case_code, suggestion_id))
        self.post_message(TimelineNote("Suggestion dismissed."))
        self.reload()
