"""A form's unsaved changes, kept when the app locks (the vault closes) so they are offered back on
unlocking, as the narrative editor's drafts are. One per person, case and form; a draft with no case (the
new-case form's typing) is one per person and form, and on PostgreSQL only its writer sees it."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, String, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column

from trpkit.db.base import Base, utcnow


class FormDraft(Base):
    __tablename__ = "form_drafts"
    __table_args__ = (
        UniqueConstraint("user_id", "case_id", "form"),
        # NULLs are distinct in the constraint above: a case-less draft needs its own.
        Index(
            "uq_form_drafts_user_id_form_no_case",
            "user_id",
            "form",
            unique=True,
            sqlite_where=text("case_id IS NULL"),
            postgresql_where=text("case_id IS NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # None: a form that makes a case (the new-case form), kept before the case exists
    case_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    form: Mapped[str] = mapped_column(String(32))  # e.g. "person"
    values: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    saved_at: Mapped[datetime] = mapped_column(default=utcnow)
