"""Before drafting: passages that read like an indicator but are not linked to it, and contradictions.

Gathers the case's narrative entries, chronology events and exhibits, runs the pure rules
(:mod:`trpkit.domain.cues`, :mod:`trpkit.domain.contradictions`) and returns frozen DTOs. Nothing is
linked on its own: :func:`accept_suggestion` records a link only when a person accepts one.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from trpkit.db.models import Case
from trpkit.db.models.evidence import EvidenceItem, EvidenceNarrativeEntry, IndicatorLink
from trpkit.db.models.narrative import (
    DateSuggestion,
    NarrativeEntry,
    NarrativeMeeting,
    TimelineEvent,
    TimelineEventEntry,
)
from trpkit.domain import readiness as rules
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
from trpkit.domain.cues import items_found, sectors_mentioned
from trpkit.domain.frameworks import DelphiList
from trpkit.domain.fuzzy_dates import FuzzyDate, format_fuzzy
from trpkit.errors import NotFound, UsageError
from trpkit.loading.cues import cue_book
from trpkit.services import audit
from trpkit.services.access import require_case
from trpkit.services.actor import Actor
from trpkit.services.indicators import LinkRow, link_indicator
from trpkit.services.indicators_assessment import case_list

WORKPLACE_EXHIBITS = ("contract", "pay_record")  # exhibits whose description names the workplace
_SUGGESTION_ID = re.compile(r"^(?P<kind>[ETX])(?P<num>\d+)-(?P<key>[1-6]\.\d\d)$")


@dataclass(frozen=True)
class Suggestion:
    """A passage whose words match an indicator's cues while the file does not link the two."""

    id: str  # E12-5.01 (entry 12), T4-4.01 (chronology event 4), X3-5.02 (exhibit 3): for `accept`
    indicator_id: str  # in the case's Delphi list
    indicator_label: str
    dimension: str
    passage: str  # "meeting 2 (2026-03-04), entry 3" / "chronology event 4 ('...')" / "exhibit 3"
    kind: str  # entry | event | exhibit
    entry_id: int | None
    event_id: int | None
    exhibit: int | None
    phrase: str  # the cue phrase that matched
    language: str
    excerpt: str  # the words around the match, as written
    indicator_present: bool  # the indicator is already recorded present elsewhere in the file


@dataclass(frozen=True)
class CaseReview:
    code: str
    framework: str
    suggestions: tuple[Suggestion, ...]
    contradictions: tuple[Contradiction, ...]


@dataclass(frozen=True)
class _Passage:
    kind: str
    key: str  # E12 / T4 / X3
    ref: str
    text: str
    entry_ids: tuple[int, ...]
    entry_id: int | None = None
    event_id: int | None = None
    exhibit: int | None = None
    evidence_id: int | None = None


def _span(earliest: date | None, latest: date | None, raw: dict[str, Any] | None) -> Span:
    text = format_fuzzy(FuzzyDate.from_dict(raw)) if raw else ""
    return Span(earliest, latest, text or "undated")


def _entries(session: Session, case_id: int) -> tuple[list[_Passage], dict[int, str]]:
    meetings = session.execute(
        select(NarrativeMeeting.id, NarrativeMeeting.held_on)
        .where(NarrativeMeeting.case_id == case_id)
        .order_by(NarrativeMeeting.held_on, NarrativeMeeting.id)
    ).all()
    number = {mid: (n, held) for n, (mid, held) in enumerate(meetings, 1)}
    rows = session.execute(
        select(NarrativeEntry.id, NarrativeEntry.meeting_id, NarrativeEntry.text, NarrativeEntry.translation)
        .where(NarrativeEntry.case_id == case_id)
        .order_by(NarrativeEntry.meeting_id, NarrativeEntry.position, NarrativeEntry.id)
    ).all()
    passages: list[_Passage] = []
    refs: dict[int, str] = {}
    seen: dict[int, int] = {}
    for eid, mid, text, translation in rows:
        seen[mid] = seen.get(mid, 0) + 1
        n, held = number.get(mid, (0, None))
        ref = f"meeting {n} ({held.isoformat() if held else 'undated'}), entry {seen[mid]}"
        refs[eid] = ref
        body = "\n".join(t for t in (text, translation) if t)
        passages.append(_Passage("entry", f"E{eid}", ref, body, (eid,), entry_id=eid))
    return passages, refs


