"""Encrypted, integrity-checked backups, and restoring them into a new vault.

A backup file holds a complete trpkit vault (an SQLCipher database keyed from the backup passphrase),
wrapped in the authenticated container of ``backup_container``.

Where the data comes from:
- a vault is copied with SQLite's online backup API (a consistent snapshot even while the vault is in
  use), straight into a copy encrypted under the backup key;
- a PostgreSQL server is dumped table by table, inside one REPEATABLE READ snapshot, into a fresh vault.

A restore always creates a NEW vault file: it decrypts to a temporary file beside the target, checks the
container, ``PRAGMA integrity_check``, foreign keys, the schema revision and the audit chain, and only
then links the file into place (never replacing an existing file, ``backup_work_files``). The restored
vault opens with the backup passphrase.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from trpkit.db import vault
from trpkit.db.base import utcnow
from trpkit.errors import AccessDenied, TrpkitError, UsageError, VaultError
from trpkit.services.access import MAKE_BACKUPS, require_role
from trpkit.services.actor import Actor
from trpkit.services.backup_container import BackupError, Progress, decrypt_container, write_container
from trpkit.services.backup_work_files import (
    RESTORING_MARK,
    WORK_PREFIX,
    claim_work_dir,
    link_into_place,
    private_new_file,
    sweep_leftovers,
)


@dataclass(frozen=True)
class BackupInfo:
    path: Path
    kind: str  # vault | server
    created_at: datetime
    schema_revision: str | None
    vault_bytes: int
    sha256: str
    cases: int
    audit_entries: int


@dataclass(frozen=True)
class RestoreReport:
    vault_path: Path
    info: BackupInfo
    integrity: str
    audit_ok: bool
    audit_problem: str
    schema_state: str


def _info(path: Path, header: dict[str, Any], trailer: dict[str, Any]) -> BackupInfo:
    return BackupInfo(
        path,
        str(header.get("kind", "")),
        datetime.fromisoformat(header["created_at"]),
        header.get("schema_revision"),
        int(trailer["bytes"]),
        str(trailer["sha256"]),
        int(trailer.get("cases", 0)),
        int(trailer.get("audit_entries", 0)),
    )


def _copy_vault(database: Any, inner: Path, key: vault.VaultKey, progress: Progress | None) -> None:
    import sqlcipher3

    raw = database.engine.raw_connection()
    dest = sqlcipher3.dbapi2.connect(str(inner))
    try:
        vault.key_connection(dest, key)

        def report(_status: int, remaining: int, total: int) -> None:
            if progress:
                progress("copying", total - remaining, total)

        raw.driver_connection.backup(dest, pages=1024, progress=report)
        dest.commit()
    finally:
        dest.close()
        raw.close()


def _dump_server(database: Any, inner: Path, passphrase: str, progress: Progress | None) -> None:
    """Copy every trpkit table from PostgreSQL into a new vault, from one consistent snapshot."""
    from sqlalchemy import insert, select

    import trpkit.db.models  # noqa: F401  (complete metadata)
    from trpkit.db import database as dbmod
    from trpkit.db.base import Base

    inner.unlink(missing_ok=True)
    target = dbmod.create_vault(inner, passphrase)
    try:
        tables = Base.metadata.sorted_tables
        with (
            database.engine.connect().execution_options(isolation_level="REPEATABLE READ") as source,
            target.engine.begin() as dest,
        ):
            source.exec_driver_sql("SET TRANSACTION READ ONLY")
            for number, table in enumerate(tables, start=1):
                columns = [c for c in table.columns if c.computed is None]
                result = source.execution_options(yield_per=2000).execute(select(*columns))
                for batch in result.mappings().partitions(2000):
                    dest.execute(insert(table), [dict(row) for row in batch])
                if progress:
                    progress("dumping tables", number, len(tables))
            source.rollback()
    finally:
        target.close()


def _check_can_back_up(database: Any, actor: Actor, output: Path) -> Path:
    """Refuse before any work: the role, a server's owner connection, a new file in an existing folder,
    a current schema. Returns the output path with ``~`` expanded."""
    require_role(actor, MAKE_BACKUPS, "make backups")
    if not database.target.is_vault:
        from trpkit.db import server_logins

        with database.engine.connect() as conn:
            if not server_logins.is_owner_connection(conn):
                raise AccessDenied(
                    "Back up a server with the owner connection (--db with the trpkit_owner login): a "
                    "person's own login sees only what their role allows, so its copy would be incomplete."
                )
    output = output.expanduser()
    if output.exists():
        raise UsageError(f"{output} already exists. Backups never overwrite a file: choose a new name.")
    if not output.parent.is_dir():
        raise UsageError(f"The folder {output.parent} does not exist.")
    state = database.schema_state()
    if state != "current":
        raise VaultError(
            f"The {database.target.describe()} is not at this trpkit's schema ({state}). "
            "Run 'trpkit db upgrade' first."
        )
    return output


def _copy_facts(inner: Path, passphrase: str) -> tuple[int, int, str | None]:
    """(cases, audit entries, schema revision) of the checked copy, for the backup's header."""
    from sqlalchemy import func, select

    from trpkit.db import migrate
    from trpkit.db.database import open_target
    from trpkit.db.engine import Target
    from trpkit.db.models import AuditEntry, Case

    copy = open_target(Target(vault_path=inner), passphrase)
    try:
        with copy.engine.connect() as conn:
            cases = conn.scalar(select(func.count(Case.id))) or 0
            entries = conn.scalar(select(func.count(AuditEntry.id))) or 0
        revision = migrate.current_revision(copy.engine)
    finally:
        copy.close()
    return cases, entries, revision


