"""Pilot test: the permit holder clock's ground and absences in the Applications tab."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select
from textual.widgets import Button, Checkbox, DataTable, Input, Select, Static

from tests.pilot import settle
from trpkit.db.database import Database
from trpkit.db.models import AbsenceFromCanada, PermitHolderGround
from trpkit.tui.app import TrpkitApp


def _case_on_trps(db: Database, start: date):  # type: ignore[no-untyped-def]
    from trpkit.services.applications import create_application
    from trpkit.services.cases import create_case
    from trpkit.services.consent import record_consent
    from trpkit.services.decisions import record_decision
    from trpkit.services.users import actor_for, create_user

    with db.session() as s:
        create_user(s, "ana", role="supervisor")
        actor = actor_for(s, "ana")
        code = create_case(s, actor, person={"legal_name": "Test Fictional"}).code
        for purpose in ("prepare_file", "submit_to_ircc"):
            record_consent(s, actor, code, purpose=purpose, decision="given", method="written")
        ref = create_application(
            s, actor, code, type="initial_trp", submitted_on=start - timedelta(days=30)
        ).ref
        record_decision(
            s,
            actor,
            ref,
            outcome="granted",
            decided_on=start,
            validity_end_on=date.today() + timedelta(days=900),
        )
    return actor, code


async def test_record_the_ground_and_an_absence_from_the_keyboard(vault_db: Database) -> None:
    today = date.today()
    start = today.replace(year=today.year - 2, day=1)
    actor, code = _case_on_trps(vault_db, start)
    app = TrpkitApp(database=vault_db, actor=actor)
    async with app.run_test(size=(160, 50)) as pilot:
        await settle(app, pilot)
        await app.open_case(code, tab="applications")
        await settle(app, pilot)
        tab = app.screen.query_one("#applications-tab")
        facts = tab.query_one("#clock-facts", Static)
        assert "5 years" in str(facts.render()) and "not recorded" in str(facts.render())

        tab.query_one("#apps-table", DataTable).focus()  # anywhere in the tab
        await pilot.press("ctrl+g")
        assert app.focused is tab.query_one("#c-ground", Select)
        tab.query_one("#c-ground", Select).value = "health"
        tab.query_one("#c-ground-note", Input).value = "IRCC letter"
        tab.query_one("#c-ground-save", Button).press()
        await settle(app, pilot)
        shown = str(facts.render())
        assert "3 years" in shown and "recorded by ana" in shown and "IRCC letter" in shown
        assert f"reached on {start.replace(year=start.year + 3)}" in shown

        left = start + timedelta(days=60)
        tab.query_one("#c-left", Input).focus()
        await pilot.press(*left.isoformat())
        tab.query_one("#c-note", Input).focus()
        await pilot.press(
            *"[b]visit[/b]", "enter"
        )  # Enter in a field adds the absence: still away, unauthorized
        await settle(app, pilot)
        trips = tab.query_one("#clock-absences", DataTable)
        assert trips.row_count == 1
        row = trips.get_row_at(0)
        assert str(row[2]) == "still away" and str(row[4]) == "no" and str(row[5]) == "broke continuity"
        assert str(row[6]) == "[b]visit[/b]"  # the person's words, shown as typed
        assert "Clock stopped" in str(facts.render()) and "no return is recorded" in str(facts.render())

        back = left + timedelta(days=10)
        trips.move_cursor(row=0)
        tab.query_one("#c-returned", Input).value = back.isoformat()
        tab.query_one("#c-return", Button).press()
        await settle(app, pilot)
        assert str(trips.get_row_at(0)[2]) == back.isoformat()
        shown = str(facts.render())
        assert (
            f"Continuous since {back}" in shown and f"reached on {back.replace(year=back.year + 3)}" in shown
        )

        tab.query_one("#c-left", Input).value = (back + timedelta(days=30)).isoformat()
        tab.query_one("#c-returned", Input).value = (back + timedelta(days=45)).isoformat()
        tab.query_one("#c-authorized", Checkbox).value = True
        tab.query_one("#c-add", Button).press()
        await settle(app, pilot)
        assert trips.row_count == 2 and str(trips.get_row_at(1)[4]) == "yes"
        assert "interpretation to check" in str(facts.render())
        assert "[unconfirmed] an authorized absence does not break continuity" in str(facts.render())
        assert "[confirmed] leaving Canada without authorization breaks continuity" in str(facts.render())

        tab.query_one("#c-returned", Input).value = "soon"
        tab.query_one("#c-return", Button).press()
        await settle(app, pilot)
        assert "is not a date" in str(tab.query_one("#apps-message", Static).render())

        trips.move_cursor(row=0)
        tab.query_one("#c-remove", Button).press()
        await settle(app, pilot)
        await pilot.press("escape")  # changed their mind
        await settle(app, pilot)
        assert trips.row_count == 2
        tab.query_one("#c-remove", Button).press()
        await settle(app, pilot)
        await pilot.press("y")
        await settle(app, pilot)
        assert trips.row_count == 1
        app.save_screenshot("/tmp/clock_tab.svg")
    with vault_db.session() as s:
        assert s.scalar(select(PermitHolderGround.ground)) == "health"
        assert [(a.authorized, a.returned_on) for a in s.scalars(select(AbsenceFromCanada))] == [
            (True, back + timedelta(days=45))
        ]
