"""Fictional evidence registers and indicator maps for the demo cases.

Each case gets a "story shape" so the demo shows every state of the assessment: clearly identified,
identified only by a convergence of medium and weak indicators, one indicator short, thin files, and
files first described as smuggling. Everything is invented; attachments are small text files.
"""

from __future__ import annotations

import calendar
import functools
import hashlib
import random
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from trpkit.db.models.evidence import CaseIndicatorSettings, EvidenceAttachment, EvidenceItem, IndicatorLink
from trpkit.demo import DemoCase
from trpkit.demo.phrases import PLACES, place
from trpkit.demo.rows import table_of
from trpkit.demo.story import Story, between, story_of
from trpkit.domain.fuzzy_dates import DateStatus, FuzzyDate, Precision
from trpkit.services.actor import Actor

SHAPES: dict[str, tuple[str, ...]] = {
    "clear": ("1.01", "1.02", "4.01", "4.02", "4.04", "5.01", "5.03", "5.14"),
    "convergence": ("1.02", "1.03", "1.05", "4.02", "4.03", "4.05", "6.01", "6.02", "6.05"),
    "near_miss": ("1.01", "1.06", "4.01", "4.02", "5.05"),
    "coercive": ("2.01", "2.05", "4.01", "4.06", "5.04", "5.05", "5.13"),
    "smuggling_described": ("1.07", "2.04", "4.02", "4.03", "5.02", "5.14", "6.01", "6.03"),
    "thin": ("4.02", "6.02"),
}
SHAPE_WEIGHTS = [4, 3, 3, 2, 2, 2]
EXTRA_KEYS = ("3.02", "3.03", "3.06", "3.09", "4.05", "4.07", "5.08", "5.10", "5.11", "6.04", "6.07")
EVIDENCE_BY_DIMENSION = {
    "1": ("account", "message_or_photo", "document"),
    "2": ("account", "medical_report", "police_or_inspection_report"),
    "3": ("account", "third_party_letter"),
    "4": ("pay_record", "contract", "account", "police_or_inspection_report", "message_or_photo"),
    "5": ("account", "police_or_inspection_report", "message_or_photo", "medical_report"),
    "6": ("account", "third_party_letter", "document"),
}
DESCRIPTIONS = {
    "account": "The person's account, recorded at an accompaniment meeting (fictional)",
    "document": "Copy of a document kept by the person (fictional)",
    "contract": "Employment contract as signed before departure (fictional)",
    "pay_record": "Pay stubs showing deductions for housing and transport (fictional)",
    "message_or_photo": "Screenshots of messages from the recruiter (fictional)",
    "medical_report": "Letter from a clinic about injuries and stress (fictional)",
    "police_or_inspection_report": "Labour inspection report on the workplace (fictional)",
    "third_party_letter": "Letter of support from a community worker (fictional)",
}
WORKPLACE_DESCRIPTIONS = {
    "contract": "Employment contract for work at {place}, as signed before departure (fictional)",
    "pay_record": "Pay stubs from {place} showing deductions for housing and transport (fictional)",
}


@functools.lru_cache(maxsize=64)
def _year(year: int) -> dict[str, object]:
    fd = FuzzyDate(
        original=str(year),
        edtf=str(year),
        earliest=date(year, 1, 1),
        latest=date(year, 12, 31),
        precision=Precision.YEAR,
        status=DateStatus.PARSED,
    )
    return fd.to_dict()


_MONTHS: dict[tuple[int, int], tuple[dict[str, object], date, date]] = {}
# exhibit type -> the story event it documents; it is dated from that event up to ``days`` later
DOCUMENTS: dict[str, tuple[str, int]] = {
    "contract": ("recruitment", 30),
    "message_or_photo": ("recruitment", 45),
    "document": ("departure", 0),
    "pay_record": ("start_work", 90),
    "account": ("ngo_meeting", 20),
    "third_party_letter": ("ngo_meeting", 60),
    "medical_report": ("escape", 60),
    "police_or_inspection_report": ("escape", 120),
}


