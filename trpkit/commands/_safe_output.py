"""Command output without control characters: the one stream wrapper every command's stdout goes through
(``trpkit.domain.terminal.for_terminal``), so no name or note can drive the terminal.

Everything written loses its control characters (newline and tab kept), escape sequences included:
data from the vault can never colour, move, retitle or ring the terminal, even on a terminal with
colour on. trpkit's own highlights are made with ``styled``: the text is cleaned first, and the colour
codes travel as a marker holding a secret drawn when the process starts (data cannot contain it), which
the wrapper turns into the real sequences when colour is on (a terminal, or ``color=True`` in tests)
and drops otherwise."""

from __future__ import annotations

import re
import secrets
import sys
from typing import Any, TextIO

import click

from trpkit.domain.terminal import for_terminal

_SECRET = secrets.token_hex(16)
_MARK = f"\ue000{_SECRET}"  # a private-use character, then the secret
_MARKED = re.compile(f"{re.escape(_MARK)}(\\[[0-9;]*m)")


def styled(text: object, **styles: Any) -> str:
    """``text`` (cleaned of control characters) with click.style's ``styles``, marked as trpkit's own."""
    return click.style(for_terminal(text), **styles).replace("\x1b[", f"{_MARK}[")


def colour_on(stream: Any = None) -> bool:
    """Whether colour goes out: click's own decision (a terminal, unless told otherwise)."""
    from click import _compat as click_compat  # looked up at call time: CliRunner(color=...) replaces it
    from click import globals as click_globals

    ctx = click_globals.get_current_context(silent=True)
    color = ctx.color if ctx is not None else None
    return not click_compat.should_strip_ansi(stream or sys.stdout, color)


class SafeStdout:
    """Wraps a text stream: text written has its control characters removed (newline and tab kept);
    only sequences made by ``styled`` come out, as real colour codes when colour is on."""

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream

    def write(self, text: str) -> int:
        if _MARK in text:
            keep = colour_on(self._stream)
            parts = _MARKED.split(text)  # text, sequence, text, ...
            safe = "".join(
                ("\x1b" + part if keep else "") if i % 2 else for_terminal(part.replace(_MARK, ""))
                for i, part in enumerate(parts)
            )
        else:
            safe = for_terminal(text)
        self._stream.write(safe)
        return len(text)

    def writelines(self, lines: Any) -> None:
        for line in lines:
            self.write(line)

    def __getattr__(self, name: str) -> Any:  # flush, isatty, fileno, encoding, buffer...
        return getattr(self._stream, name)


def protect_stdout() -> None:
    if not isinstance(sys.stdout, SafeStdout) and sys.stdout is not None:
        sys.stdout = SafeStdout(sys.stdout)
