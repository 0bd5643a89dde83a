"""One case's fictional application history: the initial TRP (or an OWP-V first), an open work permit,
renewals while the person still needs protection, refusals with their reasons and files still pending."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from trpkit.demo.applications_rows import _decision, _History, _pending_stages, _period, _snapshot

LABOUR = {"agriculture", "construction", "domestic_work", "hospitality", "manufacturing"}
OTHER_REASONS = [
    "insufficient_evidence_exploitation",
    "credibility",
    "date_inconsistency",
    "no_compelling_circumstances",
    "return_home_reasonable",
    "incomplete_application",
]


@dataclass(frozen=True)
class CaseFacts:
    """What one case's history is drawn from."""

    case: Any
    status: str
    criminal: str
    cooperation: str
    created: date
    office: str
    prefix: str  # the office's short form, for officer labels
    summary: dict[str, Any]  # the Delphi assessment summary
    strength: int  # how strong the indicators are (refusals are likelier when weak)
    exhibits: int | None

    def snapshot(self, criminal: str, on: date) -> dict[str, Any]:
        return _snapshot(self.case, criminal, self.cooperation, self.summary, self.exhibits, on)


def case_history(h: _History, f: CaseFacts) -> None:
    """The applications of one case, drawn in a fixed order from ``h.rng`` (the demo is reproducible)."""
    rng, today = h.rng, h.today
    if f.status == "intake":
        return
    started = min(today, f.created + timedelta(days=rng.randint(3, 40)))
    if f.status == "preparing":
        if rng.random() < 0.7:
            h.application(f.case.id, "initial_trp", started, f.office, [])
        return
    if (
        f.case.sector in LABOUR and rng.random() < 0.1
    ):  # an OWP-V sought while the closed permit was still valid
        _owp_vulnerable(h, f, started)
    submitted = min(today, started + timedelta(days=rng.randint(5, 30)))
    # Police involvement usually predates the first decision; a concluded case was still open then.
    early_criminal = {"concluded": rng.choice(["investigation", "prosecution"])}.get(f.criminal, f.criminal)
    decided = submitted + timedelta(days=rng.randint(60, 240))
    if f.status == "submitted" or decided > today:
        submitted = max(submitted, today - timedelta(days=rng.randint(15, 200)))
        h.application(
            f.case.id,
            "initial_trp",
            min(started, submitted),
            f.office,
            _pending_stages(rng, submitted, today),
        )
        return
    granted = _initial_trp(h, f, started, submitted, decided, early_criminal)
    if granted is None:
        return
    days, end = granted
    if days >= 180 and rng.random() < 0.55:  # open work permit for the TRP holder
        _work_permit(h, f, decided, end, early_criminal)
    _renewals(h, f, decided, end, early_criminal)


def _owp_vulnerable(h: _History, f: CaseFacts, submitted: date) -> None:
    rng = h.rng
    seq = h.application(
        f.case.id, "owp_vulnerable_worker", submitted, f.office, [("submitted", submitted, None)]
    )
    decided = submitted + timedelta(days=rng.randint(30, 120))
    if decided > h.today:
        return
    granted = rng.random() < 0.7
    h.apps[-1].update(stage="decided", stage_since=decided)
    h.events.append(
        (f.case.id, seq, {"stage": "decided", "occurred_on": decided, "due_on": None, "note": ""})
    )
    h.decide(
        f.case.id,
        seq,
        _decision(
            h,
            "granted" if granted else "refused",
            decided,
            (decided, decided + timedelta(days=364)) if granted else None,
            f.office,
            f.prefix,
            [] if granted else ["abuse_not_established"],
            f.snapshot(f.criminal, decided),
        ),
    )


