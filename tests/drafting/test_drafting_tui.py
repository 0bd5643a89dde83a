"""Pilot test of the Draft tab: readiness list, checklist, generating in a worker, where the file went."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from textual.widgets import Checkbox, DataTable, Input, Select, Static

from tests.drafting.helpers_drafting import all_text
from trpkit.db.database import Database, open_target
from trpkit.db.engine import Target
from trpkit.services.actor import Actor


@pytest.fixture
def tui_db(tmp_path: Path, _template_vault) -> Iterator[tuple[Database, Actor, str]]:  # type: ignore[no-untyped-def]
    from textual.widgets import Input as _Input

    from trpkit.services.cases import create_case
    from trpkit.services.consent import record_consent
    from trpkit.services.users import actor_for, create_user

    template, key = _template_vault
    path = tmp_path / "tui.trpvault"
    shutil.copy(template, path)
    database = open_target(Target(vault_path=path), key=key)
    with database.session() as s:
        create_user(s, "ana", role="supervisor")
        actor = actor_for(s, "ana")
        code = create_case(s, actor, person={"legal_name": "Marisol Brennvik"}).code
        record_consent(s, actor, code, purpose="prepare_file", decision="given", method="written")
    _Input._toggle_cursor = lambda self: None  # type: ignore[method-assign]  # no blinking cursor
    yield database, actor, code
    database.close()


async def settle(app, pilot) -> None:  # type: ignore[no-untyped-def]
    for _ in range(4):
        await pilot.pause()
        await app.workers.wait_for_complete()
    await pilot.pause()


def rows(table: DataTable) -> list[list[str]]:  # type: ignore[type-arg]
    return [[str(c) for c in table.get_row_at(i)] for i in range(table.row_count)]


def _draftable(database: Database, actor: Actor, code: str) -> None:
    """What a letter's mandatory sections need: a chronology, an account, an argued indicator, notes."""
    from datetime import date

    from trpkit.services.drafting_notes import update_notes
    from trpkit.services.evidence import add_evidence
    from trpkit.services.indicators import link_indicator
    from trpkit.services.narrative import add_entry
    from trpkit.services.narrative_meetings import add_meeting
    from trpkit.services.timeline import add_event

    with database.session() as s:
        meeting = add_meeting(s, actor, code, held_on=date(2026, 2, 10), language="en")
        add_entry(s, actor, code, meeting.id, "Marisol worked fourteen hours a day.", kind="summary")
        add_event(s, actor, code, event_type="arrival_canada", date_text="June 2019", title="Arrival")
        add_evidence(s, actor, code, type="document", description="Notice about passports", date_text="2019")
        link_indicator(s, actor, code, "AL-5.01", exhibit=1)
        update_notes(s, actor, code, safety="She moved shelters twice.")


async def _fill_settings(app, pilot) -> None:  # type: ignore[no-untyped-def]
    from textual.widgets import TextArea

    screen = app.screen
    assert "Missing:" in str(screen.query_one("#org-status", Static).render())
    for field, value in (
        ("#org-name", "Maison Passerelle (fictional)"),
        ("#org-contact", "514-555-0100"),
        ("#org-representative", "Dana Quillfeather"),
        ("#org-representative-title", "Accompanier"),
    ):
        screen.query_one(field, Input).value = value
    screen.query_one("#org-address", TextArea).load_text("1200 rue Exemple\nMontréal QC")
    await pilot.press("ctrl+s")
    await settle(app, pilot)


