"""Removing a meeting (what happens to the entries it holds) and the list of removed meetings to bring
one back: the two screens the Narrative tab's meetings open."""

from __future__ import annotations

from typing import Any, ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, DataTable, Select, Static

from trpkit.services.narrative import MeetingRow
from trpkit.services.narrative_removal import RemovedRow


def _entries(count: int) -> str:
    return f"{count} entr{'y' if count == 1 else 'ies'}"


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
