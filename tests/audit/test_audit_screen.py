"""Pilot test: the Audit log screen (l on the dashboard) shows entries, filters by case, reports the chain."""

from __future__ import annotations

from sqlalchemy import update
from textual.widgets import DataTable, Input, Static

from tests.pilot import settle
from trpkit.db.database import Database
from trpkit.db.models import AuditEntry
from trpkit.tui.app import TrpkitApp
from trpkit.tui.screens.audit_log import AuditLogScreen


def _world(db: Database):  # type: ignore[no-untyped-def]
    from trpkit.services.cases import create_case, get_case
    from trpkit.services.users import actor_for, create_user

    with db.session() as s:
        create_user(s, "ana", role="supervisor")
        create_user(s, "lea", role="accompanier")
        ana, lea = actor_for(s, "ana"), actor_for(s, "lea")
        first = create_case(s, ana, person={"legal_name": "Screen Fictional"}).code
        second = create_case(s, lea).code
        get_case(s, ana, second)
    return ana, lea, first, second


async def test_supervisor_sees_all_entries_filters_and_a_damaged_chain(vault_db: Database) -> None:
    ana, _lea, _first, second = _world(vault_db)
    app = TrpkitApp(database=vault_db, actor=ana)
    async with app.run_test(size=(150, 40)) as pilot:
        await settle(app, pilot)
        await pilot.press("l")
        await settle(app, pilot)
        screen = app.screen
        assert isinstance(screen, AuditLogScreen)
        table = screen.query_one("#audit-table", DataTable)
        assert table.row_count >= 3
        assert "Chain intact" in str(screen.query_one("#audit-chain", Static).render())
        assert "Screen Fictional" not in str([table.get_row_at(i) for i in range(table.row_count)])

        screen.query_one("#audit-case", Input).value = second.lower()
        await pilot.click("#audit-case")
        await pilot.press("enter")
        await settle(app, pilot)
        cases = {str(table.get_row_at(i)[4]) for i in range(table.row_count)}
        assert cases == {second}

        with vault_db.session() as s:
            s.execute(update(AuditEntry).where(AuditEntry.id == 2).values(username="mallory"))
        await pilot.press("f5")
        await settle(app, pilot)
        assert "damaged at entry 2" in str(screen.query_one("#audit-chain", Static).render())


async def test_accompanier_sees_only_their_own_entries(vault_db: Database) -> None:
    _ana, lea, _first, _second = _world(vault_db)
    app = TrpkitApp(database=vault_db, actor=lea)
    async with app.run_test(size=(150, 40)) as pilot:
        await settle(app, pilot)
        app.push_screen(AuditLogScreen())
        await settle(app, pilot)
        table = app.screen.query_one("#audit-table", DataTable)
        assert table.row_count >= 1
        assert {str(table.get_row_at(i)[2]) for i in range(table.row_count)} == {"lea"}
        assert "your own entries" in str(app.screen.query_one("#audit-chain", Static).render())


async def test_at_80x24_every_entry_is_readable_under_the_list(vault_db: Database) -> None:
    """A narrow terminal cuts the Detail column: the highlighted entry is shown whole below, with its
    real number; filters that were not set are not shown as 'None'."""
    ana, _lea, _first, second = _world(vault_db)
    app = TrpkitApp(database=vault_db, actor=ana)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("l")
        await settle(app, pilot)
        screen = app.screen
        table = screen.query_one("#audit-table", DataTable)
        numbers = [str(table.get_row_at(i)[0]) for i in range(table.row_count)]
        assert numbers == [str(n) for n in range(len(numbers), 0, -1)]  # the real entry numbers
        table.focus()
        table.move_cursor(row=table.row_count - 1)
        await settle(app, pilot)
        detail = screen.query_one("#audit-detail", Static)
        assert detail.region.height == 3 and detail.region.bottom <= 23
        shown = str(detail.render())
        assert shown.startswith("#1 ") and "ana" in shown
        table.move_cursor(row=0)
        await settle(app, pilot)
        assert "None" not in str(detail.render())
        assert not any("None" in str(table.get_row_at(i)[5]) for i in range(table.row_count))
        codes = {str(table.get_row_at(i)[4]) for i in range(table.row_count)}
        assert second in codes  # the full case code, not cut
