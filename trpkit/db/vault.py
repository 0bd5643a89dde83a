"""The encrypted vault: one SQLCipher file holding everything but the passphrase.

The 16-byte SQLCipher salt is the first 16 bytes of the file itself, so no key file or
side file is ever needed. The passphrase is stretched once per session with Argon2id
(format v1 parameters below) and handed to SQLCipher as a raw key, so opening further
connections costs nothing.
"""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from trpkit.db.kdf import FORMAT_V1, derive_raw_key
from trpkit.errors import VaultError, WrongPassphrase

SALT_BYTES = 16
KEY_BYTES = 32
SQLITE_PLAIN_HEADER = b"SQLite format 3\x00"


@dataclass(frozen=True, repr=False)
class VaultKey:
    """A derived key plus the salt it belongs to. repr hides the key."""

    key: bytes
    salt: bytes

    def pragma_value(self) -> str:
        return f"\"x'{self.key.hex()}{self.salt.hex()}'\""

    def __repr__(self) -> str:
        return "VaultKey(<hidden>)"


def derive_key(passphrase: str, salt: bytes) -> VaultKey:
    if not passphrase:
        raise VaultError("The passphrase is empty. Type the vault passphrase (or set TRPKIT_PASSPHRASE).")
    # Vault format v1. Changing the parameters would lock out existing vaults: add a v2 and try both.
    return VaultKey(derive_raw_key(passphrase, salt, FORMAT_V1, KEY_BYTES), salt)


def new_key(passphrase: str) -> VaultKey:
    return derive_key(passphrase, os.urandom(SALT_BYTES))


def read_salt(path: Path) -> bytes:
    """The salt stored in the vault's first bytes; explains plainly when the file is not a vault."""
    if not path.exists():
        raise VaultError(f"No vault at {path}. Create one with 'trpkit init' or give --vault PATH.")
    if path.is_dir():
        raise VaultError(f"{path} is a folder, not a vault file.")
    with path.open("rb") as handle:
        head = handle.read(SALT_BYTES)
    if len(head) < SALT_BYTES:
        raise VaultError(f"{path} is empty or truncated: it is not a trpkit vault. Restore it from a backup.")
    if head == SQLITE_PLAIN_HEADER:
        raise VaultError(
            f"{path} is an unencrypted SQLite database, not a trpkit vault. trpkit never stores case data unencrypted."
        )
    return head


def key_connection(dbapi_connection: object, key: VaultKey) -> None:
    """Key a fresh SQLCipher connection and set the pragmas every connection needs."""
    cursor = dbapi_connection.cursor()  # type: ignore[attr-defined]
    try:
        # Silence SQLCipher's stderr logging: a wrong key would otherwise print over the TUI.
        cursor.execute("PRAGMA cipher_log_level = NONE")
        cursor.execute(f"PRAGMA key = {key.pragma_value()}")
        cursor.execute("PRAGMA foreign_keys = ON")
        # Write-ahead log: a writer waits its turn instead of failing with "database is locked" while
        # others read, and a commit survives a crash. The log is encrypted like the vault and folded
        # back into the one file when the last connection closes.
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute("PRAGMA synchronous = FULL")
        cursor.execute("PRAGMA busy_timeout = 10000")
        cursor.execute("PRAGMA secure_delete = ON")
    finally:
        cursor.close()


def check_key(path: Path, key: VaultKey) -> None:
    """Raise WrongPassphrase unless ``key`` opens ``path`` (a wrong key only fails on first read)."""
    import sqlcipher3

    conn = sqlcipher3.dbapi2.connect(str(path))
    try:
        key_connection(conn, key)
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except sqlcipher3.dbapi2.DatabaseError as exc:
        raise WrongPassphrase() from exc
    finally:
        conn.close()


def unlock(path: Path, passphrase: str) -> VaultKey:
    key = derive_key(passphrase, read_salt(path))
    check_key(path, key)
    return key


def create_file(path: Path, passphrase: str) -> VaultKey:
    """Create an empty encrypted database file (no tables yet) and return its key."""
    import sqlcipher3

    if path.exists():
        raise VaultError(f"{path} already exists. Choose another path, or open it instead of creating it.")
    path.parent.mkdir(parents=True, exist_ok=True)
    key = new_key(passphrase)
    conn = sqlcipher3.dbapi2.connect(str(path))
    try:
        key_connection(conn, key)
        conn.execute("CREATE TABLE trpkit_vault (format INTEGER NOT NULL)")
        conn.execute("INSERT INTO trpkit_vault (format) VALUES (1)")
        conn.commit()
    finally:
        conn.close()
    os.chmod(path, 0o600)
    return key


def rekey(path: Path, old_passphrase: str, new_passphrase: str) -> VaultKey:
    """Re-encrypt the vault under a new passphrase (and a fresh salt)."""
    import sqlcipher3

    old = unlock(path, old_passphrase)
    new = new_key(new_passphrase)
    conn = sqlcipher3.dbapi2.connect(str(path))
    try:
        key_connection(conn, old)
        conn.execute("PRAGMA journal_mode = DELETE")  # re-keying rewrites every page: no log in between
        conn.execute(f"PRAGMA rekey = {new.pragma_value()}")
    finally:
        conn.close()
    check_key(path, new)
    return new


def backup_copy(path: Path, label: str) -> Path:
    """Copy the (still encrypted) vault beside itself before a risky change such as a migration."""
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    target = path.with_name(f"{path.name}.{label}-{stamp}.bak")
    shutil.copy2(path, target)
    os.chmod(target, 0o600)
    return target
