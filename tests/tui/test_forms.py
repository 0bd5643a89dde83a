"""Forms a person fills in: countries and languages by name with what was understood shown underneath,
consent on its real date, and no typing lost without asking (esc, tab switch)."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from textual.widgets import DataTable, Input, Select, Static, TabbedContent

from tests.pilot import settle
from tests.tui.conftest import Seeded
from trpkit.db.models import Case, ConsentEvent
from trpkit.tui.app import TrpkitApp
from trpkit.tui.screens.case_file import CaseFileScreen
from trpkit.tui.screens.case_list import NATIONALITY, CaseListScreen
from trpkit.tui.screens.confirm import UnsavedScreen
from trpkit.tui.screens.dashboard import DashboardScreen
from trpkit.tui.screens.new_case import NewCaseScreen


def first_code(seeded: Seeded) -> str:
    with seeded.database.session() as s:
        code = s.scalars(select(Case.code).order_by(Case.code)).first()
    assert code is not None
    return code


async def test_new_case_takes_a_country_and_languages_by_name_and_asks_before_discarding(
    seeded: Seeded,
) -> None:
    app = TrpkitApp(database=seeded.database, actor=seeded.actor)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("n")
        await settle(app, pilot)
        form = app.screen
        assert isinstance(form, NewCaseScreen)
        form.query_one("#nationality", Input).focus()
        await pilot.press(*"Mexique")
        await settle(app, pilot)
        assert "Mexico (MX)" in str(form.query_one("#nationality-picker .picker-hint", Static).render())
        form.query_one("#languages", Input).focus()
        await pilot.press(*"espagnol, Tagal")
        await settle(app, pilot)
        await pilot.press("right")  # at the end of the line, accepts the completion ("Tagalog")
        await settle(app, pilot)
        assert form.query_one("#languages", Input).value == "espagnol, Tagalog"
        await pilot.press("escape")
        await settle(app, pilot)
        assert isinstance(app.screen, UnsavedScreen)
        await pilot.press("escape")  # stay: the typing is still there
        await settle(app, pilot)
        assert app.screen is form and form.query_one("#nationality", Input).value == "Mexique"
        await pilot.press("escape")
        await settle(app, pilot)
        await pilot.press("s")  # save
        await settle(app, pilot, rounds=5)
        assert isinstance(app.screen, CaseFileScreen)
        code = app.screen.code
    with seeded.database.session() as s:
        case = s.scalar(select(Case).where(Case.code == code))
        assert case is not None
        assert (case.person.nationality, case.person.languages) == ("MX", ["es", "tl"])


async def test_an_empty_new_case_form_closes_at_once_and_discard_closes_a_typed_one(seeded: Seeded) -> None:
    app = TrpkitApp(database=seeded.database, actor=seeded.actor)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        await pilot.press("n")
        await settle(app, pilot)
        await pilot.press("escape")
        await settle(app, pilot)
        assert isinstance(app.screen, DashboardScreen)
        await pilot.press("n")
        await settle(app, pilot)
        await pilot.press(*"Rosa")
        await pilot.press("escape")
        await settle(app, pilot)
        await pilot.press("d")
        await settle(app, pilot)
        assert isinstance(app.screen, DashboardScreen)


async def test_person_tab_shows_names_and_asks_before_a_tab_switch_drops_changes(seeded: Seeded) -> None:
    code = first_code(seeded)
    app = TrpkitApp(database=seeded.database, actor=seeded.actor)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        await pilot.press("c")
        await settle(app, pilot)
        await app.open_case(code)
        await settle(app, pilot)
        screen = app.screen
        nationality = screen.query_one("#f-nationality", Input)
        assert nationality.value and len(nationality.value) > 2  # a name, not a code
        nationality.value = "Filipinas"
        await settle(app, pilot)
        await pilot.press("f3")  # the Consent tab
        await settle(app, pilot)
        assert isinstance(app.screen, UnsavedScreen)
        await pilot.press("escape")  # stay
        await settle(app, pilot)
        assert screen.query_one(TabbedContent).active == "overview" and nationality.value == "Filipinas"
        await pilot.press("f3")
        await settle(app, pilot)
        await pilot.press("s")  # save, then go
        await settle(app, pilot, rounds=5)
        assert screen.query_one(TabbedContent).active == "consent"
        await pilot.press("escape")  # nothing unsaved on the Consent tab: straight back
        await settle(app, pilot)
        assert isinstance(app.screen, CaseListScreen)
    with seeded.database.session() as s:
        case = s.scalar(select(Case).where(Case.code == code))
        assert case is not None and case.person.nationality == "PH"


async def test_consent_is_recorded_on_the_day_it_was_given(seeded: Seeded) -> None:
    code = first_code(seeded)
    app = TrpkitApp(database=seeded.database, actor=seeded.actor)
    async with app.run_test(size=(120, 45)) as pilot:
        await settle(app, pilot)
        await app.open_case(code, tab="consent")
        await settle(app, pilot)
        tab = app.screen.query_one("#consent-tab")
        tab.query_one("#c-purpose", Select).value = "quote_own_words"
        tab.query_one("#c-decision", Select).value = "given"
        tab.query_one("#c-method", Select).value = "written"
        tab.query_one("#c-date", Input).value = "14/03/2026"
        tab.query_one("#c-record").press()
        await settle(app, pilot)
        assert "YYYY-MM-DD" in str(tab.query_one("#consent-message", Static).render())
        tab.query_one("#c-date", Input).value = "2026-03-14"
        tab.query_one("#c-record").press()
        await settle(app, pilot, rounds=5)
        assert "on 2026-03-14" in str(tab.query_one("#consent-message", Static).render())
        history = tab.query_one("#consent-history", DataTable)
        rows = [history.get_row_at(i) for i in range(history.row_count)]
        ours = [r for r in rows if str(r[0]).startswith("2026-03-14")]
        assert ours and "recorded" in str(ours[0][0])
        assert "_" not in str(ours[0][1])  # the purpose in words, not its code
    with seeded.database.session() as s:
        last = s.scalars(select(ConsentEvent).order_by(ConsentEvent.id.desc())).first()
        assert last is not None and last.decided_at.date() == date(2026, 3, 14)


async def test_locking_keeps_person_tab_changes_as_a_draft_offered_on_unlocking(seeded: Seeded) -> None:
    from tests.conftest import TEST_PASSPHRASE
    from trpkit.tui.screens.unlock import UnlockScreen

    code = first_code(seeded)
    app = TrpkitApp(database=seeded.database, actor=seeded.actor)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        await app.open_case(code)
        await settle(app, pilot)
        app.screen.query_one("#f-gender", Input).value = "woman (said at the second meeting)"
        await pilot.press("ctrl+l")
        await settle(app, pilot)
        assert isinstance(app.screen, UnlockScreen)
        app.screen.query_one("#passphrase", Input).value = TEST_PASSPHRASE
        app.screen.query_one("#username", Input).value = "ana"
        await pilot.press("enter")
        await settle(app, pilot, rounds=6)
        screen = app.screen
        assert isinstance(screen, CaseFileScreen) and screen.code == code
        assert screen.query_one("#f-gender", Input).value == "woman (said at the second meeting)"
        assert "Recovered changes" in str(screen.query_one("#overview-message", Static).render())
        await pilot.press("ctrl+s")
        await settle(app, pilot, rounds=5)
    with seeded.database.session() as s:
        from trpkit.db.models import FormDraft

        case = s.scalar(select(Case).where(Case.code == code))
        assert case is not None and case.person.gender == "woman (said at the second meeting)"
        assert s.scalars(select(FormDraft)).all() == []


async def test_the_case_list_filter_finds_a_country_by_its_name(seeded: Seeded) -> None:
    from textual.widgets import DataTable as Table

    from trpkit.domain.places_languages import country_name

    app = TrpkitApp(database=seeded.database, actor=seeded.actor)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        await pilot.press("c")
        await settle(app, pilot)
        screen = app.screen
        assert isinstance(screen, CaseListScreen)
        code = screen.cases[0][NATIONALITY]
        await pilot.press(*country_name(code).lower())
        await settle(app, pilot)
        table = screen.query_one("#cases", Table)
        assert table.row_count >= 1
        assert all(str(table.get_row_at(i)[3]) == code for i in range(table.row_count))


async def test_locking_keeps_the_meeting_form_typing_and_offers_it_back_on_unlocking(seeded: Seeded) -> None:
    from tests.conftest import TEST_PASSPHRASE
    from trpkit.db.models import FormDraft, NarrativeMeeting
    from trpkit.tui.screens.unlock import UnlockScreen
    from trpkit.tui.tabs.narrative_meeting_form import MeetingFormScreen

    code = first_code(seeded)
    app = TrpkitApp(database=seeded.database, actor=seeded.actor)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        await app.open_case(code)
        await settle(app, pilot)
        await pilot.press("f4", "a")  # the Narrative tab, cursor in its meetings; a new meeting
        await settle(app, pilot)
        assert isinstance(app.screen, MeetingFormScreen)
        await pilot.press(*"2026-03-14", "tab", *"90", "tab", *"espagnol")
        app.screen.query_one("#m-place", Input).value = "Drop-in centre, Halifax"
        await pilot.press("ctrl+l")
        await settle(app, pilot)
        assert isinstance(app.screen, UnlockScreen)
        with seeded.database.session() as s:
            assert [d.form for d in s.scalars(select(FormDraft))] == ["meeting"]
        app.screen.query_one("#passphrase", Input).value = TEST_PASSPHRASE
        app.screen.query_one("#username", Input).value = "ana"
        await pilot.press("enter")
        await settle(app, pilot, rounds=8)
        form = app.screen
        assert isinstance(form, MeetingFormScreen) and form.case_code == code
        assert form.query_one("#m-date", Input).value == "2026-03-14"
        assert form.query_one("#m-language", Input).value == "espagnol"
        assert form.query_one("#m-place", Input).value == "Drop-in centre, Halifax"
        assert "Recovered typing" in str(form.query_one("#m-recovered", Static).render())
        await pilot.press("ctrl+s")
        await settle(app, pilot, rounds=5)
        assert isinstance(app.screen, CaseFileScreen)
    with seeded.database.session() as s:
        saved = s.scalars(
            select(NarrativeMeeting).where(NarrativeMeeting.place == "Drop-in centre, Halifax")
        ).all()
        assert len(saved) == 1 and saved[0].language == "es" and saved[0].duration_minutes == 90
        assert s.scalars(select(FormDraft)).all() == []


async def _lock_and_unlock(app: TrpkitApp, pilot) -> None:  # type: ignore[no-untyped-def]
    from tests.conftest import TEST_PASSPHRASE
    from trpkit.tui.screens.unlock import UnlockScreen

    await pilot.press("ctrl+l")
    await settle(app, pilot)
    assert isinstance(app.screen, UnlockScreen)
    app.screen.query_one("#passphrase", Input).value = TEST_PASSPHRASE
    app.screen.query_one("#username", Input).value = "ana"
    await pilot.press("enter")
    await settle(app, pilot, rounds=8)


async def test_locking_keeps_the_new_case_form_typing_and_gives_it_back_when_the_form_is_reopened(
    seeded: Seeded,
) -> None:
    from trpkit.db.models import FormDraft, Person

    app = TrpkitApp(database=seeded.database, actor=seeded.actor)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("n")
        await settle(app, pilot)
        assert isinstance(app.screen, NewCaseScreen)
        await pilot.press(*"Rosa Quintero Fictiva", "tab", "tab", *"March 1990")
        app.screen.query_one("#sector", Select).value = "agriculture"
        await _lock_and_unlock(app, pilot)
        with seeded.database.session() as s:
            kept = s.scalars(select(FormDraft)).one()
            assert kept.case_id is None and kept.form == "new_case"
            assert kept.values["legal_name"] == "Rosa Quintero Fictiva"
        # back home (a dialog is not reopened on its own), told how to get the typing back
        assert isinstance(app.screen, DashboardScreen)
        assert any("new case form was kept" in n.message for n in app._notifications)
        await pilot.press("n")
        await settle(app, pilot)
        form = app.screen
        assert isinstance(form, NewCaseScreen) and form.recovered
        assert form.query_one("#legal_name", Input).value == "Rosa Quintero Fictiva"
        assert form.query_one("#birth_date_text", Input).value == "March 1990"
        assert form.query_one("#sector", Select).value == "agriculture"
        assert "from before the app locked" in str(form.query_one("#new-recovered", Static).render())
        await pilot.press("ctrl+s")
        await settle(app, pilot, rounds=6)
        assert isinstance(app.screen, CaseFileScreen)
    with seeded.database.session() as s:
        assert s.scalars(select(FormDraft)).all() == []
        assert s.scalars(select(Person).where(Person.legal_name == "Rosa Quintero Fictiva")).one()


async def test_a_kept_new_case_form_is_dropped_only_when_the_person_says_so(seeded: Seeded) -> None:
    from trpkit.db.models import FormDraft

    app = TrpkitApp(database=seeded.database, actor=seeded.actor)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        await pilot.press("n")
        await settle(app, pilot)
        await pilot.press(*"Amara Fictiva")
        await _lock_and_unlock(app, pilot)
        await pilot.press("n")
        await settle(app, pilot)
        assert app.screen.query_one("#legal_name", Input).value == "Amara Fictiva"
        await pilot.press("escape")  # asks: the kept typing is not thrown away on one key
        await settle(app, pilot)
        assert isinstance(app.screen, UnsavedScreen)
        await pilot.press("escape")  # stay
        await settle(app, pilot)
        assert isinstance(app.screen, NewCaseScreen)
        with seeded.database.session() as s:
            assert len(s.scalars(select(FormDraft)).all()) == 1
        await pilot.press("escape", "d")
        await settle(app, pilot)
        assert isinstance(app.screen, DashboardScreen)
    with seeded.database.session() as s:
        assert s.scalars(select(FormDraft)).all() == []


async def test_a_missing_consent_is_explained_in_the_apps_words_not_the_command_lines(seeded: Seeded) -> None:
    from trpkit.services.cases import create_case
    from trpkit.tui.tabs.narrative_meeting_form import MeetingFormScreen

    with seeded.database.session() as s:
        code = create_case(s, seeded.actor, person={"legal_name": "Nadia Fictiva"}).code
    app = TrpkitApp(database=seeded.database, actor=seeded.actor)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await app.open_case(code)
        await settle(app, pilot)
        await pilot.press("f4", "a")
        await settle(app, pilot)
        assert isinstance(app.screen, MeetingFormScreen)
        await pilot.press(*"2026-10-02", "ctrl+s")
        await settle(app, pilot)
        said = str(app.screen.query_one("#m-error", Static).render())
    assert "Consent tab" in said and "trpkit consent" not in said and "--purpose" not in said


async def test_the_person_form_shows_no_value_until_the_case_has_loaded(seeded: Seeded, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """A select shows its first choice until the case's own value arrives: the form stays hidden till then."""
    from textual.containers import Grid

    from trpkit.tui.tabs.overview import OverviewTab

    real_load = OverviewTab._load
    monkeypatch.setattr(OverviewTab, "_load", lambda self: None)  # the case's values never arrive
    app = TrpkitApp(database=seeded.database, actor=seeded.actor)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        await app.open_case(first_code(seeded))
        await settle(app, pilot)
        form = app.screen.query_one("#person-form", Grid)
        assert form.styles.visibility == "hidden"
        tab = app.screen.query_one(OverviewTab)
        monkeypatch.setattr(OverviewTab, "_load", real_load)
        tab.reload()
        await settle(app, pilot)
        assert form.styles.visibility == "visible"
        with seeded.database.session() as s:
            sector = s.scalars(select(Case.exploitation_sector).where(Case.code == first_code(seeded))).one()
        assert app.screen.query_one("#f-exploitation_sector", Select).value == sector
