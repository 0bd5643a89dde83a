"""Narrative services on both backends: meetings, entries, revisions, conflicts, drafts, access, search."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import text

from trpkit.errors import AccessDenied, ConflictError, ConsentMissing, NotFound, UsageError
from trpkit.services import narrative as nv
from trpkit.services import narrative_drafts, narrative_history, narrative_meetings
from trpkit.services.search import HIGHLIGHT_END, HIGHLIGHT_START, parse_query, search


@pytest.fixture
def story(db, actor, new_case):  # type: ignore[no-untyped-def]
    code = new_case()
    with db.session() as s:
        m = narrative_meetings.add_meeting(
            s,
            actor,
            code,
            held_on=date(2025, 6, 15),
            place="office",
            present=["ana", "interp"],
            language="es",
            interpreter="Interprète Fictif",
            duration_minutes=50,
            wellbeing_notes="asked to stop early",
        )
        e1 = nv.add_entry(
            s,
            actor,
            code,
            m.id,
            "Me quitaron el pasaporte en el aeropuerto.",
            kind="own_words",
            translation="They took my passport at the airport.",
            translated_by="Interprète Fictif",
        )
        e2 = nv.add_entry(
            s,
            actor,
            code,
            m.id,
            "Describes arriving in Canadá with a recruiter.",
            kind="summary",
            language="en",
        )
    return code, m, e1, e2


def test_meeting_and_entries(db, actor, story) -> None:  # type: ignore[no-untyped-def]
    code, m, e1, e2 = story
    with db.session() as s:
        meetings = narrative_meetings.list_meetings(s, actor, code)
        entries = nv.list_entries(s, actor, code)
    assert [(x.id, x.entry_count, x.wellbeing_notes, x.present) for x in meetings] == [
        (m.id, 2, "asked to stop early", ("ana", "interp"))
    ]
    assert [(e.id, e.kind, e.language, e.position, e.version, e.meeting_date) for e in entries] == [
        (e1.id, "own_words", "es", 1, 1, date(2025, 6, 15)),
        (e2.id, "summary", "en", 2, 1, date(2025, 6, 15)),
    ]
    assert entries[0].translation == "They took my passport at the airport."
    assert entries[0].translated_by == "Interprète Fictif"


def test_every_edit_keeps_the_previous_version_and_restore(db, actor, story) -> None:  # type: ignore[no-untyped-def]
    code, _m, e1, _e2 = story
    with db.session() as s:
        v2 = nv.update_entry(s, actor, code, e1.id, expected_version=1, text="Me quitaron el pasaporte.")
        same = nv.update_entry(s, actor, code, e1.id, expected_version=2, text="Me quitaron el pasaporte.")
    assert v2.version == 2 and same.version == 2  # saving identical text makes no new revision
    with db.session() as s:
        restored = narrative_history.restore_revision(s, actor, code, e1.id, 1)
        history = narrative_history.entry_history(s, actor, code, e1.id)
    assert restored.version == 3 and restored.text == "Me quitaron el pasaporte en el aeropuerto."
    assert [(h.version, h.action) for h in history] == [(3, "restore"), (2, "edit"), (1, "create")]
    assert history[1].text == "Me quitaron el pasaporte."
    assert all(h.saved_by == actor.username for h in history)


def test_stale_save_raises_with_both_versions(db, actor, make_actor, story) -> None:  # type: ignore[no-untyped-def]
    code, _m, e1, _e2 = story
    other = make_actor(db, "bea", "supervisor")
    with db.session() as s:
        nv.update_entry(s, other, code, e1.id, expected_version=1, text="Bea's correction.")
    with db.session() as s, pytest.raises(nv.EntryConflict) as info:
        nv.update_entry(s, actor, code, e1.id, expected_version=1, text="Ana's correction.")
    assert info.value.theirs.text == "Bea's correction." and info.value.theirs.version == 2
    assert info.value.mine == {"text": "Ana's correction."}
    assert isinstance(info.value, ConflictError)
    with db.session() as s:  # the person chose theirs + mine: saved on top of the newer version
        final = nv.update_entry(s, actor, code, e1.id, expected_version=2, text="Ana's correction.")
        assert final.version == 3
        assert [h.saved_by for h in narrative_history.entry_history(s, actor, code, e1.id)] == [
            "ana",
            "bea",
            "ana",
        ]


def test_drafts_are_per_person_and_cleared_by_saving(db, actor, story) -> None:  # type: ignore[no-untyped-def]
    code, m, e1, _e2 = story
    with db.session() as s:
        narrative_drafts.save_draft(
            s, actor, code, meeting_id=m.id, entry_id=e1.id, base_version=1, text="typing…"
        )
        d = narrative_drafts.save_draft(
            s, actor, code, meeting_id=m.id, entry_id=e1.id, base_version=1, text="typing more"
        )
        new = narrative_drafts.save_draft(
            s, actor, code, meeting_id=m.id, entry_id=None, base_version=None, text="a new one"
        )
    with db.session() as s:
        drafts = narrative_drafts.list_drafts(s, actor, code)
        assert [(x.id, x.text) for x in drafts] == [(d.id, "typing more"), (new.id, "a new one")]
        nv.update_entry(s, actor, code, e1.id, expected_version=1, text="typing more")
        row = narrative_drafts.save_new_entry_from_draft(s, actor, code, new.id)
        assert row.text == "a new one" and row.position == 3
        assert narrative_drafts.list_drafts(s, actor, code) == []


def test_bad_input_and_access(db, actor, make_actor, new_case, story) -> None:  # type: ignore[no-untyped-def]
    code, m, e1, _e2 = story
    with db.session() as s:
        with pytest.raises(UsageError, match="own_words"):
            nv.add_entry(s, actor, code, m.id, "x", kind="poem")
        with pytest.raises(UsageError, match="empty"):
            nv.add_entry(s, actor, code, m.id, "   ")
        with pytest.raises(NotFound, match="No meeting 999"):
            nv.add_entry(s, actor, code, 999, "x")
        with pytest.raises(UsageError, match="cannot be emptied"):
            nv.update_entry(s, actor, code, e1.id, expected_version=1, text="")
    stranger = make_actor(db, "carl", "accompanier")
    with db.session() as s, pytest.raises(AccessDenied):
        nv.list_entries(s, stranger, code)
    no_consent = new_case(consents=())
    with db.session() as s, pytest.raises(ConsentMissing):
        narrative_meetings.add_meeting(s, actor, no_consent, held_on=date(2025, 1, 1))


def test_search_snippets_accents_and_access(db, actor, make_actor, story, new_case) -> None:  # type: ignore[no-untyped-def]
    code, _m, e1, e2 = story
    other_code = new_case()
    with db.session() as s:
        om = narrative_meetings.add_meeting(s, actor, other_code, held_on=date(2025, 5, 1))
        nv.add_entry(s, actor, other_code, om.id, "The boss kept my passport in a drawer.", language="en")
    with db.session() as s:
        hits = search(s, actor, "passport")
    assert {h.case_code for h in hits} == {code, other_code}
    mine = next(h for h in hits if h.case_code == code)
    assert mine.entry_id == e1.id and f"{HIGHLIGHT_START}passport{HIGHLIGHT_END}" in mine.snippet.lower()
    assert ("passport", True) in [(t.lower(), hl) for t, hl in mine.snippet_parts()]
    with db.session() as s:
        assert [h.entry_id for h in search(s, actor, "canada")] == [e2.id]  # accents ignored
        assert [h.entry_id for h in search(s, actor, "pasaport*")] == [e1.id]
        assert [h.entry_id for h in search(s, actor, '"took my passport"')] == [e1.id]
        assert {h.entry_id for h in search(s, actor, "passport -drawer")} == {e1.id}
        assert len(search(s, actor, "drawer OR recruiter")) == 2
        assert [h.case_code for h in search(s, actor, "passport", case_code=code)] == [code]
    # an accompanier sees only their own cases
    acc = make_actor(db, "dora", "accompanier")
    from trpkit.services.cases import assign

    with db.session() as s:
        assign(s, actor, other_code, "dora")
    with db.session() as s:
        assert {h.case_code for h in search(s, acc, "passport")} == {other_code}
        with pytest.raises(AccessDenied):
            search(s, acc, "passport", case_code=code)
    analyst = make_actor(db, "olga", "analyst")
    with db.session() as s, pytest.raises(AccessDenied, match="analyst role"):
        search(s, analyst, "passport")
    # edits and deletions reach the index
    with db.session() as s:
        nv.update_entry(s, actor, code, e1.id, expected_version=1, text="Me quitaron los documentos.")
    with db.session() as s:
        assert {h.entry_id for h in search(s, actor, "documentos")} == {e1.id}
        assert {h.case_code for h in search(s, actor, "pasaporte")} == set()
        assert {h.case_code for h in search(s, actor, "passport")} == {code, other_code}  # the translation


def test_destroying_a_case_removes_its_narrative_and_index(db, actor, story) -> None:  # type: ignore[no-untyped-def]
    code, *_ = story
    with db.session() as s:
        s.execute(text("DELETE FROM cases WHERE code = :c"), {"c": code})
    with db.session() as s:
        for table in (
            "narrative_meetings",
            "narrative_entries",
            "narrative_entry_revisions",
            "narrative_fts",
        ):
            assert s.execute(text(f"SELECT count(*) FROM {table}")).scalar() == 0, table
        assert search(s, actor, "pasaporte OR passport OR canada") == []


def test_query_parsing() -> None:
    assert [t.words for t in parse_query('"debt bondage" boss*')] == [("debt", "bondage"), ("boss",)]
    assert parse_query("boss*")[0].prefix
    assert parse_query("-a b")[-1].negated  # exclusions move last
    with pytest.raises(UsageError):
        parse_query("-only")
    with pytest.raises(UsageError):
        parse_query('  "" ')


def test_birth_date_text_fills_the_interval(db, actor, new_case) -> None:  # type: ignore[no-untyped-def]
    from trpkit.services.cases import get_case, update_case

    code = new_case(birth_date_text="March 1988")
    with db.session() as s:
        p = get_case(s, actor, code).person
        assert (p.birth_date_earliest, p.birth_date_latest) == (date(1988, 3, 1), date(1988, 3, 31))
        update_case(s, actor, code, person={"birth_date_text": "around 1990"})
        p = get_case(s, actor, code).person
        assert (p.birth_date_earliest, p.birth_date_latest) == (date(1989, 1, 1), date(1991, 12, 31))
        update_case(s, actor, code, person={"birth_date_text": "the year of the big flood"})
        p = get_case(s, actor, code).person
        assert (p.birth_date_text, p.birth_date_earliest) == ("the year of the big flood", None)
