"""IRCC decisions: record one per application, with a snapshot of the file as it stood that day.

The snapshot is what the coalition analysis compares across decisions: police cooperation,
criminal case status, sector, the Delphi indicator assessment, the number of exhibits and the
policy period. It never contains names or narrative text.
"""

from __future__ import annotations

import dataclasses
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from trpkit.db.models import Application, Case, Decision
from trpkit.domain.applications import (
    GRANTING_OUTCOMES,
    PERMIT_FAMILIES,
    REASONED_OUTCOMES,
    Outcome,
    Stage,
    check_officer_label,
)
from trpkit.domain.clocks import validity_days, validity_end
from trpkit.domain.ircc_periods import validate_reason_codes
from trpkit.errors import ConflictError, NotFound, UsageError
from trpkit.loading.ircc_periods import refusal_reason_codes
from trpkit.services import audit
from trpkit.services.actor import Actor
from trpkit.services.applications import _add_stage, _choice, _locate, _not_future, period_id_for
from trpkit.services.applications_views import DecisionDetail, decision_detail, make_ref

DELPHI_KEYS = ("framework", "identified", "positive_dimensions", "strong", "medium", "weak")


def _as_dict(value: Any) -> dict[str, Any]:
    if value is None:
        return {}
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return dataclasses.asdict(value)
    if isinstance(value, dict):
        return dict(value)
    return {k: getattr(value, k) for k in DELPHI_KEYS if hasattr(value, k)}


