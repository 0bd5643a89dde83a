"""Timeline services on both backends: reading dates where they were told, anchors, conflicts, gaps,
suggestions, editing, and access."""

from __future__ import annotations

from datetime import date

import pytest

from trpkit.errors import AccessDenied, NotFound, UsageError
from trpkit.services import narrative as nv
from trpkit.services import narrative_meetings
from trpkit.services import timeline as tls
from trpkit.services import timeline_suggestions as tsg
from trpkit.services import timeline_view as tlv


@pytest.fixture
def told(db, actor, new_case):  # type: ignore[no-untyped-def]
    code = new_case(birth_date_text="1990")
    with db.session() as s:
        m = narrative_meetings.add_meeting(s, actor, code, held_on=date(2025, 6, 15), language="es")
        e = nv.add_entry(
            s, actor, code, m.id, "Hace dos años escapé. El verano de 2019 llegué a Canadá.", language="es"
        )
    return code, m, e


def test_relative_dates_count_from_the_meeting_not_today(db, actor, told) -> None:  # type: ignore[no-untyped-def]
    code, _m, e = told
    with db.session() as s:
        row = tls.add_event(
            s, actor, code, event_type="escape", date_text="hace dos años", language="es", entry_ids=[e.id]
        )
    assert row.told_on == date(2025, 6, 15)
    assert (row.date.edtf, row.date.earliest, row.date.latest) == (
        "2023~",
        date(2022, 12, 15),
        date(2023, 12, 15),
    )
    assert row.linked_entry_ids == (e.id,)


def test_anchors_conflicts_gaps_people_and_unparsed(db, actor, told) -> None:  # type: ignore[no-untyped-def]
    code, _m, _e = told
    with db.session() as s:
        arrival = tls.add_event(
            s, actor, code, event_type="arrival", date_text="summer 2019", place="Toronto"
        )
        taken = tls.add_event(
            s,
            actor,
            code,
            event_type="documents_taken",
            date_text="two weeks after arriving in Canada",
            people=tls.parse_people(["employer=Employer (fictional)", "co-worker=Co-worker (fictional)"]),
        )
        dep = tls.add_event(s, actor, code, event_type="departure", date_text="2021")
        age = tls.add_event(s, actor, code, event_type="recruitment", date_text="when I was 28")
        fix = tls.add_event(s, actor, code, event_type="violence", date_text="the night of the storm")
        tl = tlv.case_timeline(s, actor, code)
    assert taken.date.earliest == date(2019, 6, 12) and taken.date.approximate
    assert taken.people == {"employer": ("Employer (fictional)",), "co-worker": ("Co-worker (fictional)",)}
    assert age.date.earliest == date(2018, 1, 1)
    assert [ev.id for ev in tl.events] == [age.id, arrival.id, taken.id, dep.id, fix.id]
    assert [(c.first_event_id, c.second_event_id) for c in tl.conflicts] == [(dep.id, arrival.id)]
    assert {ev.id for ev in tl.events if ev.conflict} == {dep.id, arrival.id}
    # the gap starts where the furthest-reaching earlier event ends ("when I was 28" reaches into 2019)
    assert [(g.after_event_id, g.before_event_id, g.start) for g in tl.gaps] == [
        (age.id, dep.id, date(2019, 12, 31))
    ]
    assert [ev.id for ev in tl.unparsed] == [fix.id]
    assert tl.birth is not None and tl.birth.earliest == date(1990, 1, 1)
    md = tlv.timeline_markdown(tl)
    assert "Departure must come before arrival in Canada" in md and "“the night of the storm”" in md
    # a person fixes the date and the conflict
    with db.session() as s:
        tls.update_event(s, actor, code, dep.id, expected_version=dep.version, date_text="spring 2019")
        tls.update_event(s, actor, code, fix.id, date_text="late 2020")
        tl = tlv.case_timeline(s, actor, code)
    assert tl.conflicts == () and tl.unparsed == ()
    with db.session() as s:
        tls.delete_event(s, actor, code, fix.id)
        assert len(tlv.case_timeline(s, actor, code).events) == 4


def test_suggestions_are_never_events_until_accepted(db, actor, told) -> None:  # type: ignore[no-untyped-def]
    code, _m, e = told
    with db.session() as s:
        found = tsg.suggest_dates(s, actor, code)
        again = tsg.suggest_dates(s, actor, code)  # scanning twice adds nothing new
        assert tlv.case_timeline(s, actor, code).events == ()
    assert [(x.phrase, x.date.edtf) for x in found] == [
        ("Hace dos años", "2023~"),
        ("verano de 2019", "2019-22"),
    ]
    assert [x.id for x in again] == [x.id for x in found]
    with db.session() as s:
        event = tsg.accept_suggestion(s, actor, code, found[1].id, event_type="arrival_canada")
        tsg.dismiss_suggestion(s, actor, code, found[0].id)
        with pytest.raises(UsageError, match="already accepted"):
            tsg.accept_suggestion(s, actor, code, found[1].id, event_type="arrival_canada")
        tl = tlv.case_timeline(s, actor, code)
    assert event.linked_entry_ids == (e.id,) and event.date_text == "summer 2019"
    assert tl.suggestions == () and [ev.id for ev in tl.events] == [event.id]


def test_bad_input_and_access(db, actor, make_actor, told) -> None:  # type: ignore[no-untyped-def]
    code, _m, _e = told
    with db.session() as s:
        with pytest.raises(UsageError, match="event type 'party'"):
            tls.add_event(s, actor, code, event_type="party", date_text="2019")
        with pytest.raises(UsageError, match="role 'boss'"):
            tls.add_event(
                s, actor, code, event_type="other", date_text="2019", people=[{"role": "boss", "name": "x"}]
            )
        with pytest.raises(NotFound, match="No entry 999"):
            tls.add_event(s, actor, code, event_type="other", date_text="2019", entry_ids=[999])
    stranger = make_actor(db, "eve", "accompanier")
    with db.session() as s, pytest.raises(AccessDenied):
        tlv.case_timeline(s, stranger, code)
