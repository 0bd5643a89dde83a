"""Case files: create, list (names hidden by default), show, edit."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import Session, selectinload
from sqlalchemy.orm.exc import StaleDataError

from trpkit.db.base import utcnow
from trpkit.db.models import Case, CaseAssignment, CaseCounter, Person, User
from trpkit.errors import ConflictError, UsageError
from trpkit.services import audit
from trpkit.services.access import require_case, visible_cases
from trpkit.services.actor import Actor
from trpkit.services.case_fields import clean_case_values, clean_person_values

HIDDEN = "•••"


@dataclass(frozen=True, slots=True)  # slots: 100,000 of them fit the app's memory budget
class CaseSummary:
    id: int
    code: str
    status: str
    display_name: str  # HIDDEN unless names were revealed
    nationality: str
    exploitation_sector: str
    accompaniers: tuple[str, ...]
    updated_at: datetime


@dataclass(frozen=True)
class PersonDetail:
    legal_name: str
    preferred_name: str
    aliases: tuple[str, ...]
    birth_date_text: str
    birth_date_earliest: date | None
    birth_date_latest: date | None
    gender: str
    nationality: str
    languages: tuple[str, ...]
    interpreter_needs: str
    contact: str
    safe_contact_instructions: str
    immigration_status: str
    uci: str
    dependants_in_canada: tuple[dict[str, Any], ...]
    version: int

    @property
    def name(self) -> str:
        return self.preferred_name or self.legal_name


@dataclass(frozen=True)
class CaseDetail:
    id: int
    code: str
    status: str
    exploitation_sector: str
    law_enforcement_cooperation: str
    criminal_case_status: str
    summary: str
    accompaniers: tuple[str, ...]
    created_at: datetime
    updated_at: datetime
    closed_at: datetime | None
    version: int
    person: PersonDetail
    extra: dict[str, Any] = field(default_factory=dict)


def _next_code(session: Session, year: int) -> str:
    counter = session.get(CaseCounter, year, with_for_update=True)
    if counter is None:
        counter = CaseCounter(year=year, last=0)
        session.add(counter)
    counter.last += 1
    session.flush()
    return f"TRP-{year}-{counter.last:04d}"


def create_case(
    session: Session,
    actor: Actor,
    *,
    person: dict[str, Any] | None = None,
    year: int | None = None,
    **case_values: Any,
) -> CaseDetail:
    if not actor.reads_case_files:
        from trpkit.errors import AccessDenied

        raise AccessDenied(f"The {actor.role.value} role cannot create case files.")
    values = clean_case_values(case_values)
    code = _next_code(session, year or utcnow().year)
    case = Case(code=code, created_by_id=actor.user_id, **values)
    case.person = Person(**clean_person_values(person or {}))
    case.assignments.append(CaseAssignment(user_id=actor.user_id))
    session.add(case)
    session.flush()
    audit.record(session, actor, "case.create", code)
    return _detail(session, case)


def _accompaniers(session: Session, case_ids: list[int] | None) -> dict[int, tuple[str, ...]]:
    """Usernames assigned to each case; ``None``: every case (one scan)."""
    stmt = select(CaseAssignment.case_id, User.username).join(User, User.id == CaseAssignment.user_id)
    wanted = set(case_ids) if case_ids is not None else None
    if (
        case_ids is not None and len(case_ids) <= 500
    ):  # small lists: just these; large: one scan beats a huge IN
        stmt = stmt.where(CaseAssignment.case_id.in_(case_ids))
    found: dict[int, list[str]] = {}
    for case_id, username in session.execute(stmt.order_by(User.username)):
        if wanted is None or case_id in wanted:
            found.setdefault(case_id, []).append(username)
    return {k: tuple(v) for k, v in found.items()}


def list_cases(
    session: Session,
    actor: Actor,
    *,
    text: str = "",
    status: str | None = None,
    reveal_names: bool = False,
    limit: int | None = None,
) -> list[CaseSummary]:
    """Cases the actor may open. ``text`` matches the code (and names only when revealed)."""
    return list(iter_cases(session, actor, text=text, status=status, reveal_names=reveal_names, limit=limit))


def _summaries_query(
    actor: Actor, text: str, status: str | None, reveal_names: bool, limit: int | None
) -> Select[Any]:
    """The SELECT behind ``iter_cases``: the visible cases, filtered, in code order."""
    # Names are read only when revealed: two strings per case that a hidden list never shows.
    name_columns = (Person.legal_name, Person.preferred_name) if reveal_names else ()
    stmt = visible_cases(
        actor,
        select(
            Case.id,
            Case.code,
            Case.status,
            Case.exploitation_sector,
            Case.updated_at,
            Person.nationality,
            *name_columns,
        ),
    )
    stmt = stmt.join(Person, Person.case_id == Case.id).order_by(Case.code)
    if status:
        stmt = stmt.where(Case.status == status)
    if text:
        pattern = f"%{text.strip()}%"
        clauses = [Case.code.ilike(pattern)]
        if reveal_names:
            clauses += [Person.legal_name.ilike(pattern), Person.preferred_name.ilike(pattern)]
        stmt = stmt.where(or_(*clauses))
    if limit:
        stmt = stmt.limit(limit)
    return stmt


def iter_cases(
    session: Session,
    actor: Actor,
    *,
    text: str = "",
    status: str | None = None,
    reveal_names: bool = False,
    limit: int | None = None,
) -> Iterator[CaseSummary]:
    """``list_cases``, one summary at a time, for a face that keeps less than the summaries (the TUI's
    case list keeps plain rows). Read it to the end: revealed names are audited once the last is out."""
    stmt = _summaries_query(actor, text, status, reveal_names, limit)
    if limit:
        rows: Any = session.execute(stmt).all()
        names = _accompaniers(session, [r.id for r in rows])
    else:  # the whole caseload: rows are turned into summaries as they come, never all held at once
        names = _accompaniers(session, None)
        # yield_per: the ORM would otherwise buffer every row before the first summary is made (at
        # 100,000 cases that buffer, not the summaries, set the app's peak memory)
        rows = session.execute(stmt, execution_options={"yield_per": 1000})
    # A large caseload repeats a few statuses, countries, sectors and teams: one object for each
    # value, not one per case (tens of MB at 100,000 cases).
    same: dict[Any, Any] = {}
    count = 0
    for r in rows:
        count += 1
        yield CaseSummary(
            r.id,
            r.code,
            same.setdefault(r.status, r.status),
            (r.preferred_name or r.legal_name) if reveal_names else HIDDEN,
            same.setdefault(r.nationality, r.nationality),
            same.setdefault(r.exploitation_sector, r.exploitation_sector),
            same.setdefault(names.get(r.id, ()), names.get(r.id, ())),
            r.updated_at,
        )
    if reveal_names:
        audit.record(session, actor, "names.reveal", None, cases=count)


def _person_detail(person: Person) -> PersonDetail:
    return PersonDetail(
        person.legal_name,
        person.preferred_name,
        tuple(person.aliases or ()),
        person.birth_date_text,
        person.birth_date_earliest,
        person.birth_date_latest,
        person.gender,
        person.nationality,
        tuple(person.languages or ()),
        person.interpreter_needs,
        person.contact,
        person.safe_contact_instructions,
        person.immigration_status,
        person.uci,
        tuple(person.dependants_in_canada or ()),
        person.version,
    )


def _detail(session: Session, case: Case) -> CaseDetail:
    return CaseDetail(
        case.id,
        case.code,
        case.status,
        case.exploitation_sector,
        case.law_enforcement_cooperation,
        case.criminal_case_status,
        case.summary,
        _accompaniers(session, [case.id]).get(case.id, ()),
        case.created_at,
        case.updated_at,
        case.closed_at,
        case.version,
        _person_detail(case.person),
    )


def get_case(session: Session, actor: Actor, code: str, *, purpose: str = "view") -> CaseDetail:
    """Open a case file; every read is audited."""
    case = require_case(session, actor, code)
    session.refresh(case, ["person"])
    audit.record(session, actor, "case.read", case.code, purpose=purpose)
    return _detail(session, case)


def update_case(
    session: Session,
    actor: Actor,
    code: str,
    *,
    expected_version: int | None = None,
    person: dict[str, Any] | None = None,
    **case_values: Any,
) -> CaseDetail:
    """Change case and person fields. ``expected_version`` guards against overwriting a newer edit."""
    case = session.scalar(
        select(Case)
        .where(Case.id == require_case(session, actor, code).id)
        .options(selectinload(Case.person))
    )
    assert case is not None
    if expected_version is not None and case.version != expected_version:
        raise ConflictError(
            f"{case.code} was changed by someone else since you opened it (now version {case.version}). "
            "Reload it and apply your change again."
        )
    values = clean_case_values(case_values)
    if values.get("status") == "closed" and case.closed_at is None:
        case.closed_at = utcnow()
    elif "status" in values and values["status"] != "closed":
        case.closed_at = None
    for key, value in values.items():
        setattr(case, key, value)
    changed = sorted(values)
    for key, value in clean_person_values(person or {}).items():
        setattr(case.person, key, value)
        changed.append(f"person.{key}")
    if not changed:
        raise UsageError("Nothing to change: give at least one field.")
    case.updated_at = utcnow()  # the person's edits count as an update of the case too
    case_code = case.code  # read now: after a failed flush the session can no longer load attributes
    try:
        session.flush()
    except StaleDataError:
        raise ConflictError(
            f"{case_code} was changed by someone else at the same time. Reload and retry."
        ) from None
    audit.record(session, actor, "case.update", case.code, fields=changed)
    return _detail(session, case)


def assign(session: Session, actor: Actor, code: str, username: str) -> CaseDetail:
    from trpkit.errors import AccessDenied, NotFound

    if not actor.sees_all_cases:
        raise AccessDenied("Only a supervisor can assign cases.")
    case = require_case(session, actor, code)
    user = session.scalar(select(User).where(User.username == username))
    if user is None:
        raise NotFound(f"No user named '{username}'.")
    if not session.scalar(
        select(CaseAssignment).where(CaseAssignment.case_id == case.id, CaseAssignment.user_id == user.id)
    ):
        session.add(CaseAssignment(case_id=case.id, user_id=user.id))
        session.flush()
    audit.record(session, actor, "case.assign", case.code, user=username)
    return _detail(session, case)


def count_cases(session: Session, actor: Actor) -> int:
    return session.scalar(visible_cases(actor, select(func.count(Case.id)))) or 0


def case_codes(session: Session, actor: Actor) -> list[str]:
    """The codes of every case the actor may open, in order (the command palette offers them)."""
    return list(session.scalars(visible_cases(actor, select(Case.code)).order_by(Case.code)))


def count_by_status(session: Session, actor: Actor) -> dict[str, int]:
    """How many cases the actor may open, per status (the dashboard's first line)."""
    stmt = visible_cases(actor, select(Case.status, func.count(Case.id))).group_by(Case.status)
    return {str(row[0]): int(row[1]) for row in session.execute(stmt).all()}
