"""Demo data for drafting: submission notes and document checklist status (fictional, reproducible)."""

from __future__ import annotations

import random
from datetime import date, timedelta

from sqlalchemy import insert
from sqlalchemy.orm import Session

from trpkit.db.base import utcnow
from trpkit.db.models.drafts import ChecklistItemStatus, SubmissionNotes
from trpkit.demo import DemoCase
from trpkit.services.actor import Actor

VULNERABILITIES = [
    "Speaks little English or French and has no family in Canada.",
    "Was sent to Canada to repay a family debt; the family at home still depends on the remittances.",
    "Has no savings and no identity document of her own.",
    "Was 17 when recruited and had left school at 14.",
]
SAFETY = [
    "The recruiter has contacted the family twice since the person left.",
    "Lives in a shelter at an address not shared with anyone outside the NGO.",
    "A former co-worker reported that the employer is asking where the person is.",
    "Changed phone number after messages from the controller.",
]
RISKS = [
    "The recruiter lives in the person's home town and says the debt is still owed.",
    "People who left the same employer before were threatened on their return.",
    "The family's house was pledged against the recruitment fee.",
]
CONTINUED = [
    "Weekly counselling has started to reduce the nightmares; the therapist recommends at least a year of stability.",
    "The person is beginning vocational training and needs the permit to finish it.",
]
RECOVERY = [
    "Sleeps through the night most weeks now and attends a support group.",
    "Has started to rebuild contact with a sister in safety.",
]
HEALTH = [
    "weekly counselling",
    "treatment for a back injury from the work",
    "dental care never received while working",
]
HOUSING = ["a shelter bed until spring", "looking for a shared flat with NGO support"]
WORK = [
    "wants to work in a bakery",
    "has experience in construction and wants a safe employer",
    "wants to study first",
]
ITEMS = [
    "application-form",
    "identity-document",
    "photos",
    "consent-to-disclose",
    "supporting-evidence",
    "medical-or-counselling-letter",
    "police-report",
]


def generate(session: Session, actor: Actor, cases: list[DemoCase], rng: random.Random, today: date) -> None:
    now = utcnow()
    notes: list[dict[str, object]] = []
    statuses: list[dict[str, object]] = []
    for case in cases:
        if case.consent_profile == "early" or rng.random() < 0.3:
            continue  # notes not written yet for this case
        notes.append(
            {
                "case_id": case.id,
                "version": 1,
                "created_at": now,
                "updated_at": now,
                "vulnerabilities": rng.choice(VULNERABILITIES),
                "safety": rng.choice(SAFETY),
                "risks_on_return": rng.choice(RISKS),
                "continued_need": rng.choice(CONTINUED),
                "recovery": rng.choice(RECOVERY),
                "criminal_case": "",
                "needs_health": rng.choice(HEALTH),
                "needs_housing": rng.choice(HOUSING),
                "needs_work": rng.choice(WORK),
                "ircc_office": "",
                "request_work_permit": rng.random() < 0.85,
                "request_ifhp": True,
                # what the file knows about other health coverage (the letter says "none" only if recorded)
                "health_coverage": rng.choice(["none", "none", "unknown", "other"]),
                "letter_language": "en",
                "updated_by_id": actor.user_id,
            }
        )
        for item in ITEMS:
            roll = rng.random()
            if roll < 0.25:
                continue  # missing: no row
            obtained = today - timedelta(days=rng.randint(5, 400))
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
            if item == "identity-document":
                row["expires_on"] = obtained + timedelta(days=rng.randint(-200, 3000))  # some have expired
            if item == "police-report" and roll < 0.6:
                row.update(state="not_applicable", obtained_on=None)
            if roll > 0.93:
                row.update(state="requested", obtained_on=None, expires_on=None)
            statuses.append(row)
    if notes:
        session.execute(insert(SubmissionNotes), notes)
    if statuses:
        session.execute(insert(ChecklistItemStatus), statuses)
