"""Destroying a case that was shared with the coalition: what the person is told, what a backup keeps,
and vaults made before the pending-withdrawals table (revision 0003) being offered the upgrade."""

from __future__ import annotations

import base64
import json
import zipfile
from datetime import date, timedelta
from pathlib import Path

from sqlalchemy import inspect, select

from tests.cli import CliResult, run_cli
from tests.conftest import TEST_PASSPHRASE
from trpkit.db import migrate, vault
from trpkit.db.database import Database, open_target
from trpkit.db.engine import Target
from trpkit.services import coalition
from trpkit.services.actor import Actor
from trpkit.services.applications import create_application
from trpkit.services.decisions import record_decision
from trpkit.services.users import actor_for

SECRET = base64.b64encode(b"another coalition secret, 32 b!!").decode()


def _shared_cases(db: Database, actor: Actor, new_case, count: int) -> list[str]:  # type: ignore[no-untyped-def]
    codes = []
    for n in range(count):
        code = new_case(
            legal_name=f"Fictional Marrowdale {n}",
            gender="woman",
            nationality="PH",
            birth_date_earliest=date(1988, 1, 1),
            birth_date_latest=date(1988, 12, 31),
        )
        with db.session() as s:
            app = create_application(
                s,
                actor,
                code,
                type="initial_trp",
                ircc_office="Vancouver",
                submitted_on=date(2025, 5, 5) + timedelta(days=n % 2),
            )
            # grants and refusals: an export where every decision went one way is refused (l-diversity, l = 2)
            outcome = "granted" if n % 3 else "refused"
            record_decision(
                s,
                actor,
                app.ref,
                outcome=outcome,
                decided_on=date(2025, 10, 1),
                duration_days=180 if outcome == "granted" else None,
                refusal_reasons=() if outcome == "granted" else ("other",),
                reasons_text="" if outcome == "granted" else "fictional reason",
            )
        codes.append(code)
    return codes


def test_retention_cli_says_the_case_leaves_the_coalition_at_the_next_export(
    tmp_path: Path, cli_vault: Path
) -> None:
    from trpkit.services.cases import create_case
    from trpkit.services.consent import record_consent

    path = cli_vault  # as 'trpkit init --user ana' leaves it

    def run(*args: str, vault_path: Path = path) -> CliResult:
        return run_cli(args, vault=vault_path, passphrase=TEST_PASSPHRASE, cwd=tmp_path)

    db = open_target(Target(vault_path=path), key=vault.unlock(path, TEST_PASSPHRASE))
    with db.session() as s:
        ana = actor_for(s, "ana")
        coalition.keygen(s, ana, "maison-cli")
        coalition.set_secret(s, ana, SECRET)

    def new_case(consents=None, **person):  # type: ignore[no-untyped-def]
        with db.session() as s:
            code = create_case(s, ana, person=person).code
            for purpose in consents or ("prepare_file", "submit_to_ircc", "coalition_sharing"):
                record_consent(s, ana, code, purpose=purpose, decision="given", method="written")
            return code

    codes = _shared_cases(db, ana, new_case, 6)
    never = new_case(legal_name="Fictional Unshared", consents=("prepare_file",))
    db.close()
    first = run("coalition", "export", "-o", "first.trpcoal")
    assert first.returncode == 0, first.stderr
    for code in (codes[0], never):
        assert run("case", "edit", code, "--set", "status=closed").returncode == 0

    done = run(
        "retention", "destroy", codes[0], "--yes", "--early-reason", "Person asked for erasure in writing"
    )
    assert done.returncode == 0, done.stderr
    assert f"{codes[0]} destroyed" in done.stdout
    assert (
        "1 decision record(s) of this case will be withdrawn from the coalition's data at the next "
        "'trpkit coalition export'" in done.stdout
    )
    quiet = run(
        "retention", "destroy", never, "--yes", "--json", "--early-reason", "Person asked for erasure too"
    )
    assert quiet.returncode == 0, quiet.stderr
    result = json.loads(quiet.stdout)
    assert result["coalition"] == "not_shared" and result["coalition_withdrawals"] == 0
    assert "never consented" in result["coalition_message"] and result["early"] is True

    listed = run("retention")
    assert (
        listed.returncode == 0
        and "1 coalition record(s) of destroyed case files wait for the next 'trpkit coalition export'"
        in listed.stdout
    )
    dry = run("coalition", "export", "--dry-run", "--json")
    assert dry.returncode == 0 and json.loads(dry.stdout)["withdrawals_destroyed"] == 1
    unwritable = run("coalition", "export", "-o", str(tmp_path / "missing-folder" / "x.trpcoal"))
    assert unwritable.returncode == 2 and "nothing was exported" in unwritable.stderr
    second = run("coalition", "export", "-o", "second.trpcoal")
    assert second.returncode == 0, second.stderr
    assert "withdrawals to notify: 1 (1 from destroyed case files)" in second.stdout
    assert "No decision could be shared" not in second.stdout  # five decisions remain: k = 5 still met
    manifest = json.loads(zipfile.ZipFile(tmp_path / "second.trpcoal").read("manifest.json"))
    assert manifest["counts"]["withdrawals_destroyed"] == 1 and len(manifest["withdrawals"]) == 1
    db = open_target(Target(vault_path=path), key=vault.unlock(path, TEST_PASSPHRASE))
    with db.session() as s:  # the failed write and the dry run did not count; the written package did
        from trpkit.db.models.coalition_pending import CoalitionPendingWithdrawal

        assert s.scalar(select(CoalitionPendingWithdrawal.packages)) == 1
    db.close()
    assert json.loads(run("retention", "--json").stdout)["coalition_withdrawals_unsent"] == 0


