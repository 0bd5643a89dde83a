"""The demo's drafting data, read back: ties argued, French stored, notes agreeing, dates coherent.

Over the demo generator's cases: French drafts of demo cases pass readiness from the demo's own French
versions (marked as demo translations) and read French; the subsequent letter argues the ties recorded
and readiness asks for them when none is; notes agree with each person's recorded gender; checklist
dates fall within the file's life, in order; the internal notes are in the letter's language.
"""

from __future__ import annotations

import io
import re
import shutil
from collections.abc import Iterator
from datetime import date

import pytest
from docx import Document
from sqlalchemy import select

from tests.drafting.test_letters_over_demo import ORG, TODAY, _check, _letter
from trpkit.db.database import Database, open_target
from trpkit.db.engine import Target
from trpkit.services.actor import Actor


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory, _template_vault) -> Iterator[tuple[Database, Actor, list]]:  # type: ignore[no-untyped-def]
    from trpkit.demo import generate
    from trpkit.services.users import actor_for, create_user

    template, key = _template_vault
    path = tmp_path_factory.mktemp("demo-letters") / "demo.trpvault"
    shutil.copy(template, path)
    database = open_target(Target(vault_path=path), key=key)
    with database.session() as s:
        create_user(s, "ana", role="supervisor")
        actor = actor_for(s, "ana")
        cases = generate(s, actor, 24, seed=11, today=TODAY)
    yield database, actor, cases
    database.close()


def test_french_drafts_of_demo_cases_read_french_from_the_demo_translations(demo) -> None:  # type: ignore[no-untyped-def]
    from trpkit.db.models.translations import LetterTranslation
    from trpkit.demo.french import DEMO_TRANSLATOR

    database, actor, cases = demo
    drafted = 0
    for case in cases:
        for template in ("trp-initial", "trp-subsequent"):
            made = _letter(database, actor, case.code, template, "fr")
            if made is None:
                continue
            data, context = made
            _check(data, context, template, "fr", case.code)
            drafted += 1
    assert drafted >= 2, "no French demo letter passed readiness on the demo's own translations"
    with database.session() as s:
        translators = set(s.scalars(select(LetterTranslation.translator)))
    assert translators == {DEMO_TRANSLATOR}  # every stored version is marked as the demo's


def test_no_demo_case_is_blocked_for_want_of_french(demo) -> None:  # type: ignore[no-untyped-def]
    from trpkit.services.drafting import readiness

    database, actor, cases = demo
    with database.session() as s:
        for case in cases:
            report = readiness(
                s, actor, case.code, template="trp-initial", language="fr", on=TODAY, organisation=ORG
            )
            untranslated = [f.message for f in report.blockers if f.code == "untranslated"]
            assert not untranslated, f"{case.code}: {untranslated}"


def _subsequent_case(database: Database, actor: Actor, cases: list) -> str:  # type: ignore[type-arg]
    from trpkit.services.drafting import readiness

    with database.session() as s:
        for case in cases:
            report = readiness(s, actor, case.code, template="trp-subsequent", on=TODAY, organisation=ORG)
            if report.ready:
                return str(case.code)
    pytest.fail("no demo case is ready for a subsequent letter")


def test_the_subsequent_letter_argues_the_ties_recorded_and_readiness_asks_for_them(demo) -> None:  # type: ignore[no-untyped-def]
    from trpkit.services.drafting import readiness
    from trpkit.services.drafting_notes import TIES, update_notes

    database, actor, cases = demo
    code = _subsequent_case(database, actor, cases)
    with database.session() as s:
        update_notes(s, actor, code, **dict.fromkeys(TIES, ""))
        report = readiness(s, actor, code, template="trp-subsequent", on=TODAY, organisation=ORG)
    assert "ties-missing" in {f.code for f in report.warnings}
    made = _letter(database, actor, code, "trp-subsequent", "en")
    assert made is not None
    text = "\n".join(p.text for p in Document(io.BytesIO(made[0])).paragraphs)
    assert "Ties in Canada" not in text and "ties Dwayne" not in text and "the ties" not in text
    with database.session() as s:
        update_notes(
            s,
            actor,
            code,
            ties_studies="Attends a welding course three days a week.",
            ties_family="A brother in Winnipeg.",
        )
        report = readiness(s, actor, code, template="trp-subsequent", on=TODAY, organisation=ORG)
    assert "ties-missing" not in {f.code for f in report.warnings}
    made = _letter(database, actor, code, "trp-subsequent", "en")
    assert made is not None
    paragraphs = [p.text for p in Document(io.BytesIO(made[0])).paragraphs]
    assert "Ties in Canada" in paragraphs
    assert any(p == "Studies and training: Attends a welding course three days a week." for p in paragraphs)
    assert any(p == "Family: A brother in Winnipeg." for p in paragraphs)
    conclusion = next(p for p in paragraphs if p.startswith("The reasons that justified the first permit"))
    assert "argue for a longer-term permit" in conclusion
    # French: the ties need their French versions, then read French under their French labels
    with database.session() as s:
        report = readiness(
            s, actor, code, template="trp-subsequent", language="fr", on=TODAY, organisation=ORG
        )
        missing = " ".join(f.message for f in report.blockers if f.code == "untranslated")
        assert "note:ties_studies" in missing and "note:ties_family" in missing
        from trpkit.services.drafting_translations import set_translation

        set_translation(
            s,
            actor,
            code,
            "note:ties_studies",
            text="Suit un cours de soudure trois jours par semaine.",
            translator="R. Okonkwo",
        )
        set_translation(
            s, actor, code, "note:ties_family", text="Un frère à Winnipeg.", translator="R. Okonkwo"
        )
    made = _letter(database, actor, code, "trp-subsequent", "fr")
    assert made is not None
    paragraphs = [p.text for p in Document(io.BytesIO(made[0])).paragraphs]
    assert "Attaches au Canada" in paragraphs
    assert "Études et formation : Suit un cours de soudure trois jours par semaine." in paragraphs
    _check(made[0], made[1], "trp-subsequent", "fr", code)


