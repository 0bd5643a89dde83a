"""The coalition analysis screen: findings, a table per dimension and terminal charts (Pilot)."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import DataTable, Input, Select, Static

from trpkit.coalition import package as pkg
from trpkit.coalition.record import COLUMN_NAMES, write_csv
from trpkit.coalition.synthetic import Effects, raw_rows, records
from trpkit.db.database import Database
from trpkit.loading.coalition_policy import load_policy
from trpkit.tui.app import TrpkitApp
from trpkit.tui.screens.coalition_analysis import AnalyticsScreen
from trpkit.tui.screens.dashboard import DashboardScreen


async def settle(app: TrpkitApp, pilot) -> None:  # type: ignore[no-untyped-def]
    for _ in range(4):
        await pilot.pause()
        await app.workers.wait_for_complete()
    await pilot.pause()


def _store(db: Database):  # type: ignore[no-untyped-def]
    from trpkit.coalition.generalise import anonymise
    from trpkit.services import coalition
    from trpkit.services.users import actor_for, create_user

    policy = load_policy()
    pair = pkg.generate_keypair("ngo-a")
    result = anonymise(raw_rows(600, seed=51, agency="ngo-a", effects=Effects(cooperation=1.5)), policy)
    manifest = {
        "schema_version": "1.0",
        "agency": "ngo-a",
        "k": policy.k,
        "quasi_identifiers": list(policy.quasi_identifiers),
        "columns": list(result.columns),
        "counts": {"exported": result.exported},
        "withdrawals": [],
    }
    with db.session() as s:
        create_user(s, "ines", role="analyst")
        analyst = actor_for(s, "ines")
        coalition.add_agency(s, analyst, pair.public_key_file_text())
        imported = coalition.import_package_bytes(
            s, analyst, pkg.build(write_csv(result.records, result.columns), manifest, pair.private_pem)
        )
        assert imported.ok, imported.reason
    return analyst


async def test_analyst_opens_the_screen_from_the_dashboard_and_reads_findings(vault_db: Database) -> None:
    analyst = _store(vault_db)
    app = TrpkitApp(database=vault_db, actor=analyst)
    async with app.run_test(size=(170, 50)) as pilot:
        await settle(app, pilot)
        assert isinstance(app.screen, DashboardScreen)
        await pilot.press("a")
        await settle(app, pilot)
        assert isinstance(app.screen, AnalyticsScreen)
        summary = str(app.screen.query_one("#an-summary", Static).render())
        assert "coalition store" in summary and "Does cooperating with police" in summary
        assert "ngo-a" not in summary
        table = app.screen.query_one("#an-table", DataTable)
        assert table.row_count >= 2
        select = app.screen.query_one("#an-dimension", Select)
        select.value = "law_enforcement_cooperation"
        await settle(app, pilot)
        assert app.screen.current_table()["dimension"] == "law_enforcement_cooperation"
        values = {str(table.get_row_at(i)[0]) for i in range(table.row_count)}
        assert {"none", "cooperating"} <= values


async def test_a_researcher_loads_a_csv_and_bad_files_are_explained(
    vault_db: Database, tmp_path: Path
) -> None:
    analyst = _store(vault_db)
    csv_file = tmp_path / "records.csv"
    write_csv(records(500, seed=52), COLUMN_NAMES, csv_file)
    app = TrpkitApp(database=vault_db, actor=analyst)
    async with app.run_test(size=(170, 50)) as pilot:
        await settle(app, pilot)
        app.push_screen(AnalyticsScreen())
        await settle(app, pilot)
        app.screen.query_one("#an-path", Input).value = str(csv_file)
        await pilot.click("#an-load")
        await settle(app, pilot)
        assert "records.csv" in str(app.screen.query_one("#an-summary", Static).render())
        app.screen.query_one("#an-path", Input).value = str(tmp_path / "missing.csv")
        await pilot.click("#an-load")
        await settle(app, pilot)
        assert "no such file" in str(app.screen.query_one("#an-summary", Static).render())


async def test_groups_are_shown_in_words_not_codes(vault_db: Database) -> None:
    """Application types and policy periods read as the CLI's text report reads them."""
    from trpkit.coalition.report import build_report, render_text
    from trpkit.services import coalition

    analyst = _store(vault_db)
    app = TrpkitApp(database=vault_db, actor=analyst)
    async with app.run_test(size=(170, 50)) as pilot:
        await settle(app, pilot)
        app.push_screen(AnalyticsScreen())
        await settle(app, pilot)
        screen = app.screen
        assert isinstance(screen, AnalyticsScreen)
        table = screen.query_one("#an-table", DataTable)
        shown: dict[str, set[str]] = {}
        for dimension in ("application_type", "policy_period"):
            screen.query_one("#an-dimension", Select).value = dimension
            await settle(app, pilot)
            shown[dimension] = {str(table.get_row_at(i)[0]) for i in range(table.row_count)}
    types, periods = shown["application_type"], shown["policy_period"]
    assert "initial TRP" in types and not any("_trp" in group for group in types)
    assert periods and not any(group.startswith(("vtip-", "irpa-")) for group in periods)
    assert any(": " in group and group[:4].isdigit() for group in periods)  # "2019–now: title"
    with vault_db.session() as s:
        text = render_text(build_report(coalition.records_for_report(s, analyst), min_cell=10))
    assert "initial TRP" in text and "initial_trp" not in text


def test_group_words_put_merged_labels_and_unknown_codes_into_words() -> None:
    from trpkit.coalition.words import group_words

    assert group_words("application_type", "subsequent_trp (with initial_trp)") == (
        "subsequent TRP (with initial TRP)"
    )
    assert group_words("exploitation_sector", "domestic_work") == "domestic work"
    assert group_words("policy_period", "other groups (3)") == "other groups (3)"
    assert group_words("policy_period", "vtip-2006", short=True).startswith("rules of 2006")
