"""Pilot tests: withdraw, export and import on the Incidents screen, by role, at 80×24 and larger."""

from __future__ import annotations

import stat
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from textual.widgets import DataTable, Input, Static

from tests.incidents.helpers import RAID, give_key, item, other_agency, package_from
from tests.pilot import settle
from trpkit.db.database import Database
from trpkit.services import audit, coalition, incidents
from trpkit.services.actor import Actor
from trpkit.services.cases import create_case
from trpkit.tui.app import TrpkitApp
from trpkit.tui.screens.confirm import ConfirmScreen
from trpkit.tui.screens.incidents import IncidentsScreen
from trpkit.tui.screens.path_prompt import PathPromptScreen


def _people(db: Database) -> dict[str, Actor]:
    from trpkit.services.users import actor_for, create_user

    with db.session() as s:
        for name, role in (("ana", "supervisor"), ("ben", "accompanier"), ("cy", "analyst")):
            create_user(s, name, role=role)
        return {name: actor_for(s, name) for name in ("ana", "ben", "cy")}


def _result(screen: IncidentsScreen) -> str:
    return str(screen.query_one("#inc-result", Static).render())


async def _open(app: TrpkitApp, pilot) -> IncidentsScreen:  # type: ignore[no-untyped-def]
    await settle(app, pilot)
    await pilot.press("i")  # from home
    await settle(app, pilot)
    screen = app.screen
    assert isinstance(screen, IncidentsScreen)
    screen.query_one("#inc-table", DataTable).focus()
    return screen


async def test_withdraw_asks_first(vault_db: Database) -> None:
    ana = _people(vault_db)["ana"]
    with vault_db.session() as s:
        made = incidents.new_incident(s, ana, RAID)
        pair = other_agency()
        coalition.add_agency(s, ana, pair.public_key_file_text())
        from trpkit.services.incident_sharing import import_package_bytes

        assert import_package_bytes(s, ana, package_from(pair, [item()])).imported
    app = TrpkitApp(database=vault_db, actor=ana)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await _open(app, pilot)
        screen.query_one("#inc-filter", Input).value = "restaurant"  # the received one
        await settle(app, pilot)
        screen.query_one("#inc-table", DataTable).focus()
        await pilot.press("w")
        await settle(app, pilot)
        assert app.screen is screen  # nothing to confirm: it is not ours
        screen.query_one("#inc-filter", Input).value = "farm"
        await settle(app, pilot)
        screen.query_one("#inc-table", DataTable).focus()
        await pilot.press("w")
        await settle(app, pilot)
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("escape")  # keep it
        await settle(app, pilot)
        with vault_db.session() as s:
            assert not incidents.show_incident(s, ana, made.ref).incident.withdrawn
        await pilot.press("w")
        await settle(app, pilot)
        await pilot.press("y")
        await settle(app, pilot)
        assert app.screen is screen
        assert f"{made.ref} withdrawn: press x to export" in _result(screen)
        assert screen.query_one("#inc-table", DataTable).row_count == 0
    with vault_db.session() as s:
        assert incidents.show_incident(s, ana, made.ref).incident.withdrawn


async def test_export_to_the_default_file_at_80x24_and_a_refusal(
    vault_db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HOME", str(tmp_path))
    ana = _people(vault_db)["ana"]
    with vault_db.session() as s:
        incidents.new_incident(s, ana, RAID)
    app = TrpkitApp(database=vault_db, actor=ana)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _open(app, pilot)
        await pilot.press("x")
        await settle(app, pilot)
        prompt = app.screen
        assert isinstance(prompt, PathPromptScreen)
        await pilot.press("enter")
        await settle(app, pilot)
        # No key yet: the service's refusal, in the app's words, and nothing written.
        assert "No coalition key in this vault" in _result(screen)
        assert not (tmp_path / "trpkit-incidents").exists() or not any(
            (tmp_path / "trpkit-incidents").iterdir()
        )
        give_key(vault_db, ana)
        await pilot.press("x")
        await settle(app, pilot)
        expected = tmp_path / "trpkit-incidents" / f"incidents-{date.today().isoformat()}.trpinc"
        assert app.screen.query_one("#pp-path", Input).value == str(expected)
        await pilot.press("enter")
        await settle(app, pilot)
        assert "Package written to" in _result(screen) and "1 incident(s)" in _result(screen)
        assert stat.S_IMODE(expected.stat().st_mode) == 0o600
        assert stat.S_IMODE(expected.parent.stat().st_mode) == 0o700

        with vault_db.session() as s:
            create_case(s, ana, person={"legal_name": "Rosalinda Ejemplar"})
            incidents.new_incident(s, ana, replace(RAID, known="Rosalinda was moved twice."))
        await pilot.press("x")
        await settle(app, pilot)
        second = Path(app.screen.query_one("#pp-path", Input).value)
        assert second.name == f"incidents-{date.today().isoformat()}-2.trpinc"  # never overwrites
        await pilot.press("enter")
        await settle(app, pilot)
        said = _result(screen)
        assert "Nothing exported" in said and "matches part of a name stored in the vault" in said
        assert "Edit the incident (e)" in said
        assert not second.exists()
    with vault_db.session() as s:  # the refusal is in the audit log, without the name
        (entry,) = audit.entries(s, action="incident.export_refused")
    assert (
        entry.detail["found"][0]["field"] == "what is known" and "rosalinda" not in repr(entry.detail).lower()
    )


async def test_import_a_typed_path(vault_db: Database, tmp_path: Path) -> None:
    people = _people(vault_db)
    pair = other_agency()
    with vault_db.session() as s:
        coalition.add_agency(s, people["ana"], pair.public_key_file_text())
    package = tmp_path / "refuge-nord.trpinc"
    package.write_bytes(package_from(pair, [item()]))
    app = TrpkitApp(database=vault_db, actor=people["cy"])  # an analyst imports
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _open(app, pilot)
        await pilot.press("i")
        await settle(app, pilot)
        assert isinstance(app.screen, PathPromptScreen)
        app.screen.query_one("#pp-path", Input).value = str(tmp_path / "missing.trpinc")
        await pilot.press("enter")
        await settle(app, pilot)
        assert "Cannot read" in _result(screen)
        await pilot.press("i")
        await settle(app, pilot)
        app.screen.query_one("#pp-path", Input).value = str(package)
        await pilot.press("enter")
        await settle(app, pilot)
        assert "Imported from refuge-nord: 1 new" in _result(screen)
        assert screen.query_one("#inc-table", DataTable).row_count == 1
        await pilot.press("i")
        await settle(app, pilot)
        app.screen.query_one("#pp-path", Input).value = str(package)
        await pilot.press("enter")
        await settle(app, pilot)
        assert "refused, nothing imported" in _result(screen) and "already imported" in _result(screen)
        await pilot.press("x")  # an analyst cannot export: no key, no prompt
        await settle(app, pilot)
        assert app.screen is screen


async def test_keys_only_for_the_roles_that_may(vault_db: Database) -> None:
    people = _people(vault_db)
    for name, allowed in (("ana", {"w", "x", "i"}), ("ben", set()), ("cy", {"i"})):
        app = TrpkitApp(database=vault_db, actor=people[name])
        async with app.run_test(size=(80, 24)) as pilot:
            screen = await _open(app, pilot)
            shown = {key for key in ("w", "x", "i") if key in screen.active_bindings}
            assert shown == allowed, name
            for key in sorted({"w", "x", "i"} - allowed):
                await pilot.press(key)
                await settle(app, pilot)
                assert app.screen is screen
