"""The editor's autosaved drafts: written every few seconds, never the entry until the person saves."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from trpkit.db.base import utcnow
from trpkit.db.models.narrative import NarrativeDraft
from trpkit.errors import NotFound
from trpkit.services import audit
from trpkit.services.actor import Actor
from trpkit.services.narrative import (
    NarrativeEntryRow,
    _case,
    _clean_kind,
    _get_entry,
    _get_meeting,
    add_entry,
)


@dataclass(frozen=True)
class DraftRow:
    id: int
    meeting_id: int
    entry_id: int | None
    base_version: int | None
    kind: str
    text: str
    language: str
    translation: str
    translated_by: str
    saved_at: datetime


def _draft_row(d: NarrativeDraft) -> DraftRow:
    return DraftRow(
        d.id,
        d.meeting_id,
        d.entry_id,
        d.base_version,
        d.kind,
        d.text,
        d.language,
        d.translation,
        d.translated_by,
        d.saved_at,
    )


def save_draft(
    session: Session,
    actor: Actor,
    code: str,
    *,
    meeting_id: int,
    entry_id: int | None,
    base_version: int | None,
    text: str,
    kind: str = "own_words",
    language: str = "",
    translation: str = "",
    translated_by: str = "",
) -> DraftRow:
    """The editor's autosave. Cheap to call every few seconds; one row per person and entry."""
    case = _case(session, actor, code, write=True)
    _get_meeting(session, case, meeting_id)
    if entry_id is not None:
        _get_entry(session, case, entry_id)
    key = entry_id or 0
    draft = session.scalar(
        select(NarrativeDraft).where(
            NarrativeDraft.user_id == actor.user_id,
            NarrativeDraft.meeting_id == meeting_id,
            NarrativeDraft.entry_key == key,
        )
    )
    if draft is None:
        draft = NarrativeDraft(
            case_id=case.id, meeting_id=meeting_id, entry_id=entry_id, entry_key=key, user_id=actor.user_id
        )
        session.add(draft)
        audit.record(session, actor, "narrative.draft", case.code, meeting=meeting_id, entry=entry_id)
    draft.base_version = base_version
    draft.kind = _clean_kind(kind)
    draft.text = text
    draft.language = language
    draft.translation = translation
    draft.translated_by = translated_by
    draft.saved_at = utcnow()
    session.flush()
    return _draft_row(draft)


def list_drafts(session: Session, actor: Actor, code: str) -> list[DraftRow]:
    """This person's unsaved drafts in the case (to offer recovery after a crash)."""
    case = _case(session, actor, code)
    drafts = session.scalars(
        select(NarrativeDraft)
        .where(NarrativeDraft.case_id == case.id, NarrativeDraft.user_id == actor.user_id)
        .order_by(NarrativeDraft.saved_at)
    )
    return [_draft_row(d) for d in drafts]


def discard_draft(session: Session, actor: Actor, code: str, draft_id: int) -> None:
    case = _case(session, actor, code)
    session.execute(
        delete(NarrativeDraft).where(
            NarrativeDraft.id == draft_id,
            NarrativeDraft.case_id == case.id,
            NarrativeDraft.user_id == actor.user_id,
        )
    )


def save_new_entry_from_draft(session: Session, actor: Actor, code: str, draft_id: int) -> NarrativeEntryRow:
    case = _case(session, actor, code, write=True)
    draft = session.get(NarrativeDraft, draft_id)
    if draft is None or draft.case_id != case.id or draft.user_id != actor.user_id:
        raise NotFound(f"No draft {draft_id} of yours in {case.code}.")
    row = add_entry(
        session,
        actor,
        code,
        draft.meeting_id,
        draft.text,
        kind=draft.kind,
        language=draft.language,
        translation=draft.translation,
        translated_by=draft.translated_by,
    )
    session.delete(draft)
    session.flush()
    return row
