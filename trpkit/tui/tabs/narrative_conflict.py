"""The screen a narrative save opens when someone else saved the entry meanwhile: keep mine, keep
theirs, or edit both together."""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Label, TextArea

from trpkit.services.narrative import NarrativeEntryRow


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
