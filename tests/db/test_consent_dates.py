"""A consent given on an earlier day is recorded on that day (service and CLI, in-process)."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.conftest import TEST_PASSPHRASE
from trpkit.errors import UsageError
from trpkit.services.consent import decided_at_for, record_consent


def test_an_earlier_day_is_kept_and_the_latest_decision_still_wins(db, actor, new_case) -> None:  # type: ignore[no-untyped-def]
    code = new_case(consents=())
    with db.session() as s:
        record_consent(s, actor, code, purpose="ngo_contact", decision="withdrawn", method="verbal")
        # told today that she had agreed in March: history in order, the later withdrawal still stands
        state = record_consent(
            s,
            actor,
            code,
            purpose="ngo_contact",
            decision="given",
            method="written",
            decided_at=decided_at_for(date(2026, 3, 2)),
        )
    assert state.state == "withdrawn"
    assert state.history[0].decided_at.date() == date(2026, 3, 2)
    assert state.history[0].recorded_at.date() != date(2026, 3, 2)
    with pytest.raises(UsageError, match="future"):
        decided_at_for(date.today() + timedelta(days=2))


def test_the_cli_records_a_consent_on_its_day(tmp_path: Path) -> None:
    from trpkit.cli import cli
    from trpkit.db.database import create_vault
    from trpkit.services.users import create_user

    vault = tmp_path / "c.trpvault"
    database = create_vault(vault, TEST_PASSPHRASE)
    with database.session() as session:
        create_user(session, "ana", role="supervisor")
    database.close()
    env = {"TRPKIT_PASSPHRASE": TEST_PASSPHRASE, "TRPKIT_CONFIG": str(tmp_path / "c.toml")}
    runner = CliRunner()

    def run(*args: str) -> str:
        result = runner.invoke(cli, ["--vault", str(vault), *args], env=env, catch_exceptions=False)
        assert result.exit_code == 0, result.output
        return result.output

    code = json.loads(run("case", "new", "--name", "Rosa Ejemplar", "--json"))["code"]
    run(
        "consent",
        "record",
        code,
        "--purpose",
        "prepare_file",
        "--given",
        "--method",
        "written",
        "--date",
        "2026-03-02",
    )
    shown = json.loads(run("consent", "show", code, "--json"))
    prepare = next(s for s in shown if s["purpose"] == "prepare_file")
    assert prepare["since"].startswith("2026-03-02")
    assert "2026-03-02" in run("consent", "show", code, "--history")
    bad = runner.invoke(
        cli,
        [
            "--vault",
            str(vault),
            "consent",
            "record",
            code,
            "--purpose",
            "prepare_file",
            "--given",
            "--method",
            "written",
            "--date",
            "02/03/2026",
        ],
        env=env,
    )
    assert bad.exit_code != 0 and "YYYY-MM-DD" in bad.output
