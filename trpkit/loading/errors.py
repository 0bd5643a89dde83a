"""The one error every data file and config.toml is refused with."""

from __future__ import annotations

from pathlib import Path

from trpkit.errors import UsageError


class DataFileError(UsageError):
    """A data file is malformed: ``str()`` names the file, the line, the field and the problem.

    ``checklists/delphi-adult-labour.toml, line 94, indicator 'AL-4.06' field 'strength': must be
    one of strong, medium, weak, unrated``. ``line`` and ``field`` are None when the problem is the
    whole file (missing, not UTF-8, two files disagreeing).
    """

    def __init__(self, path: Path | str, line: int | None, problem: str, field: str | None = None) -> None:
        self.path = Path(path)
        self.line = line
        self.field = field
        # A quoted value may hold a newline or a control character: shown escaped, the message stays one line.
        problem = "".join(c if c.isprintable() else repr(c)[1:-1] for c in problem)
        self.problem = problem
        where = display_path(self.path)
        if line:
            where += f", line {line}"
        if field:
            where += f", {field}"
        super().__init__(f"{where}: {problem}")


def display_path(path: Path) -> str:
    """``checklists/x.toml`` for shipped files (short, and the same on every machine), else the path."""
    if path.parent.name in ("checklists", "date_phrases"):
        parent = path.parent
        prefix = f"{parent.parent.name}/{parent.name}" if parent.name == "date_phrases" else parent.name
        return f"{prefix}/{path.name}"
    return str(path)
