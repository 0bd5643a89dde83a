"""Who may do what. Enforced here, in the service layer, so the TUI, the CLI and scripts obey the same rules
on the vault and on a server.

Roles (``trpkit.domain.vocab.Role``):

- accompanier: the cases they created and the cases assigned to them;
- supervisor: every case of the agency, assignments, consent overrides (with a reason), retention;
- analyst: anonymised data only (coalition statistics), never a case file;
- admin: users, keys and backups, but no case content.
"""

from __future__ import annotations

from sqlalchemy import Select, exists, false, or_, select
from sqlalchemy.orm import Session

from trpkit.db.models import Case, CaseAssignment
from trpkit.domain.vocab import Role
from trpkit.errors import AccessDenied, NotFound
from trpkit.services.actor import Actor

# What each role may do besides reading case files (checked with ``require_role``).
MANAGE_USERS = (Role.ADMIN, Role.SUPERVISOR)
MAKE_BACKUPS = (Role.ADMIN, Role.SUPERVISOR)
READ_AUDIT_LOG = (Role.ADMIN, Role.SUPERVISOR)
OVERRIDE_CONSENT = (Role.SUPERVISOR,)
MANAGE_RETENTION = (Role.SUPERVISOR,)
ASSIGN_CASES = (Role.SUPERVISOR,)
READ_ANONYMISED = (Role.ANALYST, Role.SUPERVISOR)
ROLE_NAMES = {
    Role.ADMIN: "an administrator",
    Role.SUPERVISOR: "a supervisor",
    Role.ANALYST: "an analyst",
    Role.ACCOMPANIER: "an accompanier",
}


def require_role(actor: Actor, allowed: tuple[Role, ...], doing: str) -> None:
    """Raise AccessDenied, naming the roles that may, unless ``actor`` has one of ``allowed``."""
    if actor.role not in allowed:
        names = " or ".join(ROLE_NAMES[role] for role in allowed)
        raise AccessDenied(f"Only {names} can {doing} (you are signed in as {actor.role.value}).")


def visible_cases(actor: Actor, stmt: Select | None = None) -> Select:  # type: ignore[type-arg]
    """Restrict a SELECT over Case to the cases ``actor`` may open."""
    stmt = stmt if stmt is not None else select(Case)
    if actor.sees_all_cases:
        return stmt
    if not actor.reads_case_files:
        return stmt.where(false())  # analysts and administrators never read case files
    assigned = exists().where(CaseAssignment.case_id == Case.id, CaseAssignment.user_id == actor.user_id)
    return stmt.where(or_(Case.created_by_id == actor.user_id, assigned))


def require_case(session: Session, actor: Actor, code: str) -> Case:
    """Load a case the actor may open, or explain why not.

    Roles that never read case files are refused before the case is even looked up, so they
    cannot learn which case codes exist.
    """
    code = code.strip().upper()
    if not actor.reads_case_files:
        raise AccessDenied(f"The {actor.role.value} role cannot open case files.")
    case = session.scalar(select(Case).where(Case.code == code))
    if case is None:
        raise NotFound(f"No case {code}. List cases with 'trpkit case list'.")
    if session.scalar(visible_cases(actor, select(Case.id)).where(Case.id == case.id)) is None:
        raise AccessDenied(f"{code} is not assigned to you. A supervisor can assign it.")
    return case