async def test_draft_tab_blocks_then_generates(tui_db, tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from trpkit.services.consent import record_consent
    from trpkit.services.drafting_notes import get_notes
    from trpkit.services.organisation import current
    from trpkit.tui.app import TrpkitApp

    monkeypatch.setenv("XDG_DOCUMENTS_DIR", str(tmp_path / "Documents"))
    monkeypatch.setattr("trpkit.documents.opener.default_opener", lambda: None)
    database, actor, code = tui_db
    app = TrpkitApp(database=database, actor=actor)
    async with app.run_test(size=(140, 50)) as pilot:
        await settle(app, pilot)
        await app.open_case(code, tab="draft")
        await settle(app, pilot)
        tab = app.screen.query_one("#draft-tab")
        readiness = rows(tab.query_one("#draft-readiness", DataTable))
        assert any("BLOCKER" in r[0] and "No consent to submit to IRCC" in r[1] for r in readiness)
        assert any("BLOCKER" in r[0] and "organisation's name" in r[1] for r in readiness)
        assert "Not ready" in str(tab.query_one("#draft-summary", Static).render())
        checklist = rows(tab.query_one("#draft-checklist", DataTable))
        assert any(
            r[4].startswith("Identity document") and r[1] == "yes" and r[0] == "!! missing" for r in checklist
        )
        assert "Fix:" in str(tab.query_one("#draft-fix", Static).render())
        # A file name is suggested in the documents folder (which does not exist yet)
        suggested = Path(tab.query_one("#draft-output", Input).value)
        assert suggested.parent == tmp_path / "Documents" / "trpkit drafts"
        assert suggested.name.startswith(f"{code}-trp-initial-en-") and suggested.suffix == ".docx"
        # Generating without consent: refused, nothing written.
        tab.query_one("#draft-generate").press()
        await settle(app, pilot)
        assert "Not drafted" in str(tab.query_one("#draft-message", Static).render())
        assert not suggested.parent.exists()
        # The organisation is set up from the tab; readiness no longer names it.
        tab.query_one("#draft-org").press()
        await settle(app, pilot)
        await _fill_settings(app, pilot)
        assert current().representative == "Dana Quillfeather"
        tab = app.screen.query_one("#draft-tab")
        assert not any("organisation" in r[1] for r in rows(tab.query_one("#draft-readiness", DataTable)))
        _draftable(database, actor, code)
        # A redacted copy, in French, is allowed without consent to submit; the folder is created.
        tab.query_one("#draft-lang", Select).value = "fr"
        tab.query_one("#draft-redacted", Checkbox).value = True
        await settle(app, pilot)
        out = Path(tab.query_one("#draft-output", Input).value)
        assert "-fr-" in out.name
        tab.query_one("#draft-generate").press()
        await settle(app, pilot)
        message = str(tab.query_one("#draft-message", Static).render())
        assert "Wrote" in message and str(out) in message, message
        text = all_text(out)
        assert "PROTÉGÉ B" in text and "Marisol" not in text
        history = rows(tab.query_one("#draft-history", DataTable))
        assert history[0][1:5] == ["trp-initial", "fr", "yes", out.name]
        # Open: here no program opens documents, and the tab says so plainly
        tab.query_one("#draft-open").press()
        await settle(app, pilot)
        assert "No program to open documents" in str(tab.query_one("#draft-message", Static).render())
        # The language is remembered for this case
        with database.session() as s:
            assert get_notes(s, actor, code).letter_language == "fr"
        # Consent given elsewhere; checking again clears the consent blocker.
        with database.session() as s:
            record_consent(s, actor, code, purpose="submit_to_ircc", decision="given", method="written")
        tab.query_one("#draft-redacted", Checkbox).value = False
        await settle(app, pilot)
        left = rows(tab.query_one("#draft-readiness", DataTable))
        assert not any("consent to submit" in r[1].lower() for r in left), left
        # Another template: the subsequent request needs a granted permit first.
        tab.query_one("#draft-template", Select).value = "trp-subsequent"
        await settle(app, pilot)
        assert "trp-subsequent (fr)" in str(tab.query_one("#draft-summary", Static).render())
        assert any("No granted TRP" in r[1] for r in rows(tab.query_one("#draft-readiness", DataTable)))
    # Opened again later, the tab is in French from the start.
    app = TrpkitApp(database=database, actor=actor)
    async with app.run_test(size=(140, 50)) as pilot:
        await settle(app, pilot)
        await app.open_case(code, tab="draft")
        await settle(app, pilot)
        tab = app.screen.query_one("#draft-tab")
        assert tab.query_one("#draft-lang", Select).value == "fr"
        assert "trp-initial (fr)" in str(tab.query_one("#draft-summary", Static).render())


async def test_settings_screen_from_home_asks_before_discarding(tui_db) -> None:  # type: ignore[no-untyped-def]
    from trpkit.tui.app import TrpkitApp
    from trpkit.tui.screens.settings import SettingsScreen

    database, actor, _code = tui_db
    app = TrpkitApp(database=database, actor=actor)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("o")
        await settle(app, pilot)
        assert isinstance(app.screen, SettingsScreen)
        app.screen.query_one("#org-name", Input).value = "Typed, not saved"
        await pilot.press("escape")
        await settle(app, pilot)
        assert "without saving" in str(app.screen.query_one("#question", Static).render())
        await pilot.press("escape")  # "Stay"
        await settle(app, pilot)
        assert isinstance(app.screen, SettingsScreen)
        assert app.screen.query_one("#org-name", Input).value == "Typed, not saved"


async def test_notes_are_written_in_the_tab_and_kept_across_sections(tui_db) -> None:  # type: ignore[no-untyped-def]
    from trpkit.services.drafting_notes import get_notes, update_notes
    from trpkit.tui.app import TrpkitApp

    database, actor, code = tui_db
    app = TrpkitApp(database=database, actor=actor)
    async with app.run_test(size=(140, 50)) as pilot:
        await settle(app, pilot)
        await app.open_case(code, tab="draft")
        await settle(app, pilot)
        tab = app.screen.query_one("#draft-tab")
        area = tab.query_one("#draft-notes-text")
        area.load_text("Speaks little English.\n\nNo family in Canada.")
        tab.query_one("#draft-notes-section", Select).value = "risks_on_return"
        await settle(app, pilot)
        assert area.text == ""
        area.load_text("The recruiter lives in her town.")
        await pilot.press("ctrl+s")  # the case file's save key reaches this tab
        await settle(app, pilot)
        assert "Saved (version 1)" in str(tab.query_one("#draft-notes-status", Static).render())
        with database.session() as s:
            notes = get_notes(s, actor, code)
        assert notes.values["vulnerabilities"] == "Speaks little English.\n\nNo family in Canada."
        assert notes.values["risks_on_return"] == "The recruiter lives in her town."
        readiness = rows(tab.query_one("#draft-readiness", DataTable))
        assert not any("'risks on return' is empty" in r[1] for r in readiness)
        # Someone else saves meanwhile: this save is refused and the typed text stays.
        with database.session() as s:
            update_notes(s, actor, code, safety="Changed elsewhere.")
        area.load_text("My newer words.")
        tab.query_one("#draft-notes-save").press()
        await settle(app, pilot)
        assert "Not saved" in str(tab.query_one("#draft-notes-status", Static).render())
        assert area.text == "My newer words."
