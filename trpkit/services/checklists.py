"""Document checklists per case: which documents an application needs and where each one stands."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from trpkit.db.base import utcnow
from trpkit.db.models import Case
from trpkit.db.models.drafts import ChecklistItemStatus
from trpkit.domain.document_checklists import (
    ChecklistItem,
    DocumentChecklist,
    ItemState,
    ItemStatus,
    evaluate,
)
from trpkit.errors import UsageError
from trpkit.services import audit
from trpkit.services.access import require_case
from trpkit.services.actor import Actor

DEFAULT_TYPE = "initial_trp"


@dataclass(frozen=True)
class ChecklistRow:
    id: str
    label: str
    required: bool
    expires: bool
    max_age_days: int | None
    guidance: str
    state: str
    obtained_on: date | None
    expires_on: date | None
    note: str
    problem: str  # "" | missing | expired | expiry-unknown | too-old
    detail: str
    produced_by_draft: bool


@dataclass(frozen=True)
class CaseChecklist:
    case_code: str
    application_type: str
    name: str
    version: str
    verification: str
    citation: str
    rows: tuple[ChecklistRow, ...]

    @property
    def complete(self) -> bool:
        return not any(
            r.problem in ("missing", "expired") and r.required and not r.produced_by_draft for r in self.rows
        )


@lru_cache(maxsize=4)
def _load(directory: str, stamp: tuple[float, ...]) -> dict[str, DocumentChecklist]:
    # Imported here: pydantic is loaded only when a checklist is read, never for first paint.
    from trpkit.loading.document_checklists import load_all

    return load_all(Path(directory))


def all_checklists() -> dict[str, DocumentChecklist]:
    from trpkit.paths import checklists_dir

    folder = checklists_dir()
    stamp = tuple(p.stat().st_mtime for p in sorted(folder.glob("documents-*.toml")))
    return _load(str(folder), stamp)  # a bad file raises DataFileError, a UsageError naming its line


def checklist_for(application_type: str) -> DocumentChecklist:
    found = all_checklists()
    if application_type not in found:
        raise UsageError(
            f"no document checklist for '{application_type}': use one of {', '.join(sorted(found))}"
        )
    return found[application_type]


def statuses(session: Session, case_id: int, application_type: str) -> dict[str, ItemStatus]:
    rows = session.scalars(
        select(ChecklistItemStatus).where(
            ChecklistItemStatus.case_id == case_id, ChecklistItemStatus.application_type == application_type
        )
    )
    return {r.item_id: ItemStatus(ItemState(r.state), r.obtained_on, r.expires_on, r.note) for r in rows}


def _view(
    case: Case, checklist: DocumentChecklist, found: dict[str, ItemStatus], today: date
) -> CaseChecklist:
    rows = tuple(
        ChecklistRow(
            f.item.id,
            f.item.label,
            f.item.required,
            f.item.expires,
            f.item.max_age_days,
            f.item.guidance,
            f.status.state.value,
            f.status.obtained_on,
            f.status.expires_on,
            f.status.note,
            f.problem,
            f.detail,
            f.item.produced_by_draft,
        )
        for f in evaluate(checklist, found, today)
    )
    return CaseChecklist(
        case.code,
        checklist.application_type,
        checklist.name,
        checklist.version,
        checklist.verification,
        checklist.citation,
        rows,
    )


def case_checklist(
    session: Session, actor: Actor, code: str, application_type: str = DEFAULT_TYPE, today: date | None = None
) -> CaseChecklist:
    case = require_case(session, actor, code)
    checklist = checklist_for(application_type)
    audit.record(session, actor, "checklist.read", case.code, type=application_type)
    return _view(case, checklist, statuses(session, case.id, application_type), today or utcnow().date())


def _item(checklist: DocumentChecklist, application_type: str, item_id: str) -> ChecklistItem:
    try:
        return checklist.item(item_id)
    except KeyError:
        raise UsageError(
            f"no item '{item_id}' in the {application_type} checklist: use one of "
            f"{', '.join(i.id for i in checklist.items)}"
        ) from None


def _state(state: str) -> ItemState:
    """A state as typed ("not applicable", "not-applicable", "Obtained")."""
    try:
        return ItemState(state.strip().lower().replace("-", "_").replace(" ", "_"))
    except ValueError:
        raise UsageError(
            f"unknown state '{state}': use one of {', '.join(s.value for s in ItemState)}"
        ) from None


def _check_dates(item: ChecklistItem, obtained_on: date | None, expires_on: date | None, today: date) -> None:
    if obtained_on and obtained_on > today:
        raise UsageError("the date a document was obtained cannot be in the future")
    if expires_on and obtained_on and expires_on < obtained_on:
        raise UsageError("a document cannot expire before it was obtained: check the dates")
    if expires_on and not item.expires:
        raise UsageError(f"'{item.id}' has no expiry date in the checklist; put the detail in --note instead")


def set_item(
    session: Session,
    actor: Actor,
    code: str,
    item_id: str,
    *,
    state: str,
    application_type: str = DEFAULT_TYPE,
    obtained_on: date | None = None,
    expires_on: date | None = None,
    note: str | None = None,
    today: date | None = None,
) -> CaseChecklist:
    """Record where one document stands (obtained, requested, missing, not applicable)."""
    case = require_case(session, actor, code)
    checklist = checklist_for(application_type)
    item = _item(checklist, application_type, item_id)
    new_state = _state(state)
    today = today or utcnow().date()
    _check_dates(item, obtained_on, expires_on, today)
    row = session.scalar(
        select(ChecklistItemStatus).where(
            ChecklistItemStatus.case_id == case.id,
            ChecklistItemStatus.application_type == application_type,
            ChecklistItemStatus.item_id == item_id,
        )
    )
    if row is None:
        row = ChecklistItemStatus(case_id=case.id, application_type=application_type, item_id=item_id)
        session.add(row)
    row.state = new_state.value
    if new_state is ItemState.OBTAINED:
        row.obtained_on = obtained_on or row.obtained_on or today
        if expires_on is not None:
            row.expires_on = expires_on
    elif new_state in (ItemState.MISSING, ItemState.NOT_APPLICABLE):
        row.obtained_on = None
        row.expires_on = None
    if note is not None:
        row.note = note
    row.updated_by_id = actor.user_id
    session.flush()
    audit.record(
        session,
        actor,
        "checklist.update",
        case.code,
        type=application_type,
        item=item_id,
        state=new_state.value,
    )
    return _view(case, checklist, statuses(session, case.id, application_type), today)
