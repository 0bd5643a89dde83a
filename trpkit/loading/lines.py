"""The one place that finds the line a TOML value is on, for every data file's error messages.

``tomllib`` keeps no positions, so this reads the text itself: it follows table headers (``[a.b]`` and
``[[a]]``, counting array entries) and key lines (bare, quoted and dotted keys), and answers for a
path such as ``("indicators", 5, "strength")`` or ``("meta", "verification")`` with the most precise
line it can: the key's own line, else its table's header, else the nearest enclosing one. Values
spread over several lines (a multi-line array or string) are found at the line their key starts on.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass

Loc = Sequence[str | int]

_HEADER = re.compile(r"^\s*(\[\[?)\s*(?P<name>[^\]]+?)\s*\]\]?\s*(#.*)?$")
_KEY = re.compile(
    r"""^\s*(?P<key>(?:"[^"]*"|'[^']*'|[A-Za-z0-9_-]+)(?:\s*\.\s*(?:"[^"]*"|'[^']*'|[A-Za-z0-9_-]+))*)\s*="""
)
_PART = re.compile(r"""\s*("(?P<dq>[^"]*)"|'(?P<sq>[^']*)'|(?P<bare>[A-Za-z0-9_-]+))\s*""")


def _split_key(text: str) -> tuple[str, ...]:
    """``a."b.c".d`` -> ("a", "b.c", "d")."""
    parts: list[str] = []
    for piece in _PART.finditer(text):
        parts.append(piece.group("dq") or piece.group("sq") or piece.group("bare") or "")
    return tuple(parts)


@dataclass(frozen=True)
class _Entry:
    path: tuple[str | int, ...]  # the value's place in the data, array entries by index
    line: int


@functools.lru_cache(maxsize=16)
def _index(text: str) -> tuple[_Entry, ...]:
    """Every table header and key of ``text`` with its full path and line (1-based)."""
    entries: list[_Entry] = []
    counts: dict[tuple[str | int, ...], int] = {}
    table: tuple[str | int, ...] = ()
    in_multiline: str | None = None
    # TOML ends lines with \n only: str.splitlines would also split at \x85 or \u2028 inside a string.
    for number, line in enumerate(text.split("\n"), 1):
        if in_multiline:  # inside a multi-line string: nothing here is a key
            if line.count(in_multiline) % 2 == 1:
                in_multiline = None
            continue
        header = _HEADER.match(line)
        if header and not _KEY.match(line):
            names = _split_key(header.group("name"))
            resolved = _resolve(names, counts)
            if header.group(1) == "[[":
                index = counts.get(resolved, 0)
                counts[resolved] = index + 1
                table = (*resolved, index)
                if index == 0:  # the array as a whole starts at its first entry
                    entries.append(_Entry(resolved, number))
            else:
                table = resolved
            entries.append(_Entry(table, number))
            continue
        key = _KEY.match(line)
        if key:
            entries.append(_Entry((*table, *_split_key(key.group("key"))), number))
            rest = line[key.end() :]
            for quote in ('"""', "'''"):
                if rest.count(quote) == 1:
                    in_multiline = quote
    return tuple(entries)


def _resolve(names: tuple[str, ...], counts: dict[tuple[str | int, ...], int]) -> tuple[str | int, ...]:
    """``[a.b]`` under ``[[a]]`` belongs to the last ``a`` entry: put its index in the path."""
    path: tuple[str | int, ...] = ()
    for name in names[:-1]:
        path = (*path, name)
        if path in counts:
            path = (*path, counts[path] - 1)
    return (*path, *names[-1:])


def line_of(text: str, loc: Loc) -> int | None:
    """The line of the value at ``loc`` in the TOML ``text``; None when not even its table is there."""
    wanted = tuple(loc)
    best: tuple[int, int] | None = None  # (length of the matched prefix, line)
    for entry in _index(text):
        size = len(entry.path)
        if size <= len(wanted) and wanted[:size] == entry.path and (best is None or size > best[0]):
            best = (size, entry.line)
    return best[1] if best else None
