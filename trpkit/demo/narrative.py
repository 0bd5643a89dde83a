"""Fictional narratives for demo cases: meetings, entries (own words and summaries), timeline events.

Every sentence is invented and generic; no real person or place-specific story is described.
Every date comes from the case's one Story (trpkit.demo.story); every quote in another language is
translated from the same phrase-bank entry. Bulk Core inserts keep 10,000 cases fast; fuzzy dates are
parsed once per distinct phrase.
"""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from trpkit.db.base import Base, utcnow
from trpkit.db.models.evidence import EvidenceItem, EvidenceNarrativeEntry
from trpkit.db.models.narrative import (
    NarrativeEntry,
    NarrativeEntryRevision,
    NarrativeMeeting,
    TimelineEvent,
    TimelineEventEntry,
)
from trpkit.demo import DemoCase
from trpkit.demo.phrases import IN_MONTH, QUOTES, SUMMARIES, WORK_TITLES, Phrase, place
from trpkit.demo.rows import EntryRow, EventRow, MeetingRow, table_of
from trpkit.demo.story import Story, month_phrase, story_of
from trpkit.domain.fuzzy_dates import FuzzyDate, parse_fuzzy
from trpkit.services.actor import Actor

LANG_CODES = {"Spanish": "es", "Portuguese": "pt", "French": "fr", "English": "en"}
# (event type, title) in the story's order; the date of each comes from the case's Story
STORY: list[tuple[str, str]] = [
    ("recruitment", "Offered a job abroad through an agency"),
    ("departure", "Left home"),
    ("arrival_canada", "Arrived in Canada"),
    ("documents_taken", "Passport taken by the employer"),
    ("start_work", "Started work"),
    ("debt", "Told the debt had grown"),
    ("control_incident", "Not allowed to leave alone"),
    ("change_employer", "Moved to another workplace"),
    ("escape", "Left the workplace at night"),
    ("ngo_meeting", "First meeting with the NGO"),
]
PLANTED = "Planted for the demo: the person gave two dates for leaving home; clarify with the person."


def _when(phrase: Phrase, story: Story, language: str) -> str:
    day = story.on(phrase.event) if phrase.event else None
    return IN_MONTH[language].format(m=month_phrase(day, language)) if day else ""


def _entry_text(
    rng: random.Random, case: DemoCase, story: Story, language: str, own: bool, used: list[Phrase]
) -> tuple[str, str, list[str], bool]:
    """(text, English translation or "", events told, own words?): originals and translations from the same phrases.
    ``used``: phrases already told in this case (not repeated while others are left)."""

    def fresh(phrases: tuple[Phrase, ...]) -> list[Phrase]:
        return [p for p in phrases if (p.event is None or story.on(p.event) is not None) and p not in used]

    # a case does not tell the same passage twice: when one kind is told out, the other kind is used
    if not fresh(QUOTES if own else SUMMARIES) and fresh(SUMMARIES if own else QUOTES):
        own = not own
    bank = fresh(QUOTES if own else SUMMARIES) or [
        p for p in (QUOTES if own else SUMMARIES) if p.event is None or story.on(p.event) is not None
    ]
    chosen = rng.sample(bank, min(len(bank), rng.randint(1, 3) if own else 1))
    used.extend(chosen)
    text_language = language if language in chosen[0].text else "en"

    def say(lang: str) -> str:
        where = place(case.sector, lang, summary=not own)
        return " ".join(p.render(lang, _when(p, story, lang), where) for p in chosen)

    translation = say("en") if text_language != "en" else ""
    return say(text_language), translation, [p.event for p in chosen if p.event], own


def _phrase(event_type: str, story: Story) -> str | None:
    """The chronology's date phrase for an event (month precision; a span for the control incidents)."""
    if event_type == "control_incident":
        first, last = story.start_work.year, story.escape.year
        return f"during {first}" if first == last else f"between {first} and {last}"
    if event_type == "ngo_meeting":
        return story.contact.isoformat()
    day = story.on(event_type)
    if day is None:
        return None
    return ("around " if event_type == "departure" else "") + month_phrase(day)


