"""The audit log: append-only and hash-chained, so an edited, removed or reordered entry is detectable."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from trpkit.db.base import utcnow
from trpkit.db.models import AuditEntry
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


def _digest(prev_hash: str, at: datetime, username: str, action: str, case_code: str | None,
            detail: dict[str, Any]) -> str:
    payload = json.dumps(
        [prev_hash, at.isoformat(timespec="microseconds"), username, action, case_code, detail],
        sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str,
    )
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def record(session: Session, actor: Actor | str, action: str, case_code: str | None = None,
           **detail: Any) -> None:
    """Append one entry. Never store names or narrative text in ``detail``: codes and counts only."""
    username = actor if isinstance(actor, str) else actor.username
    # Lock-free tail read is safe: SQLite serialises writers; on PostgreSQL we lock the last row.
    stmt = select(AuditEntry.entry_hash).order_by(AuditEntry.id.desc()).limit(1)
    if session.get_bind().dialect.name == "postgresql":
        stmt = stmt.with_for_update()
    prev = session.scalar(stmt) or GENESIS
    at = utcnow()
    clean = json.loads(json.dumps(detail, default=str))
    session.add(AuditEntry(at=at, username=username, action=action, case_code=case_code, detail=clean,
                           prev_hash=prev, entry_hash=_digest(prev, at, username, action, case_code, clean)))
    session.flush()


def entries(session: Session, case_code: str | None = None, username: str | None = None,
            action: str | None = None, limit: int = 200) -> list[AuditRow]:
    stmt = select(AuditEntry).order_by(AuditEntry.id.desc()).limit(limit)
    if case_code:
        stmt = stmt.where(AuditEntry.case_code == case_code)
    if username:
        stmt = stmt.where(AuditEntry.username == username)
    if action:
        stmt = stmt.where(AuditEntry.action == action)
    return [AuditRow(e.id, e.at, e.username, e.action, e.case_code, dict(e.detail))
            for e in session.scalars(stmt)]


def verify(session: Session) -> ChainReport:
    prev = GENESIS
    count = 0
    last_id = 0
    for entry in session.scalars(select(AuditEntry).order_by(AuditEntry.id)).yield_per(1000):
        count += 1
        if entry.id <= last_id:
            return ChainReport(False, count, entry.id, "entries out of order")
        last_id = entry.id
        if entry.prev_hash != prev:
            return ChainReport(False, count, entry.id, "an entry before this one was removed, edited or reordered")
        expected = _digest(entry.prev_hash, entry.at, entry.username, entry.action, entry.case_code,
                           dict(entry.detail))
        if expected != entry.entry_hash:
            return ChainReport(False, count, entry.id, "this entry was edited after it was written")
        prev = entry.entry_hash
    return ChainReport(True, count, None, "")
