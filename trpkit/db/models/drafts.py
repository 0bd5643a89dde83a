"""Drafting: the drafts made for a case, the accompanier's submission notes, and document checklist status."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, Date, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from trpkit.db.base import Base, TimestampMixin, VersionedMixin, utcnow


class Draft(Base):
    """One generated document. The file itself is not stored: only where it went and its SHA-256."""

    __tablename__ = "drafts"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    template: Mapped[str] = mapped_column(String(64))
    language: Mapped[str] = mapped_column(String(2))
    redacted: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), default=None)
    sha256: Mapped[str] = mapped_column(String(64))
    size_bytes: Mapped[int] = mapped_column(default=0)
    output_filename: Mapped[str] = mapped_column(String(255))  # the file name only, never the folder
    draft_date: Mapped[date] = mapped_column(
        Date
    )  # the date written in the letter (selects the policy period)
    policy_period: Mapped[str] = mapped_column(String(32), default="")
    warnings: Mapped[int] = mapped_column(default=0)  # readiness warnings accepted when drafting


class SubmissionNotes(TimestampMixin, VersionedMixin, Base):
    """What the accompanier writes for the submission itself: safety, risks on return, needs, recovery."""

    __tablename__ = "submission_notes"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), unique=True)
    vulnerabilities: Mapped[str] = mapped_column(Text, default="")
    safety: Mapped[str] = mapped_column(Text, default="")
    risks_on_return: Mapped[str] = mapped_column(Text, default="")
    continued_need: Mapped[str] = mapped_column(Text, default="")
    recovery: Mapped[str] = mapped_column(Text, default="")
    criminal_case: Mapped[str] = mapped_column(Text, default="")
    needs_health: Mapped[str] = mapped_column(Text, default="")
    needs_housing: Mapped[str] = mapped_column(Text, default="")
    needs_work: Mapped[str] = mapped_column(Text, default="")
    ircc_office: Mapped[str] = mapped_column(Text, default="")
    # The person's ties in Canada, argued for a longer-term permit (subsequent letter): each kind apart so
    # the letter can name it and readiness can ask for them
    ties_work: Mapped[str] = mapped_column(Text, default="", server_default="")
    ties_studies: Mapped[str] = mapped_column(Text, default="", server_default="")
    ties_community: Mapped[str] = mapped_column(Text, default="", server_default="")
    ties_family: Mapped[str] = mapped_column(Text, default="", server_default="")
    ties_treatment: Mapped[str] = mapped_column(Text, default="", server_default="")
    request_work_permit: Mapped[bool] = mapped_column(Boolean, default=True)
    request_ifhp: Mapped[bool] = mapped_column(Boolean, default=True)
    # Whether the person has health coverage other than IFHP: none | other | unknown (the letter says
    # "no other coverage" only for none)
    health_coverage: Mapped[str] = mapped_column(String(8), default="unknown", server_default="unknown")
    # The language the case's letters are written in (the Draft tab remembers the last choice)
    letter_language: Mapped[str] = mapped_column(String(2), default="en", server_default="en")
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), default=None)


class ChecklistItemStatus(TimestampMixin, VersionedMixin, Base):
    """Per case: where each document of an application type's checklist stands."""

    __tablename__ = "checklist_item_status"
    __table_args__ = (UniqueConstraint("case_id", "application_type", "item_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    application_type: Mapped[str] = mapped_column(String(32))
    item_id: Mapped[str] = mapped_column(String(48))
    state: Mapped[str] = mapped_column(String(16), default="missing")
    obtained_on: Mapped[date | None] = mapped_column(Date, default=None)
    expires_on: Mapped[date | None] = mapped_column(Date, default=None)
    note: Mapped[str] = mapped_column(Text, default="")
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), default=None)
