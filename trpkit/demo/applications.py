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
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from trpkit.db.models import Case
from trpkit.demo import DemoCase
from trpkit.demo.applications_clock_facts import _clock_facts
from trpkit.demo.applications_history import CaseFacts, case_history
from trpkit.demo.applications_rows import _CHUNK, _History, _write
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
        one = CaseFacts(
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
        case_history(history, one)
    _write(session, history)
    _clock_facts(session, history)
