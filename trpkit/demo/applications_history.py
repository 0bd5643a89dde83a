"""One case's fictional application history: the initial TRP (or an OWP-V first), an open work permit,
renewals while the person still needs protection, refusals with their reasons and files still pending."""

from __future__ import annotations

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
