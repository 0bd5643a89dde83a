"""Pilot tests: the Evidence tab's form — add with date words, edit, link narrative entries, attach and
remove files, delete and renumber after asking, and never overwrite someone else's change."""

from __future__ import annotations

import hashlib
from datetime import date
from pathlib import Path

from textual.widgets import Button, DataTable, Input, Select, SelectionList, Static

from trpkit.db.database import Database
from trpkit.services import evidence as ev
from trpkit.services import evidence_files
from trpkit.services.actor import Actor
from trpkit.tui.app import TrpkitApp


async def settle(app: TrpkitApp, pilot) -> None:  # type: ignore[no-untyped-def]
    """Let workers finish and the messages they post be handled (a load posts, its handler starts more)."""
    for _ in range(3):
        await app.workers.wait_for_complete()
        await pilot.pause()


def _case(db: Database, consents: tuple[str, ...] = ("prepare_file",)) -> tuple[Actor, str, list[int]]:
    from trpkit.services.cases import create_case
    from trpkit.services.consent import record_consent
    from trpkit.services.narrative import add_entry
    from trpkit.services.narrative_meetings import add_meeting
    from trpkit.services.users import actor_for, create_user

    with db.session() as s:
        create_user(s, "ana", role="supervisor")
        actor = actor_for(s, "ana")
        code = create_case(
            s, actor, person={"legal_name": "Test Fictional"}, exploitation_sector="agriculture"
        ).code
        record_consent(s, actor, code, purpose="prepare_file", decision="given", method="written")
        meeting = add_meeting(s, actor, code, held_on=date(2026, 3, 2))
        entries = [
            add_entry(s, actor, code, meeting.id, text).id
            for text in (
                "They kept my passport in the office safe.",
                "I worked from five in the morning until dark.",
            )
        ]
        ev.add_evidence(
            s, actor, code, type="pay_record", description="Pay stubs (fictional)", date_text="2024"
        )
        if "prepare_file" not in consents:
            record_consent(s, actor, code, purpose="prepare_file", decision="withdrawn", method="verbal")
    return actor, code, entries


def _cells(table: DataTable, key: str) -> list[str]:  # type: ignore[type-arg]
    return [str(c) for c in table.get_row(key)]


def _text(tab, selector: str) -> str:  # type: ignore[no-untyped-def]
    return str(tab.query_one(selector, Static).render())


def _rows(db: Database, actor: Actor, code: str) -> list[ev.EvidenceRow]:
    with db.session() as s:
        return ev.list_evidence(s, actor, code)


async def _open(app: TrpkitApp, pilot, code: str):  # type: ignore[no-untyped-def]
    await app.open_case(code, tab="evidence")
    await settle(app, pilot)
    return app.screen.query_one("#evidence-tab")


