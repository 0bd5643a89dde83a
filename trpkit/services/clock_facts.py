"""Facts the permit-holder clock needs besides the permits: the ground of inadmissibility (3 or 5 years)
and the person's absences from Canada. One ground per case; any number of absences.

Audit details carry dates, flags and ids only: never the notes.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from trpkit.db.base import utcnow
from trpkit.db.models import AbsenceFromCanada, Case, PermitHolderGround, User
from trpkit.domain.clocks import GROUNDS, Absence
from trpkit.errors import ConflictError, NotFound, UsageError
from trpkit.services import audit
from trpkit.services.access import require_case, visible_cases
from trpkit.services.actor import Actor

NOTE_MAX = 500


@dataclass(frozen=True)
class GroundView:
    case_code: str
    ground: str  # health | other | unknown
    label: str
    note: str
    recorded_by: str  # "" when nothing was recorded
    recorded_at: datetime | None
    version: int  # 0 when nothing was recorded


@dataclass(frozen=True)
class AbsenceView:
    id: int
    case_code: str
    left_on: date
    returned_on: date | None  # None: still away
    authorized: bool
    note: str
    days_abroad: int  # whole days abroad (up to today when still away)
    recorded_by: str
    recorded_at: datetime
    version: int

    def to_absence(self) -> Absence:
        return Absence(self.left_on, self.returned_on, self.authorized, f"absence #{self.id}")


def parse_ground(value: str) -> str:
    ground = (value or "").strip().lower().replace("-", "_")
    ground = {"health_only": "health", "not_known": "unknown", "none": "unknown"}.get(ground, ground)
    if ground not in GROUNDS:
        raise UsageError(f"'{value}' is not a ground: use health (health grounds only), other or unknown")
    return ground


def _note(note: str) -> str:
    note = (note or "").strip()
    if len(note) > NOTE_MAX:
        raise UsageError(f"the note is {len(note)} characters: keep it under {NOTE_MAX} (no names)")
    return note


def _user(session: Session, user_id: int | None) -> str:
    return (session.scalar(select(User.username).where(User.id == user_id)) or "") if user_id else ""


def _ground_view(session: Session, code: str, row: PermitHolderGround | None) -> GroundView:
    if row is None:
        return GroundView(code, "unknown", GROUNDS["unknown"], "", "", None, 0)
    return GroundView(
        code,
        row.ground,
        GROUNDS[row.ground],
        row.note,
        _user(session, row.recorded_by_id),
        row.recorded_at,
        row.version,
    )


def get_ground(session: Session, actor: Actor, code: str, *, record: bool = True) -> GroundView:
    case = require_case(session, actor, code)
    row = session.scalar(select(PermitHolderGround).where(PermitHolderGround.case_id == case.id))
    if record:
        audit.record(session, actor, "clock.ground_read", case.code)
    return _ground_view(session, case.code, row)


def set_ground(
    session: Session,
    actor: Actor,
    code: str,
    ground: str,
    *,
    note: str = "",
    expected_version: int | None = None,
) -> GroundView:
    """Record the ground that sets the mark: health (health grounds only: 3 years), other, or unknown."""
    case = require_case(session, actor, code)
    value = parse_ground(ground)
    row = session.scalar(select(PermitHolderGround).where(PermitHolderGround.case_id == case.id))
    current = row.version if row is not None else 0
    if expected_version is not None and expected_version != current:
        raise ConflictError(
            f"the ground of {case.code} was changed by someone else (now version {current}). "
            "Reload it and try again."
        )
    if row is None:
        row = PermitHolderGround(
            case_id=case.id,
            ground=value,
            note=_note(note),
            recorded_by_id=actor.user_id,
            recorded_at=utcnow(),
        )
        session.add(row)
    else:
        row.ground, row.note, row.recorded_by_id, row.recorded_at = (
            value,
            _note(note),
            actor.user_id,
            utcnow(),
        )
    try:
        session.flush()
    except StaleDataError:
        raise ConflictError(
            f"the ground of {case.code} was changed at the same time. Reload and retry."
        ) from None
    audit.record(session, actor, "clock.ground_set", case.code, ground=value)
    return _ground_view(session, case.code, row)


def _absence_view(code: str, row: AbsenceFromCanada, names: dict[int, str], today: date) -> AbsenceView:
    days = Absence(row.left_on, row.returned_on, row.authorized).days_abroad(today)
    return AbsenceView(
        row.id,
        code,
        row.left_on,
        row.returned_on,
        bool(row.authorized),
        row.note,
        days,
        names.get(row.recorded_by_id or 0, ""),
        row.recorded_at,
        row.version,
    )


def _names(session: Session) -> dict[int, str]:
    return dict(session.execute(select(User.id, User.username)).all())


def list_absences(
    session: Session, actor: Actor, code: str, *, today: date | None = None, record: bool = True
) -> list[AbsenceView]:
    """The case's absences from Canada, earliest first."""
    today = today or date.today()
    case = require_case(session, actor, code)
    rows = session.scalars(
        select(AbsenceFromCanada)
        .where(AbsenceFromCanada.case_id == case.id)
        .order_by(AbsenceFromCanada.left_on, AbsenceFromCanada.id)
    ).all()
    if record:
        audit.record(session, actor, "clock.absences_read", case.code, absences=len(rows))
    names = _names(session) if rows else {}
    return [_absence_view(case.code, r, names, today) for r in rows]


def _check_dates(left_on: date, returned_on: date | None, today: date) -> None:
    if left_on > today:
        raise UsageError(f"left on {left_on} is in the future: record a trip once the person has left")
    if returned_on is not None and returned_on < left_on:
        raise UsageError(f"returned on {returned_on} is before leaving on {left_on}")
    if returned_on is not None and returned_on > today:
        raise UsageError(
            f"returned on {returned_on} is in the future: leave it empty while the person is away"
        )


