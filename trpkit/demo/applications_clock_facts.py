"""The permit-holder clock's facts for some fictional cases with at least a year on TRPs: a recorded
ground of inadmissibility and, for a few, an absence from Canada."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from sqlalchemy import insert
from sqlalchemy.orm import Session

from trpkit.db.base import utcnow
from trpkit.db.models import AbsenceFromCanada, PermitHolderGround
from trpkit.demo.applications_rows import _History

TRIP_NOTES = ["family visit", "family emergency", "medical treatment abroad", "parent's funeral", ""]


def _clock_facts(session: Session, h: _History) -> None:
    """Grounds and absences for some cases with at least a year on TRPs (after everything else: the random
    draws here do not change the applications above)."""
    rng, today = h.rng, h.today
    types = {(a["case_id"], a["seq"]): a["type"] for a in h.apps}
    spans: dict[int, tuple[date, date]] = {}
    for case_id, seq, row in h.decisions:
        if (
            row["outcome"] not in ("granted", "partially_granted")
            or not row["validity_start"]
            or types[(case_id, seq)] not in ("initial_trp", "subsequent_trp")
        ):
            continue
        low, high = spans.get(case_id, (row["validity_start"], row["validity_end"]))
        spans[case_id] = (min(low, row["validity_start"]), max(high, row["validity_end"]))
    now = utcnow()
    grounds: list[dict[str, Any]] = []
    trips: list[dict[str, Any]] = []
    eligible = [
        (case_id, low, min(high, today - timedelta(days=1)))
        for case_id, (low, high) in sorted(spans.items())
        if (min(high, today - timedelta(days=1)) - low).days >= 365
    ]
    # A few trips whatever the random stream upstream does, so the demo always shows the clock's absences.
    sure_trips = {case_id for case_id, _, _ in eligible[:: max(1, len(eligible) // 2)][:2]}
    for case_id, low, last in eligible:
        draw = rng.random()
        if draw < 0.4:
            grounds.append(
                {
                    "case_id": case_id,
                    "ground": "health" if draw < 0.05 else "other",
                    "note": rng.choice(["IRCC letter", "counsel's assessment", ""]),
                    "recorded_by_id": h.actor.user_id,
                    "recorded_at": now,
                    "version": 1,
                }
            )
        if rng.random() < 0.15 or case_id in sure_trips:
            left = low + timedelta(days=rng.randint(60, (last - low).days - 1))
            back: date | None = left + timedelta(days=rng.randint(3, 40))
            if back is not None and back > today:
                back = None  # still away
            trips.append(
                {
                    "case_id": case_id,
                    "left_on": left,
                    "returned_on": back,
                    "authorized": rng.random() < 0.7,
                    "note": rng.choice(TRIP_NOTES),
                    "recorded_by_id": h.actor.user_id,
                    "recorded_at": now,
                    "version": 1,
                }
            )
    if grounds:
        session.execute(insert(PermitHolderGround), grounds)
    if trips:
        session.execute(insert(AbsenceFromCanada), trips)
