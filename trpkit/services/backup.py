"""Encrypted, integrity-checked backups, and restoring them into a new vault.

A backup file holds a complete trpkit vault (an SQLCipher database keyed from the backup passphrase),
wrapped in an authenticated container:

    MAGIC | header length (4 bytes) | header (JSON, readable, authenticated) | frames…

Each frame is ``type (1 byte) | length (4 bytes) | AES-256-GCM ciphertext``. The key is Argon2id of
the backup passphrase with the header's salt; the nonce is ``prefix (7) | frame number (4) | type (1)``
and the header is the associated data of every frame, so a changed header, a reordered, removed,
duplicated or truncated frame, or a flipped bit anywhere fails to decrypt. The last frame (type 1)
carries the SHA-256 and length of the vault inside, checked again after decryption.

Where the data comes from:
- a vault is copied with SQLite's online backup API (a consistent snapshot even while the vault is in
  use), straight into a copy encrypted under the backup key;
- a PostgreSQL server is dumped table by table, inside one REPEATABLE READ snapshot, into a fresh vault.

A restore always creates a NEW vault file: it decrypts to a temporary file beside the target, checks the
container, ``PRAGMA integrity_check``, foreign keys, the schema revision and the audit chain, and only
then links the file into place (never replacing an existing file). The restored vault opens with the
backup passphrase.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import shutil
import struct
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, BinaryIO

from trpkit.db import vault
from trpkit.db.base import utcnow
from trpkit.db.kdf import FORMAT_V1
from trpkit.errors import AccessDenied, TrpkitError, UsageError, VaultError
from trpkit.services.access import MAKE_BACKUPS, require_role
from trpkit.services.actor import Actor

MAGIC = b"TRPKIT-BACKUP\x00v1\n"
FORMAT = 1
CHUNK_BYTES = 1 << 20
MAX_HEADER_BYTES = 64 * 1024
FRAME_DATA = 0
FRAME_END = 1
TAG_BYTES = 16
ARGON2 = FORMAT_V1.as_dict()  # recorded in each backup's header, read back by restore

Progress = Callable[[str, int, int], None]  # (stage, done, total)


class BackupError(UsageError):
    """A backup file that is not one, is damaged, or does not open with the passphrase given (exit 2)."""


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


# --- the container ----------------------------------------------------------------------------------


def _derive(passphrase: str, salt: bytes, params: dict[str, int]) -> bytes:
    from trpkit.db.kdf import Argon2Params, derive_raw_key

    if not passphrase:
        raise BackupError("The backup passphrase is empty.")
    return derive_raw_key(
        passphrase, salt, Argon2Params(params["time_cost"], params["memory_kib"], params["parallelism"])
    )


def _nonce(prefix: bytes, number: int, frame_type: int) -> bytes:
    return prefix + struct.pack(">IB", number, frame_type)


def _write_container(
    source: Path,
    output: BinaryIO,
    passphrase: str,
    header_extra: dict[str, Any],
    trailer_extra: dict[str, Any],
    progress: Progress | None,
) -> tuple[int, str]:
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    salt, prefix = os.urandom(16), os.urandom(7)
    header = json.dumps(
        {
            "format": FORMAT,
            "cipher": "AES-256-GCM",
            "chunk_bytes": CHUNK_BYTES,
            "kdf": {"name": "argon2id", "salt": salt.hex(), **ARGON2},
            "nonce_prefix": prefix.hex(),
            **header_extra,
        },
        sort_keys=True,
    ).encode("utf-8")
    aead = AESGCM(_derive(passphrase, salt, ARGON2))
    output.write(MAGIC + struct.pack(">I", len(header)) + header)
    digest = hashlib.sha256()
    total = source.stat().st_size
    done = 0
    number = 0
    with source.open("rb") as handle:
        while chunk := handle.read(CHUNK_BYTES):
            digest.update(chunk)
            sealed = aead.encrypt(_nonce(prefix, number, FRAME_DATA), chunk, header)
            output.write(struct.pack(">BI", FRAME_DATA, len(sealed)) + sealed)
            number += 1
            done += len(chunk)
            if progress:
                progress("encrypting", done, total)
    trailer = json.dumps(
        {"bytes": done, "sha256": digest.hexdigest(), "frames": number, **trailer_extra}, sort_keys=True
    ).encode("utf-8")
    sealed = aead.encrypt(_nonce(prefix, number, FRAME_END), trailer, header)
    output.write(struct.pack(">BI", FRAME_END, len(sealed)) + sealed)
    return done, digest.hexdigest()


def read_header(path: Path) -> dict[str, Any]:
    """The readable (but authenticated) header of a backup file; explains plainly what is wrong."""
    with path.open("rb") as handle:
        header, _ = _read_header(handle, path)
    return header


def _read_header(handle: BinaryIO, path: Path) -> tuple[dict[str, Any], bytes]:
    magic = handle.read(len(MAGIC))
    if magic != MAGIC:
        raise BackupError(f"{path} is not a trpkit backup (it does not start with the trpkit backup marker).")
    raw_len = handle.read(4)
    if len(raw_len) < 4:
        raise BackupError(f"{path} is truncated: the backup header is incomplete.")
    (length,) = struct.unpack(">I", raw_len)
    if not 0 < length <= MAX_HEADER_BYTES:
        raise BackupError(f"{path} is damaged: its header length ({length}) is impossible.")
    raw = handle.read(length)
    if len(raw) < length:
        raise BackupError(f"{path} is truncated: the backup header is incomplete.")
    try:
        header = json.loads(raw.decode("utf-8"))
        kdf = header["kdf"]
        params = {k: int(kdf[k]) for k in ARGON2}
        bytes.fromhex(kdf["salt"])
        if len(bytes.fromhex(header["nonce_prefix"])) != 7 or kdf["name"] != "argon2id":
            raise ValueError("bad nonce or kdf")
        if not (
            1 <= params["time_cost"] <= 20
            and 8 <= params["memory_kib"] <= 4 * 1024 * 1024
            and 1 <= params["parallelism"] <= 64
        ):
            raise ValueError("kdf parameters out of range")
    except (ValueError, KeyError, TypeError, UnicodeDecodeError, AttributeError):
        raise BackupError(f"{path} is damaged: its header cannot be read.") from None
    if header.get("format") != FORMAT:
        raise BackupError(
            f"{path} uses backup format {header.get('format')!r}; this trpkit reads format {FORMAT}."
        )
    return header, raw


def _frames(handle: BinaryIO, path: Path) -> Iterator[tuple[int, bytes]]:
    while True:
        head = handle.read(5)
        if not head:
            return
        if len(head) < 5:
            raise BackupError(f"{path} is truncated in the middle of a block. Use another backup.")
        frame_type, length = struct.unpack(">BI", head)
        if frame_type not in (FRAME_DATA, FRAME_END) or not TAG_BYTES <= length <= CHUNK_BYTES + 1024:
            raise BackupError(f"{path} is damaged: a block has an impossible type or size.")
        body = handle.read(length)
        if len(body) < length:
            raise BackupError(f"{path} is truncated in the middle of a block. Use another backup.")
        yield frame_type, body


def _decrypt_container(
    path: Path, passphrase: str, sink: BinaryIO | None, progress: Progress | None = None
) -> tuple[dict[str, Any], dict[str, Any]]:
    """Stream-decrypt ``path`` into ``sink``; return (header, trailer). Raises BackupError on any problem."""
    from cryptography.exceptions import InvalidTag
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    size = path.stat().st_size
    with path.open("rb") as handle:
        header, raw_header = _read_header(handle, path)
        kdf = header["kdf"]
        aead = AESGCM(_derive(passphrase, bytes.fromhex(kdf["salt"]), {k: int(kdf[k]) for k in ARGON2}))
        prefix = bytes.fromhex(header["nonce_prefix"])
        digest = hashlib.sha256()
        done = 0
        trailer: dict[str, Any] | None = None
        for number, (frame_type, body) in enumerate(_frames(handle, path)):
            if trailer is not None:
                raise BackupError(f"{path} has data after its end marker: it was tampered with or damaged.")
            try:
                plain = aead.decrypt(_nonce(prefix, number, frame_type), body, raw_header)
            except InvalidTag:
                if number == 0:
                    raise BackupError(
                        f"Wrong backup passphrase for {path}, or the file is damaged. Check the passphrase."
                    ) from None
                raise BackupError(
                    f"{path} is damaged or was tampered with (block {number} fails its integrity check)."
                ) from None
            if frame_type == FRAME_END:
                try:
                    trailer = json.loads(plain.decode("utf-8"))
                except (ValueError, UnicodeDecodeError):
                    raise BackupError(f"{path} is damaged: its end marker cannot be read.") from None
                continue
            digest.update(plain)
            done += len(plain)
            if sink is not None:
                sink.write(plain)
            if progress:
                progress("decrypting", handle.tell(), size)
    if trailer is None:
        raise BackupError(f"{path} is truncated: its end marker is missing. Use another backup.")
    if trailer.get("bytes") != done or trailer.get("sha256") != digest.hexdigest():
        raise BackupError(f"{path} is damaged: the SHA-256 of its contents does not match.")
    return header, trailer


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


# --- making a backup --------------------------------------------------------------------------------


def _private_new_file(path: Path) -> BinaryIO:
    """Create ``path`` (readable only by its owner); never replace an existing file."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    return os.fdopen(fd, "wb")


