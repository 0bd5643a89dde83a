"""Pilot tests of the app shell: unlock, wrong passphrase, lock, case list, new case, consent."""

from __future__ import annotations

from sqlalchemy import select
from textual.widgets import DataTable, Input, Select, Static

from tests.conftest import TEST_PASSPHRASE
from tests.pilot import settle
from tests.tui.conftest import Seeded
from trpkit.db.models import Case, ConsentEvent
from trpkit.tui.app import TrpkitApp
from trpkit.tui.screens.case_file import CaseFileScreen
from trpkit.tui.screens.case_list import CaseListScreen
from trpkit.tui.screens.dashboard import DashboardScreen
from trpkit.tui.screens.new_case import NewCaseScreen
from trpkit.tui.screens.unlock import UnlockScreen


async def unlock_with(app: TrpkitApp, pilot, passphrase: str) -> None:  # type: ignore[no-untyped-def]
    app.screen.query_one("#passphrase", Input).value = passphrase
    await pilot.press("enter")
    await settle(app, pilot)


async def test_unlock_then_dashboard(seeded: Seeded) -> None:
    app = TrpkitApp(seeded.settings())
    async with app.run_test(size=(120, 40)) as pilot:
        assert isinstance(app.screen, UnlockScreen)
        await unlock_with(app, pilot, TEST_PASSPHRASE)
        assert isinstance(app.screen, DashboardScreen)
        assert app.actor is not None and app.actor.username == "ana"
        counts = str(app.screen.query_one("#counts", Static).render())
        assert "12" in counts


async def test_quitting_folds_the_write_ahead_log_back_into_the_one_vault_file(seeded: Seeded) -> None:
    from pathlib import Path

    seeded.database.close()  # the fixture's own connections would keep the log open
    log = Path(f"{seeded.path}-wal")
    app = TrpkitApp(seeded.settings())
    async with app.run_test(size=(120, 40)) as pilot:
        await unlock_with(app, pilot, TEST_PASSPHRASE)
        await pilot.press("c")
        await settle(app, pilot)
        assert isinstance(app.screen, CaseListScreen) and log.exists()  # open and written to (sign-in audit)
    assert not log.exists()  # a copy of the .trpvault file alone now misses nothing


async def test_wrong_passphrase_says_so_and_allows_retry(seeded: Seeded) -> None:
    app = TrpkitApp(seeded.settings())
    async with app.run_test(size=(120, 40)) as pilot:
        await unlock_with(app, pilot, "not the passphrase at all")
        assert isinstance(app.screen, UnlockScreen)
        assert "Wrong passphrase" in str(app.screen.query_one("#unlock-error", Static).render())
        assert app.screen.query_one("#passphrase", Input).value == ""
        assert app.database is None
        await unlock_with(app, pilot, TEST_PASSPHRASE)
        assert isinstance(app.screen, DashboardScreen)


async def test_lock_key_and_idle_lock_clear_case_data(seeded: Seeded) -> None:
    app = TrpkitApp(database=seeded.database, actor=seeded.actor, idle_lock_minutes=10)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        await pilot.press("c")
        await settle(app, pilot)
        assert isinstance(app.screen, CaseListScreen)
        await pilot.press("ctrl+l")
        await settle(app, pilot)
        assert isinstance(app.screen, UnlockScreen)
        assert len(app.screen_stack) == 2  # nothing with case data is left underneath
        assert app.database is None and app.actor is None
        await unlock_with(app, pilot, TEST_PASSPHRASE)
        await settle(app, pilot)
        # back where the person was, with the home screen underneath
        assert isinstance(app.screen, CaseListScreen)
        assert isinstance(app.screen_stack[-2], DashboardScreen)
        # Idle: nothing happens before the limit, the lock comes after it.
        app.check_idle_lock()
        assert isinstance(app.screen, CaseListScreen)
        app.idle_lock_seconds = 0
        app.check_idle_lock()
        await settle(app, pilot)
        assert isinstance(app.screen, UnlockScreen) and app.database is None


