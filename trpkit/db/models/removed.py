"""What was removed from a case file, kept whole so it can be restored from history (the Narrative tab's
"Removed" list, `trpkit narrative removed` / `restore-removed`). Goes with the case when the case goes."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from trpkit.db.base import Base, utcnow


class RemovedItem(Base):
    __tablename__ = "removed_items"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(32))  # "meeting" (with the entries it held)
    label: Mapped[str] = mapped_column(String(300), default="")  # e.g. "meeting of 2026-03-02, 3 entries"
    payload: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)  # everything needed to restore it
    removed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), default=None)
    removed_at: Mapped[datetime] = mapped_column(default=utcnow)
    restored_at: Mapped[datetime | None] = mapped_column(default=None)
    restored_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), default=None)
