"""Open a target (vault or server) and hand out sessions; create new vaults."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from trpkit.db import migrate, vault
from trpkit.db.engine import Target, server_engine, session_factory, vault_engine
from trpkit.errors import VaultError


@dataclass
class Database:
    target: Target
    engine: Engine
    sessions: sessionmaker[Session]

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
