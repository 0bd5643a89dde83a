"""Files trpkit writes outside the vault: readable and writable by their owner only.

Everything trpkit writes (backups, coalition packages and releases, public-key files, exports, drafts,
calendars) may say something about a person, so it is created 0600 (folders 0700). ``private_umask``
makes that the default for the whole process (the CLI and the app call it at start); the helpers below
also fix the mode of a file that existed before, which a umask cannot do.
"""

from __future__ import annotations

import os
from pathlib import Path

FILE_MODE = 0o600
DIR_MODE = 0o700


def private_umask() -> int:
    """Every file and folder this process creates is private from now on. Returns the old umask."""
    return os.umask(0o077)


def write_private(path: Path, data: bytes | str, *, exclusive: bool = False) -> Path:
    """Write ``data`` (text is UTF-8) to ``path`` with mode 0600; ``exclusive``: refuse to replace a file.
    An existing file is truncated and made private before anything is written into it."""
    flags = os.O_WRONLY | os.O_CREAT | (os.O_EXCL if exclusive else os.O_TRUNC)
    fd = os.open(path, flags, FILE_MODE)
    try:
        os.fchmod(fd, FILE_MODE)
        payload = data.encode("utf-8") if isinstance(data, str) else data
        view = memoryview(payload)
        while view:
            written = os.write(fd, view)
            view = view[written:]
    finally:
        os.close(fd)
    return path


def make_private_dir(path: Path) -> Path:
    """Create ``path`` (and missing parents) and make it 0700."""
    path.mkdir(parents=True, exist_ok=True)
    os.chmod(path, DIR_MODE)
    return path