def _events(session: Session, case_id: int) -> list[tuple[TimelineEvent, tuple[int, ...]]]:
    entries: dict[int, list[int]] = {}
    for event_id, entry_id in session.execute(
        select(TimelineEventEntry.event_id, TimelineEventEntry.entry_id).where(
            TimelineEventEntry.case_id == case_id
        )
    ):
        entries.setdefault(event_id, []).append(entry_id)
    events = session.scalars(
        select(TimelineEvent).where(TimelineEvent.case_id == case_id).order_by(TimelineEvent.id)
    )
    return [(e, tuple(sorted(entries.get(e.id, ())))) for e in events]


def _event_ref(event: TimelineEvent) -> str:
    return f"chronology event {event.id} ('{event.title}')" if event.title else f"chronology event {event.id}"


def _exhibits(session: Session, case_id: int) -> list[tuple[EvidenceItem, tuple[int, ...]]]:
    entries: dict[int, list[int]] = {}
    for evidence_id, entry_id in session.execute(
        select(EvidenceNarrativeEntry.evidence_id, EvidenceNarrativeEntry.narrative_entry_id).where(
            EvidenceNarrativeEntry.case_id == case_id
        )
    ):
        entries.setdefault(evidence_id, []).append(entry_id)
    items = session.scalars(
        select(EvidenceItem).where(EvidenceItem.case_id == case_id).order_by(EvidenceItem.exhibit_number)
    )
    return [(i, tuple(sorted(entries.get(i.id, ())))) for i in items]


def _linked(
    session: Session, case_id: int, delphi: DelphiList
) -> tuple[set[tuple[str, str]], set[str], dict[str, set[str]]]:
    """({(passage key, item number)} linked in any status, item numbers recorded present,
    passage key -> item numbers it supports as present)."""
    linked: set[tuple[str, str]] = set()
    present: set[str] = set()
    supports: dict[str, set[str]] = {}
    rows = session.execute(
        select(
            IndicatorLink.indicator_id,
            IndicatorLink.status,
            IndicatorLink.narrative_entry_id,
            EvidenceItem.exhibit_number,
        )
        .outerjoin(EvidenceItem, EvidenceItem.id == IndicatorLink.evidence_id)
        .where(IndicatorLink.case_id == case_id)
    ).all()
    for indicator_id, status, entry_id, exhibit in rows:
        item = delphi.resolve(indicator_id)
        if item is None:
            continue
        keys = [k for k, v in ((f"E{entry_id}", entry_id), (f"X{exhibit}", exhibit)) if v is not None]
        for passage in keys:
            linked.add((passage, item.key))
            if status == "present":
                supports.setdefault(passage, set()).add(item.key)
        if status == "present":
            present.add(item.key)
    return linked, present, supports


def _suggest(
    passages: Iterable[_Passage],
    book: CueBook,
    delphi: DelphiList,
    linked: set[tuple[str, str]],
    present: set[str],
) -> list[Suggestion]:
    cues = book.for_items(delphi.by_key)
    out: list[Suggestion] = []
    for p in passages:
        for key, match in items_found(p.text, cues, book.negations).items():
            item = delphi.by_key.get(key)
            if item is None or (p.key, key) in linked:
                continue
            if any((f"E{e}", key) in linked for e in p.entry_ids):  # an event resting on a linked passage
                continue
            out.append(
                Suggestion(
                    f"{p.key}-{key}",
                    item.id,
                    item.label,
                    item.dimension,
                    p.ref,
                    p.kind,
                    p.entry_id,
                    p.event_id,
                    p.exhibit,
                    match.cue.phrase,
                    match.cue.language,
                    match.excerpt,
                    key in present,
                )
            )
    return out


