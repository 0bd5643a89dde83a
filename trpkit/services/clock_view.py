"""The permit-holder clock of one case (IRPR ss. 64-65), from its granted TRPs, its recorded ground of
inadmissibility and its absences from Canada."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy.orm import Session

from trpkit.domain.applications import OPEN_STAGES, TRP_TYPES
from trpkit.domain.clocks import ContinuityClock, Permit, health_only
from trpkit.domain.permit_holder_clock import permit_holder_clock
from trpkit.services import audit
from trpkit.services.access import require_case
from trpkit.services.actor import Actor
from trpkit.services.applications_views import make_ref
from trpkit.services.clock_facts import AbsenceView, GroundView, get_ground, list_absences, parse_ground
from trpkit.services.deadlines import _open_rows, _permit_rows


@dataclass(frozen=True)
class ContinuityView:
    case_code: str
    permits: tuple[Permit, ...]
    clock: ContinuityClock
    today: date
    ground: GroundView  # the ground recorded for the case (ground "unknown", version 0: nothing recorded)
    ground_used: str  # the ground the clock counted with: the recorded one, or the override
    overridden: bool  # True when the caller asked "what if" with another ground
    absences: tuple[AbsenceView, ...] = ()


def continuity(
    session: Session,
    actor: Actor,
    code: str,
    *,
    today: date | None = None,
    health_inadmissible: bool | None = None,
    ground: str | None = None,
    record: bool = True,
) -> ContinuityView:
    """The permit-holder-class clock for one case, from its granted TRPs, its recorded ground of
    inadmissibility and its absences from Canada.

    ``ground`` (health | other | unknown) or ``health_inadmissible=True`` count with that ground instead
    of the recorded one ("what if"); nothing is saved.
    """
    today = today or date.today()
    case = require_case(session, actor, code)
    rows = _permit_rows(session, actor, case.id)
    chain = tuple(
        sorted(
            (
                Permit(start or end, end, applied, make_ref(c, seq))
                for c, seq, kind, start, end, applied in rows
                if kind in TRP_TYPES
            ),
            key=lambda p: (p.start, p.end),
        )
    )
    pending = [
        r[6]
        for r in _open_rows(session, actor, case.id)
        if r[2] in TRP_TYPES and r[3] in OPEN_STAGES and r[6]
    ]
    recorded = get_ground(session, actor, case.code, record=False)
    trips = tuple(list_absences(session, actor, case.code, today=today, record=False))
    used = (
        parse_ground(ground) if ground is not None else "health" if health_inadmissible else recorded.ground
    )
    clock = permit_holder_clock(
        chain,
        today,
        health_inadmissible=health_only(used),
        pending_application_on=min(pending) if pending else None,
        absences=[t.to_absence() for t in trips],
    )
    if record:  # the Applications tab already logged its read of the case's applications
        audit.record(
            session, actor, "deadlines.continuity", case.code, permits=len(chain), absences=len(trips)
        )
    return ContinuityView(case.code, chain, clock, today, recorded, used, used != recorded.ground, trips)
