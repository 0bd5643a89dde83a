"""The contradictions the case review finds: chronology events, exhibits and the date phrases of the
narrative read as facts for the pure rules of :mod:`trpkit.domain.contradictions`."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from trpkit.db.models import Case
from trpkit.db.models.evidence import EvidenceItem
from trpkit.db.models.narrative import DateSuggestion, TimelineEvent
from trpkit.domain.contradictions import (
    SECTOR_EVENT_TYPES,
    Contradiction,
    EntryDate,
    EventFact,
    ExhibitFact,
    Span,
    find_contradictions,
)
from trpkit.domain.cue_file import CueBook
from trpkit.domain.cues import sectors_mentioned
from trpkit.domain.fuzzy_dates import FuzzyDate, format_fuzzy
from trpkit.services.case_review_sources import event_ref

WORKPLACE_EXHIBITS = ("contract", "pay_record")  # exhibits whose description names the workplace


def _span(earliest: date | None, latest: date | None, raw: dict[str, Any] | None) -> Span:
    text = format_fuzzy(FuzzyDate.from_dict(raw)) if raw else ""
    return Span(earliest, latest, text or "undated")


def case_contradictions(
    session: Session,
    case: Case,
    book: CueBook,
    refs: dict[int, str],
    events: list[tuple[TimelineEvent, tuple[int, ...]]],
    exhibits: list[tuple[EvidenceItem, tuple[int, ...]]],
    supports: dict[str, set[str]],
) -> list[Contradiction]:
    from trpkit.domain.vocab import ExploitationSector

    event_facts = [
        EventFact(
            e.id,
            e.event_type,
            e.title,
            _span(e.date_earliest, e.date_latest, e.date),
            e.place,
            ids,
            event_ref(e),
            tuple(sorted({k for i in ids for k in supports.get(f"E{i}", ())})),
        )
        for e, ids in events
    ]
    exhibit_facts = [
        ExhibitFact(
            x.exhibit_number,
            x.description,
            _span(x.date_earliest, x.date_latest, x.date),
            ids,
            tuple(sorted(supports.get(f"X{x.exhibit_number}", ()))),
        )
        for x, ids in exhibits
    ]
    dates = _attribute(_date_phrases(session, case, refs), events)
    described = _workplaces_described(book, events, exhibits)
    labels = {s.value: s.value.replace("_", " ") for s in ExploitationSector}
    return find_contradictions(
        event_facts, exhibit_facts, dates, case.exploitation_sector or "", described, labels
    )


def _date_phrases(session: Session, case: Case, refs: dict[int, str]) -> list[EntryDate]:
    """The date phrases found in the narrative, except the dismissed ones."""
    return [
        EntryDate(
            entry_id, refs.get(entry_id, f"entry {entry_id}"), phrase, _span(early, late, raw), event_id
        )
        for entry_id, phrase, early, late, raw, event_id in session.execute(
            select(
                DateSuggestion.entry_id,
                DateSuggestion.phrase,
                DateSuggestion.date_earliest,
                DateSuggestion.date_latest,
                DateSuggestion.date,
                DateSuggestion.event_id,
            ).where(DateSuggestion.case_id == case.id, DateSuggestion.status != "dismissed")
        )
    ]


def _workplaces_described(
    book: CueBook,
    events: list[tuple[TimelineEvent, tuple[int, ...]]],
    exhibits: list[tuple[EvidenceItem, tuple[int, ...]]],
) -> list[tuple[str, set[str]]]:
    """The sectors the chronology's work events and the workplace exhibits mention, by where they say it."""
    described = [
        (event_ref(e), sectors_mentioned(f"{e.title}\n{e.notes}", dict(book.sectors), book.negations))
        for e, _ in events
        if e.event_type in SECTOR_EVENT_TYPES
    ]
    described += [  # the workplace as a contract or pay record describes it
        (f"exhibit {x.exhibit_number}", sectors_mentioned(x.description, dict(book.sectors), book.negations))
        for x, _ in exhibits
        if x.type in WORKPLACE_EXHIBITS
    ]
    return described


def _attribute(
    dates: list[EntryDate], events: list[tuple[TimelineEvent, tuple[int, ...]]]
) -> list[EntryDate]:
    """A date phrase not yet attached to an event belongs to the event its passage supports, when the
    passage supports exactly one event and has exactly one date phrase (otherwise it is left alone)."""
    per_entry: dict[int, list[int]] = {}
    for event, entry_ids in events:
        for entry_id in entry_ids:
            per_entry.setdefault(entry_id, []).append(event.id)
    phrases: dict[int, int] = {}
    for d in dates:
        phrases[d.entry_id] = phrases.get(d.entry_id, 0) + 1
    return [
        d
        if d.event_id is not None or len(per_entry.get(d.entry_id, ())) != 1 or phrases[d.entry_id] != 1
        else EntryDate(d.entry_id, d.ref, d.phrase, d.when, per_entry[d.entry_id][0])
        for d in dates
    ]
