"""Demo data for drafting: submission notes and document checklist status (fictional, reproducible).

The notes agree with each person's recorded gender (neutral when unknown) and are stored with their French
versions (trpkit.demo.french's translator mark), so a French draft of a demo case reads French. Checklist
dates follow the case's story: nothing is obtained before the file was opened or after today, and the
documents come in the checklist's order.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

from sqlalchemy import insert
from sqlalchemy.orm import Session

from trpkit.db.base import utcnow
from trpkit.db.models.drafts import ChecklistItemStatus, SubmissionNotes
from trpkit.db.models.translations import LetterTranslation
from trpkit.demo import DemoCase
from trpkit.demo import notes_bank as bank
from trpkit.demo.french import version_row
from trpkit.demo.rows import table_of
from trpkit.demo.story import story_of
from trpkit.services.actor import Actor

ITEMS = [
    "application-form",
    "identity-document",
    "photos",
    "consent-to-disclose",
    "supporting-evidence",
    "medical-or-counselling-letter",
    "police-report",
]
SECTIONS = {  # note section -> the sentences it is written from
    "vulnerabilities": bank.VULNERABILITIES,
    "safety": bank.SAFETY,
    "risks_on_return": bank.RISKS,
    "continued_need": bank.CONTINUED,
    "recovery": bank.RECOVERY,
    "needs_health": bank.HEALTH,
    "needs_housing": bank.HOUSING,
    "needs_work": bank.WORK,
}


def _notes(case: DemoCase, rng: random.Random) -> dict[str, tuple[str, str]]:
    """Section -> (English, French), agreeing with the person's gender; some ties in Canada."""
    chosen = {section: rng.choice(sentences) for section, sentences in SECTIONS.items()}
    kinds = rng.sample(sorted(bank.TIES), rng.randint(0, 3))
    chosen.update({kind: bank.TIES[kind][0] for kind in kinds})
    return {
        section: (bank.render(sentence, "en", case.gender), bank.render(sentence, "fr", case.gender))
        for section, sentence in chosen.items()
    }


def _checklist(
    case: DemoCase, rng: random.Random, today: date, actor: Actor, now: object
) -> list[dict[str, object]]:
    """Where each document stands, dated within the file's life (opened .. today), in checklist order."""
    opened = min(story_of(case, today).contact, today)
    days = sorted(rng.randint(0, (today - opened).days) for _ in ITEMS)
    rows = []
    for item, offset in zip(ITEMS, days, strict=True):
        roll = rng.random()
        if roll < 0.25:
            continue  # missing: no row
        obtained = opened + timedelta(days=offset)
        row: dict[str, object] = {
            "case_id": case.id,
            "application_type": "initial_trp",
            "item_id": item,
            "version": 1,
            "created_at": now,
            "updated_at": now,
            "state": "obtained",
            "obtained_on": obtained,
            "expires_on": None,
            "note": "",
            "updated_by_id": actor.user_id,
        }
        if item == "identity-document":  # a passport the person got back: some have expired since
            row["expires_on"] = obtained + timedelta(days=rng.randint(-200, 3000))
        if item == "police-report" and roll < 0.6:
            row.update(state="not_applicable", obtained_on=None)
        if roll > 0.93:
            row.update(state="requested", obtained_on=None, expires_on=None)
        rows.append(row)
    return rows


def generate(session: Session, actor: Actor, cases: list[DemoCase], rng: random.Random, today: date) -> None:
    now = utcnow()
    notes: list[dict[str, object]] = []
    french: list[dict[str, object]] = []
    statuses: list[dict[str, object]] = []
    for case in cases:
        if case.consent_profile == "early" or rng.random() < 0.3:
            continue  # notes not written yet for this case
        written = _notes(case, rng)
        notes.append(
            {
                "case_id": case.id,
                "version": 1,
                "created_at": now,
                "updated_at": now,
                **{section: text for section, (text, _fr) in written.items()},
                "criminal_case": "",
                "ircc_office": "",
                "request_work_permit": rng.random() < 0.85,
                "request_ifhp": True,
                # what the file knows about other health coverage (the letter says "none" only if recorded)
                "health_coverage": rng.choice(["none", "none", "unknown", "other"]),
                "letter_language": "fr" if "French" in case.languages else "en",
                "updated_by_id": actor.user_id,
            }
        )
        french += [
            version_row(case.id, f"note:{section}", text, fr, actor)
            for section, (text, fr) in written.items()
        ]
        statuses += _checklist(case, rng, today, actor, now)
    if notes:  # rows differ in which ties they hold: one insert per row shape
        for keys in {tuple(sorted(row)) for row in notes}:
            session.execute(insert(SubmissionNotes), [r for r in notes if tuple(sorted(r)) == keys])
    if french:
        session.execute(insert(table_of(LetterTranslation)), french)
    if statuses:
        session.execute(insert(ChecklistItemStatus), statuses)
