"""Applications to IRCC: create, move through their stages, edit, show one or a case's (with their
decisions). The DTOs are in ``applications_views``, the list across cases in ``applications_list``.

An application is referred to as ``<case code>/A<n>`` (e.g. ``TRP-2026-0042/A2``): the case code plus
its number within the case.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload
from sqlalchemy.orm.exc import StaleDataError

from trpkit.db.models import Application, ApplicationStageEvent, Case, Decision, User
from trpkit.domain.applications import ApplicationType, Stage, check_transition
from trpkit.domain.ircc_periods import NoPolicyPeriod
from trpkit.domain.vocab import parse_choice
from trpkit.errors import ConflictError, NotFound, UsageError
from trpkit.loading.ircc_periods import policy_in_force
from trpkit.services import audit
from trpkit.services.access import require_case
from trpkit.services.actor import Actor
from trpkit.services.applications_views import ApplicationDetail, StageEventRow, assemble, make_ref
from trpkit.services.consent import require_consent

_REF = re.compile(r"^\s*(?P<code>[A-Za-z]+-\d{4}-\d{1,6})\s*[/#:]\s*A?(?P<seq>\d{1,4})\s*$", re.IGNORECASE)


def parse_ref(ref: str) -> tuple[str, int]:
    match = _REF.match(ref or "")
    if not match:
        raise UsageError(
            f"'{ref}' is not an application reference: use CASE/A<n>, e.g. TRP-2026-0042/A1 "
            "(see 'trpkit application list CASE')"
        )
    return match.group("code").upper(), int(match.group("seq"))


def _choice(enum: Any, value: str, what: str) -> Any:
    try:
        return parse_choice(enum, str(value), what)
    except ValueError as exc:
        raise UsageError(str(exc)) from None


def period_id_for(day: date) -> str:
    try:
        return policy_in_force(day).id
    except NoPolicyPeriod:
        return ""


def _not_future(day: date, what: str, today: date) -> None:
    if day > today:
        raise UsageError(f"{what} ({day}) is in the future: record it on or after the day it happens")


def _detail(session: Session, app: Application, case_code: str) -> ApplicationDetail:
    rows = session.execute(
        select(ApplicationStageEvent, User.username)
        .outerjoin(User, User.id == ApplicationStageEvent.recorded_by_id)
        .where(ApplicationStageEvent.application_id == app.id)
        .order_by(ApplicationStageEvent.occurred_on, ApplicationStageEvent.id)
    ).all()
    events = tuple(StageEventRow(e.stage, e.occurred_on, e.due_on, e.note, u or "") for e, u in rows)
    decision = session.scalar(select(Decision).where(Decision.application_id == app.id))
    return assemble(app, case_code, events, decision)


def _locate(session: Session, actor: Actor, ref: str) -> tuple[Case, Application]:
    """The rows behind ``ref``, for the services that change them (faces get ``get_application``)."""
    code, seq = parse_ref(ref)
    case = require_case(session, actor, code)
    app = session.scalar(select(Application).where(Application.case_id == case.id, Application.seq == seq))
    if app is None:
        raise NotFound(
            f"{case.code} has no application A{seq}. List them with 'trpkit application list {case.code}'."
        )
    return case, app


def _add_stage(
    session: Session,
    actor: Actor,
    app: Application,
    stage: str,
    on: date,
    due_on: date | None = None,
    note: str = "",
) -> None:
    session.add(
        ApplicationStageEvent(
            application_id=app.id,
            case_id=app.case_id,
            stage=stage,
            occurred_on=on,
            due_on=due_on,
            note=note,
            recorded_by_id=actor.user_id,
        )
    )
    app.stage = stage
    app.stage_since = on
    app.stage_due_on = due_on


def create_application(
    session: Session,
    actor: Actor,
    code: str,
    *,
    type: str,
    ircc_office: str = "",
    file_number: str = "",
    draft_id: int | None = None,
    notes: str = "",
    started_on: date | None = None,
    submitted_on: date | None = None,
    today: date | None = None,
) -> ApplicationDetail:
    """Open an application (stage 'draft', or 'submitted' when ``submitted_on`` is given)."""
    today = today or date.today()
    case = require_case(session, actor, code)
    kind = _choice(ApplicationType, type, "application type").value
    require_consent(session, case, "prepare_file")
    started = started_on or (submitted_on if submitted_on and submitted_on < today else today)
    _not_future(started, "the start date", today)
    if submitted_on is not None:
        _not_future(submitted_on, "the submission date", today)
        if submitted_on < started:
            raise UsageError(f"submitted on {submitted_on} but started on {started}: the draft comes first")
        require_consent(session, case, "submit_to_ircc")
    seq = (session.scalar(select(func.max(Application.seq)).where(Application.case_id == case.id)) or 0) + 1
    app = Application(
        case_id=case.id,
        seq=seq,
        type=kind,
        stage=Stage.DRAFT.value,
        stage_since=started,
        submitted_on=submitted_on,
        ircc_office=ircc_office.strip(),
        file_number=file_number.strip(),
        draft_id=draft_id,
        notes=notes,
        created_by_id=actor.user_id,
        policy_period=period_id_for(submitted_on or started),
    )
    session.add(app)
    session.flush()
    _add_stage(session, actor, app, Stage.DRAFT.value, started)
    if submitted_on is not None:
        _add_stage(session, actor, app, Stage.SUBMITTED.value, submitted_on)
    session.flush()
    audit.record(
        session, actor, "application.create", case.code, application=f"A{seq}", type=kind, stage=app.stage
    )
    return _detail(session, app, case.code)


def advance(
    session: Session,
    actor: Actor,
    ref: str,
    stage: str,
    *,
    on: date | None = None,
    due_on: date | None = None,
    note: str = "",
    ircc_office: str | None = None,
    file_number: str | None = None,
    expected_version: int | None = None,
    today: date | None = None,
) -> ApplicationDetail:
    """Move an application to its next stage (see trpkit.domain.applications.NEXT_STAGES)."""
    today = today or date.today()
    case, app = _locate(session, actor, ref)
    if expected_version is not None and app.version != expected_version:
        raise ConflictError(
            f"{make_ref(case.code, app.seq)} was changed by someone else (now version "
            f"{app.version}). Reload it and try again."
        )
    new = _choice(Stage, stage, "stage").value
    try:
        check_transition(app.stage, new)
    except ValueError as exc:
        raise UsageError(f"{make_ref(case.code, app.seq)}: {exc}") from None
    when = on or today
    _not_future(when, "the stage date", today)
    if when < app.stage_since:
        raise UsageError(
            f"{when} is before the current stage began ({app.stage_since}): stages are in date order"
        )
    if due_on is not None and due_on < when:
        raise UsageError(f"the due date {due_on} is before the stage date {when}")
    if due_on is not None and new not in ("info_requested", "interview_scheduled"):
        raise UsageError(
            "--due is for 'info_requested' (response deadline) or 'interview_scheduled' (interview date)"
        )
    if new == Stage.SUBMITTED.value:
        require_consent(session, case, "submit_to_ircc")
        app.submitted_on = when
        app.policy_period = period_id_for(when)
    if ircc_office is not None:
        app.ircc_office = ircc_office.strip()
    if file_number is not None:
        app.file_number = file_number.strip()
    _add_stage(session, actor, app, new, when, due_on, note)
    try:
        session.flush()
    except StaleDataError:
        raise ConflictError(
            f"{make_ref(case.code, app.seq)} was changed at the same time. Reload and retry."
        ) from None
    audit.record(session, actor, "application.advance", case.code, application=f"A{app.seq}", stage=new)
    return _detail(session, app, case.code)


def get_application(session: Session, actor: Actor, ref: str) -> ApplicationDetail:
    case, app = _locate(session, actor, ref)
    audit.record(session, actor, "application.read", case.code, application=f"A{app.seq}")
    return _detail(session, app, case.code)


def case_applications(session: Session, actor: Actor, code: str) -> list[ApplicationDetail]:
    """Every application of one case, newest first, with history and decisions (one audited read)."""
    case = require_case(session, actor, code)
    apps = session.scalars(
        select(Application)
        .where(Application.case_id == case.id)
        .order_by(Application.seq.desc())
        .options(selectinload(Application.events), selectinload(Application.decision))
    ).all()
    audit.record(session, actor, "application.read", case.code, applications=len(apps))
    names = dict(session.execute(select(User.id, User.username)).all()) if apps else {}
    result = []
    for app in apps:
        events = tuple(
            StageEventRow(
                e.stage,
                e.occurred_on,
                e.due_on,
                e.note,
                names.get(e.recorded_by_id, "") if e.recorded_by_id is not None else "",
            )
            for e in sorted(app.events, key=lambda e: (e.occurred_on, e.id))
        )
        result.append(assemble(app, case.code, events, app.decision))
    return result


def update_application(
    session: Session,
    actor: Actor,
    ref: str,
    *,
    ircc_office: str | None = None,
    file_number: str | None = None,
    draft_id: int | None = None,
    notes: str | None = None,
    expected_version: int | None = None,
) -> ApplicationDetail:
    """Change an application's office, file number, linked draft or notes (not its stage)."""
    case, app = _locate(session, actor, ref)
    label = make_ref(case.code, app.seq)
    if expected_version is not None and app.version != expected_version:
        raise ConflictError(
            f"{label} was changed by someone else (now version {app.version}). Reload it and try again."
        )
    changed = []
    for field, value in (("ircc_office", ircc_office), ("file_number", file_number), ("notes", notes)):
        if value is not None:
            setattr(app, field, value.strip() if field != "notes" else value)
            changed.append(field)
    if draft_id is not None:
        if draft_id < 1:
            raise UsageError("--draft-id must be a draft number (see 'trpkit drafts CASE')")
        app.draft_id = draft_id
        changed.append("draft_id")
    if not changed:
        raise UsageError("Nothing to change: give --office, --file-number, --draft-id or --notes.")
    try:
        session.flush()
    except StaleDataError:
        raise ConflictError(f"{label} was changed at the same time. Reload and retry.") from None
    audit.record(session, actor, "application.update", case.code, application=f"A{app.seq}", fields=changed)
    return _detail(session, app, case.code)
