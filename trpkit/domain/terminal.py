"""Text shown in a terminal: names and notes can carry control characters (pasted, imported, or typed
on purpose) that ring the bell, move the cursor, rewrite earlier lines or change the terminal's title.

``for_terminal`` removes every control character except newline and tab (C0, DEL and C1, so ESC
sequences lose their ESC and show as plain text), plus the bidirectional overrides that make a line
read differently from what it holds. The CLI's output and the app's screens both go through it.
"""

from __future__ import annotations

import re

_UNSAFE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def for_terminal(text: object) -> str:
    """``text`` without control characters (newline and tab kept)."""
    value = "" if text is None else str(text)
    return _UNSAFE.sub("", value) if _UNSAFE.search(value) else value
