"""Pilot tests: the Indicators tab of a case file (the Evidence tab: test_evidence_tab.py)."""

from __future__ import annotations

from textual.widgets import Button, DataTable, Input, Select, Static

from tests.pilot import settle
from trpkit.db.database import Database
from trpkit.services import evidence as ev
from trpkit.services import indicators as ind
from trpkit.tui.app import TrpkitApp


def _case(db: Database):  # type: ignore[no-untyped-def]
    from trpkit.services.cases import create_case
    from trpkit.services.consent import record_consent
    from trpkit.services.users import actor_for, create_user

    with db.session() as s:
        create_user(s, "ana", role="supervisor")
        actor = actor_for(s, "ana")
        code = create_case(
            s, actor, person={"legal_name": "Test Fictional"}, exploitation_sector="agriculture"
        ).code
        record_consent(s, actor, code, purpose="prepare_file", decision="given", method="written")
        ev.add_evidence(
            s, actor, code, type="pay_record", description="Pay stubs (fictional)", date_text="2024"
        )
        for indicator in ("AL-1.01", "AL-1.02", "AL-4.01", "AL-4.02", "AL-5.01"):
            ind.link_indicator(s, actor, code, indicator, exhibit=1)
    return actor, code


def _row(table: DataTable, key: str) -> list[str]:  # type: ignore[type-arg]
    return [str(c) for c in table.get_row(key)]


async def test_indicators_tab_updates_the_assessment_live(vault_db: Database) -> None:
    actor, code = _case(vault_db)
    app = TrpkitApp(database=vault_db, actor=actor)
    async with app.run_test(size=(160, 50)) as pilot:
        await settle(app, pilot)
        await app.open_case(code, tab="indicators")
        await settle(app, pilot)
        tab = app.screen.query_one("#indicators-tab")
        head = str(tab.query_one("#ind-head", Static).render())
        assert "not identified" in head and "2 of 6 dimensions positive" in head
        assert "secondary source" in str(tab.query_one("#ind-explanation", Static).render())
        table = tab.query_one("#ind-table", DataTable)
        assert table.row_count == 67
        assert _row(table, "AL-5.01")[3].endswith("present") and _row(table, "AL-5.01")[4] == "1"
        # Look-alike indicators are told apart by their stage of the journey.
        assert _row(table, "AL-2.05")[:2] == ["2.05", "recruitment"] and _row(table, "AL-2.05")[5] == (
            "Documents taken away"
        )
        assert _row(table, "AL-5.01")[:2] == ["5.01", "destination"]
        gaps = str(tab.query_one("#ind-gap-text", Static).render())
        assert "Coercion at destination: one short" in gaps and "(would identify)" in gaps
        dims = tab.query_one("#ind-dimensions", DataTable)
        assert [str(c) for c in dims.get_row_at(4)][2] == "no"

        # Link AL-5.03 to exhibit 1: coercion at destination becomes positive, the person is identified.
        table.move_cursor(row=table.get_row_index("AL-5.03"))
        await pilot.pause()
        detail = str(tab.query_one("#ind-detail", Static).render())
        assert "AL-5.03" in detail and "weight secondary" in detail and "Could you leave" in detail
        assert "dimension 5, Coercion at destination (destination)" in detail
        tab.query_one("#ind-exhibit", Input).value = "1"
        tab.query_one("#ind-status", Select).value = "present"
        tab.query_one("#ind-link", Button).press()
        await settle(app, pilot)
        assert "IDENTIFIED" in str(tab.query_one("#ind-head", Static).render())
        assert [str(c) for c in dims.get_row_at(4)][2] == "✔ yes"
        assert _row(table, "AL-5.03")[3].endswith("present")

        # Mark it explored and absent with the key binding: back to not identified.
        table.focus()
        table.move_cursor(row=table.get_row_index("AL-5.03"))
        tab.query_one("#ind-note", Input).value = "asked; the person could leave freely"
        tab.query_one("#ind-exhibit", Input).value = "1"
        await pilot.press("x")
        await settle(app, pilot)
        assert "not identified" in str(tab.query_one("#ind-head", Static).render())
        assert "explored" in _row(table, "AL-5.03")[3]

        # Delete removes every link of the selected indicator, after asking.
        table.move_cursor(row=table.get_row_index("AL-5.01"))
        await pilot.press("delete")
        await settle(app, pilot)
        await pilot.click("#yes")
        await settle(app, pilot)
        assert _row(table, "AL-5.01")[3].endswith("not explored")

    with vault_db.session() as s:
        links = {r.indicator_id: r.status for r in ind.list_links(s, actor, code)}
    assert links["AL-5.03"] == "explored_absent" and "AL-5.01" not in links


