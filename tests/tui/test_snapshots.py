"""SVG snapshots of screens whose content does not depend on today's date.

Update only after reading snapshot_report.html: pytest tests/tui/test_snapshots.py --snapshot-update
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.pilot import settle
from trpkit.config import Settings
from trpkit.db.engine import Target
from trpkit.tui.app import TrpkitApp

pytestmark = pytest.mark.snapshot


class TestUnlockScreen:
    """The first thing a person sees: no case data, a plain prompt, the demo hint when it is the demo."""

    def test_demo_unlock(self, snap_compare) -> None:  # type: ignore[no-untyped-def]
        app = TrpkitApp(
            Settings(target=Target(vault_path=Path("/home/accompanier/demo.trpvault"))), demo=True
        )
        assert snap_compare(app, terminal_size=(100, 30))

    def test_server_sign_in(self, snap_compare) -> None:  # type: ignore[no-untyped-def]
        app = TrpkitApp(
            Settings(
                target=Target(url="postgresql+psycopg://trpkit:secret@db.example.org/trpkit"), username="ana"
            )
        )
        assert snap_compare(app, terminal_size=(100, 30))


def _first_code(seeded) -> str:  # type: ignore[no-untyped-def]
    from sqlalchemy import select

    from trpkit.db.models import Case

    with seeded.database.session() as s:
        return str(s.scalars(select(Case.code).order_by(Case.code)).first())


async def _person_tab_loaded(app, pilot) -> None:  # type: ignore[no-untyped-def]
    """Until the Person tab holds the case (its form and dependants drawn), then a settled repaint: the
    picture must not depend on how fast the loading thread ran (a busy CI machine drew it half-loaded)."""
    from trpkit.tui.tabs.overview import OverviewTab

    for _ in range(200):
        tabs = app.screen.query(OverviewTab)
        if tabs and tabs.first().detail is not None:
            break
        await pilot.pause(0.05)
    await settle(app, pilot)
    await _steady_scroll(app, pilot)
    await settle(app, pilot)


async def _steady_scroll(app, pilot) -> None:  # type: ignore[no-untyped-def]
    """Until every scroll area knows its full height and shows its scrollbar the same way for three looks
    in a row (Textual lays a scrollbar out a frame after the content that needs it)."""
    stable, last = 0, None
    for _ in range(100):
        await pilot.pause(0.05)
        now = tuple(
            (w.virtual_size.height, w.show_vertical_scrollbar, w.scroll_y)
            for w in app.screen.query("*")
            if w.is_scrollable
        )
        stable, last = (stable + 1, now) if now == last else (0, now)
        if stable >= 3:
            break


class TestFormsAndKeys:
    """The new-case form with its pickers, the question before discarding, the Person tab and the
    Narrative tab's meeting form, and F1 over a case file (keys of that screen first)."""

    def test_new_case_form_80x24(self, snap_compare, seeded) -> None:  # type: ignore[no-untyped-def]
        app = TrpkitApp(database=seeded.database, actor=seeded.actor)

        async def run_before(pilot) -> None:  # type: ignore[no-untyped-def]
            await pilot.press("n")
            await settle(app, pilot)
            await pilot.press(*"Ana Ficticia", "tab", "tab", "tab", *"Mexique", "tab", *"espagnol")
            await pilot.pause()

        assert snap_compare(app, terminal_size=(80, 24), run_before=run_before)

    def test_new_case_form_given_back_after_a_lock_80x24(self, snap_compare, seeded) -> None:  # type: ignore[no-untyped-def]
        from trpkit.services.form_drafts import save_new_case_draft

        with seeded.database.session() as s:  # what locking kept from an unfinished form
            save_new_case_draft(s, seeded.actor, {"legal_name": "Ana Ficticia", "nationality": "Mexique"})
        app = TrpkitApp(database=seeded.database, actor=seeded.actor)

        async def run_before(pilot) -> None:  # type: ignore[no-untyped-def]
            await pilot.press("n")
            await settle(app, pilot)

        assert snap_compare(app, terminal_size=(80, 24), run_before=run_before)

    def test_unsaved_question_80x24(self, snap_compare, seeded) -> None:  # type: ignore[no-untyped-def]
        app = TrpkitApp(database=seeded.database, actor=seeded.actor)

        async def run_before(pilot) -> None:  # type: ignore[no-untyped-def]
            await pilot.press("n")
            await settle(app, pilot)
            await pilot.press(*"Ana", "escape")
            await settle(app, pilot)

        assert snap_compare(app, terminal_size=(80, 24), run_before=run_before)

    def test_person_tab_80x24(self, snap_compare, seeded) -> None:  # type: ignore[no-untyped-def]
        app = TrpkitApp(database=seeded.database, actor=seeded.actor)
        code = _first_code(seeded)

        async def run_before(pilot) -> None:  # type: ignore[no-untyped-def]
            await app.open_case(code)
            await _person_tab_loaded(app, pilot)

        assert snap_compare(app, terminal_size=(80, 24), run_before=run_before)

    def test_narrative_meetings_160x45(self, snap_compare, seeded) -> None:  # type: ignore[no-untyped-def]
        app = TrpkitApp(database=seeded.database, actor=seeded.actor)
        code = _first_code(seeded)

        async def run_before(pilot) -> None:  # type: ignore[no-untyped-def]
            await app.open_case(code, tab="narrative")
            await settle(app, pilot)
            await _steady_scroll(app, pilot)
            await settle(app, pilot)

        assert snap_compare(app, terminal_size=(160, 45), run_before=run_before)

    def test_help_over_a_case_file_80x24(self, snap_compare, seeded) -> None:  # type: ignore[no-untyped-def]
        app = TrpkitApp(database=seeded.database, actor=seeded.actor)
        code = _first_code(seeded)

        async def run_before(pilot) -> None:  # type: ignore[no-untyped-def]
            await app.open_case(code)
            await _person_tab_loaded(app, pilot)
            await pilot.press("f1")
            await settle(app, pilot)

        assert snap_compare(app, terminal_size=(80, 24), run_before=run_before)


