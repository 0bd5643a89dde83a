"""F1 help: every key of the screen you are on, read from its bindings (so it cannot drift from what the
keys do), then the general guide from help.md (Markdown, so it reads the same here and on the web)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.dom import DOMNode
from textual.screen import ModalScreen, Screen
from textual.widgets import Markdown

HELP_FILE = Path(__file__).resolve().parent.parent / "help.md"

_KEY_NAMES = {
    "escape": "esc",
    "pagedown": "PgDn",
    "pageup": "PgUp",
    "delete": "delete",
    "enter": "enter",
    "backspace": "backspace",
}


def key_label(key: str) -> str:
    """How a bound key is written for a person: "ctrl+pagedown" -> "ctrl+PgDn", "f2" -> "F2"."""
    parts = key.split("+")
    last = parts[-1]
    if last.startswith("f") and last[1:].isdigit():
        last = last.upper()
    parts[-1] = _KEY_NAMES.get(last, last)
    return "+".join(parts)


def _textual_only(node: DOMNode) -> set[tuple[str, str]]:
    """(key, action) pairs that come from Textual's own classes and not from trpkit's (editing keys of an
    input, the arrows of a table…): the help lists what trpkit adds."""
    ours: set[tuple[str, str]] = set()
    theirs: set[tuple[str, str]] = set()
    for cls in type(node).__mro__:
        declared = cls.__dict__.get("BINDINGS")
        if not declared:
            continue
        pairs = {(b.key, b.action) for b in Binding.make_bindings(declared)}
        (ours if cls.__module__.startswith("trpkit.") else theirs).update(pairs)
    return theirs - ours


def _shown(node: DOMNode) -> bool:
    return all(getattr(n, "display", True) for n in node.ancestors_with_self)


def _where(node: DOMNode, screen: Screen[Any]) -> str:
    if node is screen:
        return "this screen"
    if node is screen.app:
        return "anywhere"
    title = getattr(node, "HELP_WHERE", "") or getattr(node, "TITLE", "")
    return str(title) if title else type(node).__name__


def screen_keys(screen: Screen[Any]) -> list[tuple[str, str, str]]:
    """(keys, what, where) for the app, the screen and every trpkit widget on show in it, in that order.
    Keys bound to the same action are listed together ("F4 / alt+3")."""
    nodes: list[DOMNode] = [screen]
    nodes += [
        w
        for w in screen.walk_children(with_self=False)
        if type(w).__module__.startswith("trpkit.") and _shown(w) and w._bindings.key_to_bindings
    ]
    nodes.append(screen.app)
    grouped: dict[tuple[str, str, str], list[str]] = {}
    for node in nodes:
        skip = _textual_only(node)
        for key, bindings in node._bindings.key_to_bindings.items():
            for binding in bindings:
                if binding.system or (key, binding.action) in skip:
                    continue
                what = binding.description or binding.action.split("(")[0].replace("_", " ")
                grouped.setdefault((what, _where(node, screen), binding.action), []).append(key_label(key))
    return [(" / ".join(keys), what, where) for (what, where, _action), keys in grouped.items()]


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def keys_markdown(screen: Screen[Any]) -> str:
    rows = [f"| `{_cell(k)}` | {_cell(what)} | {_cell(where)} |" for k, what, where in screen_keys(screen)]
    title = getattr(screen, "title", "") or type(screen).__name__
    return "\n".join(
        [
            f"# Keys on this screen ({_cell(str(title))})",
            "",
            "| key | what it does | where |",
            "|---|---|---|",
            *rows,
        ]
    )


class HelpScreen(ModalScreen[None]):
    DEFAULT_CSS = """
    HelpScreen { align: center middle; }
    HelpScreen > VerticalScroll { width: 100; max-width: 95%; height: 85%; border: thick $primary; background: $surface; }
    """
    BINDINGS = [Binding("escape", "dismiss", "Close"), Binding("f1", "dismiss", "Close")]

    def __init__(self, over: Screen[Any] | None = None) -> None:
        super().__init__()
        self.over = over  # the screen whose keys are listed

    def compose(self) -> ComposeResult:
        guide = HELP_FILE.read_text(encoding="utf-8")
        text = guide if self.over is None else keys_markdown(self.over) + "\n\n" + guide
        with VerticalScroll():
            yield Markdown(text, id="help-text")