def create_backup(
    database: Any, actor: Actor, output: Path, passphrase: str, *, progress: Progress | None = None
) -> BackupInfo:
    """Write an encrypted backup of ``database`` (vault or server) to the NEW file ``output``."""
    from trpkit import __version__
    from trpkit.services import audit

    output = _check_can_back_up(database, actor, output)
    with database.session() as session:
        audit.record(session, actor, "backup.create", None)
    sweep_leftovers(output.parent)
    work = Path(tempfile.mkdtemp(prefix=WORK_PREFIX, dir=output.parent))
    claim = claim_work_dir(work)  # held until the end: a later sweep knows this run is alive
    inner = work / "inner.trpvault"
    partial = work / "backup.partial"
    try:
        if database.target.is_vault:
            _copy_vault(database, inner, vault.new_key(passphrase), progress)
        else:
            _dump_server(database, inner, passphrase, progress)
        check = _open_plain_checks(inner, passphrase)
        if check != "ok":
            raise TrpkitError(f"The copy failed its integrity check ({check}); no backup was written.")
        cases, entries, revision = _copy_facts(inner, passphrase)
        created = utcnow()
        kind = "vault" if database.target.is_vault else "server"
        header_extra = {
            "kind": kind,
            "created_at": created.isoformat(),
            "schema_revision": revision,
            "trpkit_version": __version__,
        }
        with private_new_file(partial) as sink:
            size, digest = write_container(
                inner, sink, passphrase, header_extra, {"cases": cases, "audit_entries": entries}, progress
            )
            sink.flush()
            os.fsync(sink.fileno())
        if progress:
            progress("checking the written file", 0, 1)
        decrypt_container(partial, passphrase, None)  # read back what reached the disk before naming it
        link_into_place(partial, output)
    finally:
        shutil.rmtree(work, ignore_errors=True)
        os.close(claim)
    return BackupInfo(output, kind, created, revision, size, digest, cases, entries)


def _open_plain_checks(path: Path, passphrase: str) -> str:
    """``PRAGMA integrity_check`` and ``foreign_key_check`` on a vault file; 'ok' or the first problem."""
    import sqlcipher3

    key = vault.unlock(path, passphrase)
    conn = sqlcipher3.dbapi2.connect(str(path))
    try:
        vault.key_connection(conn, key)
        result = conn.execute("PRAGMA integrity_check").fetchone()[0]
        if result != "ok":
            return str(result)
        bad = conn.execute("PRAGMA foreign_key_check").fetchone()
        if bad is not None:
            return f"a row in {bad[0]} points to a missing row in {bad[2]}"
        return "ok"
    finally:
        conn.close()


# --- checking and restoring -------------------------------------------------------------------------


def verify_backup(path: Path, passphrase: str, progress: Progress | None = None) -> RestoreReport:
    """Decrypt and check a backup completely (container, database integrity, audit chain) without keeping it."""
    work = Path(tempfile.mkdtemp(prefix="trpkit-verify-"))
    try:
        return restore_backup(path, work / "check.trpvault", passphrase, progress=progress, record=False)
    finally:
        for child in work.iterdir():
            child.unlink()
        work.rmdir()


def restore_backup(
    path: Path, target: Path, passphrase: str, *, progress: Progress | None = None, record: bool = True
) -> RestoreReport:
    """Restore ``path`` into the NEW vault file ``target`` after verifying it."""
    from trpkit.db.database import open_target
    from trpkit.db.engine import Target
    from trpkit.services import audit

    path, target = path.expanduser(), target.expanduser()
    if not path.is_file():
        raise UsageError(f"No backup file at {path}.")
    if target.exists():
        raise UsageError(
            f"{target} already exists. A restore never overwrites a file: give --to NEW_VAULT_PATH."
        )
    target.parent.mkdir(parents=True, exist_ok=True)
    sweep_leftovers(target.parent)
    temporary = target.with_name(f".{target.name}{RESTORING_MARK}{os.getpid()}-{os.urandom(4).hex()}")
    claim = -1
    try:
        with private_new_file(temporary) as sink:
            claim = claim_work_dir(temporary)
            header, trailer = decrypt_container(path, passphrase, sink, progress)
            sink.flush()
            os.fsync(sink.fileno())
        info = _info(path, header, trailer)
        try:
            integrity = _open_plain_checks(temporary, passphrase)
        except VaultError as exc:
            raise BackupError(f"{path}: the vault inside does not open ({exc}).") from None
        if integrity != "ok":
            raise BackupError(f"{path}: the vault inside fails its integrity check ({integrity}).")
        restored = open_target(Target(vault_path=temporary), passphrase)
        try:
            state = restored.schema_state()
            if state in ("newer", "empty"):
                raise BackupError(
                    f"{path}: the vault inside was made by a newer trpkit, or is empty ({state})."
                )
            with restored.session() as session:
                chain = audit.verify(session)
                if record:
                    audit.record(
                        session,
                        "trpkit-restore",
                        "backup.restore",
                        None,
                        backup_created=info.created_at.isoformat(),
                        sha256=info.sha256[:16],
                        audit_chain_ok=chain.ok,
                    )
        finally:
            restored.close()
        link_into_place(temporary, target)
    finally:
        temporary.unlink(missing_ok=True)
        temporary.with_name(temporary.name + "-journal").unlink(missing_ok=True)
        if claim >= 0:
            os.close(claim)
    return RestoreReport(target, info, integrity, chain.ok, chain.problem, state)
