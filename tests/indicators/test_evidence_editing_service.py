"""Editing exhibits safely: the date words as the register reads them, and optimistic locking that also
catches renumbering, removal and changed links (both backends)."""

from __future__ import annotations

from datetime import date

import pytest

from trpkit.db.database import Database
from trpkit.domain.fuzzy_dates import DateStatus
from trpkit.errors import ConflictError, NotFound, UsageError
from trpkit.services import evidence as ev
from trpkit.services import evidence_files
from trpkit.services.actor import Actor


def test_date_words_are_read_as_the_register_stores_them(db: Database, actor: Actor, new_case) -> None:
    spring = ev.parse_date_words("  spring 2019 ")
    assert spring is not None and spring.status is DateStatus.PARSED
    assert (spring.earliest, spring.latest) == (date(2019, 3, 1), date(2019, 5, 31))
    assert ev.parse_date_words("   ") is None
    words = ev.parse_date_words("the week the boss left")
    assert (
        words is not None
        and words.status is DateStatus.UNPARSED
        and words.original == "the week the boss left"
    )
    code = new_case()
    with db.session() as s:
        row = ev.add_evidence(
            s, actor, code, type="document", description="A letter", date_text="spring 2019"
        )
    assert row.date == spring  # what a screen previews is what is stored


def test_renumbered_or_removed_exhibits_are_never_edited_by_mistake(
    db: Database, actor: Actor, new_case
) -> None:
    code = new_case()
    with db.session() as s:
        late = ev.add_evidence(s, actor, code, type="document", description="Late", date_text="2024")
        early = ev.add_evidence(s, actor, code, type="document", description="Early", date_text="2019")
    with db.session() as s:
        ev.renumber_exhibits(s, actor, code)  # "Early" is now exhibit 1, "Late" exhibit 2
    with pytest.raises(ConflictError, match="renumbered meanwhile.*is now number 2"), db.session() as s:
        ev.update_evidence(s, actor, code, 1, evidence_id=late.id, description="Late, corrected")
    with pytest.raises(ConflictError, match="renumbered"), db.session() as s:
        evidence_files.attach_file(s, actor, code, 1, "a.txt", b"x", evidence_id=late.id)
    with pytest.raises(ConflictError, match="renumbered"), db.session() as s:
        ev.delete_evidence(s, actor, code, 1, evidence_id=late.id)
    with db.session() as s:
        rows = ev.list_evidence(s, actor, code)
    assert [(r.exhibit_number, r.description, len(r.attachments)) for r in rows] == [
        (1, "Early", 0),
        (2, "Late", 0),
    ]
    with db.session() as s:
        ev.delete_evidence(s, actor, code, 1, evidence_id=early.id, expected_version=rows[0].version)
    with pytest.raises(NotFound, match="removed by someone else"), db.session() as s:
        ev.update_evidence(s, actor, code, 1, evidence_id=early.id, description="x")


def test_a_stale_delete_is_refused(db: Database, actor: Actor, new_case) -> None:
    code = new_case()
    with db.session() as s:
        row = ev.add_evidence(s, actor, code, type="document", description="A letter")
        ev.update_evidence(s, actor, code, 1, expected_version=row.version, source="the employer")
    with pytest.raises(ConflictError, match="changed since you opened it"), db.session() as s:
        ev.delete_evidence(s, actor, code, 1, expected_version=row.version)
    with db.session() as s:
        assert [r.source for r in ev.list_evidence(s, actor, code)] == ["the employer"]


def test_changing_links_is_a_change_of_the_exhibit(db: Database, actor: Actor, new_case) -> None:
    from trpkit.services.narrative import add_entry
    from trpkit.services.narrative_meetings import add_meeting

    code = new_case()
    with db.session() as s:
        meeting = add_meeting(s, actor, code, held_on=date(2026, 3, 2))
        first = add_entry(s, actor, code, meeting.id, "They kept my passport.")
        second = add_entry(s, actor, code, meeting.id, "I could not leave the farm.")
        row = ev.add_evidence(s, actor, code, type="account", description="Her account")
    with db.session() as s:
        linked = ev.update_evidence(
            s, actor, code, 1, expected_version=row.version, narrative_entry_ids=[first.id, second.id]
        )
    assert linked.version == row.version + 1 and linked.narrative_entry_ids == (first.id, second.id)
    with pytest.raises(ConflictError), db.session() as s:  # someone who opened it before the links
        ev.update_evidence(s, actor, code, 1, expected_version=row.version, description="Her account, edited")
    with db.session() as s:  # the same links again: nothing changes, no new version
        same = ev.update_evidence(
            s, actor, code, 1, expected_version=linked.version, narrative_entry_ids=[second.id, first.id]
        )
    assert same.version == linked.version
    with db.session() as s:  # fields and links together: one new version
        both = ev.update_evidence(
            s,
            actor,
            code,
            1,
            expected_version=same.version,
            description="Edited",
            narrative_entry_ids=[first.id],
        )
    assert both.version == same.version + 1 and both.narrative_entry_ids == (first.id,)
    with db.session() as s:  # a type that is not the account drops the links
        other = ev.update_evidence(s, actor, code, 1, expected_version=both.version, type="document")
    assert other.narrative_entry_ids == () and other.type == "document"


def test_an_edit_cannot_empty_the_description(db: Database, actor: Actor, new_case) -> None:
    code = new_case()
    with db.session() as s:
        ev.add_evidence(s, actor, code, type="document", description="A letter")
    with pytest.raises(UsageError, match="cannot be empty"), db.session() as s:
        ev.update_evidence(s, actor, code, 1, description="   ")