def _bulk_insert(session: Session, model: type[Base], rows: Sequence[Mapping[str, Any]]) -> list[int]:
    """Core executemany (fast on both backends), then the new ids in insertion order."""
    table = table_of(model)
    key = table.c.id
    before = session.scalar(select(func.max(key))) or 0
    session.execute(insert(table), rows)
    ids = list(session.scalars(select(key).where(key > before).order_by(key)))
    assert len(ids) == len(rows), "another writer inserted rows during the demo generation"
    return ids


def _link_accounts(session: Session, entry_ids: list[int], entry_rows: list[EntryRow]) -> None:
    """The exhibit "the person's account" rests on the person's own words (dated after what they tell)."""
    own: dict[int, list[int]] = {}
    for eid, row in zip(entry_ids, entry_rows, strict=True):
        if row["kind"] == "own_words":
            own.setdefault(row["case_id"], []).append(eid)
    case_ids = sorted(own)
    links: list[dict[str, int]] = []
    for start in range(0, len(case_ids), 5000):
        for evidence_id, case_id in session.execute(
            select(EvidenceItem.id, EvidenceItem.case_id).where(
                EvidenceItem.case_id.in_(case_ids[start : start + 5000]), EvidenceItem.type == "account"
            )
        ):
            links += [
                {"case_id": case_id, "evidence_id": evidence_id, "narrative_entry_id": e}
                for e in own[case_id]
            ]
    if links:
        session.execute(insert(table_of(EvidenceNarrativeEntry)), links)


def generate(session: Session, actor: Actor, cases: list[DemoCase], rng: random.Random, today: date) -> None:
    # The rng is drawn in this order (meetings, entries, events): the same seed tells the same story.
    meeting_rows, meeting_plan = _plan_meetings(actor, cases, rng, today)
    if not meeting_rows:
        return
    meeting_ids = _bulk_insert(session, NarrativeMeeting, meeting_rows)
    entry_ids, entry_rows, entry_case, entry_events = _write_entries(
        session, actor, cases, rng, today, meeting_ids, meeting_plan
    )
    _link_accounts(session, entry_ids, entry_rows)
    # the passage that tells an event supports it (the first such passage of the case)
    telling: dict[tuple[int, str], int] = {}
    for eid, index, tells in zip(entry_ids, entry_case, entry_events, strict=True):
        for event_type in tells:
            telling.setdefault((index, event_type), eid)
    first_meeting: dict[int, date] = {}
    for row, (index, _lang, _n) in zip(meeting_rows, meeting_plan, strict=True):
        first_meeting.setdefault(index, row["held_on"])
    _write_events(session, actor, cases, rng, today, first_meeting, telling)


def _plan_meetings(
    actor: Actor, cases: list[DemoCase], rng: random.Random, today: date
) -> tuple[list[MeetingRow], list[tuple[int, str, int]]]:
    """The meetings' rows, and for each (case index, language, number of entries)."""
    meeting_rows: list[MeetingRow] = []
    meeting_plan: list[tuple[int, str, int]] = []
    for index, case in enumerate(cases):
        if rng.random() < 0.15:
            continue  # intake only: no narrative yet
        language = next((LANG_CODES[lang] for lang in case.languages if lang in LANG_CODES), "en")
        first = story_of(case, today).contact + timedelta(days=rng.randint(0, 10))
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
    return meeting_rows, meeting_plan