def _initial_trp(
    h: _History, f: CaseFacts, started: date, submitted: date, decided: date, criminal: str
) -> tuple[int, date] | None:
    """The first TRP, decided: (days granted, last day), or None when refused (sometimes an H&C follows)."""
    rng = h.rng
    labour = f.case.sector in LABOUR
    refuse_p = (0.25 if f.strength < 5 else 0.07) if labour else (0.12 if f.strength < 2 else 0.07)
    period = _period(decided)
    days = (period.duration_to_request_days("initial_trp") if period else None) or 180
    stages = list(_pending_stages(rng, submitted, decided - timedelta(days=1)))
    seq = h.application(f.case.id, "initial_trp", started, f.office, [*stages, ("decided", decided, None)])
    if rng.random() < refuse_p:
        reasons = rng.sample(
            ["insufficient_evidence_exploitation", "criteria_not_met", "credibility"], k=rng.randint(1, 2)
        )
        refusal = _decision(
            h, "refused", decided, None, f.office, f.prefix, reasons, f.snapshot(criminal, decided)
        )
        h.decide(f.case.id, seq, refusal)
        if rng.random() < 0.25:
            later = decided + timedelta(days=rng.randint(20, 120))
            if later <= h.today:
                h.application(f.case.id, "h_and_c", later, f.office, [("submitted", later, None)])
        return None
    start, end = decided, decided + timedelta(days=days - 1)
    grant = _decision(
        h, "granted", decided, (start, end), f.office, f.prefix, [], f.snapshot(criminal, decided)
    )
    h.decide(f.case.id, seq, grant)
    return days, end


def _work_permit(h: _History, f: CaseFacts, decided: date, end: date, criminal: str) -> None:
    """An open work permit for the TRP holder, valid as long as the TRP (decided, or still pending)."""
    rng = h.rng
    submitted = decided + timedelta(days=rng.randint(5, 40))
    if submitted > h.today:
        return
    granted_on = submitted + timedelta(days=rng.randint(20, 90))
    if granted_on > h.today:
        h.application(f.case.id, "owp_trp_holder", submitted, f.office, [("submitted", submitted, None)])
        return
    stages: list[tuple[str, date, date | None]] = [
        ("submitted", submitted, None),
        ("decided", granted_on, None),
    ]
    seq = h.application(f.case.id, "owp_trp_holder", submitted, f.office, stages)
    snap = f.snapshot(criminal, granted_on)
    h.decide(
        f.case.id, seq, _decision(h, "granted", granted_on, (granted_on, end), f.office, f.prefix, [], snap)
    )


def _renewals(h: _History, f: CaseFacts, decided: date, end: date, early_criminal: str) -> None:
    """Renewals while the person still needs protection, until one is refused, pending or not sought."""
    rng, today = h.rng, h.today
    labour = f.case.sector in LABOUR
    concluded_on = decided + timedelta(days=rng.randint(30, 300)) if f.criminal == "concluded" else None
    while True:
        if f.status == "closed" and rng.random() < 0.4:
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
            started = sub - timedelta(days=rng.randint(3, 20))
            h.application(f.case.id, "subsequent_trp", started, f.office, _pending_stages(rng, sub, today))
            return
        stages = [*_pending_stages(rng, sub, dec - timedelta(days=1)), ("decided", dec, None)]
        rseq = h.application(
            f.case.id, "subsequent_trp", sub - timedelta(days=rng.randint(3, 20)), f.office, stages
        )
        refuse_p = 0.42 if criminal_now == "concluded" else 0.1
        if labour and f.strength < 5:
            refuse_p += 0.1
        snap = f.snapshot(criminal_now, dec)
        if rng.random() < refuse_p:
            reasons = _renewal_refusal_reasons(rng, criminal_now)
            h.decide(f.case.id, rseq, _decision(h, "refused", dec, None, f.office, f.prefix, reasons, snap))
            return
        length = rng.choice([365, 365, 365, 730]) if dec >= date(2025, 2, 4) else rng.choice([180, 365, 365])
        start = max(dec, end + timedelta(days=1)) if not late else dec
        end = start + timedelta(days=length - 1)
        outcome = rng.choice(["granted"] * 9 + ["partially_granted"])
        h.decide(f.case.id, rseq, _decision(h, outcome, dec, (start, end), f.office, f.prefix, [], snap))


def _renewal_refusal_reasons(rng: random.Random, criminal: str) -> list[str]:
    """Once the criminal case has concluded, refusals mostly cite it (a pattern for the coalition analysis)."""
    if criminal == "concluded" and rng.random() < 0.8:
        return ["criminal_case_concluded"] + (["presence_not_required"] if rng.random() < 0.5 else [])
    return [rng.choice(OTHER_REASONS)]