WORK_PREFIX = ".trpkit-backup-"
RESTORING_MARK = ".restoring-"


def _claim(path: Path) -> int:
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


def _link_into_place(temporary: Path, final: Path) -> None:
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


def create_backup(
    database: Any, actor: Actor, output: Path, passphrase: str, *, progress: Progress | None = None
) -> BackupInfo:
    """Write an encrypted backup of ``database`` (vault or server) to the NEW file ``output``."""
    from sqlalchemy import func, select

    from trpkit import __version__
    from trpkit.db import migrate
    from trpkit.db.models import AuditEntry, Case
    from trpkit.services import audit

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
    with database.session() as session:
        audit.record(session, actor, "backup.create", None)
    sweep_leftovers(output.parent)
    work = Path(tempfile.mkdtemp(prefix=WORK_PREFIX, dir=output.parent))
    claim = _claim(work)  # held until the end: a later sweep knows this run is alive
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
        from trpkit.db.database import open_target
        from trpkit.db.engine import Target

        copy = open_target(Target(vault_path=inner), passphrase)
        try:
            with copy.engine.connect() as conn:
                cases = conn.scalar(select(func.count(Case.id))) or 0
                entries = conn.scalar(select(func.count(AuditEntry.id))) or 0
            revision = migrate.current_revision(copy.engine)
        finally:
            copy.close()
        created = utcnow()
        header_extra = {
            "kind": "vault" if database.target.is_vault else "server",
            "created_at": created.isoformat(),
            "schema_revision": revision,
            "trpkit_version": __version__,
        }
        with _private_new_file(partial) as sink:
            size, digest = _write_container(
                inner, sink, passphrase, header_extra, {"cases": cases, "audit_entries": entries}, progress
            )
            sink.flush()
            os.fsync(sink.fileno())
        if progress:
            progress("checking the written file", 0, 1)
        _decrypt_container(partial, passphrase, None)  # read back what reached the disk before naming it
        _link_into_place(partial, output)
    finally:
        shutil.rmtree(work, ignore_errors=True)
        os.close(claim)
    return BackupInfo(output, header_extra["kind"], created, revision, size, digest, cases, entries)


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
        with _private_new_file(temporary) as sink:
            claim = _claim(temporary)
            header, trailer = _decrypt_container(path, passphrase, sink, progress)
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
        _link_into_place(temporary, target)
    finally:
        temporary.unlink(missing_ok=True)
        temporary.with_name(temporary.name + "-journal").unlink(missing_ok=True)
        if claim >= 0:
            os.close(claim)
    return RestoreReport(target, info, integrity, chain.ok, chain.problem, state)
