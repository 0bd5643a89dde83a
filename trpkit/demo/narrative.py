"""Fictional narratives for demo cases: meetings, entries (own words and summaries), timeline events.

Every sentence is invented and generic; no real person or place-specific story is described.
Bulk Core inserts keep 10,000 cases fast; fuzzy dates are parsed once per distinct phrase.
"""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence
from datetime import date, timedelta
from typing import Any

from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from trpkit.db.base import Base, utcnow
from trpkit.db.models.narrative import (
    NarrativeEntry,
    NarrativeEntryRevision,
    NarrativeMeeting,
    TimelineEvent,
    TimelineEventEntry,
)
from trpkit.demo import DemoCase
from trpkit.demo.rows import EntryRow, EventRow, MeetingRow, table_of
from trpkit.domain.fuzzy_dates import FuzzyDate, parse_fuzzy
from trpkit.services.actor import Actor

SENTENCES_EN = [
    "The recruiter said the job paid well and that the papers would be ready by {month} {year}.",
    "I left home around the end of {month} {year} with {n} other people from the village.",
    "When we arrived, the boss took my passport and said it was to keep it safe.",
    "We worked from six in the morning until late at night, seven days a week.",
    "They told me I owed them for the flight, the room and the food, and the debt kept growing.",
    "In the summer of {year} they moved us to another farm without telling us where.",
    "I was not allowed to go out alone; someone always drove us to the store.",
    "About {n} months ago a woman from the church gave me the number of the organisation.",
    "Last November I finally left the house at night and took a bus to the city.",
    "The boss shouted at us and said the police would deport us if we talked to anyone.",
    "I sent money home when I could, but most months there was nothing left after the debt.",
    "In early {year} I got sick and nobody took me to a doctor for weeks.",
    "My cousin told me about a job in Canada in {month} {year}.",
    "We slept eight people in one room above the restaurant kitchen.",
]
SENTENCES = {
    "es": [
        "El reclutador me dijo que el trabajo pagaba bien y que los papeles estarían listos en {month_es} de {year}.",
        "Salí de mi pueblo a finales de {month_es} de {year} con otras personas.",
        "Cuando llegamos, el patrón me quitó el pasaporte y dijo que era para guardarlo.",
        "Trabajábamos desde las seis de la mañana hasta la noche, todos los días.",
        "Me dijeron que les debía el vuelo, el cuarto y la comida, y la deuda seguía creciendo.",
        "En el verano de {year} nos llevaron a otra granja sin decirnos a dónde.",
        "Hace dos años una señora de la iglesia me dio el número de la organización.",
    ],
    "pt": [
        "O recrutador disse que o trabalho pagava bem e que os papéis estariam prontos em {month_pt} de {year}.",
        "Quando chegamos, o patrão pegou meu passaporte e disse que era para guardar.",
        "Disseram que eu devia a passagem, o quarto e a comida, e a dívida só crescia.",
        "No verão de {year} nos levaram para outro lugar sem dizer para onde.",
    ],
    "fr": [
        "Le recruteur m'a dit que le travail payait bien et que les papiers seraient prêts en {month_fr} {year}.",
        "Quand nous sommes arrivés, le patron a pris mon passeport pour « le garder en sécurité ».",
        "On travaillait de six heures du matin jusqu'à tard le soir, sept jours sur sept.",
    ],
}
SUMMARIES = [
    "Describes recruitment through an acquaintance with promises of well-paid work and help with papers.",
    "Describes the employer keeping identity documents and a debt that kept increasing.",
    "Describes long hours, no days off and being driven everywhere by the employer's people.",
    "Describes threats of deportation if they spoke to police or anyone outside.",
    "Describes leaving at night with help from a community member and coming to the NGO.",
]
MONTHS = {
    "en": [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ],
    "es": [
        "enero",
        "febrero",
        "marzo",
        "abril",
        "mayo",
        "junio",
        "julio",
        "agosto",
        "septiembre",
        "octubre",
        "noviembre",
        "diciembre",
    ],
    "pt": [
        "janeiro",
        "fevereiro",
        "março",
        "abril",
        "maio",
        "junho",
        "julho",
        "agosto",
        "setembro",
        "outubro",
        "novembro",
        "dezembro",
    ],
    "fr": [
        "janvier",
        "février",
        "mars",
        "avril",
        "mai",
        "juin",
        "juillet",
        "août",
        "septembre",
        "octobre",
        "novembre",
        "décembre",
    ],
}
LANG_CODES = {"Spanish": "es", "Portuguese": "pt", "French": "fr", "English": "en"}
STORY = [  # event type, date phrase template (years relative to arrival), title
    ("recruitment", "{season} {y0}", "Offered a job abroad by an acquaintance"),
    ("departure", "around {amonth} {ydep}", "Left home"),
    ("arrival_canada", "{amonth} {y1}", "Arrived in Canada"),
    ("documents_taken", "two weeks after arriving in Canada", "Passport taken by the employer"),
    ("start_work", "{wmonth} {y1}", "Started work"),
    ("debt", "early {y2}", "Told the debt had grown"),
    ("control_incident", "between {y2} and {y3}", "Not allowed to leave alone"),
    ("escape", "late {y3}", "Left the workplace at night"),
    ("ngo_meeting", "{ngo}", "First meeting with the NGO"),
]
SEASONS = ["spring", "summer", "autumn", "winter"]


