"""Ask for a file path in a modal: typed (a terminal has no file dialog), prefilled when there is a default."""

from __future__ import annotations

from typing import ClassVar

from rich.markup import escape
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Static


class PathPromptScreen(ModalScreen["str | None"]):
    """Enter (or the first button) returns the typed path, ``~`` and all; escape returns None."""

    BINDINGS: ClassVar = [Binding("escape", "dismiss(None)", "Cancel")]
    DEFAULT_CSS = """
    PathPromptScreen { align: center middle; }
    PathPromptScreen > Vertical { width: 90%; max-width: 100; height: auto; border: thick $primary;
        background: $surface; padding: 0 1; }
    PathPromptScreen Horizontal { height: auto; }
    PathPromptScreen Button { margin-right: 2; }
    PathPromptScreen #pp-status { height: auto; }
    """

    def __init__(self, question: str, value: str = "", action: str = "OK") -> None:
        super().__init__()
        self.question, self.value, self.action = question, value, action

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(escape(self.question), id="pp-question")
            yield Input(self.value, placeholder="A file path, e.g. ~/Downloads/package.trpinc", id="pp-path")
            yield Static("", id="pp-status")
            with Horizontal():
                yield Button(self.action, variant="primary", id="pp-ok")
                yield Button("Cancel", id="pp-cancel")

    def on_mount(self) -> None:
        self.query_one("#pp-path", Input).focus()

    @on(Input.Submitted, "#pp-path")
    @on(Button.Pressed, "#pp-ok")
    def _ok(self) -> None:
        typed = self.query_one("#pp-path", Input).value.strip()
        if not typed:
            self.query_one("#pp-status", Static).update("[b]Type a file path first (or escape to cancel).[/]")
            return
        self.dismiss(typed)

    @on(Button.Pressed, "#pp-cancel")
    def _cancel(self) -> None:
        self.dismiss(None)