def _gather(session: Session, case: Case) -> CaseReview:
    delphi = case_list(session, case)
    book = cue_book()
    entries, refs = _entries(session, case.id)
    events = _events(session, case.id)
    exhibits = _exhibits(session, case.id)
    passages = [
        *entries,
        *(
            _Passage("event", f"T{e.id}", _event_ref(e), f"{e.title}\n{e.notes}", ids, event_id=e.id)
            for e, ids in events
        ),
        *(
            _Passage(
                "exhibit",
                f"X{x.exhibit_number}",
                f"exhibit {x.exhibit_number}",
                x.description,
                ids,
                exhibit=x.exhibit_number,
                evidence_id=x.id,
            )
            for x, ids in exhibits
        ),
    ]
    linked, present, supports = _linked(session, case.id, delphi)
    suggestions = _suggest(passages, book, delphi, linked, present)
    contradictions = _contradictions(session, case, book, refs, events, exhibits, supports)
    return CaseReview(case.code, delphi.id, tuple(suggestions), tuple(contradictions))


def _contradictions(
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
            _event_ref(e),
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
    dates = [
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
    dates = _attribute(dates, events)
    described = [
        (_event_ref(e), sectors_mentioned(f"{e.title}\n{e.notes}", dict(book.sectors), book.negations))
        for e, _ in events
        if e.event_type in SECTOR_EVENT_TYPES
    ]
    described += [  # the workplace as a contract or pay record describes it
        (f"exhibit {x.exhibit_number}", sectors_mentioned(x.description, dict(book.sectors), book.negations))
        for x, _ in exhibits
        if x.type in WORKPLACE_EXHIBITS
    ]
    labels = {s.value: s.value.replace("_", " ") for s in ExploitationSector}
    return find_contradictions(
        event_facts, exhibit_facts, dates, case.exploitation_sector or "", described, labels
    )


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


def review(session: Session, actor: Actor, code: str) -> CaseReview:
    """Suggested links and contradictions for a case (read only)."""
    case = require_case(session, actor, code)
    result = _gather(session, case)
    audit.record(
        session,
        actor,
        "indicators.review",
        case.code,
        suggestions=len(result.suggestions),
        contradictions=len(result.contradictions),
    )
    return result


def readiness_findings(session: Session, actor: Actor, code: str) -> list[rules.Finding]:
    """What readiness shows about unlinked cues and contradictions (warnings, never blockers)."""
    result = review(session, actor, code)
    return rules.review_findings(
        result.code,
        [
            (s.id, s.passage, s.indicator_id, s.indicator_label, s.excerpt)
            for s in result.suggestions
            if not s.indicator_present
        ],
        sum(1 for s in result.suggestions if s.indicator_present),
        [c.message for c in result.contradictions],
    )


def accept_suggestion(
    session: Session, actor: Actor, code: str, suggestion_id: str, *, status: str = "present", note: str = ""
) -> list[LinkRow]:
    """Record the link a suggestion proposes (the accompanier has read the passage and agrees).

    An entry or exhibit is linked directly; a chronology event through the passages it rests on, or,
    when it rests on none, with a note naming the event.
    """
    cleaned = suggestion_id.strip().upper()
    if not _SUGGESTION_ID.match(cleaned):
        raise UsageError(
            f"'{suggestion_id}' is not a suggestion id: use one shown by 'trpkit indicators suggest {code}' "
            "(like E12-5.01)"
        )
    case = require_case(session, actor, code)
    found = next((s for s in _gather(session, case).suggestions if s.id == cleaned), None)
    if found is None:
        raise NotFound(
            f"{case.code} has no open suggestion {cleaned} (already linked, or the passage changed): "
            f"list them with 'trpkit indicators suggest {case.code}'"
        )
    text = note.strip() or f"Accepted suggestion: {found.passage} ('{found.phrase}')."
    if found.kind == "entry":
        return [
            link_indicator(
                session,
                actor,
                code,
                found.indicator_id,
                status=status,
                note=text,
                narrative_entry_id=found.entry_id,
            )
        ]
    if found.kind == "exhibit":
        return [
            link_indicator(
                session, actor, code, found.indicator_id, status=status, note=text, exhibit=found.exhibit
            )
        ]
    entry_ids = [ids for e, ids in _events(session, case.id) if e.id == found.event_id]
    targets: list[int | None] = list(entry_ids[0]) if entry_ids and entry_ids[0] else [None]
    return [
        link_indicator(
            session, actor, code, found.indicator_id, status=status, note=text, narrative_entry_id=t
        )
        for t in targets
    ]
