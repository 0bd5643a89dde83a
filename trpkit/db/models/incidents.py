"""Incidents for the bulletin: this agency's own and those received from other member agencies.

Deliberately not a case table: no case_id, no person. One row per incident (its latest version, by
sequence number); a withdrawn incident keeps only its id, agency, sequence and the fact it was withdrawn.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Boolean, Date, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from trpkit.db.base import Base, TimestampMixin, VersionedMixin


class IncidentRow(TimestampMixin, VersionedMixin, Base):
    __tablename__ = "incidents"

    id: Mapped[int] = mapped_column(primary_key=True)
    uid: Mapped[str] = mapped_column(String(40), unique=True)
    agency: Mapped[str] = mapped_column(String(64), index=True)
    own: Mapped[bool] = mapped_column(Boolean, default=True)
    sequence: Mapped[int] = mapped_column(Integer, default=1)
    # The highest sequence this agency has put in a package (own incidents); 0 = never exported.
    exported_sequence: Mapped[int] = mapped_column(Integer, default=0)
    title: Mapped[str] = mapped_column(String(200), default="")
    when_text: Mapped[str] = mapped_column(String(200), default="")
    when_parsed: Mapped[bool] = mapped_column(Boolean, default=False)
    when_earliest: Mapped[date | None] = mapped_column(Date, default=None)
    when_latest: Mapped[date | None] = mapped_column(Date, default=None, index=True)
    place: Mapped[str] = mapped_column(String(16), default="")
    sector: Mapped[str] = mapped_column(String(32), default="unknown")
    people: Mapped[str] = mapped_column(String(16), default="unknown")
    framing: Mapped[str] = mapped_column(String(32), default="not_framed")
    # framing_history, indicators, facts, known, unknown, questions, sources, asks
    details: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    withdrawn: Mapped[bool] = mapped_column(Boolean, default=False)
    followed: Mapped[bool] = mapped_column(Boolean, default=False)
    received_at: Mapped[datetime | None] = mapped_column(default=None)
    package_sha256: Mapped[str] = mapped_column(String(64), default="")
    note: Mapped[str] = mapped_column(Text, default="")  # this agency's own follow-up note, never shared
