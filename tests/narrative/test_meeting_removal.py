"""Removing a meeting says what happens to its entries, and a removed meeting comes back whole (both backends)."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from trpkit.db.models import AuditEntry
from trpkit.errors import UsageError
from trpkit.services import narrative as nv
from trpkit.services import narrative_history, narrative_meetings
from trpkit.services import narrative_removal as nr


@pytest.fixture
def two_meetings(db, actor, new_case):  # type: ignore[no-untyped-def]
    code = new_case()
    with db.session() as s:
        first = narrative_meetings.add_meeting(s, actor, code, held_on=date(2026, 3, 2), language="Spanish")
        second = narrative_meetings.add_meeting(s, actor, code, held_on=date(2026, 3, 9), language="es")
        nv.add_entry(s, actor, code, second.id, "Ya tenía una entrada.")
        entry = nv.add_entry(s, actor, code, first.id, "Me quitaron el pasaporte.")
        nv.update_entry(s, actor, code, entry.id, expected_version=1, text="Me quitaron los pasaportes.")
    return code, first, second, entry


def test_a_meeting_with_entries_is_not_removed_without_saying_what_happens_to_them(  # type: ignore[no-untyped-def]
    db, actor, two_meetings
) -> None:
    code, first, _second, _entry = two_meetings
    assert first.language == "es"  # typed as a name, kept as the code the date finder reads
    with pytest.raises(UsageError, match="holds 1 entry: move them"), db.session() as s:
        nr.remove_meeting(s, actor, code, first.id)
    with db.session() as s:
        assert len(narrative_meetings.list_meetings(s, actor, code)) == 2


def test_entries_can_move_to_another_meeting_keeping_their_history(db, actor, two_meetings) -> None:  # type: ignore[no-untyped-def]
    code, first, second, entry = two_meetings
    with db.session() as s:
        said = nr.remove_meeting(s, actor, code, first.id, entries="move", move_to=second.id)
    assert "1 entry moved to the meeting of 2026-03-09" in said
    with db.session() as s:
        moved = nv.get_entry(s, actor, code, entry.id)
        assert (moved.meeting_id, moved.position, moved.version) == (second.id, 2, 2)
        assert sorted(r.version for r in narrative_history.entry_history(s, actor, code, entry.id)) == [1, 2]
        assert [m.id for m in narrative_meetings.list_meetings(s, actor, code)] == [second.id]


def test_a_meeting_removed_with_its_entries_is_restored_whole(db, actor, two_meetings) -> None:  # type: ignore[no-untyped-def]
    from trpkit.services.indicators import link_indicator
    from trpkit.services.timeline import add_event

    code, first, _second, entry = two_meetings
    with db.session() as s:
        event = add_event(s, actor, code, event_type="other", date_text="2019", entry_ids=[entry.id])
        link_indicator(s, actor, code, "AL-5.01", narrative_entry_id=entry.id, note="in her words")
    with db.session() as s:
        said = nr.remove_meeting(s, actor, code, first.id, entries="remove")
    assert "meeting of 2026-03-02 with 1 entry" in said
    with db.session() as s:
        assert all(e.id != entry.id for e in nv.list_entries(s, actor, code))
        removed = nr.list_removed(s, actor, code)
    assert [(r.kind, r.restored_at) for r in removed] == [("meeting", None)]
    with db.session() as s:
        meeting = nr.restore_removed(s, actor, code, removed[0].id)
    assert (meeting.held_on, meeting.language, meeting.entry_count) == (date(2026, 3, 2), "es", 1)
    with db.session() as s:
        back = next(e for e in nv.list_entries(s, actor, code) if e.meeting_id == meeting.id)
        assert (back.text, back.version) == ("Me quitaron los pasaportes.", 2)
        assert sorted(
            (r.version, r.text) for r in narrative_history.entry_history(s, actor, code, back.id)
        ) == [
            (1, "Me quitaron el pasaporte."),
            (2, "Me quitaron los pasaportes."),
        ]
        # the next save follows on from the restored history
        assert nv.update_entry(s, actor, code, back.id, expected_version=2, text="Otra vez.").version == 3
        from trpkit.services.timeline_view import case_timeline

        timeline = case_timeline(s, actor, code)
        assert any(back.id in e.linked_entry_ids for e in timeline.events if e.id == event.id)
        actions = set(s.scalars(select(AuditEntry.action)))
    assert {"narrative.meeting.remove", "narrative.meeting.restore"} <= actions
    with pytest.raises(UsageError, match="already restored"), db.session() as s:
        nr.restore_removed(s, actor, code, removed[0].id)


def test_an_unknown_meeting_language_is_refused_with_the_closest(db, actor, new_case) -> None:  # type: ignore[no-untyped-def]
    code = new_case()
    with pytest.raises(UsageError, match=r"Spanish \(es\)"), db.session() as s:
        narrative_meetings.add_meeting(s, actor, code, held_on=date(2026, 3, 2), language="Spansh")


def test_an_older_entry_holding_a_language_name_is_read_in_that_language() -> None:
    from trpkit.services.timeline_suggestions import date_language

    assert date_language("Spanish") == date_language("espagnol") == date_language("es") == "es"
    assert date_language("pt-BR") == "pt"
    assert date_language(None) == "en"
