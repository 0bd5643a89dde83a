"""Work files beside a backup or a restored vault: created private, claimed with a lock, linked into
place only when complete (never over an existing file), and swept when a killed run left them behind.
"""

from __future__ import annotations

import fcntl
import os
import shutil
from pathlib import Path
from typing import BinaryIO

from trpkit.errors import VaultError

# --- making a backup --------------------------------------------------------------------------------


def private_new_file(path: Path) -> BinaryIO:
    """Create ``path`` (readable only by its owner); never replace an existing file."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    return os.fdopen(fd, "wb")


WORK_PREFIX = ".trpkit-backup-"
RESTORING_MARK = ".restoring-"


def claim_work_dir(path: Path) -> int:
    """Hold an exclusive lock on ``path`` (a folder or file) while this run uses it; the descriptor is
    closed when the run ends, or by the kernel when the process is killed."""
    fd = os.open(path, os.O_RDONLY)
    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    return fd


def _abandoned(path: Path) -> bool:
    """True if no running backup or restore holds ``path`` (so a killed run left it)."""
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return False
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return False
    finally:
        os.close(fd)  # also releases the lock just taken
    return True


def sweep_leftovers(folder: Path) -> list[Path]:
    """Remove what killed backups (``.trpkit-backup-*/``, a full copy of the vault) and killed restores
    (``.NAME.restoring-*``) left in ``folder``; runs still in progress are left alone. Returns what went."""
    removed: list[Path] = []
    for work in folder.glob(f"{WORK_PREFIX}*"):
        if work.is_dir() and _abandoned(work):
            shutil.rmtree(work, ignore_errors=True)
            removed.append(work)
    for partial in folder.glob(f".*{RESTORING_MARK}*"):
        if partial.name.endswith(("-journal", "-wal", "-shm")) or not _abandoned(partial):
            continue
        for companion in ("", "-journal", "-wal", "-shm"):
            partial.with_name(partial.name + companion).unlink(missing_ok=True)
        removed.append(partial)
    for orphan in folder.glob(f".*{RESTORING_MARK}*-journal"):  # its main file is already gone
        if not orphan.with_name(orphan.name.removesuffix("-journal")).exists():
            orphan.unlink(missing_ok=True)
    return removed


def link_into_place(temporary: Path, final: Path) -> None:
    """Give ``temporary`` its final name without ever overwriting a file that appeared meanwhile."""
    try:
        os.link(temporary, final)
    except FileExistsError:
        raise VaultError(
            f"{final} already exists; nothing was overwritten. Choose another file name."
        ) from None
    except OSError:  # a file system without hard links (some USB sticks)
        if final.exists():
            raise VaultError(f"{final} already exists; nothing was overwritten.") from None
        os.rename(temporary, final)
        return
    temporary.unlink()
    _fsync_dir(final.parent)


def _fsync_dir(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
