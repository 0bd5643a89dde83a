"""Supervisor consent overrides: a decision recorded on the supervisor's authority, with a mandatory reason.

Typical uses: the person gave consent in a way that could not be recorded at the time (a call through
an interpreter the accompanier could not reach afterwards) and a deadline will not wait; or a safety
concern means a purpose must be stopped now ("withdrawn") before the person can be asked again.

The override is an ordinary entry in the consent history (so ``require_consent`` honours it exactly
as it honours the person's own latest decision), marked with ``method = supervisor_override`` and the
reason. The audit log records that an override happened, for which purpose and decision; the reason
text stays in the case file, never in the audit log.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from trpkit.db.base import utcnow
from trpkit.db.models import ConsentEvent
from trpkit.domain.vocab import ConsentDecision, ConsentPurpose, parse_choice
from trpkit.errors import UsageError
from trpkit.services import audit
from trpkit.services.access import OVERRIDE_CONSENT, require_case, require_role
from trpkit.services.actor import Actor
from trpkit.services.consent import ConsentState, consent_status

OVERRIDE_METHOD = "supervisor_override"
MIN_REASON_CHARS = 15


def override_consent(
    session: Session,
    actor: Actor,
    code: str,
    *,
    purpose: str,
    decision: str,
    reason: str,
    decided_at: datetime | None = None,
) -> ConsentState:
    """Record ``decision`` for ``purpose`` on a supervisor's authority. ``reason`` is mandatory."""
    require_role(actor, OVERRIDE_CONSENT, "override a consent decision")
    case = require_case(session, actor, code)
    try:
        purpose_value = parse_choice(ConsentPurpose, purpose, "consent purpose")
        decision_value = parse_choice(ConsentDecision, decision, "consent decision")
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    reason = (reason or "").strip()
    if len(reason) < MIN_REASON_CHARS:
        raise UsageError(
            f"An override needs a reason of at least {MIN_REASON_CHARS} characters: say why the person's own "
            "decision could not be recorded, and on what basis you decide."
        )
    when = decided_at or utcnow()
    if when > utcnow():
        raise UsageError("A consent decision cannot be dated in the future.")
    session.add(
        ConsentEvent(
            case_id=case.id,
            purpose=purpose_value.value,
            decision=decision_value.value,
            method=OVERRIDE_METHOD,
            decided_at=when,
            recorded_by_id=actor.user_id,
            note="",
            override_reason=reason,
        )
    )
    session.flush()
    audit.record(
        session,
        actor,
        "consent.override",
        case.code,
        purpose=purpose_value.value,
        decision=decision_value.value,
    )
    states = {state.purpose: state for state in consent_status(session, actor, case.code)}
    return states[purpose_value.value]