def _month(rng: random.Random, story: Story, kind: str, today: date) -> tuple[dict[str, object], date, date]:
    """The exhibit's month: on or after the event it documents, never after today."""
    event, days = DOCUMENTS[kind]
    start = story.on(event) or story.contact
    day = min(today, between(rng, start, start + timedelta(days=days)))
    cached = _MONTHS.get((day.year, day.month))
    if cached is None:
        cached = _MONTHS[(day.year, day.month)] = _month_value(day.year, day.month)
    return dict(cached[0]), cached[1], cached[2]


def _description(kind: str, sector: str) -> str:
    if kind in ("contract", "pay_record") and sector in PLACES:  # these name the workplace
        where = "an employer's house as a housekeeper" if sector == "domestic_work" else place(sector, "en")
        return WORKPLACE_DESCRIPTIONS[kind].format(place=where)
    return DESCRIPTIONS[kind]


def _month_value(year: int, month: int) -> tuple[dict[str, object], date, date]:
    earliest = date(year, month, 1)
    latest = date(year, month, calendar.monthrange(year, month)[1])
    text = earliest.strftime("%B %Y")
    fd = FuzzyDate(
        original=text,
        edtf=f"{year}-{month:02d}",
        earliest=earliest,
        latest=latest,
        precision=Precision.MONTH,
        status=DateStatus.PARSED,
    )
    return fd.to_dict(), earliest, latest


_Plan = list[tuple[str, str, str | None]]  # (indicator key, status, exhibit type or None)


def generate(session: Session, actor: Actor, cases: list[DemoCase], rng: random.Random, today: date) -> None:
    # The rng is drawn case by case (indicator plan, then exhibit dates): same seed, same story.
    now = datetime.now(UTC)
    evidence_rows: list[dict[str, object]] = []
    plans: list[tuple[int, str, _Plan]] = []  # case id, prefix, plan
    settings_rows: list[dict[str, object]] = []
    for case in cases:
        shape, prefix, plan, types = _indicator_plan(rng, case)
        story = story_of(case, today)
        first_year = story.start_work.year
        evidence_rows += _exhibit_rows(rng, actor, case, story, types, today, now)
        plans.append((case.id, prefix, plan))
        settings_rows.append(
            {
                "case_id": case.id,
                "framework": None,
                "exploitation_start": dict(_year(first_year)),
                "exploitation_start_earliest": date(first_year, 1, 1),
                "exploitation_start_latest": date(first_year, 12, 31),
                "consented_to_crossing": True if shape == "smuggling_described" else None,
                "version": 1,
            }
        )
    if evidence_rows:
        session.execute(insert(table_of(EvidenceItem)), evidence_rows)
    ids = _exhibit_ids(session, cases)
    link_rows = _link_rows(actor, plans, ids, now)
    if link_rows:
        session.execute(insert(table_of(IndicatorLink)), link_rows)
    if settings_rows:
        session.execute(insert(table_of(CaseIndicatorSettings)), settings_rows)
    attachment_rows = _attachment_rows(actor, ids, now)
    if attachment_rows:
        session.execute(insert(table_of(EvidenceAttachment)), attachment_rows)


def _indicator_plan(rng: random.Random, case: DemoCase) -> tuple[str, str, _Plan, list[str]]:
    """The case's story shape, its list's prefix, the links to record, and the exhibit types they need."""
    shape = rng.choices(list(SHAPES), weights=SHAPE_WEIGHTS)[0]
    keys = list(SHAPES[shape]) + rng.sample(EXTRA_KEYS, rng.randint(0, 3))
    prefix = "AS" if case.sector == "sex_trade" else "AL"
    types: list[str] = []
    plan: _Plan = []
    for key in keys:
        status = "present" if rng.random() < 0.93 else "reported_unsupported"
        kind = rng.choice(EVIDENCE_BY_DIMENSION[key[0]]) if rng.random() < 0.9 else None
        if kind and kind not in types:
            types.append(kind)
        plan.append((key, status, kind))
    for key in rng.sample(["2.02", "2.06", "5.06", "5.09", "5.12"], 2):
        plan.append((key, "explored_absent", None))
    return shape, prefix, plan, types


