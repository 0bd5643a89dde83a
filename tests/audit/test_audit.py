"""The audit chain: tamper detection, and no fork when several writers append at once."""

from __future__ import annotations

import multiprocessing
import threading
from pathlib import Path

import pytest
from sqlalchemy import select, text, update
from sqlalchemy.orm import Session

from trpkit.db.database import Database
from trpkit.db.models import AuditEntry
from trpkit.services import audit
from trpkit.services.actor import Actor


def _append(db: Database, actor: Actor, n: int, tag: str) -> None:
    for i in range(n):
        with db.session() as s:
            audit.record(s, actor, "test.append", None, writer=tag, i=i)


def _as_superuser_bypassing_triggers(s: Session) -> None:
    """The tamperer here is a PostgreSQL superuser who switched the insert-only triggers off."""
    if s.get_bind().dialect.name == "postgresql":
        s.execute(text("SET LOCAL session_replication_role = replica"))


def test_edit_remove_reorder_and_truncation_are_detected(db: Database, actor: Actor) -> None:
    _append(db, actor, 6, "a")
    with db.session() as s:
        report = audit.verify(s)
        ids = list(s.scalars(select(AuditEntry.id).order_by(AuditEntry.id)))
    assert report.ok and report.entries == 6
    head = report.head_hash

    # edited detail
    with db.session() as s:
        _as_superuser_bypassing_triggers(s)
        s.execute(update(AuditEntry).where(AuditEntry.id == ids[2]).values(detail={"writer": "z", "i": 2}))
    with db.session() as s:
        bad = audit.verify(s)
    assert not bad.ok and bad.first_bad_id == ids[2] and "edited" in bad.problem
    with db.session() as s:
        _as_superuser_bypassing_triggers(s)
        s.execute(update(AuditEntry).where(AuditEntry.id == ids[2]).values(detail={"writer": "a", "i": 2}))
        assert audit.verify(s).ok

    # reordered: swap the contents of two entries
    with db.session() as s:
        rows = {e.id: e for e in s.scalars(select(AuditEntry).where(AuditEntry.id.in_([ids[3], ids[4]])))}
        a, b = rows[ids[3]], rows[ids[4]]
        fields = ("at", "username", "action", "case_code", "detail", "prev_hash", "entry_hash")
        va, vb = ({f: getattr(a, f) for f in fields}, {f: getattr(b, f) for f in fields})
    with db.session() as s:
        _as_superuser_bypassing_triggers(s)
        s.execute(update(AuditEntry).where(AuditEntry.id == ids[3]).values(**vb))
        s.execute(update(AuditEntry).where(AuditEntry.id == ids[4]).values(**va))
    with db.session() as s:
        bad = audit.verify(s)
    assert not bad.ok and bad.first_bad_id == ids[3]
    with db.session() as s:
        _as_superuser_bypassing_triggers(s)
        s.execute(update(AuditEntry).where(AuditEntry.id == ids[3]).values(**va))
        s.execute(update(AuditEntry).where(AuditEntry.id == ids[4]).values(**vb))
        assert audit.verify(s).ok

    # the last entry removed: the chain alone is consistent, but the head kept apart is not at its end
    with db.session() as s:
        _as_superuser_bypassing_triggers(s)
        s.execute(AuditEntry.__table__.delete().where(AuditEntry.id == ids[-1]))
    with db.session() as s:
        truncated = audit.verify(s)
        noted = audit.verify(s, expect_head=head)
    assert not truncated.ok and "removed from the end" in truncated.problem
    assert not noted.ok and truncated.entries == 5


def test_show_filters_by_case_and_user(db: Database, actor: Actor, new_case, make_actor) -> None:  # type: ignore[no-untyped-def]
    from trpkit.services.cases import get_case

    first, second = new_case(), new_case()
    other = make_actor(db, "rui", "supervisor")
    with db.session() as s:
        get_case(s, other, second)
    with db.session() as s:
        by_case = audit.show(s, actor, case_code=first)
        by_user = audit.show(s, actor, username="rui")
    assert by_case and all(r.case_code == first for r in by_case)
    assert [(r.action, r.case_code) for r in by_user] == [("case.read", second)]


def test_threads_appending_at_once_do_not_fork_the_chain(db: Database, actor: Actor) -> None:
    threads = [threading.Thread(target=_append, args=(db, actor, 25, tag)) for tag in "abc"]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    with db.session() as s:
        report = audit.verify(s)
        hashes = list(s.scalars(select(AuditEntry.prev_hash)))
    assert report.ok, report
    assert report.entries == 75
    assert len(set(hashes)) == len(hashes)  # no two entries claim the same predecessor


def _process_append(url_or_vault: str, key_hex: str | None, tag: str, n: int) -> None:
    from trpkit.db.database import open_target
    from trpkit.db.engine import Target
    from trpkit.db.vault import VaultKey

    if key_hex:
        raw = bytes.fromhex(key_hex)
        target, key = Target(vault_path=Path(url_or_vault)), VaultKey(raw[:32], raw[32:])
    else:
        target, key = Target(url=url_or_vault), None
    database = open_target(target, key=key)
    try:
        for i in range(n):
            with database.session() as s:
                audit.record(s, "proc-" + tag, "test.append", None, i=i)
    finally:
        database.close()


@pytest.mark.slow
def test_processes_appending_at_once_do_not_fork_the_chain(db: Database, actor: Actor) -> None:
    """Separate processes (two people on one server; the TUI and a script on one vault)."""
    from tests.conftest import TEST_PASSPHRASE
    from trpkit.db.vault import unlock

    target = db.target
    if target.is_vault:
        key = unlock(target.vault_path, TEST_PASSPHRASE)  # type: ignore[arg-type]
        args = (str(target.vault_path), key.key.hex() + key.salt.hex())
    else:
        args = (db.engine.url.render_as_string(hide_password=False), None)
    ctx = multiprocessing.get_context("spawn")
    procs = [ctx.Process(target=_process_append, args=(*args, tag, 15)) for tag in "xy"]
    for p in procs:
        p.start()
    for p in procs:
        p.join(120)
        assert p.exitcode == 0
    with db.session() as s:
        report = audit.verify(s)
    assert report.ok and report.entries == 30


def test_audit_verify_cli_exit_codes(cli_vault: Path) -> None:
    from tests.cli import CliResult, run_cli
    from tests.conftest import TEST_PASSPHRASE
    from trpkit.db.database import open_target
    from trpkit.db.engine import Target

    vault = cli_vault  # as 'trpkit init --user ana' leaves it: entry 1 is ana's vault.init

    def run(*args: str) -> CliResult:
        return run_cli(args, vault=vault, passphrase=TEST_PASSPHRASE)

    created = run("case", "new", "--name", "Test Fictional")
    assert created.returncode == 0
    code = created.stdout.strip()
    ok = run("audit", "verify")
    assert ok.returncode == 0 and "intact" in ok.stdout
    head = ok.stdout.split("Head: ")[1].strip()
    assert run("audit", "verify", "--expect-head", head).returncode == 0
    db = open_target(Target(vault_path=vault), TEST_PASSPHRASE)
    with db.session() as s:
        _as_superuser_bypassing_triggers(s)
        s.execute(update(AuditEntry).where(AuditEntry.id == 1).values(username="mallory"))
    db.close()
    bad = run("audit", "verify")
    assert bad.returncode == 1 and "damaged at entry 1" in bad.stderr and "Traceback" not in bad.stderr
    shown = run("audit", "show", "--case", code.lower(), "--json")
    assert shown.returncode == 0 and '"case.create"' in shown.stdout