def test_a_restored_backup_still_owes_the_withdrawal(
    db: Database, actor: Actor, new_case, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    from sqlalchemy import update

    from trpkit.db.models import Case
    from trpkit.services import retention
    from trpkit.services.backup import create_backup, restore_backup
    from trpkit.services.cases import update_case

    with db.session() as s:
        coalition.keygen(s, actor, "maison-backup")
        coalition.set_secret(s, actor, SECRET)
    codes = _shared_cases(db, actor, new_case, 2)
    with db.session() as s:
        update_case(s, actor, codes[0], status="closed")
    with db.session() as s:
        closed = s.scalar(select(Case.closed_at).where(Case.code == codes[0]))
        s.execute(
            update(Case).where(Case.code == codes[0]).values(closed_at=closed - timedelta(days=9 * 366))
        )
    with db.session() as s:
        owed = retention.destroy_case(s, actor, codes[0], years=7)
    assert owed.coalition == "pending"
    with db.session() as s:
        ids = coalition.pending_withdrawals(s)
    backup = tmp_path / "agency.trpbackup"
    create_backup(db, actor, backup, "backup passphrase for the drill")
    target = tmp_path / "restored.trpvault"
    restore_backup(backup, target, "backup passphrase for the drill")
    restored = open_target(Target(vault_path=target), "backup passphrase for the drill")
    try:
        with restored.session() as s:
            assert coalition.pending_withdrawals(s) == ids and len(ids) == 1
    finally:
        restored.close()


def test_a_vault_at_revision_0003_is_offered_the_upgrade_to_the_pending_table(tmp_path: Path) -> None:
    path = tmp_path / "older.trpvault"
    key = vault.create_file(path, "orchard lantern velvet compass")
    db = open_target(Target(vault_path=path), key=key)
    migrate.upgrade(db.engine, "0003")
    assert "coalition_pending_withdrawals" not in inspect(db.engine).get_table_names()
    assert db.schema_state() == "outdated" and migrate.head_revision() != "0003"
    backup = db.upgrade()
    assert backup is not None and backup.name.startswith("older.trpvault.before-upgrade-0003")
    assert db.schema_state() == "current" and migrate.current_revision(db.engine) == migrate.head_revision()
    assert "coalition_pending_withdrawals" in inspect(db.engine).get_table_names()
    db.close()
