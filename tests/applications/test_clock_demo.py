"""The demo's grounds and absences obey the rules the services enforce."""

from __future__ import annotations

from collections import Counter
from datetime import date

from sqlalchemy import select

from trpkit.db.database import Database
from trpkit.db.models import AbsenceFromCanada, Case, Decision, PermitHolderGround
from trpkit.services.clock_view import continuity

TODAY = date(2026, 11, 28)


def test_demo_clock_facts_are_consistent(vault_db: Database) -> None:
    from trpkit.demo import generate
    from trpkit.services.users import actor_for, create_user

    with vault_db.session() as s:
        create_user(s, "demo", role="supervisor")
        actor = actor_for(s, "demo")
        generate(s, actor, 400, seed=11, today=TODAY)
    with vault_db.session() as s:
        grounds = s.scalars(select(PermitHolderGround)).all()
        trips = s.scalars(select(AbsenceFromCanada)).all()
        first_trp = dict(
            s.execute(
                select(Decision.case_id, Decision.validity_start)
                .where(Decision.validity_start.is_not(None))
                .order_by(Decision.validity_start.desc())
            ).all()
        )
        codes = dict(s.execute(select(Case.id, Case.code)).all())
    assert Counter(g.ground for g in grounds).keys() <= {"health", "other"} and len(grounds) >= 5
    assert len(trips) >= 2 and len({t.case_id for t in trips}) == len(
        trips
    )  # at most one per case: no overlap
    for trip in trips:
        assert trip.left_on <= TODAY and trip.left_on > first_trp[trip.case_id]
        assert trip.returned_on is None or trip.left_on <= trip.returned_on <= TODAY
        assert trip.recorded_by_id == actor.user_id and trip.version == 1
    with vault_db.session() as s:
        for trip in trips:
            view = continuity(s, actor, codes[trip.case_id], today=TODAY, record=False)
            assert [a.id for a in view.absences] == [trip.id]
            assert len(view.clock.absences) == 1
