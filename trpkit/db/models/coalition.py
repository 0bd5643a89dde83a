"""Coalition sharing: this agency's signing key and coalition secret, and the coalition's merged store.

Nothing here belongs to a case: imported records are anonymised (keyed pseudonyms, generalised values),
so none of these tables has a case_id. An NGO's vault uses ``coalition_settings``; the coalition's
database (run by its analysts) uses the other tables. One database may do both.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from trpkit.db.base import Base, TimestampMixin, VersionedMixin, utcnow


class CoalitionSettings(TimestampMixin, VersionedMixin, Base):
    """This agency's coalition identity (one row). Kept in the encrypted vault, never exported."""

    __tablename__ = "coalition_settings"

    id: Mapped[int] = mapped_column(primary_key=True)
    agency: Mapped[str] = mapped_column(String(64), default="")
    private_key_pem: Mapped[str] = mapped_column(Text, default="")
    public_key: Mapped[str] = mapped_column(String(64), default="")
    # The coalition's shared secret for record ids (base64); analysts never receive it.
    coalition_secret: Mapped[str] = mapped_column(Text, default="")
    # The number of the last package written; each export signs the next one, so the coalition can refuse
    # an older package arriving after a newer one (a rollback).
    export_sequence: Mapped[int] = mapped_column(Integer, default=0, server_default="0")


class CoalitionAgency(Base):
    """A member agency whose packages the coalition accepts, by public key."""

    __tablename__ = "coalition_agencies"

    id: Mapped[int] = mapped_column(primary_key=True)
    agency: Mapped[str] = mapped_column(String(64), index=True)
    public_key: Mapped[str] = mapped_column(String(64), unique=True)
    fingerprint: Mapped[str] = mapped_column(String(16))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    added_at: Mapped[datetime] = mapped_column(default=utcnow)
    added_by: Mapped[str] = mapped_column(String(64), default="")


class CoalitionImport(Base):
    """One imported package (refused packages leave no row: nothing of them is imported)."""

    __tablename__ = "coalition_imports"

    id: Mapped[int] = mapped_column(primary_key=True)
    package_sha256: Mapped[str] = mapped_column(String(64), unique=True)
    agency: Mapped[str] = mapped_column(String(64), index=True)
    exported_at: Mapped[str] = mapped_column(String(40), default="")
    # The agency's package number (signed in the manifest); None for packages made before numbering.
    sequence: Mapped[int | None] = mapped_column(Integer, default=None)
    imported_at: Mapped[datetime] = mapped_column(default=utcnow)
    imported_by: Mapped[str] = mapped_column(String(64), default="")
    records_new: Mapped[int] = mapped_column(Integer, default=0)
    records_replaced: Mapped[int] = mapped_column(Integer, default=0)
    records_duplicate: Mapped[int] = mapped_column(Integer, default=0)
    withdrawals: Mapped[int] = mapped_column(Integer, default=0)
    manifest: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


class CoalitionRecord(Base):
    """One shared decision record in the merged store (deduplicated by record_id)."""

    __tablename__ = "coalition_records"

    id: Mapped[int] = mapped_column(primary_key=True)
    record_id: Mapped[str] = mapped_column(String(64), unique=True)
    agency: Mapped[str] = mapped_column(String(64), index=True)
    import_id: Mapped[int] = mapped_column(ForeignKey("coalition_imports.id", ondelete="CASCADE"), index=True)
    fields: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    # Other agencies that shared the same decision (the same person, counted once).
    also_from: Mapped[list[str]] = mapped_column(JSON, default=list)
    imported_at: Mapped[datetime] = mapped_column(default=utcnow)
    withdrawn_at: Mapped[datetime | None] = mapped_column(default=None, index=True)


class CoalitionWithdrawal(Base):
    """Consent withdrawn: the record leaves the next merged release (even if it arrives later)."""

    __tablename__ = "coalition_withdrawals"

    id: Mapped[int] = mapped_column(primary_key=True)
    record_id: Mapped[str] = mapped_column(String(64), unique=True)
    agency: Mapped[str] = mapped_column(String(64))
    received_at: Mapped[datetime] = mapped_column(default=utcnow)


class CoalitionRelease(Base):
    """A merged release: the records published to analysts (agency stripped), with its checks."""

    __tablename__ = "coalition_releases"

    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by: Mapped[str] = mapped_column(String(64), default="")
    records: Mapped[int] = mapped_column(Integer, default=0)
    withdrawn_removed: Mapped[int] = mapped_column(Integer, default=0)
    suppressed: Mapped[int] = mapped_column(Integer, default=0)
    k: Mapped[int] = mapped_column(Integer, default=0)
    sha256: Mapped[str] = mapped_column(String(64), default="")
    summary: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
