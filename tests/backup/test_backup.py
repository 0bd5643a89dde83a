"""Backups: encrypted, integrity-checked, restored only into a new vault after checking; a restore drill."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import TEST_PASSPHRASE, _make_actor
from trpkit.db.database import Database, open_target
from trpkit.db.engine import Target
from trpkit.db.vault import VaultKey
from trpkit.errors import UsageError, VaultError
from trpkit.services import audit
from trpkit.services.actor import Actor
from trpkit.services.backup import create_backup, restore_backup, verify_backup
from trpkit.services.backup_container import BackupError, read_header
from trpkit.services.cases import get_case, list_cases

BACKUP_PASSPHRASE = "granite otter lullaby 4471"
NAME = "Zsófia Kitalált-Backupova"


def _fill(db: Database, new_case) -> list[str]:  # type: ignore[no-untyped-def]
    return [new_case(legal_name=f"{NAME} {i}", safe_contact_instructions="Text only") for i in range(3)]


def test_backup_restore_drill(db: Database, actor: Actor, new_case, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """The drill an NGO should run: back up, restore elsewhere, open, compare, check the audit chain."""
    from trpkit.services.evidence import add_evidence
    from trpkit.services.evidence_files import attach_file

    codes = _fill(db, new_case)
    with db.session() as s:
        exhibit = add_evidence(s, actor, codes[0], type="document", description="Pay stub")
        attach_file(s, actor, codes[0], exhibit.exhibit_number, "stub.pdf", b"%PDF-1.4 fictional pay stub")
        from datetime import date

        from trpkit.services.narrative import add_entry
        from trpkit.services.narrative_meetings import add_meeting

        meeting = add_meeting(s, actor, codes[2], held_on=date(2026, 2, 3))
        add_entry(s, actor, codes[2], meeting.id, "They took my passport at the quokkafarm gate.")
    out = tmp_path / "agency.trpbackup"
    info = create_backup(db, actor, out, BACKUP_PASSPHRASE)
    assert info.cases == 3 and out.exists() and oct(out.stat().st_mode & 0o777) == "0o600"
    raw = out.read_bytes()
    assert NAME.encode() not in raw and b"Backupova" not in raw and b"fictional pay stub" not in raw
    header = read_header(out)
    assert header["kind"] == ("vault" if db.target.is_vault else "server")
    assert "cases" not in header  # counts travel inside the encrypted part only

    restored_path = tmp_path / "restored" / "vault.trpvault"
    report = restore_backup(out, restored_path, BACKUP_PASSPHRASE)
    assert report.integrity == "ok" and report.audit_ok and report.schema_state == "current"
    restored = open_target(Target(vault_path=restored_path), BACKUP_PASSPHRASE)
    try:
        with restored.session() as s:
            assert sorted(c.code for c in list_cases(s, actor)) == sorted(codes)
            assert get_case(s, actor, codes[1]).person.legal_name == f"{NAME} 1"
            from trpkit.services.evidence import list_evidence

            assert list_evidence(s, actor, codes[0])[0].description == "Pay stub"
            from trpkit.services.search import search

            # the full-text index (outside the ORM tables) works in the restored vault, even from a server
            assert [hit.case_code for hit in search(s, actor, "quokkafarm")] == [codes[2]]
            assert audit.verify(s).ok
            assert audit.entries(s, action="backup.restore")
    finally:
        restored.close()
    with db.session() as s:
        assert audit.entries(s, action="backup.create")


def test_backup_of_a_vault_in_use_is_consistent(vault_db: Database, tmp_path: Path, make_actor) -> None:  # type: ignore[no-untyped-def]
    """Writers keep writing while the online backup copies the file; the copy is a consistent snapshot."""
    import threading

    from trpkit.services.cases import create_case

    boss = make_actor(vault_db, "boss", "supervisor")
    stop = threading.Event()
    written: list[str] = []

    def writer() -> None:
        while not stop.is_set():
            with vault_db.session() as s:
                written.append(create_case(s, boss, person={"legal_name": "Busy Fictional"}).code)

    thread = threading.Thread(target=writer)
    thread.start()
    try:
        while len(written) < 5:
            pass
        info = create_backup(vault_db, boss, tmp_path / "busy.trpbackup", BACKUP_PASSPHRASE)
    finally:
        stop.set()
        thread.join()
    report = restore_backup(tmp_path / "busy.trpbackup", tmp_path / "busy.trpvault", BACKUP_PASSPHRASE)
    assert report.integrity == "ok" and report.audit_ok
    assert 5 <= info.cases <= len(written)


def test_restore_never_overwrites_and_backup_never_overwrites(
    vault_db: Database, tmp_path: Path, make_actor
) -> None:  # type: ignore[no-untyped-def]
    boss = make_actor(vault_db, "boss", "supervisor")
    out = tmp_path / "b.trpbackup"
    create_backup(vault_db, boss, out, BACKUP_PASSPHRASE)
    before = out.read_bytes()
    with pytest.raises(UsageError, match="never overwrite"):
        create_backup(vault_db, boss, out, BACKUP_PASSPHRASE)
    assert out.read_bytes() == before
    existing = tmp_path / "existing.trpvault"
    existing.write_bytes(b"precious")
    with pytest.raises(UsageError, match="never overwrites"):
        restore_backup(out, existing, BACKUP_PASSPHRASE)
    assert existing.read_bytes() == b"precious"
    left = sorted(
        p.name for p in tmp_path.iterdir() if not p.name.endswith(("-wal", "-shm"))
    )  # the open vault's log
    assert left == ["b.trpbackup", "existing.trpvault", "test.trpvault"]


@pytest.fixture(scope="module")
def backup_file(tmp_path_factory: pytest.TempPathFactory, _template_vault: tuple[Path, VaultKey]) -> Path:
    """One backup for the tests that only read it: each writes its damaged copies in its own folder."""
    template, key = _template_vault
    folder = tmp_path_factory.mktemp("backup")
    shutil.copy(template, folder / "v.trpvault")
    database = open_target(Target(vault_path=folder / "v.trpvault"), key=key)
    try:
        boss = _make_actor(database, "boss", "supervisor")
        create_backup(database, boss, folder / "b.trpbackup", BACKUP_PASSPHRASE)
    finally:
        database.close()
    return folder / "b.trpbackup"


def _restore_fails(path: Path, tmp_path: Path, match: str, passphrase: str = BACKUP_PASSPHRASE) -> None:
    target = tmp_path / "out" / "restored.trpvault"
    with pytest.raises(BackupError, match=match):
        restore_backup(path, target, passphrase)
    assert not target.exists()
    assert not target.parent.exists() or list(target.parent.iterdir()) == []  # no half-restored file left


def test_wrong_passphrase(backup_file: Path, tmp_path: Path) -> None:
    _restore_fails(backup_file, tmp_path, "Wrong backup passphrase", "not the passphrase at all")


@pytest.mark.parametrize("where", ["header", "first block", "middle", "last byte"])
def test_a_flipped_bit_anywhere_is_detected(backup_file: Path, tmp_path: Path, where: str) -> None:
    data = bytearray(backup_file.read_bytes())
    header_end = data.index(b"}") + 1
    position = {
        "header": header_end - 5,
        "first block": header_end + 40,
        "middle": len(data) // 2,
        "last byte": len(data) - 1,
    }[where]
    data[position] ^= 0x01
    damaged = tmp_path / "damaged.trpbackup"
    damaged.write_bytes(bytes(data))
    _restore_fails(damaged, tmp_path, "damaged|tampered|Wrong backup passphrase")


def test_truncated_reordered_and_extended_backups_are_refused(backup_file: Path, tmp_path: Path) -> None:
    data = backup_file.read_bytes()
    for label, content, match in (
        ("truncated", data[: len(data) - 100], "truncated|damaged|tampered"),
        ("cut at a block boundary", data[: _frame_offsets(data)[-1]], "end marker is missing"),
        ("extended", data + data[-200:], "after its end marker|damaged|truncated"),
        ("blocks swapped", _swap_first_blocks(data), "damaged|tampered"),
        ("empty", b"", "not a trpkit backup"),
        ("not a backup", b"SQLite format 3\x00" + os.urandom(400), "not a trpkit backup"),
    ):
        path = tmp_path / f"{label}.trpbackup"
        path.write_bytes(content)
        _restore_fails(path, tmp_path, match)


def _frame_offsets(data: bytes) -> list[int]:
    import struct

    from trpkit.services.backup_container import MAGIC

    pos = len(MAGIC)
    (hlen,) = struct.unpack(">I", data[pos : pos + 4])
    pos += 4 + hlen
    offsets = []
    while pos < len(data):
        offsets.append(pos)
        _, length = struct.unpack(">BI", data[pos : pos + 5])
        pos += 5 + length
    return offsets


def _swap_first_blocks(data: bytes) -> bytes:
    offsets = _frame_offsets(data)
    assert len(offsets) >= 2
    a, b = offsets[0], offsets[1]
    end = offsets[2] if len(offsets) > 2 else len(data)
    return data[:a] + data[b:end] + data[a:b] + data[end:]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.binary(max_size=400))
def test_random_bytes_are_refused_with_one_line(
    tmp_path_factory: pytest.TempPathFactory, blob: bytes
) -> None:
    from trpkit.services.backup_container import MAGIC

    folder = tmp_path_factory.mktemp("fuzz")
    for content in (blob, MAGIC + blob):
        path = folder / "x.trpbackup"
        path.write_bytes(content)
        with pytest.raises(BackupError) as caught:
            verify_backup(path, BACKUP_PASSPHRASE)
        assert "\n" not in str(caught.value)
        path.unlink()


@pytest.mark.slow
def test_backup_restore_cli_drill(tmp_path: Path) -> None:
    from tests.cli import CliResult, run_cli

    vault = tmp_path / "v.trpvault"

    def run(*args: str, **extra: str) -> CliResult:
        return run_cli(args, passphrase=TEST_PASSPHRASE, env=extra)

    assert run("--vault", str(vault), "init", "--user", "ana").returncode == 0
    code = run("--vault", str(vault), "case", "new", "--name", NAME).stdout.strip()
    made = run(
        "--vault",
        str(vault),
        "backup",
        "-o",
        str(tmp_path / "b.trpbackup"),
        TRPKIT_BACKUP_PASSPHRASE=BACKUP_PASSPHRASE,
    )
    assert made.returncode == 0, made.stderr
    checked = run(
        "restore", str(tmp_path / "b.trpbackup"), "--verify-only", TRPKIT_BACKUP_PASSPHRASE=BACKUP_PASSPHRASE
    )
    assert checked.returncode == 0 and "Nothing was restored" in checked.stdout
    wrong = run(
        "restore",
        str(tmp_path / "b.trpbackup"),
        "--to",
        str(tmp_path / "r.trpvault"),
        TRPKIT_BACKUP_PASSPHRASE="wrong wrong wrong wrong",
    )
    assert (
        wrong.returncode == 2
        and "Wrong backup passphrase" in wrong.stderr
        and "Traceback" not in wrong.stderr
    )
    refused = run(
        "--vault",
        str(vault),
        "restore",
        str(tmp_path / "b.trpbackup"),
        TRPKIT_BACKUP_PASSPHRASE=BACKUP_PASSPHRASE,
    )  # the default vault exists: never replaced
    assert refused.returncode == 2 and "--to" in refused.stderr
    done = run(
        "restore",
        str(tmp_path / "b.trpbackup"),
        "--to",
        str(tmp_path / "r.trpvault"),
        TRPKIT_BACKUP_PASSPHRASE=BACKUP_PASSPHRASE,
    )
    assert done.returncode == 0, done.stderr
    shown = run(
        "--vault", str(tmp_path / "r.trpvault"), "case", "show", code, TRPKIT_PASSPHRASE=BACKUP_PASSPHRASE
    )
    assert shown.returncode == 0 and NAME in shown.stdout


def test_outdated_server_or_vault_is_not_backed_up(vault_db: Database, tmp_path: Path, make_actor) -> None:  # type: ignore[no-untyped-def]
    from sqlalchemy import text

    boss = make_actor(vault_db, "boss", "supervisor")
    with vault_db.engine.begin() as conn:  # as if made by an older trpkit
        conn.execute(text("UPDATE alembic_version SET version_num = '0001'"))
    with pytest.raises(VaultError, match="db upgrade"):
        create_backup(vault_db, boss, tmp_path / "old.trpbackup", BACKUP_PASSPHRASE)
    assert not (tmp_path / "old.trpbackup").exists()