def _overlap(
    session: Session, case_id: int, left_on: date, returned_on: date | None, skip: int | None
) -> None:
    for other in session.scalars(select(AbsenceFromCanada).where(AbsenceFromCanada.case_id == case_id)):
        if other.id == skip:
            continue
        a_end = returned_on or date.max
        b_end = other.returned_on or date.max
        if left_on < b_end and other.left_on < a_end:  # a return day may be the next departure day
            shown = other.returned_on or "still away"
            raise UsageError(
                f"this absence overlaps absence #{other.id} ({other.left_on} to {shown}): "
                "edit that one instead"
            )


def add_absence(
    session: Session,
    actor: Actor,
    code: str,
    *,
    left_on: date,
    returned_on: date | None = None,
    authorized: bool = False,
    note: str = "",
    today: date | None = None,
) -> AbsenceView:
    """Record time outside Canada. ``authorized``: the person's TRP authorized leaving and re-entering."""
    today = today or date.today()
    case = require_case(session, actor, code)
    _check_dates(left_on, returned_on, today)
    _overlap(session, case.id, left_on, returned_on, None)
    row = AbsenceFromCanada(
        case_id=case.id,
        left_on=left_on,
        returned_on=returned_on,
        authorized=authorized,
        note=_note(note),
        recorded_by_id=actor.user_id,
        recorded_at=utcnow(),
    )
    session.add(row)
    session.flush()
    audit.record(
        session,
        actor,
        "clock.absence_add",
        case.code,
        absence=row.id,
        authorized=authorized,
        returned=returned_on is not None,
    )
    return _absence_view(case.code, row, _names(session), today)


def _load_absence(
    session: Session, actor: Actor, code: str, absence_id: int
) -> tuple[Case, AbsenceFromCanada]:
    case = require_case(session, actor, code)
    row = session.scalar(
        select(AbsenceFromCanada).where(
            AbsenceFromCanada.id == absence_id, AbsenceFromCanada.case_id == case.id
        )
    )
    if row is None:
        raise NotFound(
            f"{case.code} has no absence #{absence_id} (see 'trpkit clock absence list {case.code}')"
        )
    return case, row


_UNSET = object()


def update_absence(
    session: Session,
    actor: Actor,
    code: str,
    absence_id: int,
    *,
    left_on: date | None = None,
    returned_on: date | object | None = _UNSET,
    authorized: bool | None = None,
    note: str | None = None,
    expected_version: int | None = None,
    today: date | None = None,
) -> AbsenceView:
    """Change an absence: e.g. record the return (``returned_on``), or clear it with ``returned_on=None``."""
    today = today or date.today()
    case, row = _load_absence(session, actor, code, absence_id)
    if expected_version is not None and row.version != expected_version:
        raise ConflictError(
            f"absence #{absence_id} was changed by someone else (now version {row.version}). "
            "Reload it and try again."
        )
    new_left = left_on or row.left_on
    new_return = row.returned_on if returned_on is _UNSET else returned_on
    assert new_return is None or isinstance(new_return, date)
    _check_dates(new_left, new_return, today)
    _overlap(session, case.id, new_left, new_return, row.id)
    row.left_on, row.returned_on = new_left, new_return
    if authorized is not None:
        row.authorized = authorized
    if note is not None:
        row.note = _note(note)
    row.recorded_by_id, row.recorded_at = actor.user_id, utcnow()
    try:
        session.flush()
    except StaleDataError:
        raise ConflictError(
            f"absence #{absence_id} was changed at the same time. Reload and retry."
        ) from None
    audit.record(
        session,
        actor,
        "clock.absence_edit",
        case.code,
        absence=row.id,
        authorized=bool(row.authorized),
        returned=row.returned_on is not None,
    )
    return _absence_view(case.code, row, _names(session), today)


def remove_absence(session: Session, actor: Actor, code: str, absence_id: int) -> None:
    case, row = _load_absence(session, actor, code, absence_id)
    session.delete(row)
    session.flush()
    audit.record(session, actor, "clock.absence_remove", case.code, absence=absence_id)


def clock_facts_for(
    session: Session, actor: Actor, case_id: int | None = None
) -> tuple[dict[str, str], dict[str, list[Absence]]]:
    """Grounds and absences of every visible open case (or one case), in two set-based queries, for the
    deadline list: case code -> ground, case code -> absences."""
    ground_stmt = (
        visible_cases(actor, select(Case.code, PermitHolderGround.ground))
        .join(PermitHolderGround, PermitHolderGround.case_id == Case.id)
        .where(Case.status != "closed")
    )
    absence_stmt = (
        visible_cases(
            actor,
            select(
                Case.code,
                AbsenceFromCanada.id,
                AbsenceFromCanada.left_on,
                AbsenceFromCanada.returned_on,
                AbsenceFromCanada.authorized,
            ),
        )
        .join(AbsenceFromCanada, AbsenceFromCanada.case_id == Case.id)
        .where(Case.status != "closed")
    )
    if case_id is not None:
        ground_stmt = ground_stmt.where(Case.id == case_id)
        absence_stmt = absence_stmt.where(Case.id == case_id)
    connection = session.connection()
    grounds = dict(connection.execute(ground_stmt).all())
    absences: dict[str, list[Absence]] = defaultdict(list)
    for code, absence_id, left, back, authorized in connection.execute(absence_stmt):
        absences[code].append(Absence(left, back, bool(authorized), f"absence #{absence_id}"))
    return grounds, dict(absences)
