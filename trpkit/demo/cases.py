"""Fictional case files: people, sectors, nationalities, languages and consent states."""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from trpkit.db.models import Case, CaseAssignment, CaseCounter, ConsentEvent, Person
from trpkit.demo import DemoCase
from trpkit.demo.rows import CaseRow, ConsentRow
from trpkit.domain.vocab import ConsentPurpose
from trpkit.services import audit
from trpkit.services.actor import Actor

# Given names are ordinary; surnames are invented words so no demo record can be mistaken for a person.
PROFILES = [
    # nationality, languages, given names, invented surnames, typical sectors
    (
        "MX",
        ("Spanish",),
        ["Ana", "Jorge", "Luis", "María", "Rosa", "Javier", "Lucía", "Pedro"],
        ["Fictorrez", "Inventado", "Ejemplar", "Muestrano"],
        ["agriculture", "construction", "hospitality"],
    ),
    (
        "GT",
        ("Spanish", "K'iche'"),
        ["Marta", "Julio", "Elena", "Tomás"],
        ["Ficticio", "Demostra"],
        ["agriculture", "manufacturing"],
    ),
    (
        "PH",
        ("Tagalog", "English"),
        ["Maricel", "Jun", "Liza", "Ramon", "Joy"],
        ["Halimbawa", "Kathang-Isip"],
        ["domestic_work", "hospitality"],
    ),
    (
        "IN",
        ("Punjabi", "Hindi", "English"),
        ["Harpreet", "Gurpreet", "Amandeep", "Simran"],
        ["Kalpanik", "Namuna"],
        ["construction", "agriculture", "hospitality"],
    ),
    (
        "NG",
        ("English", "Yoruba"),
        ["Chiamaka", "Tunde", "Blessing", "Emeka"],
        ["Apeere", "Ironu"],
        ["sex_trade", "domestic_work"],
    ),
    (
        "HU",
        ("Hungarian", "Romani"),
        ["Zsófia", "Béla", "Erika", "Gábor"],
        ["Kitalált", "Mintavári"],
        ["construction", "forced_criminality", "manufacturing"],
    ),
    (
        "BR",
        ("Portuguese",),
        ["Joana", "Thiago", "Beatriz", "Rafael"],
        ["Ficticiano", "Exemplar"],
        ["sex_trade", "hospitality"],
    ),
    (
        "JM",
        ("English",),
        ["Shanice", "Andre", "Kerry-Ann", "Dwayne"],
        ["Madeupson", "Storyweather"],
        ["agriculture"],
    ),
    (
        "CA",
        ("English", "French"),
        ["Kayla", "Émilie", "Jordan", "Maude"],
        ["Fictif", "Inventé"],
        ["sex_trade"],
    ),
    (
        "UA",
        ("Ukrainian", "Russian"),
        ["Oksana", "Dmytro", "Iryna"],
        ["Vyhadanenko", "Prykladna"],
        ["sex_trade", "hospitality"],
    ),
]
GENDERS = ["woman", "man", "woman", "man", "non-binary", "trans woman", ""]
STATUSES = ["intake", "preparing", "preparing", "submitted", "decided", "decided", "closed"]
COOPERATION = ["none", "none", "reported", "cooperating", "testified"]
CRIMINAL = ["none", "none", "investigation", "prosecution", "concluded"]
CONSENT_PROFILES = {
    # what the person has decided, per purpose (None = not asked yet)
    "full": {
        "prepare_file": "given",
        "submit_to_ircc": "given",
        "coalition_sharing": "given",
        "ngo_contact": "given",
        "quote_own_words": "given",
        "law_enforcement": "refused",
    },
    "no_coalition": {
        "prepare_file": "given",
        "submit_to_ircc": "given",
        "coalition_sharing": "refused",
        "ngo_contact": "given",
        "quote_own_words": "given",
    },
    "early": {"prepare_file": "given", "ngo_contact": "given"},
    "withdrawn": {
        "prepare_file": "given",
        "submit_to_ircc": "given",
        "coalition_sharing": "withdrawn",
        "ngo_contact": "given",
        "quote_own_words": "refused",
    },
    "police": {
        "prepare_file": "given",
        "submit_to_ircc": "given",
        "coalition_sharing": "given",
        "law_enforcement": "given",
        "ngo_contact": "given",
        "quote_own_words": "given",
    },
}
SAFE_CONTACT = [
    "Text only, never call.",
    "Call through the shelter's main line.",
    "No voicemail: phone is shared.",
    "Only through the outreach worker.",
    "Email is safe; do not mention the NGO's name.",
]


