"""The Indicators tab's links: mark the highlighted indicator present, unsupported or explored and absent
(resting on an exhibit, a narrative entry or a note), and remove its links. A base of IndicatorsTab."""

from __future__ import annotations

from rich.markup import escape
from textual import on, work
from textual.coordinate import Coordinate
from textual.widgets import Button, DataTable, Input, Select, Static

from trpkit.domain.delphi_rules import LinkStatus
from trpkit.tui.tabs.base import CaseTab
from trpkit.tui.widgets.exhibit_files import friendly_error


class IndicatorLinksMixin(CaseTab):
    """Linking and unlinking in the IndicatorsTab (a CaseTab, so Textual registers the handlers below)."""

    def _selected(self) -> str | None:
        table = self.query_one("#ind-table", DataTable)
        if table.row_count == 0 or table.cursor_row is None:
            return None
        return str(table.coordinate_to_cell_key(Coordinate(table.cursor_row, 0)).row_key.value)

    def _say(self, text: str) -> None:
        self.query_one("#ind-message", Static).update(text)

    def action_mark(self, status: str) -> None:
        self.query_one("#ind-status", Select).value = status
        self._link_selected()

    @on(Input.Submitted, "#ind-exhibit, #ind-entry, #ind-note")
    @on(Button.Pressed, "#ind-link")
    def _link_selected(self) -> None:
        indicator = self._selected()
        if indicator is None:
            self._say("Choose an indicator in the list first.")
            return
        status = str(self.query_one("#ind-status", Select).value)
        exhibit_text = self.query_one("#ind-exhibit", Input).value.strip()
        entry_text = self.query_one("#ind-entry", Input).value.strip()
        note = self.query_one("#ind-note", Input).value
        if status == LinkStatus.PRESENT.value and not (exhibit_text or entry_text or note.strip()):
            # Said in the app's words: what to type where, then which key to press again.
            # One line that fits 80 columns: what to type where, then the key again.
            self._say(
                f"[b]{indicator.split('-', 1)[-1]}[/b]: first type the exhibit number in [b]Exhibit[/b] "
                "(or Entry, or a Note), then p."
            )
            return
        self._save(
            indicator,
            status,
            int(exhibit_text) if exhibit_text else None,
            int(entry_text) if entry_text else None,
            note,
        )

    @work(thread=True, exclusive=True, group="indicators-save", exit_on_error=False)
    def _save(self, indicator: str, status: str, exhibit: int | None, entry: int | None, note: str) -> None:
        from trpkit.errors import TrpkitError
        from trpkit.services.indicators import link_indicator

        try:
            row = self.database.run(
                lambda session: link_indicator(
                    session,
                    self.actor,
                    self.case_code,
                    indicator,
                    status=status,
                    note=note,
                    exhibit=exhibit,
                    narrative_entry_id=entry,
                )
            )
        except TrpkitError as exc:
            self.app.call_from_thread(self._say, f"[b red]Not linked:[/] {escape(friendly_error(exc))}")
            return
        where = (
            f"exhibit {row.exhibit_number}"
            if row.exhibit_number
            else f"narrative entry {row.narrative_entry_id}"
            if row.narrative_entry_id
            else "your note"
        )
        self.app.call_from_thread(
            self._linked, f"{row.indicator_id}: {row.status_label}, resting on {where}."
        )
        self._load()

    def _linked(self, text: str) -> None:
        self._say(text)
        self.query_one(
            "#ind-note", Input
        ).value = ""  # a note belongs to one indicator; the exhibit often serves several

    def action_clear_links(self) -> None:
        from trpkit.tui.screens.confirm import ConfirmScreen

        indicator = self._selected()
        if indicator is None:
            return

        def answered(yes: bool | None) -> None:
            if yes:
                self._clear(indicator)

        self.app.push_screen(
            ConfirmScreen(
                f"Remove every link recorded for {indicator}? It goes back to "
                "'not explored'. Exhibits are kept.",
                yes="Remove",
                no="Keep",
            ),
            answered,
        )

    @work(thread=True, exclusive=True, group="indicators-save", exit_on_error=False)
    def _clear(self, indicator: str) -> None:
        from trpkit.errors import TrpkitError
        from trpkit.services.indicators import list_links, unlink

        try:
            with self.database.session() as session:
                key = indicator.split("-", 1)[1]
                removed = 0
                for row in list_links(session, self.actor, self.case_code):
                    if row.indicator_id.split("-", 1)[1] == key:
                        unlink(session, self.actor, self.case_code, row.id)
                        removed += 1
        except TrpkitError as exc:
            self.app.call_from_thread(self._say, f"[b red]Not removed:[/] {escape(friendly_error(exc))}")
            return
        self.app.call_from_thread(self._say, f"{indicator}: {removed} link(s) removed.")
        self._load()

    def _load(self) -> object:
        """Fetch the assessment again (the IndicatorsTab's worker)."""
        raise NotImplementedError
