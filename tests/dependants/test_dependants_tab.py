"""Pilot tests: the Dependants in Canada table and form in the Person tab."""

from __future__ import annotations

from sqlalchemy import select
from textual.widgets import Button, DataTable, Input, Select, Static

from tests.pilot import settle
from trpkit.db.database import Database
from trpkit.db.models import Case, Person
from trpkit.tui.app import TrpkitApp
from trpkit.tui.screens.confirm import ConfirmScreen


def _case(db: Database):  # type: ignore[no-untyped-def]
    from trpkit.services.cases import create_case
    from trpkit.services.users import actor_for, create_user

    with db.session() as s:
        create_user(s, "ana", role="supervisor")
        actor = actor_for(s, "ana")
        code = create_case(s, actor, person={"legal_name": "Marisol Brennvik"}).code
    return actor, code


def _stored(db: Database, code: str) -> list[dict]:  # type: ignore[type-arg]
    with db.session() as s:
        return list(s.scalar(select(Person.dependants_in_canada).join(Case).where(Case.code == code)) or [])


def _rows(table: DataTable) -> list[list[str]]:  # type: ignore[type-arg]
    return [[str(cell) for cell in table.get_row_at(i)] for i in range(table.row_count)]


async def test_add_edit_remove_a_dependant_from_the_person_tab(vault_db: Database) -> None:
    from trpkit.services.cases import update_case

    actor, code = _case(vault_db)
    app = TrpkitApp(database=vault_db, actor=actor)
    async with app.run_test(size=(140, 60)) as pilot:
        await settle(app, pilot)
        await app.open_case(code, tab="overview")
        await settle(app, pilot)
        tab = app.screen.query_one("#overview-tab")
        table = tab.query_one("#dep-table", DataTable)
        assert "None recorded yet" in _rows(table)[0][1]

        # a new dependant, saved with ctrl+s; a name with markup characters is shown as typed
        tab.query_one("#dep-name", Input).value = "Tomás [b]Brennvik[/b]"
        tab.query_one("#dep-relationship", Select).value = "child"
        tab.query_one("#dep-described_as", Input).value = "son"
        tab.query_one("#dep-birth_date", Input).value = "March 2016"
        tab.query_one("#dep-status_in_canada", Input).value = "no status"
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert "Dependant 1 added" in str(tab.query_one("#dep-message", Static).render())
        assert _rows(table) == [["1", "Tomás [b]Brennvik[/b]", "son", "March 2016", "no status", "yes", "—"]]
        assert tab.query_one("#dep-name", Input).value == ""  # the form is ready for the next one
        stored = _stored(vault_db, code)
        assert (
            stored[0]["name"] == "Tomás [b]Brennvik[/b]" and stored[0]["birth_date_earliest"] == "2016-03-01"
        )

        # a mistake is explained and nothing is saved
        tab.query_one("#dep-name", Input).value = "Lía Brennvik"
        tab.query_one("#dep-relationship", Select).value = "other"
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert "describe how they are related" in str(tab.query_one("#dep-message", Static).render())
        assert len(_stored(vault_db, code)) == 1
        tab.query_one("#dep-new", Button).press()
        await settle(app, pilot)  # drop it

        # enter on the row opens it in the form; untick "include" and save
        table.focus()
        table.move_cursor(row=0)
        await pilot.press("enter")
        await settle(app, pilot)
        assert "Editing dependant 1" in str(tab.query_one("#dep-form-title", Static).render())
        assert tab.query_one("#dep-birth_date", Input).value == "March 2016"
        tab.query_one("#dep-include", Select).value = "no"
        tab.query_one("#dep-status_in_canada", Input).value = "Canadian citizen"
        tab.query_one("#dep-save", Button).press()
        await settle(app, pilot)
        await settle(app, pilot)
        assert _rows(table)[0][4:6] == ["Canadian citizen", "no"]
        assert _stored(vault_db, code)[0]["include_in_application"] is False

        # someone else edits the person meanwhile: the next dependant edit is refused, with what to do
        with vault_db.session() as s:
            update_case(s, actor, code, person={"gender": "woman"})
        table.focus()
        await pilot.press("enter")
        await settle(app, pilot)
        tab.query_one("#dep-notes", Input).value = "Goes to school nearby"
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        message = str(tab.query_one("#dep-message", Static).render())
        assert "changed by someone else" in message and "press Reload" in message
        assert _stored(vault_db, code)[0]["notes"] == ""
        tab.query_one("#reload", Button).press()  # their version in, my typing kept: save again
        await settle(app, pilot)
        assert tab.query_one("#dep-notes", Input).value == "Goes to school nearby"
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert _stored(vault_db, code)[0]["notes"] == "Goes to school nearby"
        await settle(app, pilot)

        # n in the table starts a new dependant; delete on the table asks first, then removes
        table.focus()
        await pilot.press("n")
        await settle(app, pilot)
        assert str(tab.query_one("#dep-form-title", Static).render()) == "New dependant"
        assert app.focused is tab.query_one("#dep-name", Input)
        table.focus()
        table.move_cursor(row=0)
        await pilot.press("delete")
        await settle(app, pilot)
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("y")
        await settle(app, pilot)
        assert "Dependant 1 removed" in str(tab.query_one("#dep-message", Static).render())
        assert _stored(vault_db, code) == [] and "None recorded yet" in _rows(table)[0][1]


async def test_person_fields_and_a_dependant_save_together(vault_db: Database) -> None:
    actor, code = _case(vault_db)
    app = TrpkitApp(database=vault_db, actor=actor)
    async with app.run_test(size=(140, 60)) as pilot:
        await settle(app, pilot)
        await app.open_case(code, tab="overview")
        await settle(app, pilot)
        tab = app.screen.query_one("#overview-tab")
        tab.query_one("#f-preferred_name", Input).value = "Mari"
        tab.query_one("#dep-name", Input).value = "Rosa Brennvik"
        tab.query_one("#dep-relationship", Select).value = "spouse"
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert tab.query_one("#f-preferred_name", Input).value == "Mari"
        # and a second save of the person alone still passes the version check
        tab.query_one("#f-gender", Input).value = "woman"
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert "Not saved" not in str(tab.query_one("#overview-message", Static).render())
    with vault_db.session() as s:
        person = s.scalar(select(Person).join(Case).where(Case.code == code))
        assert person is not None and (person.preferred_name, person.gender) == ("Mari", "woman")
        assert [d["name"] for d in person.dependants_in_canada] == ["Rosa Brennvik"]