def _fill(template: str, rng: random.Random, year: int) -> str:
    month = rng.randrange(12)
    return template.format(
        year=year,
        month=MONTHS["en"][month],
        month_es=MONTHS["es"][month],
        month_pt=MONTHS["pt"][month],
        month_fr=MONTHS["fr"][month],
        n=rng.choice(["two", "three", "a few"]),
    )


def _bulk_insert(session: Session, model: type[Base], rows: Sequence[Mapping[str, Any]]) -> list[int]:
    """Core executemany (fast on both backends), then the new ids in insertion order."""
    table = table_of(model)
    key = table.c.id
    before = session.scalar(select(func.max(key))) or 0
    session.execute(insert(table), rows)
    ids = list(session.scalars(select(key).where(key > before).order_by(key)))
    assert len(ids) == len(rows), "another writer inserted rows during the demo generation"
    return ids


def generate(session: Session, actor: Actor, cases: list[DemoCase], rng: random.Random, today: date) -> None:
    parsed: dict[tuple[str, date | None], FuzzyDate] = {}
    as_dict: dict[int, dict[str, Any]] = {}  # FuzzyDate.to_dict() once per distinct date

    def fuzzy(text: str, told: date | None, anchors: dict[str, FuzzyDate] | None = None) -> FuzzyDate:
        key = (text, told if anchors is not None or "ago" in text or "last" in text.lower() else None)
        if anchors is not None:
            key = (text + "|" + (anchors["arrival_canada"].edtf or ""), None)
        if key not in parsed:
            parsed[key] = parse_fuzzy(text, "en", relative_to=told, anchors=anchors)
        return parsed[key]

    meeting_rows: list[MeetingRow] = []
    meeting_plan: list[tuple[int, str, int]] = []  # (case index, language, number of entries)
    for index, case in enumerate(cases):
        if rng.random() < 0.15:
            continue  # intake only: no narrative yet
        language = next((LANG_CODES[lang] for lang in case.languages if lang in LANG_CODES), "en")
        first = today - timedelta(days=rng.randint(30, 400))
        for k in range(rng.randint(1, 3)):
            held = min(today, first + timedelta(days=14 * k + rng.randint(0, 6)))
            meeting_rows.append(
                {
                    "case_id": case.id,
                    "held_on": held,
                    "place": rng.choice(["office", "shelter", "phone", "café"]),
                    "present": ["accompanier", "interpreter"] if language != "en" else ["accompanier"],
                    "language": language,
                    "interpreter": "Interpreter (fictional)" if language != "en" else "",
                    "duration_minutes": rng.choice([30, 45, 60, 90]),
                    "wellbeing_notes": rng.choice(
                        ["", "", "tired", "asked to stop early", "wanted a break halfway"]
                    ),
                    "created_by_id": actor.user_id,
                    "version": 1,
                }
            )
            meeting_plan.append((index, language, rng.randint(2, 4)))
    if not meeting_rows:
        return
    meeting_ids = _bulk_insert(session, NarrativeMeeting, meeting_rows)
    entry_rows: list[EntryRow] = []
    entry_case: list[int] = []
    now = utcnow()
    for meeting_id, _row, (index, language, count) in zip(
        meeting_ids, meeting_rows, meeting_plan, strict=True
    ):
        case = cases[index]
        for position in range(1, count + 1):
            own = rng.random() < 0.6
            if own and language in SENTENCES:
                text = " ".join(
                    _fill(rng.choice(SENTENCES[language]), rng, case.arrival_year)
                    for _ in range(rng.randint(1, 3))
                )
                translation = "(translation) " + _fill(rng.choice(SENTENCES_EN), rng, case.arrival_year)
                lang, by = language, "Interpreter (fictional)"
            elif own:
                text = " ".join(
                    _fill(rng.choice(SENTENCES_EN), rng, case.arrival_year) for _ in range(rng.randint(1, 3))
                )
                translation, lang, by = "", "en", ""
            else:
                text, translation, lang, by = rng.choice(SUMMARIES), "", "en", ""
            entry_rows.append(
                {
                    "case_id": case.id,
                    "meeting_id": meeting_id,
                    "kind": "own_words" if own else "summary",
                    "text": text,
                    "language": lang,
                    "translation": translation,
                    "translated_by": by,
                    "position": position,
                    "updated_by": actor.username,
                    "version": 1,
                    "created_at": now,
                    "updated_at": now,
                }
            )
            entry_case.append(index)
    entry_ids = _bulk_insert(session, NarrativeEntry, entry_rows)
    session.execute(
        insert(table_of(NarrativeEntryRevision)),
        [
            {
                "case_id": r["case_id"],
                "entry_id": eid,
                "version": 1,
                "action": "create",
                "kind": r["kind"],
                "text": r["text"],
                "language": r["language"],
                "translation": r["translation"],
                "translated_by": r["translated_by"],
                "saved_by": actor.username,
                "saved_at": now,
            }
            for eid, r in zip(entry_ids, entry_rows, strict=True)
        ],
    )
    first_entry: dict[int, int] = {}
    first_meeting: dict[int, date] = {}
    for eid, index, _r in zip(entry_ids, entry_case, entry_rows, strict=True):
        first_entry.setdefault(index, eid)
    for row, (index, _lang, _n) in zip(meeting_rows, meeting_plan, strict=True):
        first_meeting.setdefault(index, row["held_on"])
    event_rows: list[EventRow] = []
    event_links: list[int | None] = []
    for index, told in first_meeting.items():
        case = cases[index]
        y1 = min(case.arrival_year, told.year - 1)  # everything told happened before the meeting
        years = {"y0": y1 - 1, "y1": y1, "y2": min(y1 + 1, told.year - 1), "y3": min(y1 + 2, told.year - 1)}
        arrival: FuzzyDate | None = None
        arrival_month = rng.randrange(12)
        # most stories hold together; about one in ten has a departure dated after the arrival (a conflict
        # the Timeline tab flags for the accompanier to clarify with the person)
        years["ydep"] = years["y1"] + 1 if rng.random() < 0.1 else years["y1"]
        for event_type, template, title in STORY[: rng.randint(4, len(STORY))]:
            phrase = template.format(
                season=rng.choice(SEASONS),
                month=MONTHS["en"][rng.randrange(12)],
                amonth=MONTHS["en"][arrival_month],
                wmonth=MONTHS["en"][min(11, arrival_month + rng.randint(0, 2))],
                ngo=(told - timedelta(days=rng.randint(0, 40))).isoformat(),
                **years,
            )
            if years["y2"] == years["y3"]:  # told soon after arriving: no "between 2025 and 2025"
                phrase = phrase.replace(f"between {years['y2']} and {years['y3']}", f"during {years['y2']}")
            if rng.random() < 0.015:
                phrase = rng.choice(["the week of the big storm", "when the harvest ended", "after the fire"])
            anchors = {"arrival_canada": arrival} if "arriving" in phrase and arrival is not None else None
            if "arriving" in phrase and anchors is None:
                continue
            fd = fuzzy(phrase, told, anchors)
            if event_type == "arrival_canada":
                arrival = fd
            event_rows.append(
                {
                    "case_id": case.id,
                    "event_type": event_type,
                    "title": title,
                    "date": as_dict[id(fd)]
                    if id(fd) in as_dict
                    else as_dict.setdefault(id(fd), fd.to_dict()),
                    "date_earliest": fd.earliest,
                    "date_latest": fd.latest,
                    "told_on": told,
                    "place": "",
                    "people": [{"role": "recruiter", "name": "Recruiter (fictional)"}]
                    if event_type == "recruitment"
                    else [],
                    "notes": "",
                    "created_by_id": actor.user_id,
                    "version": 1,
                }
            )
            event_links.append(first_entry.get(index) if rng.random() < 0.6 else None)
    if event_rows:
        event_ids = _bulk_insert(session, TimelineEvent, event_rows)
        links = [
            {"case_id": r["case_id"], "event_id": event_id, "entry_id": entry_id}
            for event_id, r, entry_id in zip(event_ids, event_rows, event_links, strict=True)
            if entry_id
        ]
        if links:
            session.execute(insert(table_of(TimelineEventEntry)), links)
