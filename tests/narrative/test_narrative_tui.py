"""Pilot tests: the Narrative tab (editor, autosave, history, conflicts, recovery) and the Timeline tab."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest
from textual.widgets import DataTable, Input, Select, Static, TextArea

from trpkit.db.database import Database
from trpkit.services import narrative as nv
from trpkit.services import narrative_drafts, narrative_history, narrative_meetings
from trpkit.services.actor import Actor
from trpkit.tui.app import TrpkitApp
from trpkit.tui.tabs import narrative as narrative_tab
from trpkit.tui.tabs.narrative import NarrativeTab
from trpkit.tui.tabs.narrative_conflict import ConflictScreen
from trpkit.tui.tabs.narrative_meeting_form import MeetingFormScreen
from trpkit.tui.tabs.timeline import TimelineTab


@pytest.fixture(autouse=True)
def _fast_autosave(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(narrative_tab, "AUTOSAVE_SECONDS", 0.1)
    monkeypatch.setattr(Input, "_toggle_cursor", lambda self: None, raising=False)


@pytest.fixture
def story(vault_db: Database) -> Iterator[tuple[Database, Actor, str, int, int]]:
    from trpkit.services.cases import create_case
    from trpkit.services.consent import record_consent
    from trpkit.services.users import actor_for, create_user

    with vault_db.session() as s:
        create_user(s, "ana", role="supervisor")
        create_user(s, "bea", role="supervisor")
        actor = actor_for(s, "ana")
        code = create_case(s, actor, person={"legal_name": "Test Fictional", "birth_date_text": "1990"}).code
        record_consent(s, actor, code, purpose="prepare_file", decision="given", method="written")
        m = narrative_meetings.add_meeting(s, actor, code, held_on=date(2025, 6, 15), language="es")
        e = nv.add_entry(s, actor, code, m.id, "A finales de marzo de 2019 me quitaron el pasaporte.")
    yield vault_db, actor, code, m.id, e.id


async def settle(app: TrpkitApp, pilot, rounds: int = 3) -> None:  # type: ignore[no-untyped-def]
    for _ in range(rounds):
        await pilot.pause()
        await app.workers.wait_for_complete()
    await pilot.pause()


def tab(app: TrpkitApp) -> NarrativeTab:
    return app.screen.query_one(NarrativeTab)


async def open_entry(app: TrpkitApp, pilot, entry_id: int) -> NarrativeTab:  # type: ignore[no-untyped-def]
    t = tab(app)
    t.open_entry(entry_id)
    await settle(app, pilot)
    return t


async def test_edit_save_history_and_restore(story) -> None:  # type: ignore[no-untyped-def]
    db, actor, code, _m, entry_id = story
    app = TrpkitApp(database=db, actor=actor)
    async with app.run_test(size=(160, 50)) as pilot:
        await app.open_case(code, tab="narrative")
        await settle(app, pilot)
        t = tab(app)
        entries = t.query_one("#entries", DataTable)
        assert entries.row_count == 1
        t.query_one("#entries", DataTable).focus()
        await pilot.press("enter")
        await settle(app, pilot)
        editor = t.query_one("#editor", TextArea)
        assert editor.text.startswith("A finales de marzo")
        editor.load_text("A finales de marzo de 2019 me quitaron el pasaporte y el teléfono.")
        t.dirty = True
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert "version 2" in str(t.query_one("#narrative-status", Static).render())
        assert t.query_one("#history", DataTable).row_count == 2
        # restore version 1 from the history (cursor on the oldest row)
        history = t.query_one("#history", DataTable)
        history.focus()
        history.move_cursor(row=1)
        await settle(app, pilot)
        preview = str(t.query_one("#revision-preview", Static).render())
        assert preview.startswith("v1 (create, ana): A finales de marzo de 2019 me quitaron el pasaporte.")
        await pilot.press("ctrl+r")
        await settle(app, pilot)
        assert "restored as version 3" in str(t.query_one("#narrative-status", Static).render())
    with db.session() as s:
        assert (
            nv.get_entry(s, actor, code, entry_id).text
            == "A finales de marzo de 2019 me quitaron el pasaporte."
        )
        assert [h.action for h in narrative_history.entry_history(s, actor, code, entry_id)] == [
            "restore",
            "edit",
            "create",
        ]


async def test_new_entry_autosaves_a_draft_then_saves(story) -> None:  # type: ignore[no-untyped-def]
    db, actor, code, meeting_id, _e = story
    app = TrpkitApp(database=db, actor=actor)
    async with app.run_test(size=(160, 50)) as pilot:
        await app.open_case(code, tab="narrative")
        await settle(app, pilot)
        t = tab(app)
        t.query_one("#entries", DataTable).focus()
        await pilot.press("ctrl+n")
        await settle(app, pilot)
        assert app.focused is t.query_one("#editor", TextArea)
        await pilot.press(*"Me dijeron")  # typed, as a person does
        await pilot.pause(0.3)
        await settle(app, pilot)
        with db.session() as s:
            drafts = narrative_drafts.list_drafts(s, actor, code)
        assert [(d.meeting_id, d.entry_id, d.text) for d in drafts] == [(meeting_id, None, "Me dijeron")]
        assert "autosaved" in str(t.query_one("#narrative-status", Static).render())
        t.query_one("#kind", Select).value = "summary"
        await pilot.press("ctrl+s")
        await settle(app, pilot)
    with db.session() as s:
        entries = nv.list_entries(s, actor, code)
        assert [(e.kind, e.text) for e in entries][-1] == ("summary", "Me dijeron")
        assert narrative_drafts.list_drafts(s, actor, code) == []  # saving clears the draft


async def test_conflict_shows_both_versions_and_keep_mine(story) -> None:  # type: ignore[no-untyped-def]
    db, actor, code, _m, entry_id = story
    from trpkit.services.users import actor_for

    with db.session() as s:
        bea = actor_for(s, "bea")
    app = TrpkitApp(database=db, actor=actor)
    async with app.run_test(size=(160, 50)) as pilot:
        await app.open_case(code, tab="narrative")
        await settle(app, pilot)
        t = await open_entry(app, pilot, entry_id)
        with db.session() as s:  # another accompanier saves while this editor is open
            nv.update_entry(s, bea, code, entry_id, expected_version=1, text="Bea's newer wording.")
        t.query_one("#editor", TextArea).load_text("Ana's wording.")
        t.dirty = True
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert isinstance(app.screen, ConflictScreen)
        assert app.screen.query_one("#conflict-theirs", TextArea).text == "Bea's newer wording."
        assert app.screen.query_one("#conflict-mine", TextArea).text == "Ana's wording."
        await pilot.press("m")
        await settle(app, pilot)
        assert not isinstance(app.screen, ConflictScreen)
    with db.session() as s:
        history = narrative_history.entry_history(s, actor, code, entry_id)
        assert [(h.version, h.saved_by, h.text) for h in history][:2] == [
            (3, "ana", "Ana's wording."),
            (2, "bea", "Bea's newer wording."),
        ]


async def test_conflict_edit_both_keeps_both_texts(story) -> None:  # type: ignore[no-untyped-def]
    db, actor, code, _m, entry_id = story
    from trpkit.services.users import actor_for

    with db.session() as s:
        bea = actor_for(s, "bea")
    app = TrpkitApp(database=db, actor=actor)
    async with app.run_test(size=(160, 50)) as pilot:
        await app.open_case(code, tab="narrative")
        await settle(app, pilot)
        t = await open_entry(app, pilot, entry_id)
        with db.session() as s:
            nv.update_entry(s, bea, code, entry_id, expected_version=1, text="Theirs.")
        t.query_one("#editor", TextArea).load_text("Mine.")
        t.dirty = True
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        await pilot.press("e")
        await settle(app, pilot)
        text = t.query_one("#editor", TextArea).text
        assert text.startswith("Theirs.") and text.endswith("Mine.")
        await pilot.press("ctrl+s")  # now saved on top of their version
        await settle(app, pilot)
    with db.session() as s:
        assert nv.get_entry(s, actor, code, entry_id).version == 3


async def test_recovered_draft_is_offered(story) -> None:  # type: ignore[no-untyped-def]
    db, actor, code, meeting_id, entry_id = story
    with db.session() as s:  # as left by an editor that died before saving
        narrative_drafts.save_draft(
            s,
            actor,
            code,
            meeting_id=meeting_id,
            entry_id=entry_id,
            base_version=1,
            text="Texto sin guardar.",
            language="es",
        )
    app = TrpkitApp(database=db, actor=actor)
    async with app.run_test(size=(160, 50)) as pilot:
        await app.open_case(code, tab="narrative")
        await settle(app, pilot)
        t = tab(app)
        assert t.query_one("#editor", TextArea).text == "Texto sin guardar."
        assert "Recovered unsaved text" in str(t.query_one("#narrative-status", Static).render())
        await pilot.press("ctrl+s")
        await settle(app, pilot)
    with db.session() as s:
        assert nv.get_entry(s, actor, code, entry_id).text == "Texto sin guardar."


async def test_timeline_tab_events_conflicts_and_suggestions(story) -> None:  # type: ignore[no-untyped-def]
    db, actor, code, _m, _e = story
    from trpkit.services.timeline import add_event
    from trpkit.services.timeline_view import case_timeline

    with db.session() as s:
        add_event(s, actor, code, event_type="arrival_canada", date_text="spring 2019")
        add_event(s, actor, code, event_type="departure", date_text="2020")
        add_event(s, actor, code, event_type="escape", date_text="the night of the storm")
    app = TrpkitApp(database=db, actor=actor)
    async with app.run_test(size=(160, 50)) as pilot:
        await app.open_case(code, tab="timeline")
        await settle(app, pilot)
        t = app.screen.query_one(TimelineTab)
        events = t.query_one("#events", DataTable)
        assert events.row_count >= 3
        detail = str(t.query_one("#timeline-summary", Static).render())
        assert "1 conflict" in detail and "1 date(s) to fix" in detail
        # live preview of how a date is read
        t.query_one("#e-date", Input).value = "around spring 2019"
        await settle(app, pilot)
        assert "2019-02-01 – 2019-06-30" in str(t.query_one("#date-preview", Static).render())
        t.query_one("#e-type", Select).value = "recruitment"
        t.query_one("#e-date", Input).value = "early 2018"
        t.query_one("#e-date", Input).focus()
        await pilot.press("enter")
        await settle(app, pilot)
        # find dates in the narrative and accept one
        t.query_one("#events", DataTable).focus()
        await pilot.press("s")
        await settle(app, pilot)
        suggestions = t.query_one("#suggestions", DataTable)
        assert suggestions.row_count == 1
        t.query_one("#e-type", Select).value = "documents_taken"
        suggestions.focus()
        await pilot.press("y")
        await settle(app, pilot)
        assert t.query_one("#suggestions", DataTable).row_count == 0
    with db.session() as s:
        tl = case_timeline(s, actor, code)
    assert [e.type for e in tl.events] == [
        "recruitment",
        "documents_taken",
        "arrival_canada",
        "departure",
        "escape",
    ]
    assert tl.events[1].linked_entry_ids and tl.events[1].date_text == "late March 2019"


async def test_timeline_fix_a_date_kept_as_said(story) -> None:  # type: ignore[no-untyped-def]
    db, actor, code, _m, _e = story
    from trpkit.services.timeline import add_event
    from trpkit.services.timeline_view import case_timeline

    with db.session() as s:
        add_event(s, actor, code, event_type="escape", date_text="the night of the storm")
    app = TrpkitApp(database=db, actor=actor)
    async with app.run_test(size=(160, 50)) as pilot:
        await app.open_case(code, tab="timeline")
        await settle(app, pilot)
        t = app.screen.query_one(TimelineTab)
        t.query_one("#events", DataTable).focus()
        await pilot.press("e")
        await settle(app, pilot)
        date_input = t.query_one("#e-date", Input)
        assert date_input.value == "the night of the storm" and app.focused is date_input
        date_input.value = "late 2021"
        await pilot.press("enter")
        await settle(app, pilot)
        assert "Saved: Escape / exit, late 2021." in str(t.query_one("#timeline-status", Static).render())
    with db.session() as s:
        tl = case_timeline(s, actor, code)
    assert tl.unparsed == () and tl.events[0].date.edtf == "2021-39"


async def test_search_screen_opens_the_entry(story) -> None:  # type: ignore[no-untyped-def]
    db, actor, _code, _m, entry_id = story
    from trpkit.tui.screens.narrative_search import NarrativeSearchScreen

    app = TrpkitApp(database=db, actor=actor)
    async with app.run_test(size=(160, 50)) as pilot:
        await settle(app, pilot)
        await pilot.press("s")  # from the dashboard
        await settle(app, pilot)
        assert isinstance(app.screen, NarrativeSearchScreen)
        app.screen.query_one("#ns-query", Input).value = "pasaporte"
        await pilot.press("enter")
        await settle(app, pilot)
        results = app.screen.query_one("#ns-results", DataTable)
        assert results.row_count == 1
        assert "1 result" in str(app.screen.query_one("#ns-count", Static).render())
        await pilot.press("enter")
        await settle(app, pilot, rounds=5)
        t = tab(app)
        assert t.state.entry_id == entry_id
        assert t.query_one("#editor", TextArea).text.startswith("A finales de marzo")


async def test_add_a_meeting_with_its_details(story) -> None:  # type: ignore[no-untyped-def]
    db, actor, code, _m, _e = story
    app = TrpkitApp(database=db, actor=actor)
    async with app.run_test(size=(160, 50)) as pilot:
        await app.open_case(code, tab="narrative")
        await settle(app, pilot)
        t = tab(app)
        await pilot.click("#m-add")
        await settle(app, pilot)
        form = app.screen
        assert isinstance(form, MeetingFormScreen)
        for name, value in (
            ("date", "2025-07-01"),
            ("language", "tl"),
            ("interpreter", "Interpreter (fictional)"),
            ("duration", "40"),
            ("wellbeing", "asked to stop early"),
        ):
            form.query_one(f"#m-{name}", Input).value = value
        form.query_one("#m-date", Input).value = "not a date"
        form.query_one("#m-date", Input).focus()
        await pilot.press("enter")
        await settle(app, pilot)
        assert "not a date" in str(form.query_one("#m-error", Static).render())
        form.query_one("#m-date", Input).value = "2025-07-01"
        await pilot.press("enter")
        await settle(app, pilot)
        assert app.screen is not form
        assert t.query_one("#meetings", DataTable).row_count == 2
    with db.session() as s:
        m = narrative_meetings.list_meetings(s, actor, code)[-1]
    assert (m.held_on, m.language, m.interpreter, m.duration_minutes, m.wellbeing_notes) == (
        date(2025, 7, 1),
        "tl",
        "Interpreter (fictional)",
        40,
        "asked to stop early",
    )


async def test_leaving_the_case_keeps_unsaved_typing_as_a_draft(story, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    db, actor, code, _meeting_id, entry_id = story
    monkeypatch.setattr(narrative_tab, "AUTOSAVE_SECONDS", 3600)  # no periodic autosave in this test
    app = TrpkitApp(database=db, actor=actor)
    async with app.run_test(size=(160, 50)) as pilot:
        await app.open_case(code, tab="narrative")
        await settle(app, pilot)
        t = await open_entry(app, pilot, entry_id)
        t.query_one("#editor", TextArea).focus()
        await pilot.press("end", *" Y más")
        await settle(app, pilot)
        assert t.dirty
        await pilot.press("escape")  # back to the case list
        await settle(app, pilot)
    with db.session() as s:
        drafts = narrative_drafts.list_drafts(s, actor, code)
    assert [(d.entry_id, d.text.endswith(" Y más")) for d in drafts] == [(entry_id, True)]


async def test_locking_keeps_typing_made_since_the_last_autosave(story, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from trpkit.tui.screens.unlock import UnlockScreen

    db, actor, code, _meeting_id, entry_id = story
    monkeypatch.setattr(narrative_tab, "AUTOSAVE_SECONDS", 3600)  # the autosave would not have run yet
    app = TrpkitApp(database=db, actor=actor)
    async with app.run_test(size=(160, 50)) as pilot:
        await app.open_case(code, tab="narrative")
        await settle(app, pilot)
        t = await open_entry(app, pilot, entry_id)
        t.query_one("#editor", TextArea).focus()
        await pilot.press("end", *" Y después", "ctrl+l")  # locked mid-sentence
        await settle(app, pilot)
        assert isinstance(app.screen, UnlockScreen) and app.database is None
    with db.session() as s:
        drafts = narrative_drafts.list_drafts(s, actor, code)
    assert [(d.entry_id, d.text.endswith(" Y después")) for d in drafts] == [(entry_id, True)]


async def test_brackets_in_a_persons_words_are_shown_as_written(story) -> None:  # type: ignore[no-untyped-def]
    db, actor, code, meeting_id, _e = story
    from trpkit.services.timeline import add_event
    from trpkit.services.timeline_suggestions import suggest_dates
    from trpkit.tui.screens.narrative_search import NarrativeSearchScreen

    words = "Me dijo [/i] que [b]no[red] hablara — [sic] 2019"
    with db.session() as s:
        nv.add_entry(s, actor, code, meeting_id, words, kind="own_words")
        narrative_meetings.update_meeting(s, actor, code, meeting_id, wellbeing_notes="[/b] tired")
        # (other areas' tabs show event dates too, so closing tags here would test their code, not ours)
        add_event(
            s,
            actor,
            code,
            event_type="violence",
            date_text="[the night] of the storm",
            title="[sic] boss",
            place="[farm]",
            people=[{"role": "employer", "name": "[/name]"}],
        )
        suggest_dates(s, actor, code)
    app = TrpkitApp(database=db, actor=actor)
    async with app.run_test(size=(160, 50)) as pilot:
        await app.open_case(code, tab="narrative")
        await settle(app, pilot)
        entries = tab(app).query_one("#entries", DataTable)
        assert "[/i]" in str(entries.get_row_at(1)[3])
        app.screen.query_one("#case-tabs").active = "timeline"
        await settle(app, pilot)
        t = app.screen.query_one(TimelineTab)
        assert t.query_one("#events", DataTable).row_count == 1
        t.query_one("#events", DataTable).focus()
        await pilot.press("e")
        await settle(app, pilot)
        await pilot.press("escape")
        await settle(app, pilot)
        await pilot.press("escape")
        await settle(app, pilot)
        await app.push_screen(NarrativeSearchScreen())
        app.screen.query_one("#ns-query", Input).value = "sic [/b]"
        await pilot.press("enter")
        await settle(app, pilot)
        assert "“sic [/b]”" in str(app.screen.query_one("#ns-count", Static).render())


async def test_language_of_the_text_is_picked_by_name_with_completion(story) -> None:  # type: ignore[no-untyped-def]
    """The editor's language works like the meeting form's: a name (completed as typed), the code stored."""
    db, actor, code, _meeting_id, entry_id = story
    app = TrpkitApp(database=db, actor=actor)
    async with app.run_test(size=(160, 50)) as pilot:
        await app.open_case(code, tab="narrative")
        await settle(app, pilot)
        t = await open_entry(app, pilot, entry_id)
        language = t.query_one("#language", Input)
        assert language.value == "Spanish"  # the stored "es", by its name
        t.query_one("#entries", DataTable).focus()
        await pilot.press("ctrl+n")
        await settle(app, pilot)
        await pilot.press(*"Me dijeron")
        language.focus()
        language.value = ""
        await pilot.press(*"portu")
        await settle(app, pilot)
        await pilot.press("right")  # accepts the completion
        assert language.value.casefold() == "portuguese"
        hint = t.query_one("#language-picker .picker-hint", Static)
        assert "Portuguese (pt)" in str(hint.render())
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        language.value = "Klingonese"
        await settle(app, pilot)
        assert "-unknown" in hint.classes  # an unknown name is flagged before saving
    with db.session() as s:
        entries = nv.list_entries(s, actor, code)
        assert [(e.text, e.language) for e in entries][-1] == ("Me dijeron", "pt")