async def test_add_with_date_words_edit_and_link_entries(vault_db: Database) -> None:
    actor, code, entries = _case(vault_db)
    app = TrpkitApp(database=vault_db, actor=actor)
    async with app.run_test(size=(160, 50)) as pilot:
        tab = await _open(app, pilot, code)
        table = tab.query_one("#ev-table", DataTable)
        assert table.row_count == 1
        # The form shows the exhibit under the cursor.
        assert tab.query_one("#ev-description", Input).value == "Pay stubs (fictional)"
        assert "Exhibit 1 (version 1)" in _text(tab, "#ev-heading")

        # ctrl+n: a new exhibit, typed like a person would, with a fuzzy date.
        await pilot.press("tab")  # from the tab bar into the exhibits
        assert table.has_focus
        await pilot.press("ctrl+n")
        await settle(app, pilot)
        assert "New exhibit — it will be number 2" in _text(tab, "#ev-heading")
        assert tab.query_one("#ev-description", Input).value == ""
        tab.query_one("#ev-type", Select).value = "account"
        tab.query_one("#ev-description", Input).value = "Her account of the farm (fictional)"
        tab.query_one("#ev-date", Input).focus()
        await pilot.press(*"spring 2019")
        await settle(app, pilot)
        meaning = _text(tab, "#ev-date-meaning")
        assert "Understood as spring 2019" in meaning and "between 1 March 2019 and 31 May 2019" in meaning
        assert "unsaved changes" in _text(tab, "#ev-heading")
        choices = tab.query_one("#ev-entries", SelectionList)
        assert not choices.disabled and choices.option_count == 2
        assert "They kept my passport" in str(choices.get_option_at_index(0).prompt)
        choices.select(entries[0])
        await pilot.press("ctrl+s")  # the case file's ctrl+s saves in the tab on show
        await settle(app, pilot)
        assert "Added as exhibit 2" in _text(tab, "#ev-message")
        assert table.row_count == 2 and _cells(table, "2")[1] == "the person's account"
        assert _cells(table, "2")[6] == str(entries[0])
        stored = _rows(vault_db, actor, code)[1]
        assert stored.date is not None and stored.date.earliest == date(2019, 3, 1)
        assert stored.date.latest == date(2019, 5, 31) and stored.narrative_entry_ids == (entries[0],)
        assert "Exhibit 2 (version 1)" in _text(tab, "#ev-heading")

        # Edit it: new description and source, link the second entry too; one new version.
        tab.query_one("#ev-description", Input).value = "Her account of the farm, two passages (fictional)"
        tab.query_one("#ev-source", Input).value = "the person"
        choices.select(entries[1])
        tab.query_one("#ev-save", Button).press()
        await settle(app, pilot)
        assert "Exhibit 2 saved (version 2)" in _text(tab, "#ev-message")
        stored = _rows(vault_db, actor, code)[1]
        assert stored.description.endswith("two passages (fictional)") and stored.source == "the person"
        assert stored.narrative_entry_ids == tuple(sorted(entries)) and stored.version == 2
        assert "unsaved" not in _text(tab, "#ev-heading")

        # Arrow keys in the table bring the other exhibit into the form; its type takes no entries.
        table.focus()
        await pilot.press("up")
        await settle(app, pilot)
        assert tab.query_one("#ev-description", Input).value == "Pay stubs (fictional)"
        assert tab.query_one("#ev-entries", SelectionList).disabled
        # Words that are not a date: asked before keeping them as written.
        tab.query_one("#ev-date", Input).value = "the week the boss left"
        await settle(app, pilot)
        assert "Not understood as a date" in _text(tab, "#ev-date-meaning")
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert "not understood as a date" in str(app.screen.query_one("#question", Static).render())
        await pilot.click("#no")
        await settle(app, pilot)
        assert "correct the date words" in _text(tab, "#ev-message")
        assert _rows(vault_db, actor, code)[0].date.original == "2024"  # type: ignore[union-attr]
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        await pilot.click("#yes")
        await settle(app, pilot)
        assert "kept as written" in _text(tab, "#ev-message")
        stored_date = _rows(vault_db, actor, code)[0].date
        assert stored_date is not None and stored_date.original == "the week the boss left"
        assert not stored_date.is_parsed and _cells(table, "1")[2].endswith("(?)")


