"""Pilot tests: meetings edited and removed in the Narrative tab (their entries handled explicitly), a
removed meeting restored, the language typed by name, and unsaved meeting typing asked about."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest
from textual.widgets import DataTable, Input, Select, Static

from tests.pilot import settle
from trpkit.db.database import Database
from trpkit.services import narrative as nv
from trpkit.services import narrative_meetings
from trpkit.services.actor import Actor
from trpkit.tui.app import TrpkitApp
from trpkit.tui.screens.confirm import UnsavedScreen
from trpkit.tui.tabs.narrative import NarrativeTab
from trpkit.tui.tabs.narrative_meeting_form import MeetingFormScreen
from trpkit.tui.tabs.narrative_meeting_removal import RemovedScreen, RemoveMeetingScreen


@pytest.fixture
def story(vault_db: Database) -> Iterator[tuple[Database, Actor, str]]:
    from trpkit.services.cases import create_case
    from trpkit.services.consent import record_consent
    from trpkit.services.users import actor_for, create_user

    with vault_db.session() as s:
        create_user(s, "ana", role="supervisor")
        actor = actor_for(s, "ana")
        code = create_case(s, actor, person={"legal_name": "Test Fictional"}).code
        record_consent(s, actor, code, purpose="prepare_file", decision="given", method="written")
        first = narrative_meetings.add_meeting(s, actor, code, held_on=date(2025, 6, 15), language="es")
        narrative_meetings.add_meeting(s, actor, code, held_on=date(2025, 6, 22), language="es")
        nv.add_entry(s, actor, code, first.id, "Me quitaron el pasaporte.")
    yield vault_db, actor, code


def tab(app: TrpkitApp) -> NarrativeTab:
    return app.screen.query_one(NarrativeTab)


async def test_a_meeting_is_edited_with_its_language_by_name(story) -> None:  # type: ignore[no-untyped-def]
    db, actor, code = story
    app = TrpkitApp(database=db, actor=actor)
    async with app.run_test(size=(160, 50)) as pilot:
        await app.open_case(code, tab="narrative")
        await settle(app, pilot)
        t = tab(app)
        table = t.query_one("#meetings", DataTable)
        table.focus()
        table.move_cursor(row=0)
        await pilot.press("e")
        await settle(app, pilot)
        form = app.screen
        assert isinstance(form, MeetingFormScreen)
        assert form.query_one("#m-date", Input).value == "2025-06-15"
        assert form.query_one("#m-language", Input).value == "Spanish"
        form.query_one("#m-date", Input).value = "2025-06-14"
        form.query_one("#m-language", Input).value = "Spansh"
        await settle(app, pilot)
        assert "Spanish (es)" in str(form.query_one("#m-language-picker .picker-hint", Static).render())
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert app.screen is form  # refused, explained, nothing lost
        assert "Spanish (es)" in str(form.query_one("#m-error", Static).render())
        form.query_one("#m-language", Input).value = "tagalo"  # Spanish for Tagalog
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert app.screen is not form
        assert "saved" in str(t.query_one("#narrative-status", Static).render())
    with db.session() as s:
        m = narrative_meetings.list_meetings(s, actor, code)[0]
    assert (m.held_on, m.language) == (date(2025, 6, 14), "tl")


async def test_removing_a_meeting_asks_about_its_entries_and_it_can_be_restored(story) -> None:  # type: ignore[no-untyped-def]
    db, actor, code = story
    app = TrpkitApp(database=db, actor=actor)
    async with app.run_test(size=(160, 50)) as pilot:
        await app.open_case(code, tab="narrative")
        await settle(app, pilot)
        t = tab(app)
        table = t.query_one("#meetings", DataTable)
        table.focus()
        table.move_cursor(row=0)
        await pilot.press("delete")
        await settle(app, pilot)
        assert isinstance(app.screen, RemoveMeetingScreen)
        assert app.screen.query_one("#move-to", Select).value == t.meetings[1].id
        await pilot.click("#move")
        await settle(app, pilot, rounds=5)
        assert "1 entry moved to the meeting of 2025-06-22" in str(
            t.query_one("#narrative-status", Static).render()
        )
        assert [m.entry_count for m in t.meetings] == [1]
        await pilot.press("r")
        await settle(app, pilot)
        assert isinstance(app.screen, RemovedScreen)
        await pilot.press("enter")
        await settle(app, pilot, rounds=5)
        assert [m.held_on for m in t.meetings] == [date(2025, 6, 15), date(2025, 6, 22)]
        assert "Restored the meeting of 2025-06-15" in str(t.query_one("#narrative-status", Static).render())


async def test_closing_a_half_typed_meeting_form_asks_first(story) -> None:  # type: ignore[no-untyped-def]
    db, actor, code = story
    app = TrpkitApp(database=db, actor=actor)
    async with app.run_test(size=(80, 24)) as pilot:
        await app.open_case(code, tab="narrative")
        await settle(app, pilot)
        t = tab(app)
        t.query_one("#meetings", DataTable).focus()
        await pilot.press("a")
        await settle(app, pilot)
        form = app.screen
        assert isinstance(form, MeetingFormScreen)
        await pilot.press("escape")  # nothing typed: closes at once
        await settle(app, pilot)
        assert not isinstance(app.screen, MeetingFormScreen)
        await pilot.press("a")
        await settle(app, pilot)
        form = app.screen
        form.query_one("#m-place", Input).value = "office"
        await pilot.press("escape")
        await settle(app, pilot)
        assert isinstance(app.screen, UnsavedScreen)
        await pilot.press("escape")  # stay
        await settle(app, pilot)
        assert app.screen is form and form.query_one("#m-place", Input).value == "office"
        await pilot.press("escape")
        await settle(app, pilot)
        await pilot.press("d")  # discard
        await settle(app, pilot)
        assert not isinstance(app.screen, (UnsavedScreen, MeetingFormScreen))
        assert len(t.meetings) == 2
