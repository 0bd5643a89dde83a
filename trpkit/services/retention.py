"""Retention: a closed case file is kept for a set number of years, then destroyed for good.

Closing a case (status ``closed``) sets ``cases.closed_at``; that starts the clock. The period comes from
the ``retention_years`` setting (config.toml), default ``DEFAULT_RETENTION_YEARS``. Reopening a case
clears ``closed_at`` and stops the clock.

Destruction deletes the case row; every table that belongs to a case references it with ``ON DELETE
CASCADE``, so the database itself removes the person, consent history and whatever each area stores
(narrative, evidence and attachments held in the vault, indicators, applications, decisions), on both
backends. What remains is one audit entry naming the case code, who destroyed it and when. On a vault,
``compact`` (VACUUM) then rewrites the file so the deleted pages are gone too (``secure_delete`` already
zeroes them).

The coalition: decisions this case shared earlier sit in the coalition's pooled data under keyed record
ids, which can be computed only from the person's identity. So, in the same transaction and before the
delete, those ids are computed and kept as pending withdrawals (ids only, no case code): the next
``coalition export`` sends them, and the coalition erases the records on import. A vault without a
coalition secret never shared anything, and keeps nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import delete, select, text
from sqlalchemy.orm import Session

from trpkit.db.base import utcnow
from trpkit.db.models import Case
from trpkit.errors import UsageError
from trpkit.services import audit
from trpkit.services.access import MANAGE_RETENTION, require_role
from trpkit.services.actor import Actor

DEFAULT_RETENTION_YEARS = 7
MIN_EARLY_REASON_CHARS = 15


@dataclass(frozen=True)
class DestroyResult:
    code: str
    early: bool
    # "no_coalition", "not_shared" or "pending" (see coalition.DestroyedCaseNotice)
    coalition: str
    coalition_withdrawals: int
    coalition_message: str


@dataclass(frozen=True)
class RetentionRow:
    code: str
    closed_at: datetime
    destroy_after: date
    due: bool
    days_overdue: int  # negative: days still to go


def retention_years(settings_extra: dict[str, object] | None) -> int:
    """The configured period (``retention_years`` in config.toml), validated."""
    value = (settings_extra or {}).get("retention_years", DEFAULT_RETENTION_YEARS)
    try:
        years = int(str(value)) if isinstance(value, (int, str)) and not isinstance(value, bool) else None
    except ValueError:
        years = None
    if years is None:
        raise UsageError(f"retention_years must be a whole number of years, not '{value}'") from None
    if not 1 <= years <= 100:
        raise UsageError(f"retention_years must be between 1 and 100, not {years}")
    return years


def destroy_after(closed_at: datetime, years: int) -> date:
    closed = closed_at.date()
    try:
        return closed.replace(year=closed.year + years)
    except ValueError:  # closed on 29 February
        return closed.replace(year=closed.year + years, day=28)


def closed_cases(
    session: Session,
    actor: Actor,
    *,
    years: int = DEFAULT_RETENTION_YEARS,
    today: date | None = None,
    due_only: bool = True,
) -> list[RetentionRow]:
    """Closed case files with their destruction date; by default only those due now. Codes and dates only."""
    require_role(actor, MANAGE_RETENTION, "manage retention")
    today = today or utcnow().date()
    rows = []
    for code, closed_at in session.execute(
        select(Case.code, Case.closed_at)
        .where(Case.status == "closed", Case.closed_at.is_not(None))
        .order_by(Case.closed_at, Case.code)
    ):
        if closed_at is None:  # excluded by the query; says so to the type checker
            continue
        after = destroy_after(closed_at, years)
        due = after <= today
        if due or not due_only:
            rows.append(RetentionRow(code, closed_at, after, due, (today - after).days))
    return rows


def unsent_coalition_withdrawals(session: Session, actor: Actor) -> int:
    """How many record ids of destroyed case files no coalition package has carried yet."""
    require_role(actor, MANAGE_RETENTION, "manage retention")
    from sqlalchemy import func

    from trpkit.db.models.coalition_pending import CoalitionPendingWithdrawal

    return (
        session.scalar(
            select(func.count(CoalitionPendingWithdrawal.id)).where(CoalitionPendingWithdrawal.packages == 0)
        )
        or 0
    )


def destroy_case(
    session: Session,
    actor: Actor,
    code: str,
    *,
    years: int = DEFAULT_RETENTION_YEARS,
    today: date | None = None,
    early_reason: str = "",
) -> DestroyResult:
    """Delete everything about a closed case; leaves only an audit entry (and, when it shared decisions
    with the coalition, their keyed ids to withdraw at the next export).

    Before its retention period has run, a case is destroyed only with ``early_reason`` (for example the
    person asked for their file to be erased and nothing requires keeping it). The reason is kept in the
    audit log, which outlives the case: write it without names.
    """
    require_role(actor, MANAGE_RETENTION, "destroy case files")
    code = code.strip().upper()
    case = session.scalar(select(Case).where(Case.code == code))
    if case is None:
        raise UsageError(f"No case {code}. See 'trpkit retention' for files due.")
    if case.status != "closed" or case.closed_at is None:
        raise UsageError(
            f"{code} is not closed. Close it first (trpkit case edit {code} --set status=closed)."
        )
    today = today or utcnow().date()
    after = destroy_after(case.closed_at, years)
    early = after > today
    if early and len(early_reason.strip()) < MIN_EARLY_REASON_CHARS:
        raise UsageError(
            f"{code} is kept until {after.isoformat()} ({years} years after closing). To destroy it earlier, "
            f"give a reason of at least {MIN_EARLY_REASON_CHARS} characters (--early-reason)."
        )
    case_id = case.id
    # Before the person is gone: the only moment their coalition record ids can still be computed.
    from trpkit.services import coalition  # (loads the anonymisation libraries: only when destroying)

    notice = coalition.owe_withdrawals_for_destroyed_case(session, case_id, early=early, today=today)
    session.expunge(case)
    # The database cascades the delete into every table that belongs to the case.
    session.execute(delete(Case).where(Case.id == case_id))
    session.flush()
    _purge_fulltext(session)
    audit.record(
        session,
        actor,
        "retention.destroy",
        code,
        closed=case.closed_at.date().isoformat(),
        early=early,
        years=years,
        reason=early_reason.strip()[:200] if early else "",
        coalition=notice.state,
        coalition_withdrawals=notice.withdrawals,
    )
    return DestroyResult(code, early, notice.state, notice.withdrawals, notice.message)


def _purge_fulltext(session: Session) -> None:
    """SQLite FTS5 indexes keep deleted words in their segments until merged: merge them now, so a
    destroyed narrative leaves no searchable (or readable) trace in the index. PostgreSQL's index rows
    are deleted with the case (foreign key), its dead tuples reclaimed by autovacuum."""
    if session.get_bind().dialect.name != "sqlite":
        return
    tables = (
        session.execute(
            text(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND sql LIKE 'CREATE VIRTUAL TABLE%fts5%'"
            )
        )
        .scalars()
        .all()
    )
    for name in tables:
        quoted = '"' + name.replace('"', '""') + '"'
        session.execute(text(f"INSERT INTO {quoted}({quoted}) VALUES ('optimize')"))


def compact(database: object) -> None:
    """Rewrite a vault so destroyed rows leave no trace in free pages (VACUUM; outside a transaction).
    On PostgreSQL this is left to the server's autovacuum (the app role does not own the tables)."""
    engine = database.engine  # type: ignore[attr-defined]
    if engine.dialect.name != "sqlite":
        return
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.exec_driver_sql("VACUUM")
