"""Who may see which case: accompaniers their own and assigned cases, supervisors all cases."""

from __future__ import annotations

from sqlalchemy import Select, exists, or_, select
from sqlalchemy.orm import Session

from trpkit.db.models import Case, CaseAssignment
from trpkit.errors import AccessDenied, NotFound
from trpkit.services.actor import Actor


def visible_cases(actor: Actor, stmt: Select | None = None) -> Select:  # type: ignore[type-arg]
    """Restrict a SELECT over Case to the cases ``actor`` may open."""
    stmt = stmt if stmt is not None else select(Case)
    if actor.sees_all_cases:
        return stmt
    if not actor.reads_case_files:
        return stmt.where(False)  # analysts and administrators never read case files
    assigned = exists().where(CaseAssignment.case_id == Case.id, CaseAssignment.user_id == actor.user_id)
    return stmt.where(or_(Case.created_by_id == actor.user_id, assigned))


def require_case(session: Session, actor: Actor, code: str) -> Case:
    """Load a case the actor may open, or explain why not."""
    code = code.strip().upper()
    case = session.scalar(select(Case).where(Case.code == code))
    if case is None:
        raise NotFound(f"No case {code}. List cases with 'trpkit case list'.")
    if session.scalar(visible_cases(actor, select(Case.id)).where(Case.id == case.id)) is None:
        if not actor.reads_case_files:
            raise AccessDenied(f"The {actor.role.value} role cannot open case files.")
        raise AccessDenied(f"{code} is not assigned to you. A supervisor can assign it.")
    return case
