"""The person's story: meetings, entries (own words or summary) with every revision, autosaved drafts,
timeline events with fuzzy dates, their links to entries, and date suggestions awaiting a person."""

from __future__ import annotations

import datetime as dt
from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Date, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from trpkit.db.base import Base, TimestampMixin, VersionedMixin, utcnow


class NarrativeMeeting(TimestampMixin, VersionedMixin, Base):
    """One session with the person (often through an interpreter)."""

    __tablename__ = "narrative_meetings"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    held_on: Mapped[date] = mapped_column(Date, index=True)
    place: Mapped[str] = mapped_column(String(200), default="")
    present: Mapped[list[str]] = mapped_column(JSON, default=list)
    language: Mapped[str] = mapped_column(String(32), default="")
    interpreter: Mapped[str] = mapped_column(String(200), default="")
    duration_minutes: Mapped[int | None] = mapped_column(Integer, default=None)
    wellbeing_notes: Mapped[str] = mapped_column(Text, default="")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), default=None)

    entries: Mapped[list[NarrativeEntry]] = relationship(
        back_populates="meeting", cascade="all, delete-orphan", passive_deletes=True
    )


class NarrativeEntry(TimestampMixin, VersionedMixin, Base):
    """A passage: the person's own words (verbatim, original language) or the accompanier's summary."""

    __tablename__ = "narrative_entries"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    meeting_id: Mapped[int] = mapped_column(
        ForeignKey("narrative_meetings.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(16), default="own_words")  # own_words | summary
    text: Mapped[str] = mapped_column(Text, default="")
    language: Mapped[str] = mapped_column(String(32), default="")
    translation: Mapped[str] = mapped_column(Text, default="")
    translated_by: Mapped[str] = mapped_column(String(200), default="")
    position: Mapped[int] = mapped_column(Integer, default=0)
    updated_by: Mapped[str] = mapped_column(String(64), default="")

    meeting: Mapped[NarrativeMeeting] = relationship(back_populates="entries")


class NarrativeEntryRevision(Base):
    """Every saved state of an entry (append-only): view and restore any of them."""

    __tablename__ = "narrative_entry_revisions"
    __table_args__ = (UniqueConstraint("entry_id", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    entry_id: Mapped[int] = mapped_column(ForeignKey("narrative_entries.id", ondelete="CASCADE"), index=True)
    version: Mapped[int] = mapped_column(Integer)
    action: Mapped[str] = mapped_column(String(16), default="edit")  # create | edit | restore
    kind: Mapped[str] = mapped_column(String(16))
    text: Mapped[str] = mapped_column(Text, default="")
    language: Mapped[str] = mapped_column(String(32), default="")
    translation: Mapped[str] = mapped_column(Text, default="")
    translated_by: Mapped[str] = mapped_column(String(200), default="")
    saved_by: Mapped[str] = mapped_column(String(64), default="")
    saved_at: Mapped[datetime] = mapped_column(default=utcnow)


class NarrativeDraft(Base):
    """Autosaved, not yet saved text from the editor (one per person and entry, or per new entry)."""

    __tablename__ = "narrative_drafts"
    __table_args__ = (UniqueConstraint("user_id", "meeting_id", "entry_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    meeting_id: Mapped[int] = mapped_column(
        ForeignKey("narrative_meetings.id", ondelete="CASCADE"), index=True
    )
    entry_id: Mapped[int | None] = mapped_column(
        ForeignKey("narrative_entries.id", ondelete="CASCADE"), default=None
    )
    entry_key: Mapped[int] = mapped_column(Integer, default=0)  # entry_id, or 0 for a new entry
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    base_version: Mapped[int | None] = mapped_column(
        Integer, default=None
    )  # the version the edit started from
    kind: Mapped[str] = mapped_column(String(16), default="own_words")
    text: Mapped[str] = mapped_column(Text, default="")
    language: Mapped[str] = mapped_column(String(32), default="")
    translation: Mapped[str] = mapped_column(Text, default="")
    translated_by: Mapped[str] = mapped_column(String(200), default="")
    saved_at: Mapped[datetime] = mapped_column(default=utcnow)


class TimelineEvent(TimestampMixin, VersionedMixin, Base):
    __tablename__ = "timeline_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    event_type: Mapped[str] = mapped_column(String(32), default="other")
    title: Mapped[str] = mapped_column(String(300), default="")
    # FuzzyDate.to_dict() plus its bounds for ordering in SQL
    date: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    date_earliest: Mapped[dt.date | None] = mapped_column(Date, default=None, index=True)
    date_latest: Mapped[dt.date | None] = mapped_column(Date, default=None)
    told_on: Mapped[dt.date | None] = mapped_column(
        Date, default=None
    )  # the date relative phrases count from
    place: Mapped[str] = mapped_column(String(300), default="")
    people: Mapped[list[dict[str, str]]] = mapped_column(JSON, default=list)  # [{"role": ..., "name": ...}]
    notes: Mapped[str] = mapped_column(Text, default="")
    after_event_id: Mapped[int | None] = mapped_column(
        ForeignKey("timeline_events.id", ondelete="SET NULL"), default=None
    )
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), default=None)


class TimelineEventEntry(Base):
    """Which narrative entries support which event."""

    __tablename__ = "timeline_event_entries"
    __table_args__ = (UniqueConstraint("event_id", "entry_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("timeline_events.id", ondelete="CASCADE"), index=True)
    entry_id: Mapped[int] = mapped_column(ForeignKey("narrative_entries.id", ondelete="CASCADE"), index=True)


class DateSuggestion(Base):
    """A date phrase found in an entry, waiting for a person to accept (as an event) or dismiss it."""

    __tablename__ = "narrative_date_suggestions"
    __table_args__ = (UniqueConstraint("entry_id", "start", "phrase"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    entry_id: Mapped[int] = mapped_column(ForeignKey("narrative_entries.id", ondelete="CASCADE"), index=True)
    phrase: Mapped[str] = mapped_column(String(300))
    start: Mapped[int] = mapped_column(Integer)
    end: Mapped[int] = mapped_column(Integer)
    context: Mapped[str] = mapped_column(Text, default="")
    date: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    date_earliest: Mapped[dt.date | None] = mapped_column(Date, default=None)
    date_latest: Mapped[dt.date | None] = mapped_column(Date, default=None)
    status: Mapped[str] = mapped_column(String(16), default="open", index=True)  # open | accepted | dismissed
    event_id: Mapped[int | None] = mapped_column(
        ForeignKey("timeline_events.id", ondelete="SET NULL"), default=None
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
