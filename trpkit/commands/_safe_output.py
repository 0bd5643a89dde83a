"""Command output without control characters: the one stream wrapper every command's stdout goes through
(``trpkit.domain.terminal.for_terminal``), so no name or note can drive the terminal.

On a terminal, colour and bold sequences (SGR, ``ESC [ ... m``, which click.style writes for highlights)
are kept: they cannot move the cursor, ring the bell or retitle the window. Everything else is removed,
and when the output is not a terminal nothing but text goes through."""

from __future__ import annotations

import re
import sys
from typing import Any, TextIO

from trpkit.domain.terminal import for_terminal

_SGR = re.compile(r"(\x1b\[[0-9;]*m)")


class SafeStdout:
    """Wraps a text stream: text written has its control characters removed (newline and tab kept)."""

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream

    def write(self, text: str) -> int:
        if "\x1b[" in text and self._stream.isatty():
            parts = _SGR.split(text)  # text, sequence, text, ...
            safe = "".join(part if i % 2 else for_terminal(part) for i, part in enumerate(parts))
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
