"""Faults found by an adversarial test, closed: killed backups and restores leave nothing behind once the
next one runs, a second demo on the same file is refused, audit verify needs a signed-in account."""

from __future__ import annotations

import fcntl
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

import trpkit
from tests.conftest import TEST_PASSPHRASE
from trpkit.db.database import create_vault, open_target
from trpkit.db.engine import Target
from trpkit.services.backup import create_backup, restore_backup
from trpkit.services.cases import create_case
from trpkit.services.users import actor_for, create_user

ROOT = Path(trpkit.__file__).resolve().parents[1]
ENV = {**os.environ, "TRPKIT_PASSPHRASE": TEST_PASSPHRASE, "PYTHONPATH": str(ROOT)}
BACKUP_PW = "granite otter lullaby 4471"


@pytest.fixture(scope="module")
def big_vault(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A vault large enough (a few MB) that a backup or restore takes long enough to be killed midway."""
    path = tmp_path_factory.mktemp("big") / "big.trpvault"
    db = create_vault(path, TEST_PASSPHRASE)
    with db.session() as s:
        create_user(s, "boss", role="supervisor")
        boss = actor_for(s, "boss")
        for i in range(150):
            create_case(s, boss, person={"legal_name": f"Fictional {i}", "contact": os.urandom(12000).hex()})
    db.close()
    return path


def _hidden(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith("."))


def _kill_when(cmd: list[str], ready: Callable[[], bool], timeout: float = 60) -> bool:
    """Start ``cmd``, SIGKILL it as soon as ``ready()``; False if it finished first."""
    proc = subprocess.Popen(cmd, env=ENV, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + timeout
    try:
        while time.monotonic() < deadline:
            if ready():
                proc.send_signal(signal.SIGKILL)
                proc.wait()
                return True
            if proc.poll() is not None:
                return False
            time.sleep(0.002)
        raise AssertionError("the process neither reached the point nor finished")
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()


def _work_file(medium: Path, name: str) -> Callable[[], bool]:
    def ready() -> bool:
        return any(
            (work / name).exists() and (work / name).stat().st_size > 0
            for work in medium.glob(".trpkit-backup-*")
        )

    return ready


@pytest.mark.slow
@pytest.mark.parametrize("point", ["work folder made", "vault copy under way", "encrypted file under way"])
def test_a_killed_backup_leaves_nothing_once_the_next_backup_runs(
    big_vault: Path, tmp_path: Path, point: str
) -> None:
    medium = tmp_path / "usb"
    medium.mkdir()
    ready = {
        "work folder made": lambda: any(medium.glob(".trpkit-backup-*")),
        "vault copy under way": _work_file(medium, "inner.trpvault"),
        "encrypted file under way": _work_file(medium, "backup.partial"),
    }[point]
    cmd = [
        sys.executable,
        "-m",
        "trpkit",
        "--vault",
        str(big_vault),
        "--user",
        "boss",
        "backup",
        "-o",
        str(medium / "a.trpbackup"),
    ]
    killed = _kill_when(cmd, ready)
    if not killed:
        pytest.skip(f"the backup finished before '{point}' was seen (machine too fast for this point)")
    assert not (medium / "a.trpbackup").exists()  # never a half-written backup under the real name
    db = open_target(Target(vault_path=big_vault), TEST_PASSPHRASE)
    with db.session() as s:
        boss = actor_for(s, "boss")
    create_backup(db, boss, medium / "b.trpbackup", BACKUP_PW)
    db.close()
    assert _hidden(medium) == []  # the killed run's copy of the vault is gone
    assert sorted(p.name for p in medium.iterdir()) == ["b.trpbackup"]


@pytest.mark.slow
@pytest.mark.parametrize("point", ["file created", "half written"])
def test_a_killed_restore_leaves_nothing_once_the_next_restore_runs(
    big_vault: Path, tmp_path: Path, point: str
) -> None:
    db = open_target(Target(vault_path=big_vault), TEST_PASSPHRASE)
    with db.session() as s:
        boss = actor_for(s, "boss")
    backup = tmp_path / "big.trpbackup"
    create_backup(db, boss, backup, BACKUP_PW)
    db.close()
    size = big_vault.stat().st_size
    folder = tmp_path / "restored"
    folder.mkdir()

    def ready() -> bool:
        partials = list(folder.glob(".r.trpvault.restoring-*"))
        if point == "file created":
            return bool(partials)
        return any(p.stat().st_size > size // 2 for p in partials if not p.name.endswith("-journal"))

    env_cmd = [sys.executable, "-m", "trpkit", "restore", str(backup), "--to", str(folder / "r.trpvault")]
    ENV["TRPKIT_BACKUP_PASSPHRASE"] = BACKUP_PW
    try:
        killed = _kill_when(env_cmd, ready)
    finally:
        ENV.pop("TRPKIT_BACKUP_PASSPHRASE")
    if not killed:
        pytest.skip(f"the restore finished before '{point}' was seen")
    assert not (folder / "r.trpvault").exists()
    assert _hidden(folder) != []  # what the kill left (swept below)
    report = restore_backup(backup, folder / "r2.trpvault", BACKUP_PW)
    assert report.audit_ok
    assert _hidden(folder) == []
    assert sorted(p.name for p in folder.iterdir()) == ["r2.trpvault"]


def test_a_sweep_never_touches_a_run_in_progress(tmp_path: Path) -> None:
    from trpkit.services.backup_work_files import sweep_leftovers

    alive = tmp_path / ".trpkit-backup-alive"
    dead = tmp_path / ".trpkit-backup-dead"
    alive.mkdir()
    dead.mkdir()
    (dead / "inner.trpvault").write_bytes(b"copy")
    restoring = tmp_path / ".x.trpvault.restoring-1-ab"
    restoring.write_bytes(b"partial")
    fd = os.open(alive, os.O_RDONLY)
    fcntl.flock(fd, fcntl.LOCK_EX)
    try:
        removed = sweep_leftovers(tmp_path)
        assert alive.exists() and not dead.exists() and not restoring.exists()
        assert set(removed) == {dead, restoring}
    finally:
        os.close(fd)


def test_a_second_demo_on_the_same_file_is_refused(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from trpkit.cli import cli

    path = tmp_path / "demo.trpvault"
    fd = os.open(tmp_path / ".demo.trpvault.lock", os.O_RDWR | os.O_CREAT, 0o600)
    fcntl.flock(fd, fcntl.LOCK_EX)  # another demo is creating or using it
    try:
        refused = CliRunner().invoke(cli, ["demo", "--path", str(path), "--cases", "2", "--no-tui"])
    finally:
        os.close(fd)
    assert refused.exit_code == 2 and "Another trpkit demo is using" in refused.output
    assert not path.exists()
    made = CliRunner().invoke(cli, ["demo", "--path", str(path), "--cases", "2", "--no-tui"])
    assert made.exit_code == 0, made.output
    assert path.exists()


def test_audit_verify_needs_a_signed_in_account_where_there_are_accounts(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from trpkit.cli import cli
    from trpkit.services import user_passwords, users

    path = tmp_path / "v.trpvault"
    db = create_vault(path, TEST_PASSPHRASE)
    runner = CliRunner()
    env = {"TRPKIT_PASSPHRASE": TEST_PASSPHRASE}
    no_accounts = runner.invoke(cli, ["--vault", str(path), "audit", "verify"], env=env)
    assert no_accounts.exit_code == 0 and "intact" in no_accounts.output
    with db.session() as s:
        users.create_user(s, "boss", role="supervisor", password_hash=user_passwords.hash_password(BACKUP_PW))
        users.create_user(s, "lea", role="accompanier")
    db.close()
    anonymous = runner.invoke(cli, ["--vault", str(path), "audit", "verify"], env=env)
    assert anonymous.exit_code != 0 and "intact" not in anonymous.output
    by_name_only = runner.invoke(cli, ["--vault", str(path), "--user", "lea", "audit", "verify"], env=env)
    assert by_name_only.exit_code != 0 and "every account needs one" in by_name_only.output
    signed_in = runner.invoke(
        cli,
        ["--vault", str(path), "--user", "boss", "audit", "verify"],
        env={**env, "TRPKIT_PASSWORD": BACKUP_PW},
    )
    assert signed_in.exit_code == 0 and "intact" in signed_in.output
