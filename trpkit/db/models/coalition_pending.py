"""Withdrawals this agency still owes the coalition for case files that no longer exist.

A consent withdrawal is computed again at every export from the case (its person's identity and the
latest consent decision). A destroyed case has no person left to compute it from, so at destruction the
case's keyed record ids are computed once and kept here until packages carrying them have gone out.

Deliberately not a case table: no ``case_id`` and no case code (the case is gone; nothing here may lead
back to it). A row holds the keyed record id (an HMAC under the coalition secret), why it is owed, the
day it was recorded, and when packages carried it.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from trpkit.db.base import Base


class CoalitionPendingWithdrawal(Base):
    """One keyed record id to send in the withdrawal list of the next coalition exports."""

    __tablename__ = "coalition_pending_withdrawals"

    id: Mapped[int] = mapped_column(primary_key=True)
    record_id: Mapped[str] = mapped_column(String(64), unique=True)
    # "retention_end" (destroyed when its retention period ran out) or "destroyed_early" (with a reason,
    # which stays in the audit log, not here).
    reason: Mapped[str] = mapped_column(String(32))
    # A day, not a time: the row is not meant to be matched with the destruction's audit entry.
    recorded_on: Mapped[date]
    first_sent_at: Mapped[datetime | None] = mapped_column(default=None)
    last_sent_at: Mapped[datetime | None] = mapped_column(default=None)
    packages: Mapped[int] = mapped_column(Integer, default=0)
