"""Translations of a case's content for letters in another language (the accompanier writes them)."""

from __future__ import annotations

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from trpkit.db.base import Base, TimestampMixin, VersionedMixin


class LetterTranslation(TimestampMixin, VersionedMixin, Base):
    """One piece of case content (an event, a summary, a note, an exhibit title) in a letter's language.

    ``piece`` names the content ("event:12", "summary:4", "note:safety", "exhibit:3"); ``source_sha256``
    is the SHA-256 of the original text when translated, so a later change of the original shows the
    translation as out of date instead of sending the officer a translation of older words.
    """

    __tablename__ = "letter_translations"
    __table_args__ = (UniqueConstraint("case_id", "piece", "language"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    piece: Mapped[str] = mapped_column(String(64))
    language: Mapped[str] = mapped_column(String(2))
    source_sha256: Mapped[str] = mapped_column(String(64))
    text: Mapped[str] = mapped_column(Text, default="")
    translator: Mapped[str] = mapped_column(String(200), default="")
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), default=None)
