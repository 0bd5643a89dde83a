"""Open a target (vault or server) and hand out sessions; create new vaults."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

from sqlalchemy import Engine
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, sessionmaker

from trpkit.db import migrate, vault
from trpkit.db.engine import Target, server_engine, session_factory, vault_engine
from trpkit.errors import VaultError

T = TypeVar("T")

# The one retry policy for a busy vault. SQLite allows one writer: busy_timeout (db/vault.py) already
# waits for a lock, but a transaction that read first and then wants to write while another writer
# committed fails at once ("database is locked"). Such a unit of work is re-run from the start.
BUSY_ATTEMPTS = 6
BUSY_BACKOFF_SECONDS = 0.05  # times the attempt number: 0.05, 0.10, ... 0.25 s


def is_busy(exc: BaseException) -> bool:
    """Whether ``exc`` says another writer holds the database (worth a retry, not an error)."""
    return isinstance(exc, OperationalError) and "locked" in str(exc).lower()


@dataclass
class Database:
    target: Target
    engine: Engine
    sessions: sessionmaker[Session]
    # Retries of ``run`` take turns (reentrant: a unit of work may call a helper that runs another).
    _turns: threading.RLock = field(default_factory=threading.RLock, repr=False, compare=False)

    @contextmanager
    def session(self) -> Iterator[Session]:
        """One unit of work: committed on success, rolled back on any error."""
        session = self.sessions()
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise
        finally:
            session.close()

    def run(self, work: Callable[[Session], T]) -> T:
        """``work(session)`` in one unit of work, re-run from the start while the vault is busy.

        The TUI's workers, which run side by side, go through here; ``work`` must have no effect
        outside the session, since it may run again. The first attempt runs alongside the others
        (readers do not wait for each other); after a busy failure this process's retries take turns,
        so two threads that collided do not collide again.
        """
        for attempt in range(1, BUSY_ATTEMPTS + 1):
            try:
                if attempt == 1:
                    with self.session() as session:
                        return work(session)
                with self._turns, self.session() as session:
                    return work(session)
            except OperationalError as exc:
                if not is_busy(exc) or attempt == BUSY_ATTEMPTS:
                    raise
            time.sleep(BUSY_BACKOFF_SECONDS * attempt)
        raise AssertionError("unreachable: the last attempt returns or raises")

    def schema_state(self) -> str:
        """'current', 'outdated' (older revision), 'empty', or 'newer' (made by a newer trpkit)."""
        if migrate.is_empty(self.engine):
            return "empty"
        current = migrate.current_revision(self.engine)
        head = migrate.head_revision()
        if current == head:
            return "current"
        return "outdated" if current is None or current in migrate.known_revisions() else "newer"

    def require_current_schema(self, state: str | None = None) -> None:
        """Raise a plain explanation unless the schema is current (``state``: an answer already obtained)."""
        state = state or self.schema_state()
        if state == "outdated":
            raise VaultError(
                f"The {self.target.describe()} was made by an older trpkit. Run 'trpkit db upgrade' "
                "(a backup copy is made first)."
            )
        if state == "newer":
            raise VaultError(
                f"The {self.target.describe()} was made by a newer trpkit. Upgrade trpkit to open it."
            )
        if state == "empty":
            raise VaultError(f"The {self.target.describe()} has no trpkit tables. Run 'trpkit db upgrade'.")

    def upgrade(self) -> Path | None:
        """Bring the schema to head; for a vault, copy the file first. Returns the backup path."""
        backup = None
        if self.target.vault_path is not None and self.schema_state() == "outdated":
            self.engine.dispose()
            backup = vault.backup_copy(
                self.target.vault_path, f"before-upgrade-{migrate.current_revision(self.engine)}"
            )
        migrate.upgrade(self.engine)
        return backup

    def close(self) -> None:
        self.engine.dispose()


def open_target(
    target: Target,
    passphrase: str | None = None,
    key: vault.VaultKey | None = None,
    password: str | None = None,
) -> Database:
    """``password``: a server login's password, used when the server asks for one and neither the URL
    nor ~/.pgpass gives it (each person connects with their own login and password)."""
    if target.vault_path is not None:
        if key is None:
            if passphrase is None:
                raise VaultError("A passphrase is needed to open the vault (prompt, or TRPKIT_PASSPHRASE).")
            key = vault.unlock(target.vault_path, passphrase)
        engine = vault_engine(target.vault_path, key)
    else:
        engine = server_engine(target.url or "")
        if password:
            engine = _with_password_if_asked(engine, target.url or "", password)
    return Database(target, engine, session_factory(engine))


def _with_password_if_asked(engine: Engine, url: str, password: str) -> Engine:
    from sqlalchemy.exc import OperationalError

    try:
        engine.connect().close()
        return engine
    except OperationalError as exc:
        if "password" not in str(exc):
            raise
    engine.dispose()
    return server_engine(url, password)


def create_vault(path: Path, passphrase: str) -> Database:
    """Create a migrated vault. It is built under a temporary name and renamed into place only when
    complete, so a crash part-way never leaves a half-made vault at ``path``."""
    import os

    if path.exists():
        raise VaultError(f"{path} already exists. Choose another path, or open it instead of creating it.")
    partial = path.with_name(f".{path.name}.creating-{os.getpid()}")
    partial.unlink(missing_ok=True)
    key = vault.create_file(partial, passphrase)
    db = open_target(Target(vault_path=partial), key=key)
    try:
        migrate.upgrade(db.engine)
    except BaseException:
        db.close()
        partial.unlink(missing_ok=True)
        raise
    db.close()
    if path.exists():  # someone created it meanwhile: never overwrite
        partial.unlink(missing_ok=True)
        raise VaultError(f"{path} already exists. Choose another path, or open it instead of creating it.")
    os.replace(partial, path)
    return open_target(Target(vault_path=path), key=key)
