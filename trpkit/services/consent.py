"""Consent per purpose, with its history; ``require_consent`` is the gate later features call."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from enum import StrEnum
from typing import TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session

from trpkit.db.base import utcnow
from trpkit.db.models import Case, ConsentEvent, User
from trpkit.domain.vocab import (
    CONSENT_PURPOSE_LABELS,
    ConsentDecision,
    ConsentMethod,
    ConsentPurpose,
    parse_choice,
)
from trpkit.errors import ConsentMissing, UsageError
from trpkit.services import audit
from trpkit.services.access import require_case
from trpkit.services.actor import Actor


@dataclass(frozen=True)
class ConsentRecord:
    purpose: str
    decision: str
    method: str
    interpreter: str
    note: str
    decided_at: datetime
    recorded_at: datetime
    recorded_by: str
    override_reason: str


@dataclass(frozen=True)
class ConsentState:
    purpose: str
    label: str
    state: str  # given | refused | withdrawn | not asked
    since: datetime | None
    history: tuple[ConsentRecord, ...]

    @property
    def granted(self) -> bool:
        return self.state == ConsentDecision.GIVEN.value


E = TypeVar("E", bound=StrEnum)


def _parse(enum: type[E], value: object, what: str) -> E:
    try:
        return parse_choice(enum, str(value), what)
    except ValueError as exc:
        raise UsageError(str(exc)) from None


def decided_at_for(day: date) -> datetime:
    """The moment a consent given on ``day`` (an earlier day, told afterwards) is recorded as: noon UTC,
    so it reads as that day in every timezone the NGOs work in; today means now."""
    now = utcnow()
    if day == now.date():
        return now
    if day > now.date():
        raise UsageError("A consent decision cannot be dated in the future.")
    return datetime.combine(day, time(12, 0), tzinfo=UTC)


def record_consent(
    session: Session,
    actor: Actor,
    code: str,
    *,
    purpose: str,
    decision: str,
    method: str,
    interpreter: str = "",
    note: str = "",
    decided_at: datetime | None = None,
) -> ConsentState:
    case = require_case(session, actor, code)
    purpose_value = _parse(ConsentPurpose, purpose, "consent purpose")
    decision_value = _parse(ConsentDecision, decision, "consent decision")
    method_value = _parse(ConsentMethod, method, "consent method")
    if "interpreter" in method_value.value and not interpreter.strip():
        raise UsageError("Consent given through an interpreter: name the interpreter (--interpreter NAME).")
    when = decided_at or utcnow()
    if when > utcnow():
        raise UsageError("A consent decision cannot be dated in the future.")
    session.add(
        ConsentEvent(
            case_id=case.id,
            purpose=purpose_value.value,
            decision=decision_value.value,
            method=method_value.value,
            interpreter=interpreter.strip(),
            note=note,
            decided_at=when,
            recorded_by_id=actor.user_id,
        )
    )
    session.flush()
    audit.record(
        session,
        actor,
        "consent.record",
        case.code,
        purpose=purpose_value.value,
        decision=decision_value.value,
    )
    return _states(session, case)[purpose_value.value]


def _states(session: Session, case: Case) -> dict[str, ConsentState]:
    rows = session.execute(
        select(ConsentEvent, User.username)
        .outerjoin(User, User.id == ConsentEvent.recorded_by_id)
        .where(ConsentEvent.case_id == case.id)
        .order_by(ConsentEvent.decided_at, ConsentEvent.id)
    ).all()
    history: dict[str, list[ConsentRecord]] = {p.value: [] for p in ConsentPurpose}
    for event, username in rows:
        history.setdefault(event.purpose, []).append(
            ConsentRecord(
                event.purpose,
                event.decision,
                event.method,
                event.interpreter,
                event.note,
                event.decided_at,
                event.recorded_at,
                username or "",
                event.override_reason,
            )
        )
    states: dict[str, ConsentState] = {}
    for purpose, records in history.items():
        latest = records[-1] if records else None
        known = purpose in {p.value for p in ConsentPurpose}
        label = CONSENT_PURPOSE_LABELS[ConsentPurpose(purpose)] if known else purpose
        states[purpose] = ConsentState(
            purpose,
            label,
            latest.decision if latest else "not asked",
            latest.decided_at if latest else None,
            tuple(records),
        )
    return states


def consent_status(session: Session, actor: Actor, code: str) -> list[ConsentState]:
    case = require_case(session, actor, code)
    return list(_states(session, case).values())


def has_consent(session: Session, case_id: int, purpose: ConsentPurpose | str) -> bool:
    """Cheap check for bulk work (coalition export): the latest decision for the purpose is 'given'."""
    latest = session.scalar(
        select(ConsentEvent.decision)
        .where(ConsentEvent.case_id == case_id, ConsentEvent.purpose == str(purpose))
        .order_by(ConsentEvent.decided_at.desc(), ConsentEvent.id.desc())
        .limit(1)
    )
    return latest == ConsentDecision.GIVEN.value


def require_consent(session: Session, case: Case | int, purpose: ConsentPurpose | str) -> None:
    """Raise ConsentMissing, naming the purpose, unless the person's latest decision for it is 'given'."""
    case_obj = case if isinstance(case, Case) else session.get(Case, case)
    if case_obj is None:
        raise UsageError(f"no case with id {case}")
    purpose_value = ConsentPurpose(str(purpose))
    state = _states(session, case_obj)[purpose_value.value]
    if not state.granted:
        raise ConsentMissing(case_obj.code, CONSENT_PURPOSE_LABELS[purpose_value], state.state)
