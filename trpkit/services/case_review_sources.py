"""What the case review reads from a case file: its narrative entries, chronology events and exhibits
as passages to search for cues, and the indicator links already recorded."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from trpkit.db.models.evidence import EvidenceItem, EvidenceNarrativeEntry, IndicatorLink
from trpkit.db.models.narrative import NarrativeEntry, NarrativeMeeting, TimelineEvent, TimelineEventEntry
from trpkit.domain.frameworks import DelphiList


@dataclass(frozen=True)
class Passage:
    kind: str
    key: str  # E12 / T4 / X3
    ref: str
    text: str
    entry_ids: tuple[int, ...]
    entry_id: int | None = None
    event_id: int | None = None
    exhibit: int | None = None
    evidence_id: int | None = None


def entry_passages(session: Session, case_id: int) -> tuple[list[Passage], dict[int, str]]:
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
    passages: list[Passage] = []
    refs: dict[int, str] = {}
    seen: dict[int, int] = {}
    for eid, mid, text, translation in rows:
        seen[mid] = seen.get(mid, 0) + 1
        n, held = number.get(mid, (0, None))
        ref = f"meeting {n} ({held.isoformat() if held else 'undated'}), entry {seen[mid]}"
        refs[eid] = ref
        body = "\n".join(t for t in (text, translation) if t)
        passages.append(Passage("entry", f"E{eid}", ref, body, (eid,), entry_id=eid))
    return passages, refs


def events_with_entries(session: Session, case_id: int) -> list[tuple[TimelineEvent, tuple[int, ...]]]:
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


def event_ref(event: TimelineEvent) -> str:
    return f"chronology event {event.id} ('{event.title}')" if event.title else f"chronology event {event.id}"


def exhibits_with_entries(session: Session, case_id: int) -> list[tuple[EvidenceItem, tuple[int, ...]]]:
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


def recorded_links(
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
