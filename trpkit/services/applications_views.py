"""What an application looks like to the faces: its reference, the frozen DTOs (an application with its
stages and decision, a row of a list, a decision) and how they are put together from the rows."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from trpkit.db.models import Application, Decision
from trpkit.domain.applications import OPEN_STAGES, OUTCOME_LABELS, SHORT_LABELS, STAGE_LABELS
from trpkit.loading.ircc_periods import refusal_reasons


def make_ref(case_code: str, seq: int) -> str:
    return f"{case_code}/A{seq}"


@dataclass(frozen=True)
class StageEventRow:
    stage: str
    occurred_on: date
    due_on: date | None
    note: str
    recorded_by: str


@dataclass(frozen=True)
class DecisionDetail:
    id: int
    ref: str
    case_code: str
    application_type: str
    outcome: str
    outcome_label: str
    decided_on: date
    validity_start: date | None
    validity_end: date | None
    duration_granted_days: int | None
    conditions: str
    ircc_office: str
    officer_label: str
    reasons_text: str
    refusal_reasons: tuple[str, ...]
    refusal_reason_labels: tuple[str, ...]
    snapshot: dict[str, Any]
    version: int


@dataclass(frozen=True)
class ApplicationSummary:
    id: int
    ref: str
    case_code: str
    seq: int
    type: str
    type_label: str
    stage: str
    stage_label: str
    stage_since: date
    stage_due_on: date | None
    submitted_on: date | None
    ircc_office: str
    file_number: str
    policy_period: str
    outcome: str | None
    decided_on: date | None
    validity_end: date | None
    version: int


@dataclass(frozen=True)
class ApplicationDetail:
    id: int
    ref: str
    case_code: str
    seq: int
    type: str
    type_label: str
    stage: str
    stage_label: str
    stage_since: date
    stage_due_on: date | None
    submitted_on: date | None
    ircc_office: str
    file_number: str
    draft_id: int | None
    policy_period: str
    notes: str
    version: int
    events: tuple[StageEventRow, ...]
    decision: DecisionDetail | None

    @property
    def is_open(self) -> bool:
        return self.stage in OPEN_STAGES


def reason_labels(codes: tuple[str, ...] | list[str]) -> tuple[str, ...]:
    labels = {r.code: r.label for r in refusal_reasons()}
    return tuple(labels.get(c, c) for c in codes)


def decision_detail(decision: Decision, case_code: str, seq: int, app_type: str) -> DecisionDetail:
    codes = tuple(decision.refusal_reasons or ())
    return DecisionDetail(
        decision.id,
        make_ref(case_code, seq),
        case_code,
        app_type,
        decision.outcome,
        OUTCOME_LABELS.get(decision.outcome, decision.outcome),
        decision.decided_on,
        decision.validity_start,
        decision.validity_end,
        decision.duration_granted_days,
        decision.conditions,
        decision.ircc_office,
        decision.officer_label,
        decision.reasons_text,
        codes,
        reason_labels(codes),
        dict(decision.snapshot or {}),
        decision.version,
    )


def assemble(
    app: Application, case_code: str, events: tuple[StageEventRow, ...], decision: Decision | None
) -> ApplicationDetail:
    """The one place an application's view is put together (one application, or a case's list)."""
    return ApplicationDetail(
        app.id,
        make_ref(case_code, app.seq),
        case_code,
        app.seq,
        app.type,
        SHORT_LABELS.get(app.type, app.type),
        app.stage,
        STAGE_LABELS.get(app.stage, app.stage),
        app.stage_since,
        app.stage_due_on,
        app.submitted_on,
        app.ircc_office,
        app.file_number,
        app.draft_id,
        app.policy_period,
        app.notes,
        app.version,
        events,
        decision_detail(decision, case_code, app.seq, app.type) if decision else None,
    )
