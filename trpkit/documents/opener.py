"""Open a written document with the computer's default program (Word, LibreOffice…), if there is one."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path


def default_opener() -> list[str] | None:
    """The command that opens a file with its default program here, or None when there is none."""
    if sys.platform == "darwin":
        return ["open"] if shutil.which("open") else None
    if sys.platform.startswith("linux") or "bsd" in sys.platform:
        return ["xdg-open"] if shutil.which("xdg-open") else None
    return None


def open_document(path: Path) -> str:
    """Open ``path``; return what happened, in words for the person (never raises)."""
    if not path.is_file():
        return f"{path} is no longer there: it was moved or deleted."
    try:
        if sys.platform == "win32":
            os.startfile(path)  # type: ignore[attr-defined]  # Windows only
            return f"Opened {path.name} with its default program."
        command = default_opener()
        if command is None:
            return f"No program to open documents was found on this computer; the file is at {path}."
        subprocess.Popen(
            [*command, str(path)],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
    except OSError as exc:
        return f"Could not open {path.name} ({exc.strerror}); the file is at {path}."
    return f"Opening {path.name} with its default program…"
