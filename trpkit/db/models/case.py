"""The case file, the person it is about, and who is assigned to it."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Date, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from trpkit.db.base import Base, TimestampMixin, VersionedMixin


class Case(TimestampMixin, VersionedMixin, Base):
    __tablename__ = "cases"

    id: Mapped[int] = mapped_column(primary_key=True)
    # Pseudonymous code (TRP-2026-0042) used wherever a name is not needed.
    code: Mapped[str] = mapped_column(String(32), unique=True, index=True)
    status: Mapped[str] = mapped_column(String(16), default="intake", index=True)
    # Context the coalition analysis and decision snapshots need (values in trpkit.domain.vocab).
    exploitation_sector: Mapped[str] = mapped_column(String(32), default="unknown")
    law_enforcement_cooperation: Mapped[str] = mapped_column(String(16), default="none")
    criminal_case_status: Mapped[str] = mapped_column(String(16), default="none")
    summary: Mapped[str] = mapped_column(Text, default="")
    closed_at: Mapped[datetime | None] = mapped_column(default=None)
    # Indexed: an accompanier's own cases are looked up by creator on every list (and by the server's
    # row-level security on every query, trpkit.db.rls).
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), default=None, index=True)

    person: Mapped[Person] = relationship(back_populates="case", uselist=False, cascade="all, delete-orphan")
    assignments: Mapped[list[CaseAssignment]] = relationship(
        back_populates="case", cascade="all, delete-orphan"
    )


class CaseAssignment(Base):
    __tablename__ = "case_assignments"
    __table_args__ = (UniqueConstraint("case_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)

    case: Mapped[Case] = relationship(back_populates="assignments")


class Person(TimestampMixin, VersionedMixin, Base):
    """The person accompanied. Identifying fields live only here."""

    __tablename__ = "persons"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), unique=True)
    legal_name: Mapped[str] = mapped_column(String(200), default="")
    preferred_name: Mapped[str] = mapped_column(String(200), default="")
    aliases: Mapped[list[str]] = mapped_column(JSON, default=list)
    # Date of birth may be approximate: the words as given plus the interval they allow.
    birth_date_text: Mapped[str] = mapped_column(String(100), default="")
    birth_date_earliest: Mapped[date | None] = mapped_column(Date, default=None)
    birth_date_latest: Mapped[date | None] = mapped_column(Date, default=None)
    gender: Mapped[str] = mapped_column(String(100), default="")
    nationality: Mapped[str] = mapped_column(String(2), default="")  # ISO 3166-1 alpha-2
    languages: Mapped[list[str]] = mapped_column(JSON, default=list)
    interpreter_needs: Mapped[str] = mapped_column(Text, default="")
    contact: Mapped[str] = mapped_column(Text, default="")
    safe_contact_instructions: Mapped[str] = mapped_column(Text, default="")
    immigration_status: Mapped[str] = mapped_column(String(100), default="")
    uci: Mapped[str] = mapped_column(String(20), default="")
    dependants_in_canada: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    extra: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)

    case: Mapped[Case] = relationship(back_populates="person")


class CaseCounter(Base):
    """Next sequence number per year for case codes (TRP-YYYY-NNNN)."""

    __tablename__ = "case_counters"

    year: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    last: Mapped[int] = mapped_column(Integer, default=0)
