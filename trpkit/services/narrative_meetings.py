"""The narrative's meetings: the days the person told their story, each with who was there and how."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from trpkit.db.models.narrative import NarrativeEntry, NarrativeMeeting
from trpkit.errors import ConflictError, UsageError
from trpkit.services import audit
from trpkit.services.actor import Actor
from trpkit.services.narrative import MeetingRow, _case, _get_meeting, _meeting_row, language_code


def add_meeting(
    session: Session,
    actor: Actor,
    code: str,
    *,
    held_on: date,
    place: str = "",
    present: list[str] | tuple[str, ...] = (),
    language: str = "",
    interpreter: str = "",
    duration_minutes: int | None = None,
    wellbeing_notes: str = "",
) -> MeetingRow:
    case = _case(session, actor, code, write=True)
    if duration_minutes is not None and duration_minutes < 0:
        raise UsageError("duration must be a number of minutes, 0 or more")
    meeting = NarrativeMeeting(
        case_id=case.id,
        held_on=held_on,
        place=place.strip(),
        present=[p.strip() for p in present if p.strip()],
        language=language_code(language),
        interpreter=interpreter.strip(),
        duration_minutes=duration_minutes,
        wellbeing_notes=wellbeing_notes,
        created_by_id=actor.user_id,
    )
    session.add(meeting)
    session.flush()
    audit.record(session, actor, "narrative.meeting.add", case.code, meeting=meeting.id)
    return _meeting_row(meeting, 0)


MEETING_FIELDS = (
    "held_on",
    "place",
    "present",
    "language",
    "interpreter",
    "duration_minutes",
    "wellbeing_notes",
)


def update_meeting(
    session: Session,
    actor: Actor,
    code: str,
    meeting_id: int,
    *,
    expected_version: int | None = None,
    **values: Any,
) -> MeetingRow:
    case = _case(session, actor, code, write=True)
    meeting = _get_meeting(session, case, meeting_id)
    unknown = set(values) - set(MEETING_FIELDS)
    if unknown:
        raise UsageError(f"unknown meeting field(s): {', '.join(sorted(unknown))}")
    if expected_version is not None and meeting.version != expected_version:
        raise ConflictError(
            f"Meeting {meeting_id} was changed by someone else (now version {meeting.version}). "
            "Reload and apply your change again."
        )
    if "language" in values:
        values["language"] = language_code(str(values["language"] or ""))
    for key, value in values.items():
        setattr(meeting, key, list(value) if key == "present" else value)
    try:
        session.flush()
    except StaleDataError:
        raise ConflictError(f"Meeting {meeting_id} was changed by someone else at the same time.") from None
    audit.record(
        session, actor, "narrative.meeting.update", case.code, meeting=meeting.id, fields=sorted(values)
    )
    count = session.scalar(
        select(func.count(NarrativeEntry.id)).where(NarrativeEntry.meeting_id == meeting.id)
    )
    return _meeting_row(meeting, count or 0)


def list_meetings(session: Session, actor: Actor, code: str) -> list[MeetingRow]:
    case = _case(session, actor, code)
    counts = dict(
        session.execute(
            select(NarrativeEntry.meeting_id, func.count(NarrativeEntry.id))
            .where(NarrativeEntry.case_id == case.id)
            .group_by(NarrativeEntry.meeting_id)
        ).all()
    )
    meetings = session.scalars(
        select(NarrativeMeeting)
        .where(NarrativeMeeting.case_id == case.id)
        .order_by(NarrativeMeeting.held_on, NarrativeMeeting.id)
    )
    audit.record(session, actor, "narrative.read", case.code, what="meetings")
    return [_meeting_row(m, counts.get(m.id, 0)) for m in meetings]


def find_or_add_meeting(
    session: Session, actor: Actor, code: str, held_on: date, **values: Any
) -> MeetingRow:
    """The meeting held that day (the latest one if several), or a new one."""
    case = _case(session, actor, code, write=True)
    meeting = session.scalar(
        select(NarrativeMeeting)
        .where(NarrativeMeeting.case_id == case.id, NarrativeMeeting.held_on == held_on)
        .order_by(NarrativeMeeting.id.desc())
        .limit(1)
    )
    if meeting is not None:
        count = session.scalar(
            select(func.count(NarrativeEntry.id)).where(NarrativeEntry.meeting_id == meeting.id)
        )
        return _meeting_row(meeting, count or 0)
    return add_meeting(session, actor, code, held_on=held_on, **values)