async def test_case_list_filters_as_you_type_and_opens_a_case(seeded: Seeded) -> None:
    app = TrpkitApp(database=seeded.database, actor=seeded.actor)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        await pilot.press("c")
        await settle(app, pilot)
        screen = app.screen
        table = screen.query_one("#cases", DataTable)
        assert table.row_count == 12
        assert all(str(table.get_row_at(i)[2]) == "•••" for i in range(12))
        await pilot.press(*"0003")
        await pilot.pause()
        assert table.row_count == 1 and str(table.get_row_at(0)[0]).endswith("-0003")
        await pilot.press("enter")  # straight from the filter
        await settle(app, pilot)
        assert isinstance(app.screen, CaseFileScreen) and app.screen.code.endswith("-0003")
        await pilot.press("escape")
        await settle(app, pilot)
        await pilot.press(*["backspace"] * 4)
        await pilot.pause()
        second = app.screen.shown[1][0]  # type: ignore[attr-defined]  # a row: (code, status, ...)
        await pilot.press("down", "enter")  # the arrows move the cursor in the table under the filter
        await settle(app, pilot)
        assert isinstance(app.screen, CaseFileScreen) and app.screen.code == second


async def test_a_large_caseload_shows_a_first_page_then_loads_the_rest(seeded: Seeded, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from trpkit.tui.screens import case_list

    monkeypatch.setattr(case_list, "FIRST_PAGE", 5)  # the seeded vault has 12 cases
    seen: list[tuple[int, bool, str]] = []
    original = CaseListScreen.apply_filter

    def spy(self: CaseListScreen, text: str) -> None:
        original(self, text)
        seen.append((len(self.cases), self.complete, str(self.query_one("#status-line", Static).render())))

    monkeypatch.setattr(CaseListScreen, "apply_filter", spy)
    app = TrpkitApp(database=seeded.database, actor=seeded.actor)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        await pilot.press("c")
        await settle(app, pilot)
        assert seen[0][:2] == (5, False) and "loading the rest" in seen[0][2]
        assert seen[-1][:2] == (12, True) and seen[-1][2].startswith("12 of 12 cases")
        table = app.screen.query_one("#cases", DataTable)
        assert table.row_count == 12
        await pilot.press(*"0011")  # the filter covers every case once loaded, not just the first page
        await pilot.pause()
        assert table.row_count == 1 and str(table.get_row_at(0)[0]).endswith("-0011")


async def test_showing_names_while_the_rest_loads_ends_with_every_case_named(
    seeded: Seeded, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    from trpkit.tui.screens import case_list

    monkeypatch.setattr(case_list, "FIRST_PAGE", 5)
    app = TrpkitApp(database=seeded.database, actor=seeded.actor)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        await pilot.press("c", "ctrl+r")  # names asked for before the whole list has arrived
        await settle(app, pilot)
        screen = app.screen
        assert isinstance(screen, CaseListScreen) and screen.revealed and screen.complete
        table = screen.query_one("#cases", DataTable)
        assert table.row_count == 12 and all(str(table.get_row_at(i)[2]) != "•••" for i in range(12))


async def test_home_panels_wait_until_the_person_stays_on_the_home_screen(
    seeded: Seeded, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    from trpkit.services import deadlines
    from trpkit.tui.screens.dashboard import PANEL_DELAY

    calls: list[int] = []
    original = deadlines.list_deadlines
    monkeypatch.setattr(deadlines, "list_deadlines", lambda *a, **k: calls.append(1) or original(*a, **k))
    app = TrpkitApp(database=seeded.database, actor=seeded.actor)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("c")  # straight to the case list: the deadlines are never computed
        await pilot.pause(PANEL_DELAY + 0.2)
        await settle(app, pilot)
        assert isinstance(app.screen, CaseListScreen) and calls == []
        await pilot.press("escape")  # back home and staying: now they are
        await pilot.pause(PANEL_DELAY + 0.2)
        await settle(app, pilot)
        assert calls == [1]
        assert "loading" not in str(app.screen.query_one("#deadlines-counts", Static).render())


async def test_a_case_file_loads_only_the_tab_on_show(seeded: Seeded, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from trpkit.tui.app import load_class
    from trpkit.tui.registry import CASE_TABS

    loaded: list[str] = []
    for tab_id, _title, dotted in CASE_TABS:
        cls = load_class(dotted)
        monkeypatch.setattr(
            cls, "reload", lambda self, _o=cls.reload, _id=tab_id: (loaded.append(_id), _o(self))
        )
    with seeded.database.session() as s:
        code = s.scalars(select(Case.code).order_by(Case.code)).first()
    assert code is not None
    app = TrpkitApp(database=seeded.database, actor=seeded.actor)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        await app.open_case(code)
        await settle(app, pilot)
        assert loaded == ["overview"]
        await pilot.press("alt+3")
        await settle(app, pilot)
        assert loaded == ["overview", "narrative"]
        await pilot.press("escape")
        await app.open_case(code, tab="applications")
        await settle(app, pilot)
        assert loaded[2:] == ["applications"]


async def test_a_tab_key_puts_the_cursor_in_the_tab_so_its_keys_work_at_once(seeded: Seeded) -> None:
    with seeded.database.session() as s:
        code = s.scalars(select(Case.code).order_by(Case.code)).first()
    assert code is not None
    app = TrpkitApp(database=seeded.database, actor=seeded.actor)
    async with app.run_test(size=(140, 45)) as pilot:
        await settle(app, pilot)
        await app.open_case(code)
        await settle(app, pilot)
        await pilot.press("f6")  # Evidence
        await settle(app, pilot)
        evidence = app.screen.query_one("#evidence-tab")
        assert app.screen.focused is not None and evidence in app.screen.focused.ancestors
        await pilot.press("ctrl+n")  # the tab's own key, with no tab press first
        await settle(app, pilot)
        assert "New exhibit" in str(evidence.query_one("#ev-heading", Static).render())


async def test_names_can_be_revealed_and_are_logged(seeded: Seeded) -> None:
    from trpkit.services import audit

    app = TrpkitApp(database=seeded.database, actor=seeded.actor)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        await pilot.press("c")
        await settle(app, pilot)
        await pilot.press("ctrl+r")
        await settle(app, pilot)
        table = app.screen.query_one("#cases", DataTable)
        assert str(table.get_row_at(0)[2]) != "•••"
    with seeded.database.session() as s:
        assert any(e.action == "names.reveal" for e in audit.entries(s))


async def test_new_case_form_creates_and_opens_the_case(seeded: Seeded) -> None:
    app = TrpkitApp(database=seeded.database, actor=seeded.actor)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, NewCaseScreen)
        app.screen.query_one("#legal_name", Input).value = "Marta Demostra"
        app.screen.query_one("#nationality", Input).value = "GT"
        app.screen.query_one("#sector", Select).value = "agriculture"
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert isinstance(app.screen, CaseFileScreen)
        code = app.screen.code
    with seeded.database.session() as s:
        case = s.scalar(select(Case).where(Case.code == code))
        assert case is not None and case.person.legal_name == "Marta Demostra"
        assert case.exploitation_sector == "agriculture" and case.person.nationality == "GT"


async def test_new_case_form_explains_bad_input(seeded: Seeded) -> None:
    app = TrpkitApp(database=seeded.database, actor=seeded.actor)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        await pilot.press("n")
        await pilot.pause()
        app.screen.query_one("#nationality", Input).value = "M1"
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert isinstance(app.screen, NewCaseScreen)
        assert "not a country" in str(app.screen.query_one("#new-error", Static).render())


async def test_consent_tab_records_a_decision(seeded: Seeded) -> None:
    app = TrpkitApp(database=seeded.database, actor=seeded.actor)
    with seeded.database.session() as s:
        code = s.scalars(select(Case.code).order_by(Case.code)).first()
    async with app.run_test(size=(120, 45)) as pilot:
        await settle(app, pilot)
        await app.open_case(code, tab="consent")
        await settle(app, pilot)
        tab = app.screen.query_one("#consent-tab")
        tab.query_one("#c-purpose", Select).value = "law_enforcement"
        tab.query_one("#c-decision", Select).value = "refused"
        tab.query_one("#c-method", Select).value = "verbal"
        tab.query_one("#c-note", Input).value = "Does not want police contact now."
        tab.query_one("#c-record").press()
        await settle(app, pilot)
        assert "Recorded" in str(tab.query_one("#consent-message", Static).render())
        table = tab.query_one("#consent-table", DataTable)
        rows = [table.get_row_at(i) for i in range(table.row_count)]
        assert any("disclosure to law enforcement" in str(r[0]) and "refused" in str(r[1]) for r in rows)
    with seeded.database.session() as s:
        last = s.scalars(select(ConsentEvent).order_by(ConsentEvent.id.desc())).first()
        assert last is not None and last.purpose == "law_enforcement" and last.decision == "refused"


async def test_person_tab_saves_and_reports_conflicts(seeded: Seeded) -> None:
    from trpkit.services.cases import update_case

    app = TrpkitApp(database=seeded.database, actor=seeded.actor)
    with seeded.database.session() as s:
        code = s.scalars(select(Case.code).order_by(Case.code)).first()
    async with app.run_test(size=(120, 45)) as pilot:
        await settle(app, pilot)
        await app.open_case(code, tab="overview")
        await settle(app, pilot)
        tab = app.screen.query_one("#overview-tab")
        tab.query_one("#f-preferred_name", Input).value = "Mari"
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        with seeded.database.session() as s:
            update_case(s, seeded.actor, code, summary="changed elsewhere")  # someone else saves meanwhile
        tab.query_one("#f-gender", Input).value = "woman"
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert "changed by someone else" in str(tab.query_one("#overview-message", Static).render())
    with seeded.database.session() as s:
        case = s.scalar(select(Case).where(Case.code == code))
        assert (
            case is not None and case.person.preferred_name == "Mari" and case.summary == "changed elsewhere"
        )


async def test_key_presses_count_as_activity(seeded: Seeded) -> None:
    app = TrpkitApp(database=seeded.database, actor=seeded.actor, idle_lock_minutes=10)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        app.last_activity -= 3600
        await pilot.press("c")
        await settle(app, pilot)
        app.check_idle_lock()
        assert isinstance(app.screen, CaseListScreen)


async def test_older_vault_is_offered_an_upgrade_with_backup(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from sqlalchemy import text

    from trpkit.config import Settings
    from trpkit.db import migrate, vault
    from trpkit.db.database import open_target
    from trpkit.db.engine import Target
    from trpkit.tui.screens.confirm import ConfirmScreen

    path = tmp_path / "old.trpvault"
    key = vault.create_file(path, TEST_PASSPHRASE)
    old = open_target(Target(vault_path=path), key=key)
    migrate.upgrade(old.engine, "0001")
    with old.session() as s:  # plain SQL: today's models describe columns revision 0001 did not have
        s.execute(
            text(
                "INSERT INTO users (username, display_name, role, active, created_at, updated_at)"
                " VALUES ('ana', 'ana', 'supervisor', 1, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)"
            )
        )
    old.close()
    app = TrpkitApp(Settings(target=Target(vault_path=path)))
    async with app.run_test(size=(120, 40)) as pilot:
        await unlock_with(app, pilot, TEST_PASSPHRASE)
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.click("#yes")
        await settle(app, pilot)
        assert isinstance(app.screen, DashboardScreen)
        assert app.database is not None and app.database.schema_state() == "current"
    backups = list(tmp_path.glob("old.trpvault.before-upgrade-0001-*.bak"))
    assert len(backups) == 1


async def test_command_palette_opens_a_case_by_code(seeded: Seeded) -> None:
    from textual.command import CommandPalette

    app = TrpkitApp(database=seeded.database, actor=seeded.actor)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        await pilot.press("ctrl+p")
        await settle(app, pilot)
        assert isinstance(app.screen, CommandPalette)
        await pilot.press(*"open case 0004")
        await settle(app, pilot)
        await pilot.pause(0.3)
        await pilot.press("enter")
        await settle(app, pilot)
        assert isinstance(app.screen, CaseFileScreen) and app.screen.code.endswith("-0004")


async def test_help_lists_the_keys(seeded: Seeded) -> None:
    from textual.widgets import Markdown

    from trpkit.tui.screens.help import HelpScreen

    app = TrpkitApp(database=seeded.database, actor=seeded.actor)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        await pilot.press("f1")
        await settle(app, pilot)
        assert isinstance(app.screen, HelpScreen)
        assert "ctrl+l" in app.screen.query_one(Markdown).source
        await pilot.press("escape")
        assert isinstance(app.screen, DashboardScreen)


async def test_text_that_looks_like_markup_is_shown_verbatim(seeded: Seeded) -> None:
    """A person's words are never interpreted: '[/x]' or '[b]' in a name or a note must not crash or vanish."""
    from trpkit.services.cases import create_case
    from trpkit.services.consent import record_consent

    tricky = "Ana [/x] [b]Ejemplar[/b] [red"
    with seeded.database.session() as s:
        code = create_case(s, seeded.actor, person={"legal_name": tricky}).code
        record_consent(
            s, seeded.actor, code, purpose="prepare_file", decision="given", method="written", note=tricky
        )
    app = TrpkitApp(database=seeded.database, actor=seeded.actor)
    async with app.run_test(size=(120, 45)) as pilot:
        await settle(app, pilot)
        await pilot.press("c")
        await settle(app, pilot)
        await pilot.press("ctrl+r")
        await settle(app, pilot)
        table = app.screen.query_one("#cases", DataTable)
        names = [str(table.get_row_at(i)[2]) for i in range(table.row_count)]
        assert tricky in names
        await app.open_case(code, tab="consent")
        await settle(app, pilot)
        history = app.screen.query_one("#consent-history", DataTable)
        assert tricky in [str(history.get_row_at(i)[6]) for i in range(history.row_count)]
        assert tricky.split()[0] in app.export_screenshot()  # renders every cell: would raise on markup