def _birth(rng: random.Random, today: date) -> tuple[str, date | None, date | None]:
    year = today.year - rng.randint(19, 58)
    kind = rng.random()
    if kind < 0.6:
        day = date(year, rng.randint(1, 12), rng.randint(1, 28))
        return day.isoformat(), day, day
    if kind < 0.85:
        return str(year), date(year, 1, 1), date(year, 12, 31)
    return f"around {year}", date(year - 2, 1, 1), date(year + 2, 12, 31)


def generate_cases(
    session: Session,
    actor: Actor,
    n: int,
    rng: random.Random,
    today: date,
    progress: Callable[[int], None] | None = None,
) -> list[DemoCase]:
    # The rng is drawn in this order (cases, then each case's person and consents): same seed, same story.
    year = today.year
    counter = session.get(CaseCounter, year) or CaseCounter(year=year, last=0)
    session.add(counter)
    session.flush()
    start = counter.last
    case_rows, meta, opened = _case_rows(actor, n, rng, today, start)
    counter.last = start + n
    ids = _insert_cases(session, case_rows)
    person_rows: list[dict[str, object]] = []
    assignment_rows: list[dict[str, int]] = []
    consent_rows: list[ConsentRow] = []
    result: list[DemoCase] = []
    for index, (row, (nationality, languages, givens, surnames, sector)) in enumerate(
        zip(case_rows, meta, strict=False)
    ):
        case_id = ids[row["code"]]
        person_rows.append(_person_row(rng, today, case_id, row, nationality, languages, givens, surnames))
        assignment_rows.append({"case_id": case_id, "user_id": actor.user_id})
        profile = rng.choices(list(CONSENT_PROFILES), weights=[5, 2, 2, 1, 2])[0]
        consent_rows += _consent_rows(rng, actor, case_id, row, profile)
        result.append(
            DemoCase(
                case_id,
                row["code"],
                sector,
                nationality,
                tuple(languages),
                today.year - rng.randint(0, 6),
                profile,
                opened[index],
                str(person_rows[-1]["gender"]),
            )
        )
        if progress and index % 500 == 499:
            progress(500)
    session.execute(insert(Person), person_rows)
    session.execute(insert(CaseAssignment), assignment_rows)
    session.execute(insert(ConsentEvent), consent_rows)
    if progress:
        progress(n % 500)
    audit.record(session, actor, "demo.generate", None, cases=n)
    return result


_Meta = tuple[str, tuple[str, ...], list[str], list[str], str]  # nationality, languages, names, sector


def _case_rows(
    actor: Actor, n: int, rng: random.Random, today: date, start: int
) -> tuple[list[CaseRow], list[_Meta], list[date]]:
    """The case rows, what each case's person is drawn from, and the day each case was opened."""
    year = today.year
    now = datetime.now(UTC)
    case_rows: list[CaseRow] = []
    meta: list[_Meta] = []
    opened: list[date] = []
    for i in range(n):
        nationality, languages, givens, surnames, sectors = rng.choice(PROFILES)
        sector = rng.choice(sectors) if rng.random() > 0.05 else "unknown"
        code = f"TRP-{year}-{start + i + 1:04d}"
        age_days = rng.randint(5, 900)
        created = now - timedelta(days=age_days)
        opened.append(today - timedelta(days=age_days))
        case_rows.append(
            {
                "code": code,
                "status": rng.choice(STATUSES),
                "exploitation_sector": sector,
                "law_enforcement_cooperation": rng.choice(COOPERATION),
                "criminal_case_status": rng.choice(CRIMINAL),
                "summary": "",
                "created_by_id": actor.user_id,
                "version": 1,
                "created_at": created,
                "updated_at": created,
            }
        )
        meta.append((nationality, languages, givens, surnames, sector))
    return case_rows, meta, opened