def _jsonable(value: Any) -> Any:
    if isinstance(value, (list, tuple, set, frozenset)):
        return [_jsonable(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, (date,)):
        return value.isoformat()
    return value


def delphi_summaries(session: Session, case_ids: list[int]) -> dict[int, dict[str, Any]]:
    """The Delphi assessment summary per case (from the indicators area), as JSON-safe dicts."""
    from trpkit.services.indicators_assessment import assessment_summaries

    return {
        int(case_id): {k: _jsonable(_as_dict(summary).get(k)) for k in DELPHI_KEYS}
        for case_id, summary in assessment_summaries(session, case_ids).items()
    }


def exhibit_counts(session: Session, case_ids: list[int]) -> dict[int, int]:
    """Exhibits per case (from the evidence area); a case without any counts 0."""
    from trpkit.services.evidence import exhibit_counts as counts_by_case

    found = counts_by_case(session, case_ids)
    return {case_id: found.get(case_id, 0) for case_id in case_ids}


def build_snapshot(session: Session, case: Case, decided_on: date) -> dict[str, Any]:
    """The file at decision time (codes and counts only)."""
    delphi = delphi_summaries(session, [case.id]).get(case.id)
    exhibits = exhibit_counts(session, [case.id]).get(case.id)
    return {
        "law_enforcement_cooperation": case.law_enforcement_cooperation,
        "criminal_case_status": case.criminal_case_status,
        "exploitation_sector": case.exploitation_sector,
        "delphi": delphi if delphi is not None else dict.fromkeys(DELPHI_KEYS),
        "exhibits": exhibits,
        "policy_period": period_id_for(decided_on),
    }


# Long by its signature: one keyword per field of a decision (the checks are the helpers below).
def record_decision(
    session: Session,
    actor: Actor,
    ref: str,
    *,
    outcome: str,
    decided_on: date,
    validity_start: date | None = None,
    validity_end_on: date | None = None,
    duration_days: int | None = None,
    conditions: str = "",
    ircc_office: str | None = None,
    officer_label: str = "",
    reasons_text: str = "",
    refusal_reasons: list[str] | tuple[str, ...] = (),
    replace: bool = False,
    expected_version: int | None = None,
    today: date | None = None,
) -> DecisionDetail:
    """Record IRCC's decision on an application and close the application.

    Granted permits need their validity (an end date, or a duration in days counted from the start).
    Refusals need at least one reason code ('other' with the letter's words when none fits).
    ``replace=True`` corrects a decision already recorded (``expected_version`` guards the edit).
    """
    today = today or date.today()
    case, app = _locate(session, actor, ref)
    label = make_ref(case.code, app.seq)
    result = _choice(Outcome, outcome, "outcome").value
    _not_future(decided_on, "the decision date", today)
    if app.submitted_on and decided_on < app.submitted_on:
        raise UsageError(
            f"{label} was submitted on {app.submitted_on}: the decision cannot be dated {decided_on}"
        )
    existing = _decision_to_replace(session, app, label, replace, expected_version)
    try:
        label_value = check_officer_label(officer_label)
        codes = validate_reason_codes(refusal_reasons, refusal_reason_codes())
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    start, end, days = _validity(app, result, decided_on, validity_start, validity_end_on, duration_days)
    _check_reasons(result, codes)
    values = {
        "outcome": result,
        "decided_on": decided_on,
        "validity_start": start,
        "validity_end": end,
        "duration_granted_days": days,
        "conditions": conditions.strip(),
        "ircc_office": (ircc_office if ircc_office is not None else app.ircc_office).strip(),
        "officer_label": label_value,
        "reasons_text": reasons_text.strip(),
        "refusal_reasons": codes,
        "snapshot": build_snapshot(session, case, decided_on),
    }
    decision = _save(session, actor, case, app, existing, values)
    audit.record(
        session,
        actor,
        "decision.replace" if existing else "decision.record",
        case.code,
        application=f"A{app.seq}",
        outcome=result,
        reasons=codes,
    )
    return decision_detail(decision, case.code, app.seq, app.type)


def _decision_to_replace(
    session: Session, app: Application, label: str, replace: bool, expected_version: int | None
) -> Decision | None:
    """The decision already recorded (None: a first one), refused unless the caller asked to replace it,
    and a first decision refused unless the application was submitted."""
    existing = session.scalar(select(Decision).where(Decision.application_id == app.id))
    if existing is not None and not replace:
        raise UsageError(
            f"{label} already has a decision ({existing.outcome} on {existing.decided_on}). "
            "To correct it, record it again with --replace."
        )
    if existing is None and replace:
        raise NotFound(f"{label} has no decision to replace yet.")
    if existing is not None and expected_version is not None and existing.version != expected_version:
        raise ConflictError(
            f"The decision on {label} was changed by someone else (now version {existing.version})."
        )
    if existing is None and app.stage not in (
        "submitted",
        "acknowledged",
        "interview_scheduled",
        "info_requested",
    ):
        raise UsageError(
            f"{label} is at stage '{app.stage}': only a submitted application can be decided "
            f"(advance it first: trpkit application advance {label} submitted --on DATE)"
        )
    return existing


def _validity(
    app: Application,
    result: str,
    decided_on: date,
    start: date | None,
    end: date | None,
    days: int | None,
) -> tuple[date | None, date | None, int | None]:
    """(first day, last day, days) of the permit granted; none for a decision that grants no permit."""
    if result not in GRANTING_OUTCOMES:
        if start or end or days:
            raise UsageError(
                f"a decision '{result}' grants no permit: leave out the validity dates and duration"
            )
        return start, end, days
    if app.type not in PERMIT_FAMILIES:
        if start or end or days:
            raise UsageError(
                f"a {app.type.replace('_', ' ')} decision has no permit validity: leave out the "
                "validity dates and duration (record the PR or status date in --conditions)"
            )
        return start, end, days
    start = start or decided_on
    if end is None and days is None:
        raise UsageError("a granted permit needs its validity: give --valid-to DATE or --days N")
    if days is not None and days < 1:
        raise UsageError("--days must be a positive number of days")
    if end is None:
        end = validity_end(start, days)  # type: ignore[arg-type]
    if end < start:
        raise UsageError(f"the permit cannot end ({end}) before it starts ({start})")
    computed = validity_days(start, end)
    if days is not None and days != computed:
        raise UsageError(f"{start} to {end} is {computed} days, not {days}: give one or the other")
    return start, end, computed


def _check_reasons(result: str, codes: list[str]) -> None:
    if codes and result not in REASONED_OUTCOMES:
        raise UsageError(
            f"refusal reasons belong to refused, partly granted or returned decisions, not '{result}'"
        )
    if result == Outcome.REFUSED.value and not codes:
        raise UsageError(
            "a refusal needs at least one reason code (--reason CODE; use 'other' and --reasons-text "
            "when none fits). List the codes with 'trpkit decision reasons'."
        )


def _save(
    session: Session,
    actor: Actor,
    case: Case,
    app: Application,
    existing: Decision | None,
    values: dict[str, Any],
) -> Decision:
    """Write the decision (or correct it), close the application, and move the case file on."""
    result, decided_on = values["outcome"], values["decided_on"]
    final_stage = Stage.WITHDRAWN.value if result == Outcome.WITHDRAWN.value else Stage.DECIDED.value
    if existing is None:
        decision = Decision(application_id=app.id, case_id=case.id, recorded_by_id=actor.user_id, **values)
        session.add(decision)
        _add_stage(
            session, actor, app, final_stage, max(decided_on, app.stage_since), note=f"decision: {result}"
        )
    else:
        decision = existing
        for key, value in values.items():
            setattr(decision, key, value)
        if app.stage != final_stage:  # a correction from or to 'withdrawn' moves the application too
            _add_stage(
                session,
                actor,
                app,
                final_stage,
                max(decided_on, app.stage_since),
                note=f"decision corrected: {result}",
            )
    if result != Outcome.WITHDRAWN.value and case.status in ("intake", "preparing", "submitted"):
        case.status = "decided"  # the case file follows its newest decision; 'closed' stays closed
    try:
        session.flush()
    except StaleDataError:
        raise ConflictError(
            f"The decision on {make_ref(case.code, app.seq)} was changed at the same time. Reload and retry."
        ) from None
    return decision


def get_decision(session: Session, actor: Actor, ref: str) -> DecisionDetail:
    case, app = _locate(session, actor, ref)
    decision = session.scalar(select(Decision).where(Decision.application_id == app.id))
    if decision is None:
        raise NotFound(f"{make_ref(case.code, app.seq)} has no decision yet (stage: {app.stage}).")
    audit.record(session, actor, "decision.read", case.code, application=f"A{app.seq}")
    return decision_detail(decision, case.code, app.seq, app.type)
