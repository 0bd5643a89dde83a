"""Pilot tests: the Applications tab and the dashboard's deadlines panel."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select
from textual.widgets import Button, DataTable, Input, Select, Static

from tests.pilot import settle
from trpkit.db.database import Database
from trpkit.db.models import Application, Decision
from trpkit.tui.app import TrpkitApp
from trpkit.tui.screens.case_file import CaseFileScreen
from trpkit.tui.screens.dashboard import PANEL_DELAY, DashboardScreen


async def stay_home(app: TrpkitApp, pilot) -> None:  # type: ignore[no-untyped-def]
    """The home screen computes its panels once the person stays on it for a moment."""
    await pilot.pause(PANEL_DELAY + 0.1)
    await settle(app, pilot)


def _case(db: Database, submitted: date):  # type: ignore[no-untyped-def]
    from trpkit.services.applications import create_application
    from trpkit.services.cases import create_case
    from trpkit.services.consent import record_consent
    from trpkit.services.users import actor_for, create_user

    with db.session() as s:
        create_user(s, "ana", role="supervisor")
        actor = actor_for(s, "ana")
        code = create_case(s, actor, person={"legal_name": "Test Fictional"}).code
        for purpose in ("prepare_file", "submit_to_ircc"):
            record_consent(s, actor, code, purpose=purpose, decision="given", method="written")
        ref = create_application(s, actor, code, type="initial_trp", submitted_on=submitted).ref
    return actor, code, ref


async def test_record_a_decision_and_see_the_dashboard_update(vault_db: Database) -> None:
    today = date.today()
    actor, code, ref = _case(vault_db, today - timedelta(days=40))
    app = TrpkitApp(database=vault_db, actor=actor)
    async with app.run_test(size=(160, 50)) as pilot:
        await stay_home(app, pilot)
        assert isinstance(app.screen, DashboardScreen)
        panel = app.screen.query_one("#deadlines")
        assert "nothing due" in str(panel.query_one("#deadlines-counts", Static).render()).lower()

        await app.open_case(code, tab="applications")
        await settle(app, pilot)
        tab = app.screen.query_one("#applications-tab")
        table = tab.query_one("#apps-table", DataTable)
        assert table.row_count == 1 and str(table.get_row(ref)[2]) == "submitted"
        assert ref in str(tab.query_one("#app-detail", Static).render())

        tab.query_one("#d-outcome", Select).value = "granted"
        tab.query_one("#d-on", Input).value = (today - timedelta(days=10)).isoformat()
        tab.query_one("#d-valid-to", Input).value = (today + timedelta(days=50)).isoformat()
        tab.query_one("#d-officer", Input).value = "Jane Doe"
        tab.query_one("#d-record", Button).press()
        await settle(app, pilot)
        assert "never the officer's name" in str(tab.query_one("#apps-message", Static).render())

        tab.query_one("#d-officer", Input).value = "VAN-03"
        tab.query_one("#d-record", Button).press()
        await settle(app, pilot)
        assert "granted" in str(tab.query_one("#apps-message", Static).render())
        assert [str(c) for c in table.get_row(ref)][5:] == [
            "granted",
            (today + timedelta(days=50)).isoformat(),
        ]
        clock = str(tab.query_one("#clock-facts", Static).render())
        assert "Permit holder clock" in clock and "apply for the next TRP" in clock

        with vault_db.session() as s:  # a fresh session sees the decision
            decision = s.scalar(select(Decision))
            assert decision is not None and decision.officer_label == "VAN-03"
            assert decision.validity_end == today + timedelta(days=50)

        await pilot.press("escape")
        await stay_home(app, pilot)
        assert isinstance(app.screen, DashboardScreen)
        panel = app.screen.query_one("#deadlines")
        counts = str(panel.query_one("#deadlines-counts", Static).render())
        assert "1 overdue, 0 due within two weeks, 1 coming" in counts
        rows = panel.query_one("#deadlines-table", DataTable)
        cells = [[str(c) for c in rows.get_row_at(i)] for i in range(rows.row_count)]
        assert [c[3] for c in cells] == [ref, ref]
        assert "60 days before" in cells[0][4] and "initial TRP ends" in cells[1][4]
        assert all("Test Fictional" not in " ".join(c) for c in cells)

        rows.focus()
        rows.move_cursor(row=1)
        await pilot.press("enter")
        await settle(app, pilot)
        assert isinstance(app.screen, CaseFileScreen) and app.screen.code == code


async def test_add_and_advance_from_the_tab(vault_db: Database) -> None:
    today = date.today()
    actor, code, ref = _case(vault_db, today - timedelta(days=30))
    app = TrpkitApp(database=vault_db, actor=actor)
    async with app.run_test(size=(160, 50)) as pilot:
        await settle(app, pilot)
        await app.open_case(code, tab="applications")
        await settle(app, pilot)
        tab = app.screen.query_one("#applications-tab")
        tab.query_one("#a-type", Select).value = "owp_trp_holder"
        tab.query_one("#a-new", Button).press()
        await settle(app, pilot)
        table = tab.query_one("#apps-table", DataTable)
        assert table.row_count == 2
        assert f"Added {code}/A2" in str(tab.query_one("#apps-message", Static).render())

        table.move_cursor(row=table.get_row_index(ref))
        tab.query_one("#a-stage", Select).value = "info_requested"
        tab.query_one("#a-due", Input).value = (today + timedelta(days=20)).isoformat()
        tab.query_one("#a-advance", Button).press()
        await settle(app, pilot)
        assert str(table.get_row(ref)[2]) == "information requested"
        tab.query_one("#a-stage", Select).value = "submitted"
        tab.query_one("#a-advance", Button).press()
        await settle(app, pilot)
        assert "cannot go from 'info_requested' to 'submitted'" in str(
            tab.query_one("#apps-message", Static).render()
        )
    with vault_db.session() as s:
        stages = dict(s.execute(select(Application.seq, Application.stage)).all())
    assert stages == {1: "info_requested", 2: "draft"}


async def test_deadlines_screen_filters_and_exports(vault_db: Database, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from icalendar import Calendar

    from trpkit.services.applications import advance
    from trpkit.services.decisions import record_decision
    from trpkit.tui.screens.deadlines import DeadlinesScreen

    today = date.today()
    actor, code, ref = _case(vault_db, today - timedelta(days=40))
    with vault_db.session() as s:
        record_decision(
            s,
            actor,
            ref,
            outcome="granted",
            decided_on=today - timedelta(days=5),
            validity_end_on=today + timedelta(days=100),
        )
        from trpkit.services.applications import create_application

        pending = create_application(
            s, actor, code, type="owp_trp_holder", submitted_on=today - timedelta(days=3)
        ).ref
        advance(s, actor, pending, "info_requested", due_on=today + timedelta(days=5))
    app = TrpkitApp(database=vault_db, actor=actor)
    async with app.run_test(size=(160, 50)) as pilot:
        await settle(app, pilot)
        await pilot.press("d")
        await settle(app, pilot)
        screen = app.screen
        assert isinstance(screen, DeadlinesScreen)
        table = screen.query_one("#dl-table", DataTable)
        whats = [str(table.get_row_at(i)[4]) for i in range(table.row_count)]
        assert any("respond to IRCC" in w for w in whats) and any("initial TRP ends" in w for w in whats)
        screen.query_one("#dl-status", Select).value = "coming"
        await settle(app, pilot)
        assert (
            all(str(table.get_row_at(i)[0]) == "coming" for i in range(table.row_count)) and table.row_count
        )
        out = tmp_path / "mine.ics"
        screen.query_one("#dl-path", Input).value = str(out)
        screen.query_one("#dl-export", Button).press()
        await settle(app, pilot)
        assert "written to" in str(screen.query_one("#dl-message", Static).render())
        events = list(Calendar.from_ical(out.read_bytes()).walk("VEVENT"))
        assert events and all(str(e["summary"]).startswith(code) for e in events)
        assert b"Test Fictional" not in out.read_bytes()
        await pilot.press("escape")
        await settle(app, pilot)
        assert isinstance(app.screen, DashboardScreen)


async def test_deadlines_export_is_on_screen_at_80x24(vault_db: Database, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """The export row fits an 80-column terminal, and ctrl+o exports from anywhere on the screen."""
    from trpkit.tui.screens.deadlines import DeadlinesScreen

    actor, _code, _ref = _case(vault_db, date.today() - timedelta(days=40))
    app = TrpkitApp(database=vault_db, actor=actor)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("d")
        await settle(app, pilot)
        screen = app.screen
        assert isinstance(screen, DeadlinesScreen)
        button = screen.query_one("#dl-export", Button)
        assert button.region.right <= 80 and button.region.bottom <= 23 and button.region.width > 0
        out = tmp_path / "from-the-key.ics"
        screen.query_one("#dl-path", Input).value = str(out)
        screen.query_one("#dl-table", DataTable).focus()
        await pilot.press("ctrl+o")
        await settle(app, pilot)
        assert out.exists() and "written to" in str(screen.query_one("#dl-message", Static).render())