async def test_removing_an_exhibit_asks_first(vault_db: Database) -> None:
    from trpkit.tui.screens.confirm import ConfirmScreen

    actor, code = _case(vault_db)
    app = TrpkitApp(database=vault_db, actor=actor)
    async with app.run_test(size=(160, 50)) as pilot:
        await settle(app, pilot)
        await app.open_case(code, tab="evidence")
        await settle(app, pilot)
        tab = app.screen.query_one("#evidence-tab")
        table = tab.query_one("#ev-table", DataTable)
        table.focus()
        await pilot.press("delete")
        await settle(app, pilot)
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("escape")  # keep it
        await settle(app, pilot)
        assert table.row_count == 1
        await pilot.press("delete")
        await settle(app, pilot)
        await pilot.click("#yes")
        await settle(app, pilot)
        assert table.row_count == 0
    with vault_db.session() as s:
        assert ev.list_evidence(s, actor, code) == [] and ind.list_links(s, actor, code) == []


async def test_trafficking_or_smuggling_screen(vault_db: Database) -> None:
    from trpkit.tui.tabs.indicators import SmugglingContrastScreen

    actor, code = _case(vault_db)
    app = TrpkitApp(database=vault_db, actor=actor)
    async with app.run_test(size=(160, 50)) as pilot:
        await settle(app, pilot)
        await app.open_case(code, tab="indicators")
        await settle(app, pilot)
        app.screen.query_one("#indicators-tab").query_one("#ind-table", DataTable).focus()
        await pilot.press("s")
        await settle(app, pilot)
        assert isinstance(app.screen, SmugglingContrastScreen)
        screen = app.screen
        assert isinstance(screen, SmugglingContrastScreen)
        readings = {e.id: e.reading for e in screen.contrast.elements}
        assert readings["control_after_arrival"].startswith("points to trafficking")  # AL-5.01 is linked
        assert readings["forced_criminality"] == "no indication recorded"
        assert screen.grid.row_count == 5 and screen.query_one("#contrast-table", Static).region.height > 10
        assert "second look" in str(app.screen.query_one("#contrast-summary", Static).render())
        await pilot.click("#consent-yes")
        await settle(app, pilot)
        assert not isinstance(app.screen, SmugglingContrastScreen)
    with vault_db.session() as s:
        assert ind.get_settings(s, actor, code).consented_to_crossing is True


async def test_linking_one_indicator_after_another_keeps_the_list_still(vault_db: Database) -> None:
    """At 80x24: the list does not move, the cursor stays on its indicator, and the keys answer in the
    app's words (what to type where), never in CLI options."""
    actor, code = _case(vault_db)
    app = TrpkitApp(database=vault_db, actor=actor)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await app.open_case(code, tab="indicators")
        await settle(app, pilot)
        tab = app.screen.query_one("#indicators-tab")
        table = tab.query_one("#ind-table", DataTable)
        table.focus()
        assert table.region.height >= 8 and tab.query_one("#ind-exhibit", Input).region.height == 3
        message = tab.query_one("#ind-message", Static)
        assert message.region.height == 1 and message.region.bottom <= 23  # on screen, above the footer

        await pilot.press("down", "down", "down")  # AL-1.04, not linked yet
        await settle(app, pilot)
        before = (table.region, table.cursor_row, table.scroll_y)
        await pilot.press("p")  # nothing typed to rest it on
        await settle(app, pilot)
        said = str(message.render())
        assert "1.04" in said and "Exhibit" in said and "--" not in said
        assert _row(table, "AL-1.04")[3].endswith("not explored")

        tab.query_one("#ind-exhibit", Input).value = "1"
        for _ in range(3):  # mark three in a row: each lands on the highlighted one
            await pilot.press("p")
            await settle(app, pilot)
            assert (table.region, table.scroll_y) == (before[0], before[2])
            assert "resting on exhibit 1" in str(message.render())
            await pilot.press("down")
            await settle(app, pilot)
        assert table.cursor_row == before[1] + 3
    with vault_db.session() as s:
        linked = {r.indicator_id for r in ind.list_links(s, actor, code)}
    assert {"AL-1.04", "AL-1.05", "AL-1.06"} <= linked


async def test_narrow_screen_shows_the_assessment_on_g(vault_db: Database) -> None:
    actor, code = _case(vault_db)
    app = TrpkitApp(database=vault_db, actor=actor)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await app.open_case(code, tab="indicators")
        await settle(app, pilot)
        tab = app.screen.query_one("#indicators-tab")
        tab.query_one("#ind-table", DataTable).focus()
        gaps, left = tab.query_one("#ind-gaps"), tab.query_one("#ind-left")
        assert not gaps.display or gaps.region.width == 0
        await pilot.press("g")
        await settle(app, pilot)
        assert gaps.region.width > 70 and left.region.width == 0
        assert "IRCC criteria" in str(tab.query_one("#ind-gap-text", Static).render())
        await pilot.press("g")
        await settle(app, pilot)
        assert left.region.width > 70 and tab.query_one("#ind-table", DataTable).has_focus
