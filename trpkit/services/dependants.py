"""Dependants in Canada of the person a case file is about: list, add, edit, remove.

They are stored on the person (``Person.dependants_in_canada``), so every change is guarded by the
person's version: an edit made from a stale view fails with a ConflictError instead of overwriting
someone else's change. Who may do this is exactly who may edit the case file (``require_case``).
The audit log records dependant numbers and which fields changed, never names.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from trpkit.db.base import utcnow
from trpkit.db.models import Case, Person
from trpkit.domain import dependants as rules
from trpkit.domain.dependant_relationships import DependantError
from trpkit.domain.dependants import Dependant
from trpkit.errors import ConflictError, NotFound, UsageError
from trpkit.services import audit
from trpkit.services.access import require_case
from trpkit.services.actor import Actor


@dataclass(frozen=True)
class DependantsView:
    """The person's dependants as of ``person_version`` (pass it back as ``expected_version`` to edit)."""

    case_code: str
    person_version: int
    dependants: tuple[Dependant, ...]
    warnings: tuple[str, ...]

    def get(self, dependant_id: int) -> Dependant | None:
        return next((d for d in self.dependants if d.id == dependant_id), None)


@dataclass(frozen=True)
class DependantChange:
    """The outcome of add/edit/remove: the dependant concerned and the list after the change."""

    dependant: Dependant
    view: DependantsView
    warnings: tuple[str, ...]  # about this dependant only


def _view(case: Case, person: Person) -> DependantsView:
    dependants = rules.from_stored_list(person.dependants_in_canada)
    found = tuple(w for d in dependants for w in rules.warnings(d))
    return DependantsView(case.code, person.version, dependants, found)


def _load(session: Session, actor: Actor, code: str) -> tuple[Case, Person]:
    case = require_case(session, actor, code)
    session.refresh(case, ["person"])
    if case.person is None:  # every case is created with its person; a damaged record says so plainly
        raise NotFound(f"{case.code} has no person record: it cannot hold dependants.")
    return case, case.person


def _check_version(case: Case, person: Person, expected_version: int | None) -> None:
    if expected_version is not None and person.version != expected_version:
        raise ConflictError(
            f"{case.code}: the person's details were changed by someone else since you opened them "
            f"(now version {person.version}, you had {expected_version}). Reload them "
            f"('trpkit case dependant list {case.code}') and make your change again."
        )


def _save(session: Session, case: Case, person: Person, dependants: list[Dependant], next_id: int) -> None:
    person.dependants_in_canada = rules.to_stored_list(
        dependants
    )  # a new list: the JSON column sees the change
    person.extra = {**(person.extra or {}), rules.NEXT_ID_KEY: next_id}
    person.updated_at = utcnow()
    code = case.code  # read now: after a failed flush the session can no longer load attributes
    try:
        session.flush()
    except StaleDataError:
        raise ConflictError(
            f"{code}: the person's details were changed by someone else at the same time. "
            "Reload and make your change again."
        ) from None


def _find(case: Case, dependants: tuple[Dependant, ...], dependant_id: int) -> Dependant:
    for dependant in dependants:
        if dependant.id == dependant_id:
            return dependant
    raise NotFound(
        f"{case.code} has no dependant {dependant_id}. "
        f"List them with 'trpkit case dependant list {case.code}'."
    )


def list_dependants(session: Session, actor: Actor, code: str) -> DependantsView:
    """The person's dependants in Canada (this read is logged, with the count only)."""
    case, person = _load(session, actor, code)
    view = _view(case, person)
    audit.record(session, actor, "dependants.read", case.code, count=len(view.dependants))
    return view


def add_dependant(
    session: Session,
    actor: Actor,
    code: str,
    *,
    expected_version: int | None = None,
    today: date | None = None,
    **values: Any,
) -> DependantChange:
    """Record a dependant. ``values``: name, relationship, described_as, birth_date, status_in_canada,
    include_in_application, notes (see trpkit.domain.dependants.build)."""
    case, person = _load(session, actor, code)
    _check_version(case, person, expected_version)
    current = rules.from_stored_list(person.dependants_in_canada)
    new_id = rules.next_id(current, person.extra)
    try:
        dependant = rules.build(values, dependant_id=new_id, today=today or utcnow().date(), others=current)
    except DependantError as exc:
        raise UsageError(str(exc)) from None
    _save(session, case, person, [*current, dependant], new_id + 1)
    audit.record(
        session,
        actor,
        "dependants.add",
        case.code,
        dependant=new_id,
        included=dependant.include_in_application,
    )
    return DependantChange(dependant, _view(case, person), rules.warnings(dependant))


def edit_dependant(
    session: Session,
    actor: Actor,
    code: str,
    dependant_id: int,
    *,
    expected_version: int | None = None,
    today: date | None = None,
    **values: Any,
) -> DependantChange:
    """Change some fields of a dependant; fields not given keep their value."""
    case, person = _load(session, actor, code)
    _check_version(case, person, expected_version)
    current = rules.from_stored_list(person.dependants_in_canada)
    existing = _find(case, current, dependant_id)
    if not values:
        raise UsageError(
            "Nothing to change: give at least one field (name, relationship, date of birth, "
            "status in Canada, included or not, notes)."
        )
    try:
        dependant = rules.build(
            values,
            dependant_id=dependant_id,
            today=today or utcnow().date(),
            existing=existing,
            others=current,
        )
    except DependantError as exc:
        raise UsageError(str(exc)) from None
    changed = sorted(
        name
        for name, old, new in (
            ("name", existing.name, dependant.name),
            (
                "relationship",
                (existing.relationship, existing.described_as),
                (dependant.relationship, dependant.described_as),
            ),
            ("birth_date", existing.birth, dependant.birth),
            ("status_in_canada", existing.status_in_canada, dependant.status_in_canada),
            ("include_in_application", existing.include_in_application, dependant.include_in_application),
            ("notes", existing.notes, dependant.notes),
        )
        if old != new
    )
    if changed:
        _save(
            session,
            case,
            person,
            [dependant if d.id == dependant_id else d for d in current],
            rules.next_id(current, person.extra),
        )
        audit.record(session, actor, "dependants.edit", case.code, dependant=dependant_id, fields=changed)
    return DependantChange(dependant, _view(case, person), rules.warnings(dependant))


def remove_dependant(
    session: Session, actor: Actor, code: str, dependant_id: int, *, expected_version: int | None = None
) -> DependantChange:
    """Remove a dependant from the file. Their number is not given to anyone else later."""
    case, person = _load(session, actor, code)
    _check_version(case, person, expected_version)
    current = rules.from_stored_list(person.dependants_in_canada)
    removed = _find(case, current, dependant_id)
    _save(
        session,
        case,
        person,
        [d for d in current if d.id != dependant_id],
        rules.next_id(current, person.extra),
    )
    audit.record(session, actor, "dependants.remove", case.code, dependant=dependant_id)
    return DependantChange(removed, _view(case, person), ())
