"""A yes/no question in a modal."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Static


class ConfirmScreen(ModalScreen[bool]):
    DEFAULT_CSS = """
    ConfirmScreen { align: center middle; }
    ConfirmScreen > Vertical { width: 70; height: auto; border: thick $warning; padding: 1 2; background: $surface; }
    ConfirmScreen Horizontal { height: auto; margin-top: 1; }
    ConfirmScreen Button { margin-right: 2; }
    """
    BINDINGS = [("escape", "dismiss(False)", "No"), ("y", "dismiss(True)", "Yes")]

    def __init__(self, question: str, yes: str = "Yes", no: str = "No") -> None:
        super().__init__()
        self.question, self.yes, self.no = question, yes, no

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(self.question, id="question")
            with Horizontal():
                yield Button(self.yes, variant="warning", id="yes")
                yield Button(self.no, id="no")

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "yes")


class UnsavedScreen(ModalScreen[str]):
    """Leaving something with unsaved changes: save them, discard them, or stay. Answers "save",
    "discard" or "stay" (esc stays: nothing is lost by pressing it)."""

    DEFAULT_CSS = """
    UnsavedScreen { align: center middle; }
    UnsavedScreen > Vertical { width: 70; max-width: 100%; height: auto; border: thick $warning; padding: 1 2; background: $surface; }
    UnsavedScreen Horizontal { height: auto; margin-top: 1; }
    UnsavedScreen Button { margin-right: 1; }
    """
    BINDINGS = [
        ("escape", "dismiss('stay')", "Stay"),
        ("s", "dismiss('save')", "Save"),
        ("d", "dismiss('discard')", "Discard"),
    ]

    def __init__(self, what: str = "This form") -> None:
        super().__init__()
        self.what = what

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(f"{self.what} has changes that are not saved.", id="question", markup=False)
            with Horizontal():
                yield Button("Save (s)", variant="primary", id="save")
                yield Button("Discard (d)", variant="warning", id="discard")
                yield Button("Stay (esc)", id="stay")

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id or "stay")
