"""Fictional application histories: initial TRPs, renewals, work permits, requests for information,
refusals and pending files, with decisions and their snapshots.

Two patterns are planted, mildly, so the coalition analysis has something to find:
- renewals are refused more often once the criminal case has concluded (reason codes citing it);
- labour-exploitation cases need more indicators than sexual-exploitation cases to be granted.
Run it after the indicators and evidence generators, so snapshots see their data.

Some cases on TRPs for more than a year also get the permit-holder clock's facts: a recorded ground of
inadmissibility (mostly "other", a few "health") and, for a few, an absence from Canada (most authorized
by the TRP; some still away).
"""

from __future__ import annotations

import random
from collections import defaultdict
from datetime import date, timedelta
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from trpkit.db.base import utcnow
from trpkit.db.models import (
    AbsenceFromCanada,
    Application,
    ApplicationStageEvent,
    Case,
    Decision,
    PermitHolderGround,
)
from trpkit.demo import DemoCase
from trpkit.domain.ircc_periods import NoPolicyPeriod
from trpkit.loading.ircc_periods import policy_in_force
from trpkit.services.actor import Actor
from trpkit.services.decisions import DELPHI_KEYS, delphi_summaries, exhibit_counts

OFFICES = [
    ("Vancouver", "VAN"),
    ("Toronto", "TOR"),
    ("Montréal", "MTL"),
    ("Calgary", "CGY"),
    ("Winnipeg", "WPG"),
    ("Halifax", "HFX"),
]
LABOUR = {"agriculture", "construction", "domestic_work", "hospitality", "manufacturing"}
OTHER_REASONS = [
    "insufficient_evidence_exploitation",
    "credibility",
    "date_inconsistency",
    "no_compelling_circumstances",
    "return_home_reasonable",
    "incomplete_application",
]
TRIP_NOTES = ["family visit", "family emergency", "medical treatment abroad", "parent's funeral", ""]
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


def generate(session: Session, actor: Actor, cases: list[DemoCase], rng: random.Random, today: date) -> None:
    ids = [c.id for c in cases]
    facts: dict[int, tuple[str, str, str, date]] = {}
    for start in range(0, len(ids), _CHUNK):
        for row in session.execute(
            select(
                Case.id,
                Case.status,
                Case.criminal_case_status,
                Case.law_enforcement_cooperation,
                Case.created_at,
            ).where(Case.id.in_(ids[start : start + _CHUNK]))
        ):
            facts[row.id] = (
                row.status,
                row.criminal_case_status,
                row.law_enforcement_cooperation,
                row.created_at.date(),
            )
    delphi = delphi_summaries(session, ids)
    exhibits = exhibit_counts(session, ids)
    history = _History(actor, rng, today)
    for case in cases:
        status, criminal, cooperation, created = facts[case.id]
        office, prefix = rng.choice(OFFICES)
        summary = delphi.get(case.id) or dict.fromkeys(DELPHI_KEYS)
        strength = 2 * (summary.get("strong") or 0) + (summary.get("medium") or 0)
        if not any(summary.get(k) for k in ("strong", "medium", "weak")):
            strength = rng.randint(0, 8)  # no indicator data generated: stand-in strength
        _case_history(
            history,
            case,
            status,
            criminal,
            cooperation,
            created,
            office,
            prefix,
            summary,
            strength,
            exhibits.get(case.id),
        )
    _write(session, history)
    _clock_facts(session, history)


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