def test_demo_notes_agree_with_the_recorded_gender(demo) -> None:  # type: ignore[no-untyped-def]
    from trpkit.db.models.drafts import SubmissionNotes
    from trpkit.db.models.translations import LetterTranslation
    from trpkit.demo.notes_bank import grammatical

    database, _actor, cases = demo
    wrong = {"f": r"\b(he|his|him)\b", "m": r"\b(she|her|hers)\b", "": r"\b(she|her|he|his|him)\b"}
    french_subject = {"f": "Elle ", "m": "Il ", "": "Cette personne "}
    seen = set()
    with database.session() as s:
        for case in cases:
            row = s.scalar(select(SubmissionNotes).where(SubmissionNotes.case_id == case.id))
            if row is None:
                continue
            form = grammatical(case.gender)
            seen.add(form)
            for field in ("vulnerabilities", "safety", "risks_on_return", "continued_need", "recovery"):
                text = getattr(row, field)
                assert not re.search(wrong[form], text, re.IGNORECASE), (case.gender, text)
            french = s.scalars(
                select(LetterTranslation.text).where(
                    LetterTranslation.case_id == case.id, LetterTranslation.piece.like("note:%")
                )
            ).all()
            starts = [t for t in french if t.split()[0] in ("Elle", "Il", "Cette")]
            assert all(t.startswith(french_subject[form]) for t in starts), (case.gender, starts)
    assert seen == {"f", "m", ""}, seen  # the demo has women, men and people of unrecorded gender


def test_demo_checklist_dates_follow_the_file(demo) -> None:  # type: ignore[no-untyped-def]
    from trpkit.db.models.drafts import ChecklistItemStatus
    from trpkit.demo.drafting import ITEMS
    from trpkit.demo.story import story_of

    database, _actor, cases = demo
    checked = 0
    with database.session() as s:
        for case in cases:
            rows = s.scalars(select(ChecklistItemStatus).where(ChecklistItemStatus.case_id == case.id)).all()
            dated = sorted((ITEMS.index(r.item_id), r.obtained_on) for r in rows if r.obtained_on)
            opened = story_of(case, TODAY).contact
            for _position, day in dated:
                assert opened <= day <= TODAY, (case.code, opened, day)
            days = [day for _position, day in dated]
            assert days == sorted(days), (case.code, dated)
            checked += len(days)
    assert checked > 20


def test_internal_notes_are_in_the_letter_language(demo, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from trpkit.services.drafting import generate_draft, write_internal_note
    from trpkit.services.translations import written_in

    database, actor, cases = demo
    code = _subsequent_case(database, actor, cases)
    with database.session() as s:
        record = generate_draft(
            s,
            actor,
            code,
            template="trp-subsequent",
            language="fr",
            output=tmp_path / "l.docx",
            on=TODAY,
            organisation=ORG,
        )
    assert record.internal
    for note in record.internal:
        assert written_in(note, "fr"), note
    path = write_internal_note(record, tmp_path / "note.docx")
    paragraphs = [p.text for p in Document(str(path)).paragraphs]
    assert paragraphs[0].startswith("NOTE INTERNE — NE PAS SOUMETTRE")
    assert f"Note interne sur l'ébauche pour {code}" in paragraphs
    with database.session() as s:
        english = generate_draft(
            s,
            actor,
            code,
            template="trp-subsequent",
            language="en",
            output=tmp_path / "e.docx",
            on=TODAY,
            organisation=ORG,
        )
    assert all(written_in(note, "en") for note in english.internal), english.internal
    assert date  # imported for the fixtures' types
