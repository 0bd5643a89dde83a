"""Keys as a terminal sends them: bytes through Textual's own input parser, then into the running app.

Pilot's key names skip the parser, which is where alt+digit turns into "¡", "™"… in many terminals; these
tests feed the byte sequences that xterm, GNOME Terminal, Windows Terminal, macOS Terminal and tmux send.
"""

from __future__ import annotations

import contextlib
from pathlib import Path

import pytest
from sqlalchemy import select
from textual import events
from textual._xterm_parser import XTermParser
from textual.widgets import Input, Markdown, TabbedContent

from tests.pilot import settle
from tests.tui.conftest import Seeded
from trpkit.db.models import Case
from trpkit.tui.app import TrpkitApp
from trpkit.tui.registry import CASE_TABS
from trpkit.tui.screens.case_file import CaseFileScreen
from trpkit.tui.screens.help import HelpScreen, screen_keys

ROOT = Path(__file__).resolve().parents[2]

# What terminals send for F2…F9: xterm/GNOME/Windows Terminal/tmux (SS3 for F1-F4, CSI ~ above), and the
# VT220/PuTTY/macOS Terminal variants of F2-F4.
F_KEYS_XTERM = ["\x1bOQ", "\x1bOR", "\x1bOS", "\x1b[15~", "\x1b[17~", "\x1b[18~", "\x1b[19~", "\x1b[20~"]
F_KEYS_VT220 = ["\x1b[12~", "\x1b[13~", "\x1b[14~"]
CTRL_PAGEDOWN, CTRL_PAGEUP = "\x1b[6;5~", "\x1b[5;5~"
ALT_1_AS_ESC_DIGIT = "\x1b1"  # what many terminals send for alt+1 (no "meta sends escape" distinction)
ALT_2_KITTY = "\x1b[50;3u"  # alt+2 where the terminal reports modifiers (kitty keyboard protocol)


def parsed(sequence: str) -> list[events.Key]:
    parser = XTermParser()
    keys = [event for event in parser.feed(sequence) if isinstance(event, events.Key)]
    with contextlib.suppress(Exception):
        keys += [event for event in parser.feed("") if isinstance(event, events.Key)]
    return keys


async def send(app: TrpkitApp, pilot, sequence: str) -> None:  # type: ignore[no-untyped-def]
    """As the driver does: every key the parser makes from the bytes goes to the app."""
    for key in parsed(sequence):
        assert app._driver is not None
        app._driver.process_message(key)
    await settle(app, pilot)


def first_code(seeded: Seeded) -> str:
    with seeded.database.session() as s:
        code = s.scalars(select(Case.code).order_by(Case.code)).first()
    assert code is not None
    return code


def test_the_parser_reads_the_tab_keys_as_keys() -> None:
    assert [k.key for seq in F_KEYS_XTERM for k in parsed(seq)] == [f"f{n}" for n in range(2, 10)]
    assert [k.key for seq in F_KEYS_VT220 for k in parsed(seq)] == ["f2", "f3", "f4"]
    assert [k.key for k in parsed(CTRL_PAGEDOWN)] == ["ctrl+pagedown"]
    assert [k.key for k in parsed(CTRL_PAGEUP)] == ["ctrl+pageup"]
    # ESC+digit arrives as a character, not as alt: that is why alt+N cannot be the only tab key
    assert [k.character for k in parsed(ALT_1_AS_ESC_DIGIT)] == ["¡"]


@pytest.mark.parametrize("sequences", [F_KEYS_XTERM, F_KEYS_VT220])
async def test_function_keys_from_the_terminal_switch_tabs(seeded: Seeded, sequences: list[str]) -> None:
    app = TrpkitApp(database=seeded.database, actor=seeded.actor)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        await app.open_case(first_code(seeded))
        await settle(app, pilot)
        for index, sequence in enumerate(sequences):
            await send(app, pilot, sequence)
            assert app.screen.query_one(TabbedContent).active == CASE_TABS[index][0]


async def test_ctrl_page_keys_step_through_tabs_and_alt_digit_never_types_a_character(seeded: Seeded) -> None:
    app = TrpkitApp(database=seeded.database, actor=seeded.actor)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        await app.open_case(first_code(seeded))
        await settle(app, pilot)
        tabs = app.screen.query_one(TabbedContent)
        await send(app, pilot, CTRL_PAGEDOWN)
        assert tabs.active == CASE_TABS[1][0]
        await send(app, pilot, CTRL_PAGEUP)
        assert tabs.active == CASE_TABS[0][0], app.screen.focused
        await send(app, pilot, CTRL_PAGEUP)
        assert tabs.active == CASE_TABS[-1][0]  # round the end
        await send(app, pilot, ALT_2_KITTY)
        assert tabs.active == CASE_TABS[1][0]
        # in a text field, the function key still switches and types nothing
        await send(app, pilot, F_KEYS_XTERM[0])
        field = app.screen.query_one("#f-legal_name", Input)
        field.focus()
        before = field.value
        await send(app, pilot, F_KEYS_XTERM[2])
        assert tabs.active == CASE_TABS[2][0]
        assert field.value == before


