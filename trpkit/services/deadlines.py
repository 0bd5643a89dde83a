"""What is due, overdue and coming across the cases a person may open.

Built from set-based queries (granted permits; applications still open; documents obtained), whatever
the number of cases, then turned into items by ``deadlines_compute`` (pure). Items name case codes, never
people; the calendar file is written by ``trpkit.documents.calendar``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import ColumnElement, select
from sqlalchemy.orm import Session

from trpkit.db.models import Application, Case, Decision
from trpkit.documents.calendar import deadlines_ics
from trpkit.domain.applications import GRANTING_OUTCOMES, OPEN_STAGES, PERMIT_FAMILIES
from trpkit.domain.clocks import DEFAULT_REMINDER_OFFSETS, clean_offsets
from trpkit.errors import UsageError
from trpkit.services import audit
from trpkit.services.access import require_case, visible_cases
from trpkit.services.actor import Actor
from trpkit.services.clock_facts import clock_facts_for
from trpkit.services.deadlines_compute import (
    DEFAULT_DUE_WINDOW,
    LAPSE_LOOKBACK_DAYS,
    DeadlineItem,
    compute_deadlines,
)


@dataclass(frozen=True)
class DeadlineSummary:
    today: date
    overdue: int
    due: int
    coming: int
    items: tuple[DeadlineItem, ...]


def _permit_rows(session: Session, actor: Actor, case_id: int | None = None) -> list[tuple[Any, ...]]:
    stmt = (
        visible_cases(
            actor,
            select(
                Case.code,
                Application.seq,
                Application.type,
                Decision.validity_start,
                Decision.validity_end,
                Application.submitted_on,
            ),
        )
        .join(Decision, Decision.case_id == Case.id)
        .join(Application, Application.id == Decision.application_id)
    )
    stmt = stmt.where(
        Case.status != "closed",
        Decision.outcome.in_(GRANTING_OUTCOMES),
        Decision.validity_end.is_not(None),
        Application.type.in_(tuple(PERMIT_FAMILIES)),
    )
    if case_id is not None:
        stmt = stmt.where(Case.id == case_id)
    return list(session.connection().execute(stmt).all())  # Core: no ORM row processing


def _open_rows(session: Session, actor: Actor, case_id: int | None = None) -> list[tuple[Any, ...]]:
    stmt = visible_cases(
        actor,
        select(
            Case.code,
            Application.seq,
            Application.type,
            Application.stage,
            Application.stage_since,
            Application.stage_due_on,
            Application.submitted_on,
        ),
    ).join(Application, Application.case_id == Case.id)
    stmt = stmt.where(Case.status != "closed", Application.stage.in_(("draft", *OPEN_STAGES)))
    if case_id is not None:
        stmt = stmt.where(Case.id == case_id)
    return list(session.connection().execute(stmt).all())  # Core: no ORM row processing


def _document_rows(
    session: Session,
    actor: Actor,
    case_id: int | None,
    *,
    today: date,
    horizon: date | None,
    rules: dict[tuple[str, str], tuple[str, int | None]],
) -> list[tuple[Any, ...]]:
    """Documents marked obtained in the drafting area's checklists whose dates can matter in the window:
    an expiry between the look-back and the horizon, or an age limit on a document for an application
    still being drafted."""
    from sqlalchemy import and_, exists, or_

    from trpkit.db.models.drafts import ChecklistItemStatus as Item

    expiring = Item.expires_on >= today - timedelta(days=LAPSE_LOOKBACK_DAYS)
    if horizon is not None:
        expiring = and_(expiring, Item.expires_on <= horizon)
    clauses = [expiring]
    aged = {item_id: age for (_, item_id), (_, age) in rules.items() if age}
    if aged:
        drafting = exists().where(
            Application.case_id == Item.case_id,
            Application.type == Item.application_type,
            Application.stage == "draft",
        )
        old_enough: ColumnElement[bool] = Item.obtained_on.is_not(None)
        if horizon is not None:
            old_enough = Item.obtained_on <= horizon - timedelta(days=min(aged.values()))
        clauses.append(and_(Item.item_id.in_(sorted(aged)), old_enough, drafting))
    stmt = visible_cases(
        actor,
        select(
            Case.code,
            Item.application_type,
            Item.item_id,
            Item.obtained_on,
            Item.expires_on,
        ),
    ).join(Item, Item.case_id == Case.id)
    stmt = stmt.where(Case.status != "closed", Item.state == "obtained", or_(*clauses))
    if case_id is not None:
        stmt = stmt.where(Case.id == case_id)
    return list(session.connection().execute(stmt).all())  # Core: no ORM row processing


def _short_label(label: str) -> str:
    for stop in (" (", ",", ";", " — "):
        if stop in label:
            label = label.split(stop, 1)[0]
    return label.strip()


def _document_rules() -> dict[tuple[str, str], tuple[str, int | None]]:
    """(application type, item id) -> (short label, max age in days), from checklists/documents-*.toml."""
    from trpkit.errors import TrpkitError
    from trpkit.services.checklists import all_checklists

    try:
        checklists = all_checklists()
    except TrpkitError:
        return {}  # a broken checklist must not hide the other deadlines; items fall back to their ids
    return {
        (kind, item.id): (_short_label(item.label), item.max_age_days)
        for kind, checklist in checklists.items()
        for item in checklist.items
    }


def list_deadlines(
    session: Session,
    actor: Actor,
    *,
    today: date | None = None,
    within_days: int | None = 120,
    case_code: str | None = None,
    offsets: Iterable[int] = DEFAULT_REMINDER_OFFSETS,
    due_window: int = DEFAULT_DUE_WINDOW,
    record: bool = True,
) -> DeadlineSummary:
    """Every overdue item plus everything due within ``within_days`` (None: no limit)."""
    today = today or date.today()
    if within_days is not None and within_days < 0:
        raise UsageError("--within takes a number of days from today (0 or more)")
    try:
        offsets = clean_offsets(offsets)
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    case_id = require_case(session, actor, case_code).id if case_code else None
    horizon = today + timedelta(days=within_days) if within_days is not None else None
    rules = _document_rules()
    documents = _document_rows(session, actor, case_id, today=today, horizon=horizon, rules=rules)
    grounds, absences = clock_facts_for(session, actor, case_id)
    items = compute_deadlines(
        _permit_rows(session, actor, case_id),
        _open_rows(session, actor, case_id),
        today=today,
        offsets=offsets,
        due_window=due_window,
        horizon=horizon,
        documents=documents,
        document_rules=rules,
        grounds=grounds,
        absences=absences,
    )
    if record:
        audit.record(
            session,
            actor,
            "deadlines.list",
            case_code.strip().upper() if case_code else None,
            items=len(items),
        )
    counts = {s: sum(1 for i in items if i.status == s) for s in ("overdue", "due", "coming")}
    return DeadlineSummary(today, counts["overdue"], counts["due"], counts["coming"], tuple(items))


def export_ics(
    session: Session,
    actor: Actor,
    path: Path,
    *,
    today: date | None = None,
    within_days: int | None = 365,
    offsets: Iterable[int] = DEFAULT_REMINDER_OFFSETS,
    case_code: str | None = None,
) -> int:
    """Write the deadlines to ``path`` as iCalendar; returns how many events were written."""
    from pathlib import Path

    summary = list_deadlines(
        session,
        actor,
        today=today,
        within_days=within_days,
        offsets=offsets,
        case_code=case_code,
        record=False,
    )
    target = Path(path)
    if target.suffix.lower() != ".ics":
        raise UsageError(f"'{target}' should end in .ics so calendar apps recognise it")
    if not target.parent.exists():
        raise UsageError(f"the folder {target.parent} does not exist")
    target.write_bytes(deadlines_ics(summary.items, generated=summary.today))
    audit.record(
        session,
        actor,
        "deadlines.export_ics",
        case_code.strip().upper() if case_code else None,
        events=len(summary.items),
    )
    return len(summary.items)
