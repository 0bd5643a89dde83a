"""The audit log: append-only and hash-chained, so an edited, removed or reordered entry is detectable."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from trpkit.db.base import utcnow
from trpkit.db.models import AuditEntry, AuditHead
from trpkit.services.actor import Actor

GENESIS = "0" * 64


@dataclass(frozen=True)
class AuditRow:
    id: int
    at: datetime
    username: str
    action: str
    case_code: str | None
    detail: dict[str, Any]


@dataclass(frozen=True)
class ChainReport:
    ok: bool
    entries: int
    first_bad_id: int | None
    problem: str
    head_hash: str = GENESIS  # hash of the newest entry: note it elsewhere to detect later truncation


def _digest(
    prev_hash: str, at: datetime, username: str, action: str, case_code: str | None, detail: dict[str, Any]
) -> str:
    payload = json.dumps(
        [prev_hash, at.isoformat(timespec="microseconds"), username, action, case_code, detail],
        sort_keys=True,
        ensure_ascii=False,
        separators=(",", ":"),
        default=str,
    )
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


_PG_AUDIT_LOCK = 0x7472706B  # "trpk": the advisory lock that serialises appends on PostgreSQL


def record(
    session: Session, actor: Actor | str, action: str, case_code: str | None = None, **detail: Any
) -> None:
    """Append one entry. Never store names or narrative text in ``detail``: codes and counts only.

    Appends are serialised so the chain never forks, even with several writers at once:
    on PostgreSQL a transaction-scoped advisory lock is taken before reading the tail (under READ
    COMMITTED the next statement then sees every entry committed before the lock was granted); on
    SQLite the row is inserted first, which takes the database's single write lock, and only then
    linked to the entry before it.
    """
    username = actor if isinstance(actor, str) else actor.username
    at = utcnow()
    clean = json.loads(json.dumps(detail, default=str))
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _PG_AUDIT_LOCK})
        prev = (
            session.scalar(select(AuditEntry.entry_hash).order_by(AuditEntry.id.desc()).limit(1)) or GENESIS
        )
        session.add(
            AuditEntry(
                at=at,
                username=username,
                action=action,
                case_code=case_code,
                detail=clean,
                prev_hash=prev,
                entry_hash=_digest(prev, at, username, action, case_code, clean),
            )
        )
        session.flush()
        return
    entry = AuditEntry(
        at=at,
        username=username,
        action=action,
        case_code=case_code,
        detail=clean,
        prev_hash="",
        entry_hash="",
    )
    session.add(entry)
    session.flush()  # holds SQLite's write lock from here to commit: nobody can append in between
    prev = (
        session.scalar(
            select(AuditEntry.entry_hash)
            .where(AuditEntry.id < entry.id)
            .order_by(AuditEntry.id.desc())
            .limit(1)
        )
        or GENESIS
    )
    entry.prev_hash = prev
    entry.entry_hash = _digest(prev, at, username, action, case_code, clean)
    _keep_head(session, entry)
    session.flush()


def _keep_head(session: Session, entry: AuditEntry) -> None:
    """In a vault the app keeps the head (on PostgreSQL a trigger with the owner's rights does)."""
    head = session.get(AuditHead, 1)
    if head is None:
        session.add(AuditHead(id=1, entry_id=entry.id, entry_hash=entry.entry_hash, entries=1))
        return
    head.entry_id, head.entry_hash, head.entries = entry.id, entry.entry_hash, head.entries + 1


def entries(
    session: Session,
    case_code: str | None = None,
    username: str | None = None,
    action: str | None = None,
    limit: int = 200,
) -> list[AuditRow]:
    stmt = select(AuditEntry).order_by(AuditEntry.id.desc()).limit(limit)
    if case_code:
        stmt = stmt.where(AuditEntry.case_code == case_code)
    if username:
        stmt = stmt.where(AuditEntry.username == username)
    if action:
        stmt = stmt.where(AuditEntry.action == action)
    return [
        AuditRow(e.id, e.at, e.username, e.action, e.case_code, dict(e.detail)) for e in session.scalars(stmt)
    ]


def show(
    session: Session,
    actor: Actor,
    case_code: str | None = None,
    username: str | None = None,
    action: str | None = None,
    limit: int = 200,
) -> list[AuditRow]:
    """Entries for people: supervisors and administrators see everyone's; others only their own."""
    from trpkit.domain.vocab import Role
    from trpkit.errors import AccessDenied

    if actor.role not in (Role.SUPERVISOR, Role.ADMIN):
        if username is not None and username != actor.username:
            raise AccessDenied("Only supervisors and administrators see others' audit entries.")
        username = actor.username
    rows = entries(
        session,
        case_code=case_code.strip().upper() if case_code else None,
        username=username,
        action=action,
        limit=limit,
    )
    record(
        session,
        actor,
        "audit.read",
        case_code.strip().upper() if case_code else None,
        user=username,
        entries=len(rows),
    )
    return rows


def _head_problem(session: Session, count: int, last_id: int, last_hash: str) -> str:
    """Compare the chain's end with the separately kept head (``audit_head``)."""
    from sqlalchemy import inspect

    if not inspect(session.connection()).has_table(AuditHead.__tablename__):
        return ""  # a schema older than the head (checked again once upgraded)
    head = session.get(AuditHead, 1)
    if head is None:
        return "" if count == 0 else "the log's head record is missing: the log was tampered with"
    if head.entry_id == last_id and head.entry_hash == last_hash and head.entries == count:
        return ""
    if head.entry_id > last_id or head.entries > count:
        return (
            f"entries were removed from the end of the log: it ends at entry {last_id} ({count} entries), "
            f"but its head records entry {head.entry_id} ({head.entries} entries)"
        )
    return "the log does not match its head record: entries were removed, added or rewritten"


def verify(session: Session, expect_head: str | None = None) -> ChainReport:
    """Walk the chain from the first entry and compare its end with the head kept apart (``audit_head``:
    on a server only a trigger with the owner's rights writes it), which catches entries removed from the
    end, something a chain alone cannot show. ``expect_head`` is a head hash noted earlier (for example
    printed by a previous verify and kept off the machine): it must still be in the chain."""
    prev = GENESIS
    count = 0
    last_id = 0
    seen_expected = expect_head is None or expect_head == GENESIS
    for entry in session.scalars(select(AuditEntry).order_by(AuditEntry.id)).yield_per(1000):
        count += 1
        if entry.id <= last_id:
            return ChainReport(False, count, entry.id, "entries out of order")
        last_id = entry.id
        if entry.prev_hash != prev:
            return ChainReport(
                False, count, entry.id, "an entry before this one was removed, edited or reordered"
            )
        expected = _digest(
            entry.prev_hash, entry.at, entry.username, entry.action, entry.case_code, dict(entry.detail)
        )
        if expected != entry.entry_hash:
            return ChainReport(False, count, entry.id, "this entry was edited after it was written")
        prev = entry.entry_hash
        if not seen_expected and prev == expect_head:
            seen_expected = True
    problem = _head_problem(session, count, last_id, prev)
    if problem:
        return ChainReport(False, count, None, problem, prev)
    if not seen_expected:
        return ChainReport(
            False,
            count,
            None,
            "the head hash you noted earlier is no longer in the chain: entries were removed "
            "from the end or the log was rewritten",
            prev,
        )
    return ChainReport(True, count, None, "", prev)
