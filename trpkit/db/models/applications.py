"""Applications to IRCC (TRPs, work and study permits, IFHP, PR…), their stage history and decisions."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Boolean, Date, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from trpkit.db.base import Base, TimestampMixin, VersionedMixin, utcnow


class Application(TimestampMixin, VersionedMixin, Base):
    __tablename__ = "applications"
    __table_args__ = (UniqueConstraint("case_id", "seq"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    seq: Mapped[int] = mapped_column(Integer)  # 1, 2, 3… within the case: reference TRP-2026-0042/A2
    # initial_trp | subsequent_trp | owp_trp_holder | owp_vulnerable_worker | study_permit | ifhp |
    # pr_permit_holder | h_and_c | refugee_claim
    type: Mapped[str] = mapped_column(String(32))
    # draft | submitted | acknowledged | interview_scheduled | info_requested | decided | withdrawn
    stage: Mapped[str] = mapped_column(String(24), default="draft", index=True)
    stage_since: Mapped[date] = mapped_column(Date)
    # The date attached to the current stage: the response deadline of a request for information or
    # the date of a scheduled interview (copied from the latest stage event, for the deadline query).
    stage_due_on: Mapped[date | None] = mapped_column(Date, default=None)
    submitted_on: Mapped[date | None] = mapped_column(Date, default=None)
    ircc_office: Mapped[str] = mapped_column(String(100), default="")
    file_number: Mapped[str] = mapped_column(String(40), default="")
    draft_id: Mapped[int | None] = mapped_column(Integer, default=None)  # the drafting area's draft record
    policy_period: Mapped[str] = mapped_column(String(32), default="")  # id in checklists/policy-periods.toml
    notes: Mapped[str] = mapped_column(Text, default="")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), default=None)

    events: Mapped[list[ApplicationStageEvent]] = relationship(
        back_populates="application",
        cascade="all, delete-orphan",
        passive_deletes=True,
        order_by="ApplicationStageEvent.id",
    )
    decision: Mapped[Decision | None] = relationship(
        back_populates="application",
        cascade="all, delete-orphan",
        passive_deletes=True,
        uselist=False,
    )


class ApplicationStageEvent(Base):
    """One step of an application's history: which stage, on what date, with what due date."""

    __tablename__ = "application_stage_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("applications.id", ondelete="CASCADE"), index=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    stage: Mapped[str] = mapped_column(String(24))
    occurred_on: Mapped[date] = mapped_column(Date)
    due_on: Mapped[date | None] = mapped_column(Date, default=None)
    note: Mapped[str] = mapped_column(Text, default="")
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), default=None)
    recorded_at: Mapped[datetime] = mapped_column(default=utcnow)

    application: Mapped[Application] = relationship(back_populates="events")


class Decision(TimestampMixin, VersionedMixin, Base):
    """IRCC's decision on one application, with a snapshot of the file when it was decided."""

    __tablename__ = "decisions"

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(
        ForeignKey("applications.id", ondelete="CASCADE"), unique=True, index=True
    )
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    # granted | refused | partially_granted | withdrawn | returned_incomplete
    outcome: Mapped[str] = mapped_column(String(24), index=True)
    decided_on: Mapped[date] = mapped_column(Date, index=True)
    validity_start: Mapped[date | None] = mapped_column(Date, default=None)
    validity_end: Mapped[date | None] = mapped_column(Date, default=None, index=True)
    duration_granted_days: Mapped[int | None] = mapped_column(Integer, default=None)
    conditions: Mapped[str] = mapped_column(Text, default="")
    ircc_office: Mapped[str] = mapped_column(String(100), default="")
    officer_label: Mapped[str] = mapped_column(String(32), default="")  # pseudonymous, never a name
    reasons_text: Mapped[str] = mapped_column(Text, default="")
    refusal_reasons: Mapped[list[str]] = mapped_column(JSON, default=list)  # codes: refusal-reasons.toml
    # law_enforcement_cooperation, criminal_case_status, exploitation_sector, delphi {...}, exhibits, policy_period
    snapshot: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), default=None)

    application: Mapped[Application] = relationship(back_populates="decision")


class PermitHolderGround(TimestampMixin, VersionedMixin, Base):
    """The ground of inadmissibility that sets the permit-holder clock's mark (IRPR s. 65(b)), one per case."""

    __tablename__ = "permit_holder_grounds"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), unique=True, index=True)
    ground: Mapped[str] = mapped_column(String(16), default="unknown")  # health | other | unknown
    note: Mapped[str] = mapped_column(Text, default="")
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), default=None)
    recorded_at: Mapped[datetime] = mapped_column(default=utcnow)


class AbsenceFromCanada(TimestampMixin, VersionedMixin, Base):
    """Time the person spent outside Canada, for the permit-holder clock's continuity."""

    __tablename__ = "absences_from_canada"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    left_on: Mapped[date] = mapped_column(Date)
    returned_on: Mapped[date | None] = mapped_column(Date, default=None)  # None: still away
    authorized: Mapped[bool] = mapped_column(
        Boolean, default=False
    )  # the TRP authorized leaving and re-entering
    note: Mapped[str] = mapped_column(Text, default="")
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), default=None)
    recorded_at: Mapped[datetime] = mapped_column(default=utcnow)
