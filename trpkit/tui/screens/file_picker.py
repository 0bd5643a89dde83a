"""Choose a file from disk (there is no native file dialog in a terminal): a folder tree in a modal."""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import DirectoryTree, Static


class FilePickerScreen(ModalScreen["Path | None"]):
    """Arrow keys move, enter opens a folder or chooses a file, escape goes back without a file."""

    BINDINGS: ClassVar = [Binding("escape", "dismiss(None)", "Cancel")]
    DEFAULT_CSS = """
    FilePickerScreen { align: center middle; }
    FilePickerScreen > Vertical { width: 90%; height: 80%; border: thick $primary; background: $surface; padding: 0 1; }
    FilePickerScreen DirectoryTree { height: 1fr; }
    FilePickerScreen Static { height: auto; }
    """

    def __init__(self, start: Path | None = None, title: str = "Choose a file") -> None:
        super().__init__()
        start = (start or Path.home()).expanduser()
        self.start = start if start.is_dir() else Path.home()
        self.title_text = title

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(f"[b]{self.title_text}[/b] — arrows move, enter opens a folder or chooses the file, "
                         "escape cancels.")
            yield DirectoryTree(self.start, id="picker-tree")

    def on_mount(self) -> None:
        self.query_one(DirectoryTree).focus()

    @on(DirectoryTree.FileSelected)
    def _chosen(self, event: DirectoryTree.FileSelected) -> None:
        self.dismiss(Path(event.path))
