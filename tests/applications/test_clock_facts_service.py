"""Grounds and absences from Canada for the permit-holder clock, on the encrypted vault and on PostgreSQL."""

from __future__ import annotations

import json
from datetime import date

import pytest
from sqlalchemy import func, select

from trpkit.db.database import Database
from trpkit.db.models import AbsenceFromCanada, Case, PermitHolderGround
from trpkit.errors import AccessDenied, ConflictError, NotFound, UsageError
from trpkit.services import audit
from trpkit.services.actor import Actor
from trpkit.services.applications import create_application
from trpkit.services.clock_facts import (
    add_absence,
    get_ground,
    list_absences,
    remove_absence,
    set_ground,
    update_absence,
)
from trpkit.services.clock_view import continuity
from trpkit.services.deadlines import list_deadlines
from trpkit.services.decisions import record_decision

TODAY = date(2026, 11, 28)


def _permits(db: Database, actor: Actor, code: str) -> None:
    """TRPs from 2021-03-01 to 2027-02-28 without a gap (renewed in time)."""
    with db.session() as s:
        first = create_application(
            s, actor, code, type="initial_trp", submitted_on=date(2021, 1, 5), today=TODAY
        ).ref
        record_decision(
            s,
            actor,
            first,
            outcome="granted",
            decided_on=date(2021, 3, 1),
            validity_end_on=date(2024, 2, 29),
            today=TODAY,
        )
        second = create_application(
            s, actor, code, type="subsequent_trp", submitted_on=date(2024, 1, 10), today=TODAY
        ).ref
        record_decision(
            s,
            actor,
            second,
            outcome="granted",
            decided_on=date(2024, 2, 20),
            validity_start=date(2024, 3, 1),
            validity_end_on=date(2027, 2, 28),
            today=TODAY,
        )


def _pr_items(db: Database, actor: Actor, code: str) -> list:  # type: ignore[type-arg]
    with db.session() as s:
        return [
            i
            for i in list_deadlines(s, actor, today=TODAY, within_days=None, case_code=code).items
            if i.kind == "pr_eligible"
        ]


def test_the_recorded_ground_sets_the_mark_everywhere(db: Database, actor: Actor, new_case) -> None:  # type: ignore[no-untyped-def]
    code = new_case()
    _permits(db, actor, code)
    with db.session() as s:
        nothing = get_ground(s, actor, code)
        view = continuity(s, actor, code, today=TODAY)
    assert (nothing.ground, nothing.version, nothing.recorded_by) == ("unknown", 0, "")
    assert view.clock.required_years == 5 and view.clock.eligible_on == date(2026, 3, 1)
    assert any("not recorded" in w for w in view.clock.warnings)
    assert [(i.due, "ground not recorded" in i.detail) for i in _pr_items(db, actor, code)] == [
        (date(2026, 3, 1), True)
    ]

    with db.session() as s:
        saved = set_ground(s, actor, code, "health", note="IRCC letter of 2021-02-10")
    assert (saved.ground, saved.version, saved.recorded_by) == ("health", 1, actor.username)
    assert saved.recorded_at is not None and "3 years" in saved.label
    with db.session() as s:
        view = continuity(s, actor, code, today=TODAY)
        what_if = continuity(s, actor, code, today=TODAY, ground="other")
    assert view.clock.eligible_on == date(2024, 3, 1) and view.ground_used == "health" and not view.overridden
    assert (
        what_if.clock.eligible_on == date(2026, 3, 1)
        and what_if.overridden
        and what_if.ground.ground == "health"
    )
    assert [i.due for i in _pr_items(db, actor, code)] == [date(2024, 3, 1)]

    with pytest.raises(ConflictError), db.session() as s:
        set_ground(s, actor, code, "other", expected_version=0)
    with pytest.raises(UsageError, match="not a ground"), db.session() as s:
        set_ground(s, actor, code, "criminality")
    with db.session() as s:
        changed = set_ground(s, actor, code, "Other", expected_version=1)
        assert changed.version == 2 and changed.note == ""
        assert continuity(s, actor, code, today=TODAY, health_inadmissible=True).clock.eligible_on == date(
            2024, 3, 1
        )
    assert [i.due for i in _pr_items(db, actor, code)] == [date(2026, 3, 1)]