async def test_attach_a_real_file_then_remove_it_after_asking(vault_db: Database, tmp_path: Path) -> None:
    actor, code, _ = _case(vault_db)
    folder = tmp_path / "my documents"
    folder.mkdir()
    letter = folder / "letter of support.txt"
    data = b"A fictional letter of support.\n" * 50
    letter.write_bytes(data)
    (folder / "empty.txt").write_bytes(b"")
    app = TrpkitApp(database=vault_db, actor=actor)
    async with app.run_test(size=(120, 40)) as pilot:
        tab = await _open(app, pilot, code)
        path = tab.query_one("#ev-path", Input)
        # Mistakes get plain words, never a crash.
        for typed, expected in (
            (str(folder / "nope.pdf"), "There is no file at"),
            (str(folder), "is a folder"),
            (str(folder / "empty.txt"), "is empty"),
            ("", "Type the full path"),
        ):
            path.value = typed
            tab.query_one("#ev-attach", Button).press()
            await settle(app, pilot)
            assert expected in _text(tab, "#ev-message"), typed
        # A path pasted with quotes (as terminals do when a file is dropped on them), then enter.
        path.focus()
        path.value = f"'{letter}'"
        await pilot.press("enter")
        await settle(app, pilot)
        sha = hashlib.sha256(data).hexdigest()
        message = _text(tab, "#ev-message")
        assert "Attached “letter of support.txt” to exhibit 1" in message and sha in message
        assert "1.5 KB" in message and path.value == ""
        files = tab.query_one("#ev-files", DataTable)
        assert files.row_count == 1
        row = [str(c) for c in files.get_row_at(0)]
        assert row[0] == "letter of support.txt" and row[2] == sha[:16] + "…"
        assert "letter of support.txt" in _cells(tab.query_one("#ev-table", DataTable), "1")[5]
        stored = _rows(vault_db, actor, code)[0].attachments
        with (
            vault_db.session() as s
        ):  # read back through the service: the bytes and the recorded SHA-256 agree
            info, back = evidence_files.attachment_bytes(s, actor, code, stored[0].id)
        assert back == data and info.sha256 == sha and info.size == len(data)

        # Remove it: the delete key in the files list asks first; "Keep" keeps it.
        files.focus()
        await pilot.press("delete")
        await settle(app, pilot)
        assert "Remove the file “letter of support.txt”" in str(
            app.screen.query_one("#question", Static).render()
        )
        await pilot.press("escape")
        await settle(app, pilot)
        assert len(_rows(vault_db, actor, code)[0].attachments) == 1
        tab.query_one("#ev-detach", Button).press()
        await settle(app, pilot)
        await pilot.click("#yes")
        await settle(app, pilot)
        assert "removed from exhibit 1" in _text(tab, "#ev-message")
        assert _rows(vault_db, actor, code)[0].attachments == () and files.row_count == 0

        # Browse…: a folder tree starting where the typed path points; enter on a file attaches it.
        (folder / "empty.txt").unlink()
        path.value = str(folder)
        tab.query_one("#ev-browse", Button).press()
        from textual.widgets import DirectoryTree

        from trpkit.tui.screens.file_picker import FilePickerScreen

        for _ in range(100):  # the tree reads folders in a worker that lives as long as the tree
            await pilot.pause()
            if isinstance(app.screen, FilePickerScreen) and app.screen.query_one(DirectoryTree).root.children:
                break
        tree = app.screen.query_one(DirectoryTree)
        assert [str(n.label) for n in tree.root.children] == ["letter of support.txt"]
        await pilot.press("down", "enter")
        for _ in range(20):
            await pilot.pause()
            if not isinstance(app.screen, FilePickerScreen):
                break
        await settle(app, pilot)
        assert not isinstance(app.screen, FilePickerScreen)
        assert "Attached “letter of support.txt” to exhibit 1" in _text(tab, "#ev-message")
        assert [a.sha256 for a in _rows(vault_db, actor, code)[0].attachments] == [sha]


async def test_delete_and_renumber_after_asking(vault_db: Database) -> None:
    actor, code, _ = _case(vault_db)
    with vault_db.session() as s:
        ev.add_evidence(s, actor, code, type="contract", description="Contract (fictional)", date_text="2019")
        ev.add_evidence(
            s, actor, code, type="document", description="Work permit (fictional)", date_text="2017"
        )
        evidence_files.attach_file(s, actor, code, 1, "stubs.pdf", b"%PDF fictional")
    app = TrpkitApp(database=vault_db, actor=actor)
    async with app.run_test(size=(120, 40)) as pilot:
        tab = await _open(app, pilot, code)
        table = tab.query_one("#ev-table", DataTable)
        table.focus()
        await pilot.press("delete")
        await settle(app, pilot)
        question = str(app.screen.query_one("#question", Static).render())
        assert "Delete exhibit 1 (“Pay stubs (fictional)”)" in question and "1 file(s)" in question
        await pilot.click("#no")
        await settle(app, pilot)
        assert len(_rows(vault_db, actor, code)) == 3
        await pilot.press("delete")
        await settle(app, pilot)
        await pilot.click("#yes")
        await settle(app, pilot)
        assert "Exhibit 1 deleted" in _text(tab, "#ev-message")
        assert [r.exhibit_number for r in _rows(vault_db, actor, code)] == [2, 3]
        assert table.row_count == 2
        assert (
            tab.query_one("#ev-description", Input).value == "Contract (fictional)"
        )  # the next one is shown

        tab.query_one("#ev-renumber", Button).press()
        await settle(app, pilot)
        assert "in date order" in str(app.screen.query_one("#question", Static).render())
        await pilot.click("#yes")
        await settle(app, pilot)
        assert "renumbered 1 to 2" in _text(tab, "#ev-message")
        assert [(r.exhibit_number, r.description) for r in _rows(vault_db, actor, code)] == [
            (1, "Work permit (fictional)"),
            (2, "Contract (fictional)"),
        ]
        # The form still holds the same exhibit, under its new number.
        assert tab.query_one("#ev-description", Input).value == "Contract (fictional)"
        assert "Exhibit 2 (version" in _text(tab, "#ev-heading")


