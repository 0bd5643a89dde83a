"""The command palette offers only trpkit's commands (no screenshot of case data, no developer tools), and
unlocking brings the person back to where they were."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select
from textual.command import CommandPalette
from textual.widgets import Input, TabbedContent

from tests.conftest import TEST_PASSPHRASE
from tests.pilot import settle
from tests.tui.conftest import Seeded
from trpkit.db.models import Case
from trpkit.tui.app import TrpkitApp
from trpkit.tui.screens.case_file import CaseFileScreen
from trpkit.tui.screens.dashboard import DashboardScreen
from trpkit.tui.screens.unlock import UnlockScreen


async def palette_titles(app: TrpkitApp, pilot, query: str) -> list[str]:  # type: ignore[no-untyped-def]
    await pilot.press("ctrl+p")
    await settle(app, pilot)
    assert isinstance(app.screen, CommandPalette)
    if query:
        await pilot.press(*query)
    await pilot.pause(0.4)
    await settle(app, pilot)
    titles = [str(option.prompt) for option in app.screen.query_one("CommandList").options]  # type: ignore[attr-defined]
    await pilot.press("escape")
    await settle(app, pilot)
    return titles


async def test_the_palette_has_no_screenshot_or_developer_commands(seeded: Seeded, tmp_path: Path) -> None:
    app = TrpkitApp(database=seeded.database, actor=seeded.actor)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        shown = await palette_titles(app, pilot, "")
        assert any("Case list" in t for t in shown) and any("Quit" in t for t in shown)
        for query in ("screenshot", "theme", "maximize", "keys"):
            titles = await palette_titles(app, pilot, query)
            joined = " ".join(titles).lower()
            assert "screenshot" not in joined and "theme" not in joined and "maximize" not in joined
        assert list(app.get_system_commands(app.screen)) == []
        # and the screenshot action, from any binding or the environment, writes nothing
        shots = tmp_path / "shots"
        shots.mkdir()
        app.action_screenshot(filename="x.svg", path=str(shots))
        app.deliver_screenshot()
        await settle(app, pilot)
        assert list(shots.iterdir()) == []


async def test_the_palette_help_command_lists_the_screen_keys(seeded: Seeded) -> None:
    from trpkit.tui.screens.help import HelpScreen

    app = TrpkitApp(database=seeded.database, actor=seeded.actor)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        await pilot.press("ctrl+p")
        await settle(app, pilot)
        await pilot.press(*"help")
        await pilot.pause(0.4)
        await pilot.press("enter")
        await settle(app, pilot)
        assert isinstance(app.screen, HelpScreen)
        assert isinstance(app.screen.over, DashboardScreen)


async def test_unlocking_returns_to_the_case_and_tab_you_were_on(seeded: Seeded) -> None:
    with seeded.database.session() as s:
        code = s.scalars(select(Case.code).order_by(Case.code)).first()
    assert code is not None
    app = TrpkitApp(database=seeded.database, actor=seeded.actor)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        await app.open_case(code, tab="narrative")
        await settle(app, pilot)
        await pilot.press("ctrl+l")
        await settle(app, pilot)
        assert isinstance(app.screen, UnlockScreen) and len(app.screen_stack) == 2
        app.screen.query_one("#passphrase", Input).value = TEST_PASSPHRASE
        app.screen.query_one("#username", Input).value = "ana"
        await pilot.press("enter")
        await settle(app, pilot, rounds=6)
        assert isinstance(app.screen, CaseFileScreen) and app.screen.code == code
        assert app.screen.query_one(TabbedContent).active == "narrative"
        assert isinstance(app.screen_stack[-2], DashboardScreen)


async def test_no_way_to_save_a_screenshot_writes_a_file(seeded: Seeded, tmp_path: Path) -> None:
    app = TrpkitApp(database=seeded.database, actor=seeded.actor)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        assert app.save_screenshot(filename="case.svg", path=str(tmp_path)) == ""
        await settle(app, pilot)
    assert not (tmp_path / "case.svg").exists()


async def test_the_app_freezes_its_long_lived_objects_once_home_and_lets_them_go_at_lock_and_exit(
    seeded: Seeded,
) -> None:
    """Full garbage collections at a keystroke skip what lives as long as the unlocked app (see
    trpkit/tui/heap.py; tests/benchmarks/bench_gc_pauses.py measures the pauses)."""
    import gc

    app = TrpkitApp(database=seeded.database, actor=seeded.actor)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        assert isinstance(app.screen, DashboardScreen)
        assert gc.get_freeze_count() > 10_000
        await pilot.press("ctrl+l")
        await settle(app, pilot)
        assert isinstance(app.screen, UnlockScreen)
        assert gc.get_freeze_count() == 0  # the closed screens can be collected
        app.screen.query_one("#passphrase", Input).value = TEST_PASSPHRASE
        app.screen.query_one("#username", Input).value = "ana"
        await pilot.press("enter")
        await settle(app, pilot, rounds=6)
        assert isinstance(app.screen, DashboardScreen) and gc.get_freeze_count() > 10_000
    assert gc.get_freeze_count() == 0
