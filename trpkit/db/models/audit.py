"""Append-only, hash-chained audit log."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, String
from sqlalchemy.orm import Mapped, mapped_column

from trpkit.db.base import Base, utcnow


class AuditEntry(Base):
    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utcnow)
    username: Mapped[str] = mapped_column(String(64))
    action: Mapped[str] = mapped_column(String(48), index=True)
    # Case code, not id: the entry must survive the case's destruction (retention).
    case_code: Mapped[str | None] = mapped_column(String(32), index=True, default=None)
    detail: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    prev_hash: Mapped[str] = mapped_column(String(64))
    entry_hash: Mapped[str] = mapped_column(String(64))


class AuditHead(Base):
    """The newest entry of the log (one row), so removing entries from the end is detectable.

    On PostgreSQL a trigger owned by the schema owner keeps it, and application logins may only read
    it; in a vault the app keeps it (the vault's passphrase is the protection there).
    """

    __tablename__ = "audit_head"

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    entry_id: Mapped[int] = mapped_column(default=0)
    entry_hash: Mapped[str] = mapped_column(String(64), default="")
    entries: Mapped[int] = mapped_column(default=0)
