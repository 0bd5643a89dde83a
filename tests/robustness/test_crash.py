"""Crash safety: SIGKILL trpkit while it writes, imports and migrates; the vault must open, pass
PRAGMA integrity_check and foreign-key checks, keep an intact audit chain, and lose nothing committed."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import func, select, text

import trpkit
from tests.conftest import TEST_PASSPHRASE
from trpkit.db import migrate, vault
from trpkit.db.database import create_vault, open_target
from trpkit.db.engine import Target
from trpkit.db.models import Case, Person
from trpkit.services import audit
from trpkit.services.users import create_user

pytestmark = pytest.mark.slow
ROOT = Path(trpkit.__file__).resolve().parents[1]
ENV = {**os.environ, "TRPKIT_PASSPHRASE": TEST_PASSPHRASE, "PYTHONPATH": str(ROOT)}


def _check(path: Path) -> set[str]:
    """Open the vault the normal way and check it completely; return the case codes it holds."""
    import sqlcipher3

    key = vault.unlock(path, TEST_PASSPHRASE)
    conn = sqlcipher3.dbapi2.connect(str(path))
    try:
        vault.key_connection(conn, key)
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
    finally:
        conn.close()
    db = open_target(Target(vault_path=path), TEST_PASSPHRASE)
    try:
        with db.session() as s:
            report = audit.verify(s)
            assert report.ok, report
            codes = set(s.scalars(select(Case.code)))
            assert s.scalar(select(func.count(Person.id))) == len(codes)  # no case without its person
        return codes
    finally:
        db.close()


def _new_vault(tmp_path: Path, name: str = "v.trpvault", revision: str = "head") -> Path:
    path = tmp_path / name
    if revision == "head":
        db = create_vault(path, TEST_PASSPHRASE)
    else:
        key = vault.create_file(path, TEST_PASSPHRASE)
        db = open_target(Target(vault_path=path), key=key)
        migrate.upgrade(db.engine, revision)
    with db.session() as s:
        if revision == "head":
            create_user(s, "ana", role="supervisor")
        else:  # plain SQL: today's models describe columns an old revision did not have
            s.execute(
                text(
                    "INSERT INTO users (username, display_name, role, active, created_at, updated_at)"
                    " VALUES ('ana', 'ana', 'supervisor', 1, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)"
                )
            )
    db.close()
    return path


@pytest.mark.parametrize("kill_after", [3, 11])
def test_kill_during_a_loop_of_writes_loses_nothing_committed(tmp_path: Path, kill_after: int) -> None:
    path = _new_vault(tmp_path)
    proc = subprocess.Popen(
        [sys.executable, str(Path(__file__).with_name("_crash_writer.py")), str(path), TEST_PASSPHRASE],
        stdout=subprocess.PIPE,
        text=True,
        env=ENV,
    )
    committed = []
    assert proc.stdout is not None
    while len(committed) < kill_after:
        line = proc.stdout.readline()
        assert line, "the writer stopped before it was killed"
        committed.append(line.strip())
    proc.send_signal(signal.SIGKILL)  # in the middle of the next transaction
    committed += [line.strip() for line in proc.stdout.read().splitlines()]  # printed before the kill landed
    proc.wait(30)
    assert proc.returncode == -signal.SIGKILL
    held = _check(path)
    assert set(committed) <= held  # every commit survived
    assert len(held) - len(committed) <= 1  # at most the one that committed but had not printed yet


def test_kill_during_demo_generation(tmp_path: Path) -> None:
    """The demo is built under a temporary name and renamed when complete: a kill leaves no demo vault,
    and the half-built file is itself a sound database with the generation rolled back."""
    import sqlcipher3

    from trpkit.demo import DEMO_PASSPHRASE

    path = tmp_path / "demo.trpvault"
    proc = subprocess.Popen(
        [sys.executable, "-m", "trpkit", "demo", "--no-tui", "--cases", "20000", "--path", str(path)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        env=ENV,
    )
    deadline = time.monotonic() + 90
    building: list[Path] = []
    while not building and time.monotonic() < deadline and proc.poll() is None:
        building = [
            p
            for p in tmp_path.glob(".demo.trpvault.building-*")
            if not p.name.endswith(("-journal", "-wal", "-shm"))
        ]
        time.sleep(0.05)
    assert building, "the demo never started building"
    time.sleep(1.5)  # well inside the generation of 20,000 cases
    proc.kill()
    proc.wait(30)
    assert proc.returncode == -signal.SIGKILL, "the demo finished before it could be killed"
    assert not path.exists()  # no half-made demo under the real name
    key = vault.unlock(building[0], DEMO_PASSPHRASE)
    conn = sqlcipher3.dbapi2.connect(str(building[0]))
    try:
        vault.key_connection(conn, key)
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert conn.execute("SELECT count(*) FROM cases").fetchone()[0] in (0, 20000)  # all or nothing
    finally:
        conn.close()


def test_kill_during_an_attachment_import(tmp_path: Path) -> None:
    path = _new_vault(tmp_path)
    code = subprocess.run(
        [sys.executable, "-m", "trpkit", "--vault", str(path), "case", "new", "--name", "Imp"],
        env=ENV,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    for purpose in ("prepare_file",):
        subprocess.run(
            [
                sys.executable,
                "-m",
                "trpkit",
                "--vault",
                str(path),
                "consent",
                "record",
                code,
                "--purpose",
                purpose,
                "--given",
                "--method",
                "written",
            ],
            env=ENV,
            check=True,
            capture_output=True,
        )
    subprocess.run(
        [
            sys.executable,
            "-m",
            "trpkit",
            "--vault",
            str(path),
            "evidence",
            "add",
            code,
            "--type",
            "document",
            "--description",
            "Scan",
        ],
        env=ENV,
        check=True,
        capture_output=True,
    )
    big = tmp_path / "scan.pdf"
    big.write_bytes(os.urandom(48 * 1024 * 1024))
    size_before = path.stat().st_size
    proc = subprocess.Popen(
        [sys.executable, "-m", "trpkit", "--vault", str(path), "evidence", "attach", code, "1", str(big)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=ENV,
    )
    deadline = time.monotonic() + 60  # kill once the vault (or its log) starts growing: mid-write
    while time.monotonic() < deadline and proc.poll() is None:
        wal = Path(f"{path}-wal")  # the vault writes ahead into its (encrypted) log before committing
        if path.stat().st_size > size_before + 4 * 1024 * 1024 or (
            wal.exists() and wal.stat().st_size > 4 * 1024 * 1024
        ):
            break
        time.sleep(0.01)
    proc.kill()
    proc.wait(30)
    assert proc.returncode == -signal.SIGKILL, "the import finished before it could be killed"
    assert _check(path) == {code}
    db = open_target(Target(vault_path=path), TEST_PASSPHRASE)
    try:
        from trpkit.db.models import EvidenceAttachment

        with db.session() as s:
            assert s.scalar(select(func.count(EvidenceAttachment.id))) == 0  # all or nothing
    finally:
        db.close()


def _upgrade(path: Path) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "trpkit", "--vault", str(path), "db", "upgrade"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=ENV,
    )


def test_kill_during_a_migration(tmp_path: Path) -> None:
    """`db upgrade` from 0001, killed at several points of its run: the vault stays sound, the cases
    made before stay, and running the upgrade again completes it."""
    from trpkit.services.cases import create_case
    from trpkit.services.users import actor_for

    # Cases made with today's code, then the vault taken back to 0001 (today's models cannot write
    # into an old schema, which may lack their columns).
    template = _new_vault(tmp_path, "template.trpvault")
    db = open_target(Target(vault_path=template), TEST_PASSPHRASE)
    with db.session() as s:
        actor = actor_for(s, "ana")
        codes = {create_case(s, actor, person={"legal_name": f"Old Fictional {i}"}).code for i in range(25)}
    migrate.downgrade(db.engine, "0001")
    db.close()

    import shutil

    timing = tmp_path / "timing.trpvault"
    shutil.copy(template, timing)
    started = time.monotonic()
    out = _upgrade(timing).communicate(timeout=120)
    full = time.monotonic() - started
    assert "Upgraded" in out[0], out
    for fraction in (0.55, 0.7, 0.85, 0.95):
        path = tmp_path / f"kill-{fraction}.trpvault"
        shutil.copy(template, path)
        proc = _upgrade(path)
        time.sleep(full * fraction)
        proc.kill()
        proc.wait(30)
        assert _check(path) >= codes
        db = open_target(Target(vault_path=path), TEST_PASSPHRASE)
        try:
            assert db.schema_state() in ("outdated", "current")
        finally:
            db.close()
        again = _upgrade(path).communicate(timeout=120)
        assert "Upgraded" in again[0] or "Already up to date" in again[0], (fraction, again)
        assert _check(path) >= codes