async def test_someone_elses_change_is_never_overwritten(vault_db: Database) -> None:
    actor, code, _ = _case(vault_db)
    app = TrpkitApp(database=vault_db, actor=actor)
    async with app.run_test(size=(120, 40)) as pilot:
        tab = await _open(app, pilot, code)
        assert tab.query_one("#ev-source", Input).value == ""
        # A colleague edits exhibit 1 (another session) while the form is open here.
        with vault_db.session() as s:
            ev.update_evidence(s, actor, code, 1, expected_version=1, source="the employer's office")
        tab.query_one("#ev-description", Input).value = "Pay stubs, May to July (fictional)"
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        message = _text(tab, "#ev-message")
        assert "Not saved: someone else changed exhibit 1 while you were editing" in message
        assert "The form now shows their version" in message
        assert "description “Pay stubs, May to July (fictional)”" in message  # what was typed, to redo it
        stored = _rows(vault_db, actor, code)[0]
        assert stored.description == "Pay stubs (fictional)" and stored.source == "the employer's office"
        assert tab.query_one("#ev-source", Input).value == "the employer's office"
        assert tab.query_one("#ev-description", Input).value == "Pay stubs (fictional)"
        assert "Exhibit 1 (version 2)" in _text(tab, "#ev-heading")
        # Made again on top of their version, it saves.
        tab.query_one("#ev-description", Input).value = "Pay stubs, May to July (fictional)"
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert "Exhibit 1 saved (version 3)" in _text(tab, "#ev-message")
        stored = _rows(vault_db, actor, code)[0]
        assert (
            stored.description == "Pay stubs, May to July (fictional)"
            and stored.source == "the employer's office"
        )

        # Someone renumbers and removes exhibits meanwhile: the form never deletes the wrong one.
        with vault_db.session() as s:
            ev.add_evidence(
                s, actor, code, type="document", description="Old permit (fictional)", date_text="2015"
            )
            ev.renumber_exhibits(s, actor, code)  # the pay stubs become exhibit 2
        table = tab.query_one("#ev-table", DataTable)
        table.focus()
        await pilot.press("delete")
        await settle(app, pilot)
        await pilot.click("#yes")
        await settle(app, pilot)
        assert "Not deleted" in _text(tab, "#ev-message")
        assert [r.description for r in _rows(vault_db, actor, code)] == [
            "Old permit (fictional)",
            "Pay stubs, May to July (fictional)",
        ]


async def test_missing_consent_is_a_plain_message(vault_db: Database) -> None:
    actor, code, _ = _case(vault_db, consents=())
    app = TrpkitApp(database=vault_db, actor=actor)
    async with app.run_test(size=(120, 40)) as pilot:
        tab = await _open(app, pilot, code)
        tab.query_one("#ev-description", Input).value = "Pay stubs, corrected (fictional)"
        tab.query_one("#ev-save", Button).press()
        await settle(app, pilot)
        message = _text(tab, "#ev-message")
        assert (
            "has not given consent" in message and "Consent tab" in message and "nothing was saved" in message
        )
        assert "trpkit consent" not in message
        assert _rows(vault_db, actor, code)[0].description == "Pay stubs (fictional)"
        assert "unsaved changes" in _text(tab, "#ev-heading")  # the typing is still there


async def test_escape_with_unsaved_changes_asks_before_leaving(vault_db: Database) -> None:
    from trpkit.tui.screens.case_file import CaseFileScreen

    actor, code, _ = _case(vault_db)
    app = TrpkitApp(database=vault_db, actor=actor)
    async with app.run_test(size=(120, 40)) as pilot:
        tab = await _open(app, pilot, code)
        description = tab.query_one("#ev-description", Input)
        description.focus()
        description.value = "Pay stubs, still typing"
        await pilot.press("escape")
        await settle(app, pilot)
        assert "not saved and will be lost" in str(app.screen.query_one("#question", Static).render())
        await pilot.click("#no")
        await settle(app, pilot)
        assert isinstance(app.screen, CaseFileScreen) and description.value == "Pay stubs, still typing"
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        await pilot.press("escape")  # saved: leaves at once
        await settle(app, pilot)
        assert not isinstance(app.screen, CaseFileScreen)
    assert _rows(vault_db, actor, code)[0].description == "Pay stubs, still typing"