def _write_entries(
    session: Session,
    actor: Actor,
    cases: list[DemoCase],
    rng: random.Random,
    today: date,
    meeting_ids: list[int],
    meeting_plan: list[tuple[int, str, int]],
) -> tuple[list[int], list[EntryRow], list[int], list[list[str]]]:
    """The entries of every meeting and their first revisions: (ids, rows, case index of each, events
    each tells)."""
    entry_rows: list[EntryRow] = []
    entry_case: list[int] = []
    entry_events: list[list[str]] = []
    now = utcnow()
    said: dict[int, list[Phrase]] = {}  # per case: a passage is not told again while others are left
    for meeting_id, (index, language, count) in zip(meeting_ids, meeting_plan, strict=True):
        case = cases[index]
        story = story_of(case, today)
        used = said.setdefault(index, [])
        for position in range(1, count + 1):
            own = rng.random() < 0.6
            text, translation, tells, own = _entry_text(rng, case, story, language, own, used)
            lang = language if translation else "en"
            entry_rows.append(
                {
                    "case_id": case.id,
                    "meeting_id": meeting_id,
                    "kind": "own_words" if own else "summary",
                    "text": text,
                    "language": lang,
                    "translation": translation,
                    "translated_by": "Interpreter (fictional)" if translation else "",
                    "position": position,
                    "updated_by": actor.username,
                    "version": 1,
                    "created_at": now,
                    "updated_at": now,
                }
            )
            entry_case.append(index)
            entry_events.append(tells)
    entry_ids = _bulk_insert(session, NarrativeEntry, entry_rows)
    _write_first_revisions(session, actor, entry_ids, entry_rows, now)
    return entry_ids, entry_rows, entry_case, entry_events


def _write_first_revisions(
    session: Session, actor: Actor, entry_ids: list[int], entry_rows: list[EntryRow], now: datetime
) -> None:
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


def _write_events(
    session: Session,
    actor: Actor,
    cases: list[DemoCase],
    rng: random.Random,
    today: date,
    first_meeting: dict[int, date],
    telling: dict[tuple[int, str], int],
) -> None:
    """The chronology of every case with a narrative, each event resting on the passage that tells it."""
    parsed: dict[str, FuzzyDate] = {}  # every phrase is absolute, so parsed once per distinct phrase
    as_dict: dict[str, dict[str, Any]] = {}

    def fuzzy(text: str) -> FuzzyDate:
        if text not in parsed:
            parsed[text] = parse_fuzzy(text, "en")
        return parsed[text]

    event_rows: list[EventRow] = []
    event_links: list[int | None] = []
    for index, told in first_meeting.items():
        case = cases[index]
        story = story_of(case, today)
        # about one in ten stories has a planted conflict (a second departure date after the arrival),
        # labelled in the event's notes, so the Timeline tab shows how a conflict is flagged
        planted = rng.random() < 0.1
        for event_type, title in STORY[: rng.randint(4, len(STORY))]:
            phrase = _phrase(event_type, story)
            if phrase is None:
                continue
            if planted and event_type == "departure":
                phrase = "around " + month_phrase(story.arrival + timedelta(days=62))
            fd = fuzzy(phrase)
            if event_type == "start_work":
                title = WORK_TITLES.get(case.sector, title)
            event_rows.append(
                {
                    "case_id": case.id,
                    "event_type": event_type,
                    "title": title,
                    "date": as_dict[phrase]
                    if phrase in as_dict
                    else as_dict.setdefault(phrase, fd.to_dict()),
                    "date_earliest": fd.earliest,
                    "date_latest": fd.latest,
                    "told_on": told,
                    "place": "",
                    "people": [{"role": "recruiter", "name": "Recruiter (fictional)"}]
                    if event_type == "recruitment"
                    else [],
                    "notes": PLANTED if planted and event_type == "departure" else "",
                    "created_by_id": actor.user_id,
                    "version": 1,
                }
            )
            event_links.append(telling.get((index, event_type)))
    _insert_events(session, event_rows, event_links)


def _insert_events(session: Session, event_rows: list[EventRow], event_links: list[int | None]) -> None:
    """The events, and the passage each rests on (when one tells it)."""
    if event_rows:
        event_ids = _bulk_insert(session, TimelineEvent, event_rows)
        links = [
            {"case_id": r["case_id"], "event_id": event_id, "entry_id": entry_id}
            for event_id, r, entry_id in zip(event_ids, event_rows, event_links, strict=True)
            if entry_id
        ]
        if links:
            session.execute(insert(table_of(TimelineEventEntry)), links)
