"""The Narrative tab's history of an entry: its versions, a preview of the one under the cursor, and
restoring one (ctrl+r)."""

from __future__ import annotations

from rich.text import Text
from textual import on, work
from textual.widgets import Button, DataTable, Static

from trpkit.tui.tabs.narrative_editor import NarrativeEditor
from trpkit.tui.tabs.narrative_state import EntrySaved, HistoryLoaded, SaveFailed, in_session
from trpkit.tui.widgets.exhibit_files import friendly_error


class NarrativeHistory(NarrativeEditor):
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
