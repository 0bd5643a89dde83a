"""The evidence register and the control-indicator map of a case.

- ``EvidenceItem``: one exhibit (document, pay record, the person's account, ...), numbered per case.
- ``EvidenceNarrativeEntry``: the passages of the narrative an account-type exhibit rests on.
- ``EvidenceAttachment``: a file attached to an item, stored INSIDE the vault as a blob (never beside
  it), with its SHA-256, size and media type.
- ``IndicatorLink``: one statement that an indicator is present / reported but unsupported / explored
  and absent / not explored, resting on an evidence item, a narrative entry, or neither (a bare mark
  with a note).
- ``CaseIndicatorSettings``: which framework the case uses (when chosen by hand), when the
  exploitation began (for the person's age at the time), and whether the person agreed to the crossing.
"""

from __future__ import annotations

import datetime as dt
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, Date, ForeignKey, Integer, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, deferred, mapped_column, relationship

from trpkit.db.base import Base, TimestampMixin, VersionedMixin, utcnow


class EvidenceItem(TimestampMixin, VersionedMixin, Base):
    __tablename__ = "evidence_items"
    __table_args__ = (UniqueConstraint("case_id", "exhibit_number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    exhibit_number: Mapped[int] = mapped_column(Integer)
    type: Mapped[str] = mapped_column(String(32))  # trpkit.services.evidence.EVIDENCE_TYPES
    description: Mapped[str] = mapped_column(Text, default="")
    date: Mapped[dict[str, Any] | None] = mapped_column(JSON, default=None)  # FuzzyDate.to_dict()
    date_earliest: Mapped[dt.date | None] = mapped_column(Date, default=None, index=True)
    date_latest: Mapped[dt.date | None] = mapped_column(Date, default=None)
    source: Mapped[str] = mapped_column(String(300), default="")
    how_obtained: Mapped[str] = mapped_column(Text, default="")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), default=None)

    attachments: Mapped[list[EvidenceAttachment]] = relationship(
        back_populates="evidence",
        cascade="all, delete-orphan",
        passive_deletes=True,
        order_by="EvidenceAttachment.id",
    )


class EvidenceNarrativeEntry(Base):
    """An exhibit of type "the person's account" rests on passages of the narrative."""

    __tablename__ = "evidence_narrative_entries"
    __table_args__ = (UniqueConstraint("evidence_id", "narrative_entry_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    evidence_id: Mapped[int] = mapped_column(ForeignKey("evidence_items.id", ondelete="CASCADE"), index=True)
    narrative_entry_id: Mapped[int] = mapped_column(
        ForeignKey("narrative_entries.id", ondelete="CASCADE"), index=True
    )


class EvidenceAttachment(Base):
    __tablename__ = "evidence_attachments"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    evidence_id: Mapped[int] = mapped_column(ForeignKey("evidence_items.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(255))  # a safe file name (no folders), see services.evidence
    media_type: Mapped[str] = mapped_column(String(100), default="application/octet-stream")
    size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    data: Mapped[bytes] = deferred(mapped_column(LargeBinary))
    added_at: Mapped[datetime] = mapped_column(default=utcnow)
    added_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), default=None)

    evidence: Mapped[EvidenceItem] = relationship(back_populates="attachments")


class IndicatorLink(TimestampMixin, VersionedMixin, Base):
    __tablename__ = "indicator_links"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    indicator_id: Mapped[str] = mapped_column(String(16))  # AL-5.01 (read by item number in other lists)
    status: Mapped[str] = mapped_column(
        String(24)
    )  # present | reported_unsupported | explored_absent | not_explored
    note: Mapped[str] = mapped_column(Text, default="")
    evidence_id: Mapped[int | None] = mapped_column(
        ForeignKey("evidence_items.id", ondelete="CASCADE"), default=None, index=True
    )
    # The person's own words in the narrative (trpkit.db.models.narrative.NarrativeEntry).
    narrative_entry_id: Mapped[int | None] = mapped_column(
        ForeignKey("narrative_entries.id", ondelete="CASCADE"), default=None, index=True
    )
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), default=None)


class CaseIndicatorSettings(VersionedMixin, Base):
    __tablename__ = "case_indicator_settings"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), unique=True)
    framework: Mapped[str | None] = mapped_column(
        String(32), default=None
    )  # None: chosen from age and sector
    exploitation_start: Mapped[dict[str, Any] | None] = mapped_column(JSON, default=None)
    exploitation_start_earliest: Mapped[dt.date | None] = mapped_column(Date, default=None)
    exploitation_start_latest: Mapped[dt.date | None] = mapped_column(Date, default=None)
    consented_to_crossing: Mapped[bool | None] = mapped_column(Boolean, default=None)
