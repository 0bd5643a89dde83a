"""The vault at rest: encrypted, self-contained, re-keyable; wrong passphrases are refused plainly."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from trpkit.db import vault
from trpkit.db.database import create_vault, open_target
from trpkit.db.engine import Target
from trpkit.errors import VaultError, WrongPassphrase
from trpkit.services.cases import create_case, get_case
from trpkit.services.users import actor_for, create_user

PASS = "orchard lantern velvet compass"
SECRET_TEXT = "Quillfeather-Unmistakable-Marker"


def _vault_with_case(path: Path) -> str:
    db = create_vault(path, PASS)
    with db.session() as s:
        create_user(s, "ana", role="supervisor")
        actor = actor_for(s, "ana")
        code = create_case(
            s,
            actor,
            person={"legal_name": SECRET_TEXT, "safe_contact_instructions": SECRET_TEXT},
            summary=SECRET_TEXT,
        ).code
    db.close()
    return code


def test_vault_file_reveals_nothing(tmp_path: Path) -> None:
    path = tmp_path / "v.trpvault"
    _vault_with_case(path)
    raw = path.read_bytes()
    assert SECRET_TEXT.encode() not in raw
    assert SECRET_TEXT.encode("utf-16-le") not in raw
    assert not raw.startswith(b"SQLite format 3")
    with pytest.raises(sqlite3.DatabaseError):
        sqlite3.connect(path).execute("SELECT count(*) FROM sqlite_master").fetchone()
    # Only the one file: no key file, salt file or journal is left beside it.
    assert [p.name for p in tmp_path.iterdir()] == ["v.trpvault"]


def test_wrong_passphrase_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "v.trpvault"
    _vault_with_case(path)
    with pytest.raises(WrongPassphrase, match="Wrong passphrase"):
        vault.unlock(path, "orchard lantern velvet compasss")


def test_rekey_changes_passphrase_and_keeps_data(tmp_path: Path) -> None:
    path = tmp_path / "v.trpvault"
    code = _vault_with_case(path)
    new = "harbour thistle granite whisper"
    vault.rekey(path, PASS, new)
    with pytest.raises(WrongPassphrase):
        vault.unlock(path, PASS)
    db = open_target(Target(vault_path=path), new)
    with db.session() as s:
        assert get_case(s, actor_for(s, "ana"), code).person.legal_name == SECRET_TEXT
    db.close()


@pytest.mark.parametrize(
    ("content", "message"),
    [(b"", "empty or truncated"), (b"SQLite format 3\x00" + b"\x00" * 100, "unencrypted SQLite")],
)
def test_files_that_are_not_vaults_are_explained(tmp_path: Path, content: bytes, message: str) -> None:
    path = tmp_path / "odd.trpvault"
    path.write_bytes(content)
    with pytest.raises(VaultError, match=message):
        vault.unlock(path, PASS)


def test_missing_vault_says_how_to_create_one(tmp_path: Path) -> None:
    with pytest.raises(VaultError, match="trpkit init"):
        vault.unlock(tmp_path / "nope.trpvault", PASS)


def test_creating_over_an_existing_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "v.trpvault"
    path.write_bytes(b"precious")
    with pytest.raises(VaultError, match="already exists"):
        create_vault(path, PASS)
    assert path.read_bytes() == b"precious"