def test_absences_move_or_qualify_the_date(db: Database, actor: Actor, new_case) -> None:  # type: ignore[no-untyped-def]
    code = new_case()
    _permits(db, actor, code)
    with db.session() as s:
        set_ground(s, actor, code, "health")
        trip = add_absence(
            s,
            actor,
            code,
            left_on=date(2023, 6, 1),
            returned_on=date(2023, 7, 1),
            authorized=True,
            note="sister's wedding",
            today=TODAY,
        )
    assert trip.days_abroad == 29 and trip.authorized and trip.recorded_by == actor.username
    view_items = _pr_items(db, actor, code)
    assert [i.due for i in view_items] == [
        date(2024, 3, 1)
    ] and "may not count (then 2024-03-30)" in view_items[0].detail

    with db.session() as s:
        unauthorized = add_absence(
            s, actor, code, left_on=date(2022, 1, 10), returned_on=date(2022, 1, 31), today=TODAY
        )
        view = continuity(s, actor, code, today=TODAY)
    assert view.clock.continuous_since == date(2022, 1, 31) and view.clock.eligible_on == date(2025, 1, 31)
    assert [a.id for a in view.absences] == [unauthorized.id, trip.id]
    assert [e.effect for e in view.clock.absences] == ["break", "counted_with_warning"]
    assert [i.due for i in _pr_items(db, actor, code)] == [date(2025, 1, 31)]

    with db.session() as s:  # it was authorized after all
        fixed = update_absence(
            s,
            actor,
            code,
            unauthorized.id,
            authorized=True,
            expected_version=unauthorized.version,
            today=TODAY,
        )
    assert fixed.authorized and fixed.version == unauthorized.version + 1
    with pytest.raises(ConflictError), db.session() as s:
        update_absence(
            s, actor, code, unauthorized.id, note="x", expected_version=unauthorized.version, today=TODAY
        )
    assert [i.due for i in _pr_items(db, actor, code)] == [date(2024, 3, 1)]

    with db.session() as s:  # still away, without authorization: no eligibility date at all
        away = add_absence(s, actor, code, left_on=date(2024, 1, 5), today=TODAY)
        assert away.returned_on is None and away.days_abroad == (TODAY - date(2024, 1, 5)).days
        assert continuity(s, actor, code, today=TODAY).clock.broken
    assert _pr_items(db, actor, code) == []
    with db.session() as s:
        update_absence(s, actor, code, away.id, returned_on=date(2024, 2, 1), today=TODAY)
        assert continuity(s, actor, code, today=TODAY).clock.eligible_on == date(2027, 2, 1)
        remove_absence(s, actor, code, away.id)
        assert [a.id for a in list_absences(s, actor, code, today=TODAY)] == [unauthorized.id, trip.id]
    with pytest.raises(NotFound), db.session() as s:
        remove_absence(s, actor, code, away.id)


def test_absence_dates_are_checked(db: Database, actor: Actor, new_case) -> None:  # type: ignore[no-untyped-def]
    code = new_case()
    with db.session() as s:
        first = add_absence(
            s, actor, code, left_on=date(2025, 5, 1), returned_on=date(2025, 5, 20), today=TODAY
        )
        add_absence(
            s, actor, code, left_on=date(2025, 5, 20), returned_on=date(2025, 6, 1), today=TODAY
        )  # same day
    for left, back, message in [
        (date(2025, 5, 10), date(2025, 5, 12), "overlaps absence"),
        (date(2025, 4, 1), None, "overlaps absence"),
        (date(2025, 8, 2), date(2025, 8, 1), "before leaving"),
        (date(2026, 12, 1), None, "in the future"),
        (date(2026, 11, 1), date(2026, 12, 1), "in the future"),
    ]:
        with pytest.raises(UsageError, match=message), db.session() as s:
            add_absence(s, actor, code, left_on=left, returned_on=back, today=TODAY)
    with pytest.raises(UsageError, match="under 500"), db.session() as s:
        add_absence(
            s,
            actor,
            code,
            left_on=date(2024, 1, 1),
            returned_on=date(2024, 1, 2),
            note="x" * 501,
            today=TODAY,
        )
    with pytest.raises(UsageError, match="before leaving"), db.session() as s:
        update_absence(s, actor, code, first.id, returned_on=date(2025, 4, 1), today=TODAY)


def test_access_audit_and_destruction(db: Database, actor: Actor, new_case, make_actor) -> None:  # type: ignore[no-untyped-def]
    code = new_case()
    other = make_actor(db, "bea", "accompanier")
    with db.session() as s:
        set_ground(s, actor, code, "other", note="Secret Name in a letter")
        add_absence(
            s,
            actor,
            code,
            left_on=date(2025, 1, 1),
            returned_on=date(2025, 1, 9),
            note="Secret Name trip",
            today=TODAY,
        )
    for call in (
        lambda s: get_ground(s, other, code),
        lambda s: list_absences(s, other, code),
        lambda s: set_ground(s, other, code, "health"),
        lambda s: add_absence(s, other, code, left_on=date(2025, 2, 1), today=TODAY),
    ):
        with pytest.raises(AccessDenied), db.session() as s:
            call(s)
    with db.session() as s:
        rows = audit.entries(s, case_code=code)
        assert {"clock.ground_set", "clock.absence_add"} <= {r.action for r in rows}
        assert "Secret" not in json.dumps([r.detail for r in rows])
    with db.session() as s:
        s.delete(s.scalar(select(Case).where(Case.code == code)))
    with db.session() as s:
        for model in (PermitHolderGround, AbsenceFromCanada):
            assert s.scalar(select(func.count()).select_from(model)) == 0