# ------------------------------------------------------------------------------------------------------
# Case tabs and screens at the smallest supported terminal (80x24) and a large one (200x50), over one
# fictional case whose every date is fixed (its code's year too), so the pictures do not age.

SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((200, 50), id="200x50")]


@pytest.fixture
def story(tmp_path: Path, _template_vault):  # type: ignore[no-untyped-def]
    import shutil
    from datetime import date

    from trpkit.db.database import open_target
    from trpkit.services import evidence as ev
    from trpkit.services import indicators as ind
    from trpkit.services import narrative as nv
    from trpkit.services import narrative_meetings
    from trpkit.services import timeline as tl
    from trpkit.services.applications import create_application
    from trpkit.services.cases import create_case
    from trpkit.services.consent import record_consent
    from trpkit.services.users import actor_for, create_user

    template, key = _template_vault
    path = tmp_path / "snap.trpvault"
    shutil.copy(template, path)
    database = open_target(Target(vault_path=path), key=key)
    with database.session() as s:
        create_user(s, "ana", role="supervisor")
        actor = actor_for(s, "ana")
        code = create_case(
            s, actor, person={"legal_name": "Fictional Person"}, exploitation_sector="agriculture", year=2026
        ).code
        for purpose in ("prepare_file", "submit_to_ircc"):
            record_consent(s, actor, code, purpose=purpose, decision="given", method="written")
        ev.add_evidence(
            s, actor, code, type="pay_record", description="Pay stubs (fictional)", date_text="2024"
        )
        ev.add_evidence(
            s, actor, code, type="contract", description="Contract (fictional)", date_text="May 2023"
        )
        for indicator in ("AL-1.01", "AL-2.05", "AL-4.01", "AL-5.01"):
            ind.link_indicator(s, actor, code, indicator, exhibit=1)
        meeting = narrative_meetings.add_meeting(s, actor, code, held_on=date(2025, 6, 15), language="es")
        entry = nv.add_entry(
            s,
            actor,
            code,
            meeting.id,
            'Me quitaron los pasaportes "para guardarlos", dijo el jefe.',
            translation="They took our passports 'to keep them safe', the boss said.",
        )
        tl.add_event(s, actor, code, event_type="recruitment", date_text="winter 2019", entry_ids=[entry.id])
        tl.add_event(s, actor, code, event_type="arrival_canada", date_text="May 2020")
        create_application(
            s, actor, code, type="initial_trp", submitted_on=date(2025, 9, 1), today=date(2025, 9, 1)
        )
    yield database, actor, code
    database.close()


def _app(story):  # type: ignore[no-untyped-def]
    database, actor, _code = story
    return TrpkitApp(database=database, actor=actor)


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("tab", ["indicators", "evidence", "timeline", "applications"])
def test_case_tab(snap_compare, story, tab: str, size: tuple[int, int]) -> None:  # type: ignore[no-untyped-def]
    from tests.pilot import settle

    app = _app(story)

    async def open_tab(pilot) -> None:  # type: ignore[no-untyped-def]
        await settle(app, pilot)
        await app.open_case(story[2], tab=tab)
        await settle(app, pilot)
        app.screen.action_show_tab(tab)  # type: ignore[attr-defined]
        await settle(app, pilot)

    assert snap_compare(app, terminal_size=size, run_before=open_tab)


@pytest.mark.parametrize("size", SIZES)
def test_narrative_search(snap_compare, story, size: tuple[int, int]) -> None:  # type: ignore[no-untyped-def]
    from tests.pilot import settle
    from trpkit.tui.screens.narrative_search import NarrativeSearchScreen

    app = _app(story)

    async def search(pilot) -> None:  # type: ignore[no-untyped-def]
        await settle(app, pilot)
        app.push_screen(NarrativeSearchScreen())
        await settle(app, pilot)
        await pilot.press(*"pasaporte", "enter")
        await settle(app, pilot)

    assert snap_compare(app, terminal_size=size, run_before=search)


@pytest.mark.parametrize("size", SIZES)
def test_coalition_screen(snap_compare, story, size: tuple[int, int]) -> None:  # type: ignore[no-untyped-def]
    from tests.pilot import settle
    from trpkit.tui.screens.coalition import CoalitionScreen

    app = _app(story)

    async def open_screen(pilot) -> None:  # type: ignore[no-untyped-def]
        await settle(app, pilot)
        app.push_screen(CoalitionScreen())
        await settle(app, pilot)

    assert snap_compare(app, terminal_size=size, run_before=open_screen)


@pytest.mark.parametrize("size", SIZES)
def test_coalition_analysis(snap_compare, vault_db, size: tuple[int, int]) -> None:  # type: ignore[no-untyped-def]
    from tests.coalition.test_coalition_tui import _store
    from tests.pilot import settle
    from trpkit.tui.screens.coalition_analysis import AnalyticsScreen

    app = TrpkitApp(database=vault_db, actor=_store(vault_db))

    async def open_screen(pilot) -> None:  # type: ignore[no-untyped-def]
        await settle(app, pilot)
        app.push_screen(AnalyticsScreen())
        await settle(app, pilot)

    assert snap_compare(app, terminal_size=size, run_before=open_screen)
