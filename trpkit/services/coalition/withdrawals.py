"""Withdrawals owed for destroyed case files: kept at destruction, re-sent, then forgotten."""

from __future__ import annotations

import base64
from collections.abc import Sequence
from datetime import date, datetime

from sqlalchemy import delete, insert, select
from sqlalchemy.orm import Session

from trpkit.db.models import ConsentEvent
from trpkit.db.models.coalition_pending import CoalitionPendingWithdrawal
from trpkit.domain.vocab import ConsentDecision
from trpkit.services.coalition._common import (
    DESTROYED_REASONS,
    PURPOSE,
    RESEND_DAYS,
    RESEND_MIN_PACKAGES,
    _settings,
)
from trpkit.services.coalition.dtos import (
    DestroyedCaseNotice,
)
from trpkit.services.coalition.records import case_record_ids


def owe_withdrawals_for_destroyed_case(
    session: Session, case_id: int, *, early: bool, today: date
) -> DestroyedCaseNotice:
    """Before a case is deleted (same transaction): keep its keyed record ids for the next exports.

    Called by retention. Only the record ids are kept (no case id or code), with the reason and the day.
    """
    settings = _settings(session)
    if settings is None or not settings.coalition_secret:
        return DestroyedCaseNotice(
            "no_coalition",
            0,
            "No coalition secret is set up here, so nothing of this case was ever shared with a coalition.",
        )
    ever_consented = session.scalar(
        select(ConsentEvent.id)
        .where(
            ConsentEvent.case_id == case_id,
            ConsentEvent.purpose == PURPOSE,
            ConsentEvent.decision == ConsentDecision.GIVEN.value,
        )
        .limit(1)
    )
    if ever_consented is None:
        return DestroyedCaseNotice(
            "not_shared",
            0,
            "The person never consented to coalition sharing: nothing of this case was shared.",
        )
    ids = case_record_ids(session, base64.b64decode(settings.coalition_secret), case_id)
    if not ids:
        return DestroyedCaseNotice(
            "not_shared", 0, "The case had no submitted TRP application: nothing of it was shared."
        )
    owed = set(
        session.scalars(
            select(CoalitionPendingWithdrawal.record_id).where(CoalitionPendingWithdrawal.record_id.in_(ids))
        )
    )
    fresh = sorted(set(ids) - owed)
    if fresh:
        reason = DESTROYED_REASONS[1] if early else DESTROYED_REASONS[0]
        session.execute(
            insert(CoalitionPendingWithdrawal),
            [{"record_id": r, "reason": reason, "recorded_on": today, "packages": 0} for r in fresh],
        )
    count = len(set(ids))
    return DestroyedCaseNotice(
        "pending",
        count,
        f"{count} decision record(s) of this case will be withdrawn from the coalition's data at the next "
        "'trpkit coalition export' (any decision that was shared).",
    )


def pending_withdrawals(session: Session) -> list[str]:
    """Record ids owed for destroyed case files, in the order they were recorded (no case is named)."""
    return list(
        session.scalars(select(CoalitionPendingWithdrawal.record_id).order_by(CoalitionPendingWithdrawal.id))
    )


def _mark_sent(session: Session, record_ids: Sequence[str], now: datetime) -> int:
    """A package carrying ``record_ids`` was written: count it, and forget those sent long and often
    enough. Returns how many the vault no longer holds."""
    if not record_ids:
        return 0
    rows = session.scalars(
        select(CoalitionPendingWithdrawal).where(CoalitionPendingWithdrawal.record_id.in_(list(record_ids)))
    ).all()
    done = []
    for row in rows:
        row.first_sent_at = row.first_sent_at or now
        row.last_sent_at = now
        row.packages += 1
        if row.packages >= RESEND_MIN_PACKAGES and (now - row.first_sent_at).days >= RESEND_DAYS:
            done.append(row.id)
    session.flush()
    if done:
        session.execute(delete(CoalitionPendingWithdrawal).where(CoalitionPendingWithdrawal.id.in_(done)))
    return len(done)