def _exhibit_rows(
    rng: random.Random,
    actor: Actor,
    case: DemoCase,
    story: Story,
    types: list[str],
    today: date,
    now: datetime,
) -> list[dict[str, object]]:
    rows: list[dict[str, object]] = []
    for number, kind in enumerate(types, 1):
        fuzzy, earliest, latest = _month(rng, story, kind, today)
        rows.append(
            {
                "case_id": case.id,
                "exhibit_number": number,
                "type": kind,
                "description": _description(kind, case.sector),
                "date": fuzzy,
                "date_earliest": earliest,
                "date_latest": latest,
                "source": "the person" if kind == "account" else "fictional source",
                "how_obtained": "given by the person"
                if kind != "police_or_inspection_report"
                else "requested",
                "created_by_id": actor.user_id,
                "version": 1,
                "created_at": now,
                "updated_at": now,
            }
        )
    return rows


def _exhibit_ids(session: Session, cases: list[DemoCase]) -> dict[tuple[int, str], tuple[int, int]]:
    """(case id, exhibit type) -> (evidence id, exhibit number), of the exhibits just inserted."""
    ids: dict[tuple[int, str], tuple[int, int]] = {}
    case_ids = [c.id for c in cases]
    for start in range(0, len(case_ids), 5000):
        chunk = case_ids[start : start + 5000]
        for evidence_id, case_id, kind, number in session.execute(
            select(
                EvidenceItem.id, EvidenceItem.case_id, EvidenceItem.type, EvidenceItem.exhibit_number
            ).where(EvidenceItem.case_id.in_(chunk))
        ):
            ids[(case_id, kind)] = (evidence_id, number)
    return ids


def _link_rows(
    actor: Actor,
    plans: list[tuple[int, str, _Plan]],
    ids: dict[tuple[int, str], tuple[int, int]],
    now: datetime,
) -> list[dict[str, object]]:
    link_rows: list[dict[str, object]] = []
    for case_id, prefix, plan in plans:
        for key, status, kind in plan:
            evidence = ids.get((case_id, kind)) if kind else None
            link_rows.append(
                {
                    "case_id": case_id,
                    "indicator_id": f"{prefix}-{key}",
                    "status": status,
                    "note": ""
                    if evidence
                    else (
                        "asked gently; the person said no"
                        if status == "explored_absent"
                        else "mentioned at intake (fictional)"
                    ),
                    "evidence_id": evidence[0] if evidence else None,
                    "created_by_id": actor.user_id,
                    "version": 1,
                    "created_at": now,
                    "updated_at": now,
                }
            )
    return link_rows


def _attachment_rows(
    actor: Actor, ids: dict[tuple[int, str], tuple[int, int]], now: datetime
) -> list[dict[str, object]]:
    """Small text files for the first 600 exhibits."""
    attachment_rows: list[dict[str, object]] = []
    for (case_id, kind), (evidence_id, number) in list(ids.items())[:600]:
        body = f"Fictional exhibit {number} ({kind}) for demo case {case_id}. Not a real document.\n".encode()
        attachment_rows.append(
            {
                "case_id": case_id,
                "evidence_id": evidence_id,
                "name": f"{kind}-{number}.txt",
                "media_type": "text/plain",
                "size": len(body),
                "sha256": hashlib.sha256(body).hexdigest(),
                "data": body,
                "added_at": now,
                "added_by_id": actor.user_id,
            }
        )
    return attachment_rows
