"""Reading one TOML file: its text for the line locator, its data, and parse errors with their line."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from trpkit.loading.errors import DataFileError
from trpkit.loading.lines import Loc, line_of

_AT = re.compile(r"\s*\(at (?:line (\d+), column \d+|end of document)\)")


@dataclass
class TomlFile:
    path: Path
    text: str
    data: dict[str, Any] = field(default_factory=dict)

    def line(self, loc: Loc) -> int | None:
        return line_of(self.text, loc)

    def error(self, loc: Loc | None, problem: str, what: str | None = None) -> DataFileError:
        """An error at ``loc``; ``what`` names the entry and field (``indicator 'AL-1.01' field 'label'``)."""
        return DataFileError(self.path, self.line(loc) if loc is not None else None, problem, what)


def read_toml(path: Path, *, missing_ok: bool = False) -> TomlFile:
    """The parsed file; a missing, unreadable, non-UTF-8 or non-TOML file is a :class:`DataFileError`."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        if missing_ok:
            return TomlFile(path, "", {})
        raise DataFileError(path, None, "file is missing") from None
    except OSError as exc:
        raise DataFileError(path, None, f"cannot be read ({exc.strerror})") from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        bad_line = raw[: exc.start].count(b"\n") + 1
        raise DataFileError(path, bad_line, "not UTF-8 text: save the file as UTF-8") from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        found = _AT.search(str(exc))
        # "at end of document" has no line number: the last line, where the file stops short.
        last = text.rstrip("\n").count("\n") + 1
        line = int(found.group(1)) if found and found.group(1) else last
        problem = _AT.sub("", str(exc)) or "invalid TOML"
        raise DataFileError(path, line, f"TOML syntax error: {problem}") from None
    return TomlFile(path, text, data)