async def test_tab_titles_footer_and_f1_show_the_keys_that_work(seeded: Seeded) -> None:
    app = TrpkitApp(database=seeded.database, actor=seeded.actor)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        await app.open_case(first_code(seeded))
        await settle(app, pilot)
        screen = app.screen
        assert isinstance(screen, CaseFileScreen)
        labels = [str(tab.label) for tab in screen.query("Tab")]
        assert labels[:2] == ["Person F2", "Consent F3"]
        footer_keys = {b.binding.key for b in screen.active_bindings.values() if b.binding.show}
        assert {"escape", "f1", "ctrl+l"} <= footer_keys
        keys = {what: k for k, what, _where in screen_keys(screen)}
        assert keys["Person tab"] == "F2 / alt+1"
        assert keys["Next tab"] == "ctrl+PgDn"
        assert "Lock" in keys and "Help" in keys and "Save" in keys
        await send(app, pilot, "\x1bOP")  # F1
        assert isinstance(app.screen, HelpScreen)
        text = app.screen.query_one(Markdown).source
        assert "Keys on this screen" in text and "`F9 / alt+8`" in text and "Draft tab" in text


async def test_help_lists_the_keys_of_the_tab_on_show(seeded: Seeded) -> None:
    app = TrpkitApp(database=seeded.database, actor=seeded.actor)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        await app.open_case(first_code(seeded))
        await settle(app, pilot)
        narrative_index = [t for t, _title, _d in CASE_TABS].index("narrative")
        await send(app, pilot, F_KEYS_XTERM[narrative_index])
        whats = {what for _k, what, _where in screen_keys(app.screen)}
        assert {"New entry", "Discard draft", "Restore version"} <= whats


def test_readme_and_help_say_the_same_keys() -> None:
    """Every row of the key table in help.md is in README's TUI section, word for word."""
    help_rows = [
        line for line in (ROOT / "trpkit/tui/help.md").read_text().splitlines() if line.startswith("| `")
    ]
    readme = (ROOT / "README.md").read_text()
    assert help_rows
    missing = [row for row in help_rows if row not in readme]
    assert not missing, missing


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
async def test_every_tab_title_shows_whole_on_the_tab_bar(seeded: Seeded, size: tuple[int, int]) -> None:
    """At 80 columns the titles drop their keys (F1 and README list them) so none runs off the edge."""
    app = TrpkitApp(database=seeded.database, actor=seeded.actor)
    async with app.run_test(size=size) as pilot:
        await settle(app, pilot)
        await app.open_case(first_code(seeded))
        await settle(app, pilot)
        tabs = list(app.screen.query("Tab"))
        assert len(tabs) == len(CASE_TABS)
        for tab in tabs:
            label = str(tab.label)  # type: ignore[attr-defined]
            assert tab.region.x >= 0 and tab.region.right <= size[0], (label, tab.region)
            assert tab.region.width >= len(label), (label, tab.region)
        labels = [str(tab.label) for tab in tabs]  # type: ignore[attr-defined]
        if size[0] >= 120:
            assert labels[-1] == "Draft F9"
        else:
            assert labels[:2] == ["Person", "Consent"] and "Applic." in labels
        await send(app, pilot, F_KEYS_XTERM[-1])  # the keys work whatever the titles say
        assert app.screen.query_one(TabbedContent).active == CASE_TABS[-1][0]


async def test_help_and_lock_stay_in_the_footer_at_80_columns(seeded: Seeded) -> None:
    """Whatever keys a tab adds, F1 Help and ctrl+l Lock are drawn inside an 80-column footer. One app
    visits every tab in turn (starting an app and opening the case costs more than the check)."""
    from textual.widgets._footer import FooterKey

    problems = []
    app = TrpkitApp(database=seeded.database, actor=seeded.actor)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await app.open_case(first_code(seeded))
        await settle(app, pilot)
        for index, (tab, _title, _d) in enumerate(CASE_TABS):
            await send(app, pilot, F_KEYS_XTERM[index])  # the cursor goes into the tab: its own keys show
            await settle(app, pilot)
            assert app.screen.query_one(TabbedContent).active == tab
            drawn = {key.key: key.region for key in app.screen.query(FooterKey)}
            palette = drawn.pop("ctrl+p", None)  # drawn on the right edge, over whatever reaches it
            edge = palette.x if palette is not None else 80
            for needed in ("f1", "ctrl+l"):
                region = drawn.get(needed)
                if region is None:
                    problems.append((tab, needed, "missing", sorted(drawn)))
                elif not (region.width > 0 and region.right <= edge):
                    problems.append((tab, needed, region, edge))
    assert problems == []
