"""Removing a narrative meeting, with what happens to its entries said explicitly, and restoring it.

A meeting that holds entries is never removed silently with them: the caller chooses to move the entries
to another meeting of the same case, or to remove them too. What is removed is kept whole in
``removed_items`` (the meeting, its entries, every revision, their links to the timeline, evidence and
indicators), so it can be restored from history.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Literal

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from trpkit.db.base import utcnow
from trpkit.db.models import RemovedItem, User
from trpkit.db.models.evidence import EvidenceItem, EvidenceNarrativeEntry, IndicatorLink
from trpkit.db.models.narrative import (
    NarrativeDraft,
    NarrativeEntry,
    NarrativeEntryRevision,
    NarrativeMeeting,
    TimelineEvent,
    TimelineEventEntry,
)
from trpkit.errors import ConflictError, NotFound, UsageError
from trpkit.services import audit
from trpkit.services.actor import Actor
from trpkit.services.narrative import MeetingRow, _case, _get_meeting, _meeting_row

EntriesChoice = Literal["refuse", "move", "remove"]
_MEETING = ("place", "present", "language", "interpreter", "duration_minutes", "wellbeing_notes")
_ENTRY = ("kind", "text", "language", "translation", "translated_by", "position", "updated_by")
_REVISION = ("version", "action", "kind", "text", "language", "translation", "translated_by", "saved_by")


@dataclass(frozen=True)
class RemovedRow:
    id: int
    kind: str
    label: str
    removed_by: str
    removed_at: datetime
    restored_at: datetime | None


def remove_meeting(
    session: Session,
    actor: Actor,
    code: str,
    meeting_id: int,
    *,
    entries: EntriesChoice = "refuse",
    move_to: int | None = None,
    expected_version: int | None = None,
) -> str:
    """Remove meeting ``meeting_id``. Its entries: ``refuse`` (the default) stops if there are any,
    ``move`` moves them to meeting ``move_to``, ``remove`` removes them with it (restorable). Says what
    was done, in a sentence."""
    case = _case(session, actor, code, write=True)
    meeting = _get_meeting(session, case, meeting_id)
    if expected_version is not None and meeting.version != expected_version:
        raise ConflictError(f"Meeting {meeting_id} was changed by someone else: reload and choose again.")
    held = list(session.scalars(select(NarrativeEntry).where(NarrativeEntry.meeting_id == meeting.id)))
    if held and entries == "refuse":
        raise UsageError(
            f"Meeting {meeting_id} ({meeting.held_on}) holds {_entries(len(held))}: move them to another "
            "meeting (--move-to MEETING) or remove them with it (--with-entries; restorable)."
        )
    moved_note = ""
    if held and entries == "move":
        target = _move_target(session, case.id, meeting, move_to)
        _move_entries(session, held, target)
        moved_note = f"; its {_entries(len(held))} moved to the meeting of {target.held_on}"
        held = []
    label = f"meeting of {meeting.held_on}" + (f" with {_entries(len(held))}" if held else "")
    item = RemovedItem(
        case_id=case.id,
        kind="meeting",
        label=label,
        payload=_snapshot(session, meeting, held),
        removed_by_id=actor.user_id,
    )
    session.add(item)
    session.delete(meeting)  # the database removes its entries, revisions, drafts and links with it
    session.flush()
    audit.record(
        session,
        actor,
        "narrative.meeting.remove",
        case.code,
        meeting=meeting_id,
        entries=entries if held or entries != "move" else "moved",
        removed_item=item.id,
    )
    return f"Removed the {label}{moved_note}. It can be restored from the removed items (number {item.id})."


def _entries(count: int) -> str:
    return f"{count} entr{'y' if count == 1 else 'ies'}"


def _move_target(
    session: Session, case_id: int, meeting: NarrativeMeeting, move_to: int | None
) -> NarrativeMeeting:
    if move_to is None or move_to == meeting.id:
        raise UsageError("Say which other meeting of this case the entries move to.")
    target = session.get(NarrativeMeeting, move_to)
    if target is None or target.case_id != case_id:
        raise NotFound(f"No meeting {move_to} in this case file.")
    return target


def _move_entries(session: Session, held: list[NarrativeEntry], target: NarrativeMeeting) -> None:
    """Keep each entry (and its version, so its history stays whole); only where it was told changes."""
    last = session.scalar(
        select(func.max(NarrativeEntry.position)).where(NarrativeEntry.meeting_id == target.id)
    )
    for offset, entry in enumerate(sorted(held, key=lambda e: e.position), start=1):
        session.execute(
            update(NarrativeEntry)
            .where(NarrativeEntry.id == entry.id)
            .values(meeting_id=target.id, position=(last or 0) + offset)
        )
        session.execute(
            update(NarrativeDraft).where(NarrativeDraft.entry_id == entry.id).values(meeting_id=target.id)
        )
    for entry in held:
        session.expire(entry)


def _snapshot(session: Session, meeting: NarrativeMeeting, held: list[NarrativeEntry]) -> dict[str, Any]:
    entries = []
    for entry in held:
        revisions = session.scalars(
            select(NarrativeEntryRevision)
            .where(NarrativeEntryRevision.entry_id == entry.id)
            .order_by(NarrativeEntryRevision.version)
        )
        links = session.scalars(select(IndicatorLink).where(IndicatorLink.narrative_entry_id == entry.id))
        entries.append(
            {
                **{k: getattr(entry, k) for k in _ENTRY},
                "revisions": [
                    {**{k: getattr(r, k) for k in _REVISION}, "saved_at": r.saved_at.isoformat()}
                    for r in revisions
                ],
                "timeline_events": list(
                    session.scalars(
                        select(TimelineEventEntry.event_id).where(TimelineEventEntry.entry_id == entry.id)
                    )
                ),
                "evidence": list(
                    session.scalars(
                        select(EvidenceNarrativeEntry.evidence_id).where(
                            EvidenceNarrativeEntry.narrative_entry_id == entry.id
                        )
                    )
                ),
                "indicator_links": [
                    {k: getattr(link, k) for k in ("indicator_id", "status", "note", "evidence_id")}
                    for link in links
                ],
            }
        )
    return {
        "meeting": {**{k: getattr(meeting, k) for k in _MEETING}, "held_on": meeting.held_on.isoformat()},
        "entries": entries,
    }


def list_removed(session: Session, actor: Actor, code: str) -> list[RemovedRow]:
    """What was removed from this case file (newest first), restored or not."""
    case = _case(session, actor, code)
    rows = session.execute(
        select(RemovedItem, User.username)
        .outerjoin(User, User.id == RemovedItem.removed_by_id)
        .where(RemovedItem.case_id == case.id)
        .order_by(RemovedItem.removed_at.desc(), RemovedItem.id.desc())
    ).all()
    return [RemovedRow(r.id, r.kind, r.label, name or "", r.removed_at, r.restored_at) for r, name in rows]


def restore_removed(session: Session, actor: Actor, code: str, removed_id: int) -> MeetingRow:
    """Put a removed meeting back, with its entries, their history and the links whose other end still
    exists. The entries get new numbers; their versions and revisions are as they were."""
    case = _case(session, actor, code, write=True)
    item = session.get(RemovedItem, removed_id)
    if item is None or item.case_id != case.id:
        raise NotFound(f"Nothing removed with number {removed_id} in this case file.")
    if item.restored_at is not None:
        raise UsageError(f"Removed item {removed_id} was already restored on {item.restored_at:%Y-%m-%d}.")
    data = item.payload["meeting"]
    meeting = NarrativeMeeting(
        case_id=case.id,
        held_on=date.fromisoformat(data["held_on"]),
        created_by_id=actor.user_id,
        **{k: data[k] for k in _MEETING},
    )
    session.add(meeting)
    session.flush()
    for stored in item.payload["entries"]:
        _restore_entry(session, case.id, meeting.id, stored)
    item.restored_at = utcnow()
    item.restored_by_id = actor.user_id
    session.flush()
    audit.record(
        session, actor, "narrative.meeting.restore", case.code, meeting=meeting.id, removed_item=item.id
    )
    return _meeting_row(meeting, len(item.payload["entries"]))


def _restore_entry(session: Session, case_id: int, meeting_id: int, stored: dict[str, Any]) -> None:
    entry = NarrativeEntry(case_id=case_id, meeting_id=meeting_id, **{k: stored[k] for k in _ENTRY})
    session.add(entry)
    session.flush()
    revisions = stored["revisions"]
    for r in revisions:
        session.add(
            NarrativeEntryRevision(
                case_id=case_id,
                entry_id=entry.id,
                saved_at=datetime.fromisoformat(r["saved_at"]),
                **{k: r[k] for k in _REVISION},
            )
        )
    if revisions:  # the entry's version is its last revision's, so the next save follows on
        session.execute(
            update(NarrativeEntry)
            .where(NarrativeEntry.id == entry.id)
            .values(version=revisions[-1]["version"])
        )
        session.expire(entry)
    for event_id in stored["timeline_events"]:
        if _exists(session, TimelineEvent, event_id, case_id):
            session.add(TimelineEventEntry(case_id=case_id, event_id=event_id, entry_id=entry.id))
    for evidence_id in stored["evidence"]:
        if _exists(session, EvidenceItem, evidence_id, case_id):
            session.add(
                EvidenceNarrativeEntry(case_id=case_id, evidence_id=evidence_id, narrative_entry_id=entry.id)
            )
    for link in stored["indicator_links"]:
        evidence_id = link["evidence_id"]
        if evidence_id is not None and not _exists(session, EvidenceItem, evidence_id, case_id):
            evidence_id = None
        session.add(
            IndicatorLink(
                case_id=case_id, narrative_entry_id=entry.id, **{**link, "evidence_id": evidence_id}
            )
        )
    session.flush()


def _exists(session: Session, model: Any, row_id: int, case_id: int) -> bool:
    row = session.get(model, row_id)
    return row is not None and row.case_id == case_id
