"""Choose a file from disk (there is no native file dialog in a terminal): a folder tree in a modal."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import ClassVar

from rich.markup import escape
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import DirectoryTree, Static


class VisibleTree(DirectoryTree):
    """Hidden files and folders (names starting with a dot) are left out: they are never evidence."""

    def filter_paths(self, paths: Iterable[Path]) -> Iterable[Path]:
        return [path for path in paths if not path.name.startswith(".")]


class FilePickerScreen(ModalScreen["Path | None"]):
    """Arrow keys move, enter opens a folder or chooses a file, backspace goes up a folder, escape
    goes back without a file."""

    BINDINGS: ClassVar = [
        Binding("escape", "dismiss(None)", "Cancel"),
        Binding("backspace", "up", "Up one folder"),
    ]
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
            yield Static(
                f"[b]{escape(self.title_text)}[/b] — arrows move, enter opens a folder or chooses the "
                "file, backspace goes up one folder, escape cancels."
            )
            yield Static(escape(str(self.start)), id="picker-folder", classes="muted")
            yield VisibleTree(self.start, id="picker-tree")

    def on_mount(self) -> None:
        self.query_one(VisibleTree).focus()

    def action_up(self) -> None:
        tree = self.query_one(VisibleTree)
        current = Path(tree.path).resolve()
        if current.parent != current:
            tree.path = current.parent
            self.query_one("#picker-folder", Static).update(escape(str(current.parent)))

    @on(DirectoryTree.FileSelected)
    def _chosen(self, event: DirectoryTree.FileSelected) -> None:
        self.dismiss(Path(event.path))
