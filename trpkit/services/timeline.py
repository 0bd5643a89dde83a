"""The case chronology's events: fuzzy dates read against the day they were told, people, linked entries.

Relative phrases are read against the day they were told (the meeting of the linked entry), and
"two weeks after arriving in Canada" against the case's other events. Reading the chronology is
``timeline_view``; dates found in the person's words are ``timeline_suggestions``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from trpkit.db.models import Case, Person
from trpkit.db.models.narrative import NarrativeEntry, NarrativeMeeting, TimelineEvent, TimelineEventEntry
from trpkit.domain.fuzzy_dates import FuzzyDate, format_fuzzy, parse_fuzzy
from trpkit.domain.timeline import EVENT_TYPES, event_type_label
from trpkit.errors import ConflictError, NotFound, UsageError
from trpkit.services import audit
from trpkit.services.access import require_case
from trpkit.services.actor import Actor
from trpkit.services.consent import require_consent

PERSON_ROLES = ("recruiter", "employer", "controller", "co-worker", "other")


@dataclass(frozen=True)
class TimelineEventRow:
    id: int
    type: str
    type_label: str
    title: str
    date: FuzzyDate
    date_text: str  # the date written back in English at its own precision (format_fuzzy for others)
    place: str
    people: dict[str, tuple[str, ...]]  # role -> names
    linked_entry_ids: tuple[int, ...]
    after_event_id: int | None
    notes: str
    told_on: dt.date | None
    version: int
    conflict: bool = False
    conflict_reasons: tuple[str, ...] = ()
    gap_before: bool = False


# ----------------------------------------------------------------------------------------------- helpers


def clean_event_type(value: str) -> str:
    v = value.strip().lower().replace("-", "_").replace(" ", "_")
    aliases = {
        "arrival": "arrival_canada",
        "arrival_in_canada": "arrival_canada",
        "work": "start_work",
        "exit": "escape",
        "police": "police_contact",
        "ngo": "ngo_meeting",
        "medical": "medical_care",
        "documents": "documents_taken",
        "debt_incurred": "debt",
        "control": "control_incident",
        "change_of_employer": "change_employer",
    }
    v = aliases.get(v, v)
    if v not in EVENT_TYPES:
        raise UsageError(f"event type '{value}' is not one of: {', '.join(EVENT_TYPES)}")
    return v


def _people(values: list[dict[str, str]] | None) -> list[dict[str, str]]:
    out = []
    for item in values or []:
        role = item.get("role", "").strip().lower()
        name = item.get("name", "").strip()
        if role not in PERSON_ROLES:
            raise UsageError(f"role '{role}' must be one of: {', '.join(PERSON_ROLES)}")
        if name:
            out.append({"role": role, "name": name})
    return out


def parse_people(specs: tuple[str, ...] | list[str]) -> list[dict[str, str]]:
    """'recruiter=Don Fictivo' -> [{"role": "recruiter", "name": "Don Fictivo"}]"""
    out = []
    for spec in specs:
        if "=" not in spec:
            raise UsageError(f"'{spec}' is not ROLE=NAME (roles: {', '.join(PERSON_ROLES)})")
        role, name = spec.split("=", 1)
        out.append({"role": role.strip().lower(), "name": name.strip()})
    return _people(out)


def _birth(session: Session, case: Case) -> FuzzyDate | None:
    person = session.scalar(select(Person).where(Person.case_id == case.id))
    if person is None or not person.birth_date_text:
        return None
    fd = parse_fuzzy(person.birth_date_text, "en")
    if not fd.is_parsed and person.birth_date_earliest and person.birth_date_latest:
        return FuzzyDate(
            person.birth_date_text,
            "en",
            None,
            person.birth_date_earliest,
            person.birth_date_latest,
            status=fd.status,
        )
    return fd if fd.is_parsed else None


def _anchors(session: Session, case: Case, exclude_event_id: int | None = None) -> dict[str, FuzzyDate]:
    """Other events' dates by type and title, and the person's birth, for anchored phrases."""
    anchors: dict[str, FuzzyDate] = {}
    birth = _birth(session, case)
    if birth is not None:
        anchors["birth"] = birth
    events = session.scalars(
        select(TimelineEvent)
        .where(TimelineEvent.case_id == case.id)
        .order_by(TimelineEvent.date_earliest, TimelineEvent.id)
    )
    for event in events:
        if event.id == exclude_event_id:
            continue
        fd = FuzzyDate.from_dict(event.date) if event.date else None
        if fd is None or not fd.is_parsed:
            continue
        anchors.setdefault(
            event.event_type, fd
        )  # the first such event ("arriving in Canada" = the first arrival)
        if event.title:
            anchors.setdefault(event.title, fd)
    return anchors


def _told_on(session: Session, entry_ids: list[int]) -> date | None:
    if not entry_ids:
        return None
    return session.scalar(
        select(NarrativeMeeting.held_on)
        .join(NarrativeEntry, NarrativeEntry.meeting_id == NarrativeMeeting.id)
        .where(NarrativeEntry.id.in_(entry_ids))
        .order_by(NarrativeMeeting.held_on)
        .limit(1)
    )


def _get_event(session: Session, case: Case, event_id: int) -> TimelineEvent:
    event = session.get(TimelineEvent, event_id)
    if event is None or event.case_id != case.id:
        raise NotFound(f"No event {event_id} in {case.code}. See 'trpkit timeline show {case.code}'.")
    return event


def _check_entries(session: Session, case: Case, entry_ids: list[int]) -> None:
    if not entry_ids:
        return
    found = set(
        session.scalars(
            select(NarrativeEntry.id).where(
                NarrativeEntry.id.in_(entry_ids), NarrativeEntry.case_id == case.id
            )
        )
    )
    missing = sorted(set(entry_ids) - found)
    if missing:
        raise NotFound(
            f"No entry {missing[0]} in {case.code}. List them with 'trpkit narrative list {case.code}'."
        )


def _set_date(event: TimelineEvent, fd: FuzzyDate) -> None:
    event.date = fd.to_dict()
    event.date_earliest = fd.earliest
    event.date_latest = fd.latest


# ----------------------------------------------------------------------------------------------- events


def add_event(
    session: Session,
    actor: Actor,
    code: str,
    *,
    event_type: str,
    date_text: str,
    language: str = "en",
    title: str = "",
    place: str = "",
    people: list[dict[str, str]] | None = None,
    entry_ids: list[int] | tuple[int, ...] = (),
    after_event_id: int | None = None,
    notes: str = "",
    told_on: date | None = None,
) -> TimelineEventRow:
    """Add an event. ``date_text`` is read as said (unparseable words are kept for a person to fix)."""
    case = require_case(session, actor, code)
    require_consent(session, case, "prepare_file")
    event_type = clean_event_type(event_type)
    entry_ids = list(dict.fromkeys(entry_ids))
    _check_entries(session, case, entry_ids)
    if after_event_id is not None:
        _get_event(session, case, after_event_id)
    told = told_on or _told_on(session, entry_ids)
    fd = parse_fuzzy(date_text, language, relative_to=told, anchors=_anchors(session, case))
    event = TimelineEvent(
        case_id=case.id,
        event_type=event_type,
        title=title.strip(),
        place=place.strip(),
        people=_people(people),
        notes=notes,
        after_event_id=after_event_id,
        told_on=told,
        created_by_id=actor.user_id,
    )
    _set_date(event, fd)
    session.add(event)
    session.flush()
    for entry_id in entry_ids:
        session.add(TimelineEventEntry(case_id=case.id, event_id=event.id, entry_id=entry_id))
    session.flush()
    audit.record(
        session,
        actor,
        "timeline.event.add",
        case.code,
        event=event.id,
        type=event_type,
        date_status=fd.status.value,
    )
    return _event_row(event, tuple(entry_ids))


EVENT_FIELDS = (
    "event_type",
    "date_text",
    "language",
    "title",
    "place",
    "people",
    "after_event_id",
    "notes",
    "told_on",
)


def update_event(
    session: Session,
    actor: Actor,
    code: str,
    event_id: int,
    *,
    expected_version: int | None = None,
    **values: Any,
) -> TimelineEventRow:
    case = require_case(session, actor, code)
    require_consent(session, case, "prepare_file")
    event = _get_event(session, case, event_id)
    unknown = set(values) - set(EVENT_FIELDS)
    if unknown:
        raise UsageError(f"unknown event field(s): {', '.join(sorted(unknown))}")
    if expected_version is not None and event.version != expected_version:
        raise ConflictError(
            f"Event {event_id} was changed by someone else (now version {event.version}). "
            "Reload and apply your change again."
        )
    if "event_type" in values:
        event.event_type = clean_event_type(values["event_type"])
    for key in ("title", "place", "notes"):
        if key in values:
            setattr(event, key, str(values[key]).strip())
    if "people" in values:
        event.people = _people(values["people"])
    if "after_event_id" in values:
        after = values["after_event_id"]
        if after is not None:
            if after == event.id:
                raise UsageError("An event cannot follow itself.")
            _get_event(session, case, after)
        event.after_event_id = after
    if "told_on" in values:
        event.told_on = values["told_on"]
    if "date_text" in values or "told_on" in values or "language" in values:
        current = FuzzyDate.from_dict(event.date) if event.date else FuzzyDate.unparsed("")
        text = values.get("date_text", current.original)
        language = values.get("language", current.language)
        _set_date(
            event,
            parse_fuzzy(
                text,
                language,
                relative_to=event.told_on,
                anchors=_anchors(session, case, exclude_event_id=event.id),
            ),
        )
    try:
        session.flush()
    except StaleDataError:
        raise ConflictError(f"Event {event_id} was changed by someone else at the same time.") from None
    audit.record(session, actor, "timeline.event.update", case.code, event=event.id, fields=sorted(values))
    links = tuple(
        session.scalars(select(TimelineEventEntry.entry_id).where(TimelineEventEntry.event_id == event.id))
    )
    return _event_row(event, links)


def delete_event(session: Session, actor: Actor, code: str, event_id: int) -> None:
    case = require_case(session, actor, code)
    require_consent(session, case, "prepare_file")
    event = _get_event(session, case, event_id)
    session.delete(event)
    session.flush()
    audit.record(session, actor, "timeline.event.delete", case.code, event=event_id)


def link_entries(
    session: Session, actor: Actor, code: str, event_id: int, entry_ids: list[int], *, unlink: bool = False
) -> TimelineEventRow:
    case = require_case(session, actor, code)
    require_consent(session, case, "prepare_file")
    event = _get_event(session, case, event_id)
    _check_entries(session, case, entry_ids)
    existing = set(
        session.scalars(select(TimelineEventEntry.entry_id).where(TimelineEventEntry.event_id == event.id))
    )
    if unlink:
        session.execute(
            delete(TimelineEventEntry).where(
                TimelineEventEntry.event_id == event.id, TimelineEventEntry.entry_id.in_(entry_ids)
            )
        )
    else:
        for entry_id in entry_ids:
            if entry_id not in existing:
                session.add(TimelineEventEntry(case_id=case.id, event_id=event.id, entry_id=entry_id))
    session.flush()
    audit.record(
        session,
        actor,
        "timeline.event.link",
        case.code,
        event=event.id,
        entries=len(entry_ids),
        unlink=unlink,
    )
    links = tuple(
        session.scalars(
            select(TimelineEventEntry.entry_id)
            .where(TimelineEventEntry.event_id == event.id)
            .order_by(TimelineEventEntry.entry_id)
        )
    )
    return _event_row(event, links)


def _event_row(
    event: TimelineEvent, links: tuple[int, ...], reasons: tuple[str, ...] = (), gap_before: bool = False
) -> TimelineEventRow:
    fd = FuzzyDate.from_dict(event.date) if event.date else FuzzyDate.unparsed("")
    people: dict[str, list[str]] = {}
    for item in event.people or []:
        people.setdefault(item.get("role", "other"), []).append(item.get("name", ""))
    return TimelineEventRow(
        event.id,
        event.event_type,
        event_type_label(event.event_type),
        event.title,
        fd,
        format_fuzzy(fd, "en"),
        event.place,
        {k: tuple(v) for k, v in people.items()},
        links,
        event.after_event_id,
        event.notes,
        event.told_on,
        event.version,
        bool(reasons),
        reasons,
        gap_before,
    )
