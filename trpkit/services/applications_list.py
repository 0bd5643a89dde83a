"""The list of applications across the cases a person may open (one query), for `trpkit application list`."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Row, Select, select
from sqlalchemy.orm import Session

from trpkit.db.models import Application, Case, Decision
from trpkit.domain.applications import SHORT_LABELS, STAGE_LABELS, ApplicationType, Stage
from trpkit.services import audit
from trpkit.services.access import require_case, visible_cases
from trpkit.services.actor import Actor
from trpkit.services.applications import _choice
from trpkit.services.applications_views import ApplicationSummary, make_ref


def list_applications(
    session: Session,
    actor: Actor,
    *,
    code: str | None = None,
    stage: str | None = None,
    type: str | None = None,
    limit: int | None = None,
) -> list[ApplicationSummary]:
    """Applications in the cases the actor may open (one query)."""
    stmt = _visible_applications(actor)
    if code:
        case = require_case(session, actor, code)
        stmt = stmt.where(Case.id == case.id)
    if stage:
        stmt = stmt.where(Application.stage == _choice(Stage, stage, "stage").value)
    if type:
        stmt = stmt.where(Application.type == _choice(ApplicationType, type, "application type").value)
    stmt = stmt.order_by(Case.code, Application.seq)
    if limit:
        stmt = stmt.limit(limit)
    rows = session.execute(stmt).all()
    if code:
        audit.record(session, actor, "application.list", code.strip().upper(), applications=len(rows))
    return [_summary(r) for r in rows]


def _visible_applications(actor: Actor) -> Select[Any]:
    """Every application (with its decision, if any) in the cases ``actor`` may open."""
    return (
        visible_cases(
            actor,
            select(
                Application.id,
                Application.seq,
                Application.type,
                Application.stage,
                Application.stage_since,
                Application.stage_due_on,
                Application.submitted_on,
                Application.ircc_office,
                Application.file_number,
                Application.policy_period,
                Application.version,
                Case.code,
                Decision.outcome,
                Decision.decided_on,
                Decision.validity_end,
            ),
        )
        .join(Application, Application.case_id == Case.id)
        .outerjoin(Decision, Decision.application_id == Application.id)
    )


def _summary(r: Row[Any]) -> ApplicationSummary:
    return ApplicationSummary(
        r.id,
        make_ref(r.code, r.seq),
        r.code,
        r.seq,
        r.type,
        SHORT_LABELS.get(r.type, r.type),
        r.stage,
        STAGE_LABELS.get(r.stage, r.stage),
        r.stage_since,
        r.stage_due_on,
        r.submitted_on,
        r.ircc_office,
        r.file_number,
        r.policy_period,
        r.outcome,
        r.decided_on,
        r.validity_end,
        r.version,
    )
