"""Pilot tests: the Incidents screen (i on the home screen): browse, filter, mark followed, record, edit."""

from __future__ import annotations

from dataclasses import replace

from textual.widgets import DataTable, Input, Select, Static

from tests.incidents.helpers import RAID, item, other_agency, package_from
from tests.pilot import settle
from trpkit.db.database import Database
from trpkit.services import coalition, incidents
from trpkit.services.incident_sharing import import_package_bytes
from trpkit.tui.app import TrpkitApp
from trpkit.tui.screens.incident_form import IncidentFormScreen
from trpkit.tui.screens.incidents import IncidentsScreen


def _world(db: Database):  # type: ignore[no-untyped-def]
    from trpkit.services.users import actor_for, create_user

    with db.session() as s:
        create_user(s, "ana", role="supervisor")
        ana = actor_for(s, "ana")
        incidents.new_incident(s, ana, RAID)
        incidents.new_incident(s, ana, replace(RAID, title="Caregiver recruiter fee", place="Ottawa",
                                               sector="domestic_work", when="after the long weekend"))  # fmt: skip
        pair = other_agency()
        coalition.add_agency(s, ana, pair.public_key_file_text())
        assert import_package_bytes(s, ana, package_from(pair, [item()])).imported
    return ana


def _rows(screen: IncidentsScreen) -> list[str]:
    table = screen.query_one("#inc-table", DataTable)
    return [str(table.get_row_at(i)[6]) for i in range(table.row_count)]


async def test_browse_filter_and_follow(vault_db: Database) -> None:
    ana = _world(vault_db)
    app = TrpkitApp(database=vault_db, actor=ana)
    async with app.run_test(size=(160, 50)) as pilot:
        await settle(app, pilot)
        assert "i incidents" in str(app.screen.query_one("#keys", Static).render())
        await pilot.press("i")
        await settle(app, pilot)
        screen = app.screen
        assert isinstance(screen, IncidentsScreen)
        assert len(_rows(screen)) == 3
        detail = str(screen.query_one("#inc-detail", Static).render())
        assert "Second look" in detail

        screen.query_one("#inc-filter", Input).value = "montreal"  # accents and case ignored
        await settle(app, pilot)
        assert _rows(screen) == ["Restaurant workers moved between cities"]
        assert "framing changed" in str(screen.query_one("#inc-detail", Static).render())

        screen.query_one("#inc-filter", Input).value = ""
        await settle(app, pilot)
        screen.query_one("#inc-table", DataTable).focus()
        await pilot.press("ctrl+o")
        await settle(app, pilot)
        assert len(_rows(screen)) == 2  # ours only
        await pilot.press("m")
        await settle(app, pilot)
        await pilot.press("ctrl+f")
        await settle(app, pilot)
        assert len(_rows(screen)) == 1
    with vault_db.session() as s:
        assert len(incidents.list_incidents(s, ana, followed=True)) == 1


async def test_unreadable_date_is_flagged_and_corrected(vault_db: Database) -> None:
    ana = _world(vault_db)
    app = TrpkitApp(database=vault_db, actor=ana)
    async with app.run_test(size=(160, 50)) as pilot:
        await settle(app, pilot)
        app.push_screen(IncidentsScreen())
        await settle(app, pilot)
        screen = app.screen
        screen.query_one("#inc-filter", Input).value = "caregiver"
        await settle(app, pilot)
        assert "kept as written: not read as a date" in str(screen.query_one("#inc-detail", Static).render())
        screen.query_one("#inc-table", DataTable).focus()
        await pilot.press("e")
        await settle(app, pilot)
        form = app.screen
        assert isinstance(form, IncidentFormScreen)
        assert form.query_one("#if-when", Input).value == "after the long weekend"
        assert "Not read as a date" in str(form.query_one("#if-when-hint", Static).render())
        form.query_one("#if-when", Input).value = "May 2026"
        await settle(app, pilot)
        assert "Understood as 2026-05-01 – 2026-05-31" in str(
            form.query_one("#if-when-hint", Static).render()
        )
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert app.screen is screen
        assert "kept as written" not in str(screen.query_one("#inc-detail", Static).render())


async def test_new_incident_refuses_an_unknown_place(vault_db: Database) -> None:
    ana = _world(vault_db)
    app = TrpkitApp(database=vault_db, actor=ana)
    async with app.run_test(size=(160, 50)) as pilot:
        await settle(app, pilot)
        app.push_screen(IncidentsScreen())
        await settle(app, pilot)
        await pilot.press("ctrl+n")
        await settle(app, pilot)
        form = app.screen
        assert isinstance(form, IncidentFormScreen)
        form.query_one("#if-title", Input).value = "Detentions at a meat plant"
        form.query_one("#if-place", Input).value = "Edmontn"
        form.query_one("#if-people", Select).value = "25-99"
        await settle(app, pilot)
        assert "Closest: Edmonton (ER-4860)" in str(form.query_one("#if-place-hint", Static).render())
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert app.screen is form
        assert "Closest: Edmonton" in str(form.query_one("#if-status", Static).render())
        form.query_one("#if-place", Input).value = "Edmonton"
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert isinstance(app.screen, IncidentsScreen)
    with vault_db.session() as s:
        made = [
            v for v in incidents.list_incidents(s, ana) if v.incident.title == "Detentions at a meat plant"
        ]
    assert made and made[0].incident.place == "ER-4860" and made[0].incident.people == "25-99"