def _insert_cases(session: Session, case_rows: list[CaseRow]) -> dict[str, int]:
    """Insert the cases; their ids by code."""
    # Bulk Core inserts: the demo makes 10,000 cases in seconds (ORM add_all would take minutes).
    session.execute(insert(Case), case_rows)
    codes = [r["code"] for r in case_rows]
    ids: dict[str, int] = {}
    for chunk in range(0, len(codes), 5000):
        ids.update(
            session.execute(
                select(Case.code, Case.id).where(Case.code.in_(codes[chunk : chunk + 5000]))
            ).all()
        )
    return ids


def _person_row(
    rng: random.Random,
    today: date,
    case_id: int,
    row: CaseRow,
    nationality: str,
    languages: tuple[str, ...],
    givens: list[str],
    surnames: list[str],
) -> dict[str, object]:
    given, surname = rng.choice(givens), rng.choice(surnames)
    text, earliest, latest = _birth(rng, today)
    return {
        "case_id": case_id,
        "legal_name": f"{given} {surname}",
        "preferred_name": given if rng.random() < 0.3 else "",
        "aliases": [],
        "birth_date_text": text,
        "birth_date_earliest": earliest,
        "birth_date_latest": latest,
        "gender": rng.choice(GENDERS),
        "nationality": nationality,
        "languages": list(languages),
        "interpreter_needs": ""
        if "English" in languages or "French" in languages
        else f"{languages[0]} interpreter, not from the same town",
        "contact": f"555-01{rng.randint(0, 99):02d} (fictional)",
        "safe_contact_instructions": rng.choice(SAFE_CONTACT),
        "immigration_status": rng.choice(
            [
                "out of status",
                "visitor (expired)",
                "closed work permit (expired)",
                "TRP holder",
                "refugee claimant",
            ]
        ),
        "uci": f"{rng.randint(10**7, 10**8 - 1):08d}" if rng.random() < 0.5 else "",
        "dependants_in_canada": [],
        "extra": {},
        "version": 1,
        "created_at": row["created_at"],
        "updated_at": row["created_at"],
    }


def _consent_rows(
    rng: random.Random, actor: Actor, case_id: int, row: CaseRow, profile: str
) -> list[ConsentRow]:
    """The consent history of one case, as its consent profile says (a withdrawal follows a consent)."""
    rows: list[ConsentRow] = []
    for purpose, decision in CONSENT_PROFILES[profile].items():
        decided = row["created_at"] + timedelta(days=rng.randint(0, 20))
        if decision == "withdrawn":
            rows.append(_consent(case_id, purpose, "given", decided - timedelta(days=3), actor))
        rows.append(_consent(case_id, purpose, decision, decided, actor))
    return rows


def _consent(case_id: int, purpose: str, decision: str, when: datetime, actor: Actor) -> ConsentRow:
    assert purpose in {p.value for p in ConsentPurpose}
    method = "verbal_through_interpreter" if decision != "withdrawn" and when.day % 3 == 0 else "written"
    return {
        "case_id": case_id,
        "purpose": purpose,
        "decision": decision,
        "method": method,
        "interpreter": "Interpreter (fictional)" if "interpreter" in method else "",
        "note": "",
        "decided_at": min(when, datetime.now(UTC)),
        "recorded_at": min(when, datetime.now(UTC)),
        "recorded_by_id": actor.user_id,
        "override_reason": "",
    }
