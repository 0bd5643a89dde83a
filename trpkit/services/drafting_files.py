"""Where draft files go: a suggested folder and name, written atomically."""

from __future__ import annotations

import os
import tempfile
from datetime import date
from pathlib import Path

from trpkit.errors import UsageError


def write_atomically(path: Path, data: bytes, overwrite: bool, make_folder: bool = False) -> None:
    if path.exists() and not overwrite:
        raise UsageError(f"{path} already exists: choose another file name or pass --force to replace it")
    if make_folder and not path.parent.exists():
        try:
            path.parent.mkdir(parents=True, mode=0o700)
        except OSError as exc:
            raise UsageError(f"cannot create the folder {path.parent}: {exc.strerror}") from None
    if not path.parent.is_dir():
        raise UsageError(f"folder {path.parent} does not exist: create it or choose another place")
    handle, tmp_name = tempfile.mkstemp(prefix=".trpkit-draft-", suffix=".docx", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.replace(tmp_name, path)
    except BaseException:
        Path(tmp_name).unlink(missing_ok=True)
        raise


def default_drafts_folder() -> Path:
    """Where the app suggests saving drafts: a "trpkit drafts" folder in the person's documents."""
    from platformdirs import user_documents_path

    return user_documents_path() / "trpkit drafts"


def suggest_output(folder: Path, code: str, template: str, language: str, on: date) -> Path:
    """A file name that says what the draft is (case code, never the person's name) and is not taken."""
    stem = f"{code}-{template}-{language}-{on.isoformat()}"
    path = folder / f"{stem}.docx"
    number = 2
    while path.exists():
        path = folder / f"{stem}-{number}.docx"
        number += 1
    return path
