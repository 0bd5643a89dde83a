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


async def test_draft_tab_blocks_then_generates(tui_db, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from trpkit.services.consent import record_consent
    from trpkit.tui.app import TrpkitApp

    database, actor, code = tui_db
    app = TrpkitApp(database=database, actor=actor)
    out = tmp_path / "chosen" / "letter.docx"
    out.parent.mkdir()
    async with app.run_test(size=(140, 50)) as pilot:
        await settle(app, pilot)
        await app.open_case(code, tab="draft")
        await settle(app, pilot)
        tab = app.screen.query_one("#draft-tab")
        readiness = rows(tab.query_one("#draft-readiness", DataTable))
        assert any("BLOCKER" in r[0] and "No consent to submit to IRCC" in r[1] for r in readiness)
        assert "Not ready" in str(tab.query_one("#draft-summary", Static).render())
        checklist = rows(tab.query_one("#draft-checklist", DataTable))
        assert any(
            r[4].startswith("Identity document") and r[1] == "yes" and r[0] == "!! missing" for r in checklist
        )
        assert "Fix:" in str(tab.query_one("#draft-fix", Static).render())
        # Generating without consent: refused, nothing written.
        tab.query_one("#draft-output", Input).value = str(out)
        tab.query_one("#draft-generate").press()
        await settle(app, pilot)
        assert "Not drafted" in str(tab.query_one("#draft-message", Static).render())
        assert not out.exists()
        # A redacted copy, in French, is allowed without consent to submit.
        tab.query_one("#draft-lang", Select).value = "fr"
        tab.query_one("#draft-redacted", Checkbox).value = True
        await settle(app, pilot)
        tab.query_one("#draft-generate").press()
        await settle(app, pilot)
        message = str(tab.query_one("#draft-message", Static).render())
        assert "Wrote" in message and str(out) in message
        text = all_text(out)
        assert "PROTÉGÉ B" in text and "Marisol" not in text
        history = rows(tab.query_one("#draft-history", DataTable))
        assert history[0][1:5] == ["trp-initial", "fr", "yes", "letter.docx"]
        # Consent given elsewhere; checking again clears the blocker.
        with database.session() as s:
            record_consent(s, actor, code, purpose="submit_to_ircc", decision="given", method="written")
        tab.query_one("#draft-redacted", Checkbox).value = False
        await settle(app, pilot)
        assert not any("BLOCKER" in r[0] for r in rows(tab.query_one("#draft-readiness", DataTable)))
        # Another template: the subsequent request needs a granted permit first.
        tab.query_one("#draft-template", Select).value = "trp-subsequent"
        await settle(app, pilot)
        assert "trp-subsequent (fr)" in str(tab.query_one("#draft-summary", Static).render())
        assert any("No granted TRP" in r[1] for r in rows(tab.query_one("#draft-readiness", DataTable)))


async def test_notes_are_written_in_the_tab_and_kept_across_sections(tui_db) -> None:  # type: ignore[no-untyped-def]
    from trpkit.services.drafting import get_notes, update_notes
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
