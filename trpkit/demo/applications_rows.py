"""The rows of the fictional application histories: accumulated for one generation run (applications,
their stage events, decisions with their snapshots), then written in bulk."""

from __future__ import annotations

import random
from collections import defaultdict
from datetime import date, timedelta
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from trpkit.db.models import Application, ApplicationStageEvent, Decision
from trpkit.domain.ircc_periods import NoPolicyPeriod
from trpkit.loading.ircc_periods import policy_in_force
from trpkit.services.actor import Actor

CONDITIONS = [
    "Must report any change of address to IRCC.",
    "Not authorized to work unless authorized by permit.",
    "",
    "",
    "",
]
_CHUNK = 5000


def _period(day: date) -> Any:
    try:
        return policy_in_force(day)
    except NoPolicyPeriod:
        return None


class _History:
    """Accumulates rows for one generation run."""

    def __init__(self, actor: Actor, rng: random.Random, today: date) -> None:
        self.actor, self.rng, self.today = actor, rng, today
        self.apps: list[dict[str, Any]] = []
        self.events: list[tuple[int, int, dict[str, Any]]] = []  # (case_id, seq, row without ids)
        self.decisions: list[tuple[int, int, dict[str, Any]]] = []
        self.seq: dict[int, int] = defaultdict(int)

    def application(
        self,
        case_id: int,
        kind: str,
        started: date,
        office: str,
        stages: list[tuple[str, date, date | None]],
        draft_note: str = "",
    ) -> int:
        self.seq[case_id] += 1
        seq = self.seq[case_id]
        submitted = next((d for s, d, _ in stages if s == "submitted"), None)
        last_stage, last_on, last_due = stages[-1] if stages else ("draft", started, None)
        period = _period(submitted or started)
        self.apps.append(
            {
                "case_id": case_id,
                "seq": seq,
                "type": kind,
                "stage": last_stage,
                "stage_since": last_on,
                "stage_due_on": last_due,
                "submitted_on": submitted,
                "ircc_office": office if submitted else "",
                "file_number": f"W3{self.rng.randint(10**7, 10**8 - 1)}"
                if submitted and self.rng.random() < 0.7
                else "",
                "draft_id": None,
                "policy_period": period.id if period else "",
                "notes": draft_note,
                "created_by_id": self.actor.user_id,
                "version": 1 + len(stages),
            }
        )
        self.events.append(
            (case_id, seq, {"stage": "draft", "occurred_on": started, "due_on": None, "note": ""})
        )
        for stage, on, due in stages:
            self.events.append((case_id, seq, {"stage": stage, "occurred_on": on, "due_on": due, "note": ""}))
        return seq

    def decide(self, case_id: int, seq: int, row: dict[str, Any]) -> None:
        self.decisions.append((case_id, seq, row))


def _pending_stages(rng: random.Random, submitted: date, until: date) -> list[tuple[str, date, date | None]]:
    """Stages an application went through between submission and ``until`` (today, or the decision)."""
    stages: list[tuple[str, date, date | None]] = [("submitted", submitted, None)]
    ack = submitted + timedelta(days=rng.randint(5, 40))
    if ack > until:
        return stages
    stages.append(("acknowledged", ack, None))
    step = rng.random()
    if step < 0.3:
        asked = max(ack + timedelta(days=1), until - timedelta(days=rng.randint(0, 35)))
        if asked <= until:
            stages.append(
                ("info_requested", asked, asked + timedelta(days=30) if rng.random() < 0.7 else None)
            )
    elif step < 0.45:
        booked = max(ack + timedelta(days=1), until - timedelta(days=rng.randint(0, 20)))
        if booked <= until:
            stages.append(("interview_scheduled", booked, booked + timedelta(days=rng.randint(3, 45))))
    return stages


def _snapshot(
    case: Any, criminal: str, cooperation: str, summary: dict[str, Any], exhibits: int | None, on: date
) -> dict[str, Any]:
    period = _period(on)
    return {
        "law_enforcement_cooperation": cooperation,
        "criminal_case_status": criminal,
        "exploitation_sector": case.sector,
        "delphi": dict(summary),
        "exhibits": exhibits,
        "policy_period": period.id if period else "",
    }


def _decision(
    h: _History,
    outcome: str,
    on: date,
    validity: tuple[date, date] | None,
    office: str,
    prefix: str,
    reasons: list[str],
    snapshot: dict[str, Any],
) -> dict[str, Any]:
    rng = h.rng
    start, end = validity or (None, None)
    return {
        "outcome": outcome,
        "decided_on": on,
        "validity_start": start,
        "validity_end": end,
        "duration_granted_days": (end - start).days + 1 if start and end else None,
        "conditions": rng.choice(CONDITIONS) if validity else "",
        "ircc_office": office,
        "officer_label": f"{prefix}-{rng.randint(1, 6):02d}",
        "reasons_text": ""
        if not reasons
        else "Fictional letter: " + "; ".join(r.replace("_", " ") for r in reasons),
        "refusal_reasons": reasons,
        "snapshot": snapshot,
        "recorded_by_id": h.actor.user_id,
        "version": 1,
    }


def _write(session: Session, h: _History) -> None:
    if not h.apps:
        return
    session.execute(insert(Application), h.apps)
    case_ids = sorted({a["case_id"] for a in h.apps})
    app_ids: dict[tuple[int, int], int] = {}
    for start in range(0, len(case_ids), _CHUNK):
        for app_id, case_id, seq in session.execute(
            select(Application.id, Application.case_id, Application.seq).where(
                Application.case_id.in_(case_ids[start : start + _CHUNK])
            )
        ):
            app_ids[(case_id, seq)] = app_id
    events = [
        {**row, "application_id": app_ids[(c, s)], "case_id": c, "recorded_by_id": h.actor.user_id}
        for c, s, row in h.events
    ]
    session.execute(insert(ApplicationStageEvent), events)
    if h.decisions:
        session.execute(
            insert(Decision),
            [{**row, "application_id": app_ids[(c, s)], "case_id": c} for c, s, row in h.decisions],
        )
