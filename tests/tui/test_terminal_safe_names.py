"""A person's name holding control characters (a bell, a colour sequence, a window-title sequence) is
drawn by the app without any of them: what reaches the terminal is text and trpkit's own styles."""

from __future__ import annotations

from textual.geometry import Region
from textual.widgets import DataTable, Input

from tests.pilot import settle
from tests.tui.conftest import Seeded
from trpkit.services.cases import create_case
from trpkit.tui.app import TrpkitApp

NAMED = "Ana\x07\x1b[31mRed\x1b]0;title\x07Li"


def _unsafe(text: str) -> list[str]:
    return [ch for ch in text if (ord(ch) < 0x20 and ch not in "\n\t") or 0x7F <= ord(ch) <= 0x9F]


async def test_the_case_list_draws_a_hostile_name_without_its_control_characters(seeded: Seeded) -> None:
    with seeded.database.session() as s:
        code = create_case(s, seeded.actor, person={"legal_name": NAMED, "preferred_name": NAMED}).code
    app = TrpkitApp(database=seeded.database, actor=seeded.actor)
    async with app.run_test(size=(160, 40)) as pilot:
        await settle(app, pilot)
        await pilot.press("c")
        await settle(app, pilot)
        await pilot.press("ctrl+r")
        await settle(app, pilot)
        app.screen.query_one("#filter", Input).value = code
        await settle(app, pilot)
        table = app.screen.query_one("#cases", DataTable)
        assert table.row_count == 1
        assert str(table.get_row_at(0)[2]) == "Ana[31mRed]0;titleLi"  # the data itself, cleaned
        drawn = table.render_lines(Region(0, 0, table.size.width, table.size.height))
        segments = [segment for strip in drawn for segment in strip]
        text = "".join(segment.text for segment in segments)
        assert not _unsafe(text), repr(text)
        assert "Ana[31mRed" in text, repr(text)
        assert any(segment.style is not None and segment.style.color for segment in segments)