def _case_history(
    h: _History,
    case: Any,
    status: str,
    criminal: str,
    cooperation: str,
    created: date,
    office: str,
    prefix: str,
    summary: dict[str, Any],
    strength: int,
    exhibits: int | None,
) -> None:
    rng, today = h.rng, h.today
    if status == "intake":
        return
    started = min(today, created + timedelta(days=rng.randint(3, 40)))
    if status == "preparing":
        if rng.random() < 0.7:
            h.application(case.id, "initial_trp", started, office, [])
        return
    if (
        case.sector in LABOUR and rng.random() < 0.1
    ):  # an OWP-V sought while the closed permit was still valid
        owpv_sub = started
        seq = h.application(
            case.id, "owp_vulnerable_worker", owpv_sub, office, [("submitted", owpv_sub, None)]
        )
        decided = owpv_sub + timedelta(days=rng.randint(30, 120))
        if decided <= today:
            granted = rng.random() < 0.7
            h.apps[-1].update(stage="decided", stage_since=decided)
            h.events.append(
                (case.id, seq, {"stage": "decided", "occurred_on": decided, "due_on": None, "note": ""})
            )
            h.decide(
                case.id,
                seq,
                _decision(
                    h,
                    "granted" if granted else "refused",
                    decided,
                    (decided, decided + timedelta(days=364)) if granted else None,
                    office,
                    prefix,
                    [] if granted else ["abuse_not_established"],
                    _snapshot(case, criminal, cooperation, summary, exhibits, decided),
                ),
            )
    submitted = min(today, started + timedelta(days=rng.randint(5, 30)))
    labour = case.sector in LABOUR
    # Police involvement usually predates the first decision; a concluded case was still open then.
    early_criminal = {"concluded": rng.choice(["investigation", "prosecution"])}.get(criminal, criminal)
    decided = submitted + timedelta(days=rng.randint(60, 240))
    if status == "submitted" or decided > today:
        submitted = max(submitted, today - timedelta(days=rng.randint(15, 200)))
        h.application(
            case.id, "initial_trp", min(started, submitted), office, _pending_stages(rng, submitted, today)
        )
        return
    refuse_p = (0.25 if strength < 5 else 0.07) if labour else (0.12 if strength < 2 else 0.07)
    period = _period(decided)
    days = (period.duration_to_request_days("initial_trp") if period else None) or 180
    stages = list(_pending_stages(rng, submitted, decided - timedelta(days=1)))
    seq = h.application(case.id, "initial_trp", started, office, [*stages, ("decided", decided, None)])
    if rng.random() < refuse_p:
        reasons = rng.sample(
            ["insufficient_evidence_exploitation", "criteria_not_met", "credibility"], k=rng.randint(1, 2)
        )
        h.decide(
            case.id,
            seq,
            _decision(
                h,
                "refused",
                decided,
                None,
                office,
                prefix,
                reasons,
                _snapshot(case, early_criminal, cooperation, summary, exhibits, decided),
            ),
        )
        if rng.random() < 0.25:
            later = decided + timedelta(days=rng.randint(20, 120))
            if later <= today:
                h.application(case.id, "h_and_c", later, office, [("submitted", later, None)])
        return
    start, end = decided, decided + timedelta(days=days - 1)
    h.decide(
        case.id,
        seq,
        _decision(
            h,
            "granted",
            decided,
            (start, end),
            office,
            prefix,
            [],
            _snapshot(case, early_criminal, cooperation, summary, exhibits, decided),
        ),
    )
    if days >= 180 and rng.random() < 0.55:  # open work permit for the TRP holder
        wp_sub = decided + timedelta(days=rng.randint(5, 40))
        if wp_sub <= today:
            wp_dec = wp_sub + timedelta(days=rng.randint(20, 90))
            if wp_dec <= today:
                wseq = h.application(
                    case.id,
                    "owp_trp_holder",
                    wp_sub,
                    office,
                    [("submitted", wp_sub, None), ("decided", wp_dec, None)],
                )
                h.decide(
                    case.id,
                    wseq,
                    _decision(
                        h,
                        "granted",
                        wp_dec,
                        (wp_dec, end),
                        office,
                        prefix,
                        [],
                        _snapshot(case, early_criminal, cooperation, summary, exhibits, wp_dec),
                    ),
                )
            else:
                h.application(case.id, "owp_trp_holder", wp_sub, office, [("submitted", wp_sub, None)])
    # Renewals while the person still needs protection.
    concluded_on = decided + timedelta(days=rng.randint(30, 300)) if criminal == "concluded" else None
    while True:
        if status == "closed" and rng.random() < 0.4:
            return  # the file was closed (PR, departure, or the person moved on)
        if rng.random() < 0.12:
            return  # no renewal: the person left, or the file moved on
        late = rng.random() < 0.12
        sub = end + timedelta(days=rng.randint(1, 40)) if late else end - timedelta(days=rng.randint(15, 110))
        if sub > today:
            return
        dec = sub + timedelta(days=rng.randint(40, 220))
        criminal_now = "concluded" if concluded_on and sub >= concluded_on else early_criminal
        if dec > today:
            h.application(
                case.id,
                "subsequent_trp",
                sub - timedelta(days=rng.randint(3, 20)),
                office,
                _pending_stages(rng, sub, today),
            )
            return
        stages = [*_pending_stages(rng, sub, dec - timedelta(days=1)), ("decided", dec, None)]
        rseq = h.application(
            case.id, "subsequent_trp", sub - timedelta(days=rng.randint(3, 20)), office, stages
        )
        refuse_p = 0.42 if criminal_now == "concluded" else 0.1
        if labour and strength < 5:
            refuse_p += 0.1
        snap = _snapshot(case, criminal_now, cooperation, summary, exhibits, dec)
        if rng.random() < refuse_p:
            if criminal_now == "concluded" and rng.random() < 0.8:
                reasons = ["criminal_case_concluded"] + (
                    ["presence_not_required"] if rng.random() < 0.5 else []
                )
            else:
                reasons = [rng.choice(OTHER_REASONS)]
            h.decide(case.id, rseq, _decision(h, "refused", dec, None, office, prefix, reasons, snap))
            return
        length = rng.choice([365, 365, 365, 730]) if dec >= date(2025, 2, 4) else rng.choice([180, 365, 365])
        start = max(dec, end + timedelta(days=1)) if not late else dec
        end = start + timedelta(days=length - 1)
        h.decide(
            case.id,
            rseq,
            _decision(
                h,
                rng.choice(["granted"] * 9 + ["partially_granted"]),
                dec,
                (start, end),
                office,
                prefix,
                [],
                snap,
            ),
        )


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
