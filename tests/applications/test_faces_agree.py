"""The CLI and the TUI say the same words about the same case: the permit-holder clock, an application
with its decision, and the deadlines (both word them through trpkit.presenters)."""

from __future__ import annotations

from datetime import date, timedelta

from click.testing import CliRunner
from textual.widgets import DataTable, Static

from tests.conftest import TEST_PASSPHRASE
from tests.pilot import settle
from trpkit.cli import cli
from trpkit.db.database import Database
from trpkit.tui.app import TrpkitApp
from trpkit.tui.screens.dashboard import DashboardScreen


def _story(db: Database) -> tuple[object, str, str]:
    """A case on a TRP since two years ago (granted, with a condition), an absence abroad, and a
    renewal IRCC asked more information about."""
    from trpkit.services.applications import advance, create_application
    from trpkit.services.cases import create_case
    from trpkit.services.clock_facts import add_absence, set_ground
    from trpkit.services.consent import record_consent
    from trpkit.services.decisions import record_decision
    from trpkit.services.users import actor_for, create_user

    today = date.today()
    start = today.replace(year=today.year - 2, day=1)
    with db.session() as s:
        create_user(s, "ana", role="supervisor")
        actor = actor_for(s, "ana")
        code = create_case(s, actor, person={"legal_name": "Test Fictional"}).code
        for purpose in ("prepare_file", "submit_to_ircc"):
            record_consent(s, actor, code, purpose=purpose, decision="given", method="written")
        ref = create_application(
            s, actor, code, type="initial_trp", submitted_on=start - timedelta(days=30), ircc_office="VAN"
        ).ref
        record_decision(
            s,
            actor,
            ref,
            outcome="granted",
            decided_on=start,
            validity_end_on=today + timedelta(days=70),
            conditions="report any change of address",
            officer_label="VAN-03",
        )
        renewal = create_application(
            s, actor, code, type="subsequent_trp", submitted_on=today - timedelta(days=20)
        ).ref
        advance(s, actor, renewal, "info_requested", due_on=today + timedelta(days=9), note="police letter")
        set_ground(s, actor, code, "health", note="IRCC letter")
        add_absence(
            s,
            actor,
            code,
            left_on=start + timedelta(days=100),
            returned_on=start + timedelta(days=110),
            authorized=True,
            note="family visit",
        )
    return actor, code, ref


def _cli(db: Database, *args: str) -> list[str]:
    env = {"TRPKIT_PASSPHRASE": TEST_PASSPHRASE, "TRPKIT_DEBUG": "", "TRPKIT_USER": "ana"}
    vault = str(db.target.vault_path)
    result = CliRunner().invoke(cli, ["--vault", vault, *args], env=env, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.output.splitlines()


def _shown(widget: Static) -> list[str]:
    return str(widget.render()).splitlines()


def _cells(table: DataTable[object], row: int) -> list[str]:
    return [str(cell) for cell in table.get_row_at(row)]


def _table_rows(lines: list[str], header: str) -> list[list[str]]:
    """The rows of the CLI's table that starts with ``header`` (cells are split on two spaces or more)."""
    import re

    start = next(i for i, line in enumerate(lines) if line.startswith(header))
    rows = []
    for line in lines[start + 2 :]:
        if not line.strip():
            break
        rows.append(re.split(r" {2,}", line.strip()))
    return rows


async def test_cli_and_tui_word_a_case_the_same(vault_db: Database) -> None:
    actor, code, ref = _story(vault_db)
    clock_cli = _cli(vault_db, "clock", "show", code)
    app_cli = _cli(vault_db, "application", "show", ref)
    deadlines_cli = _cli(vault_db, "deadlines", "--case", code)

    app = TrpkitApp(database=vault_db, actor=actor)  # type: ignore[arg-type]
    async with app.run_test(size=(200, 60)) as pilot:
        await settle(app, pilot)
        await app.open_case(code, tab="applications")
        await settle(app, pilot)
        tab = app.screen.query_one("#applications-tab")

        facts = _shown(tab.query_one("#clock-facts", Static))
        assert facts == clock_cli[: len(facts)]  # then the CLI prints the absences as a table
        assert "Clock stopped" not in " ".join(facts) and "Ground: inadmissible on health" in facts[1]
        trips = tab.query_one("#clock-absences", DataTable)
        assert _table_rows(clock_cli, "Absence")[0] == [c for c in _cells(trips, 0) if c]

        apps = tab.query_one("#apps-table", DataTable)
        apps.move_cursor(row=apps.get_row_index(ref))
        await settle(app, pilot)
        detail = _shown(tab.query_one("#app-detail", Static))
        assert detail == app_cli
        assert any(line.strip().startswith("Decision: granted") for line in detail)
        assert any("conditions: report any change of address" in line for line in detail)

        await pilot.press("escape")
        await settle(app, pilot)
        assert isinstance(app.screen, DashboardScreen)
        app.screen.action_reload()
        await settle(app, pilot)
        panel = app.screen.query_one("#deadlines")
        counts = str(panel.query_one("#deadlines-counts", Static).render())
        # The panel covers every case the person may open: here there is only this one.
        assert counts.removeprefix("Deadlines: ") == deadlines_cli[0]
        table = panel.query_one("#deadlines-table", DataTable)
        tui_rows = [[c for c in _cells(table, i) if c] for i in range(table.row_count)]
        assert tui_rows == _table_rows(deadlines_cli, "Status") and tui_rows
