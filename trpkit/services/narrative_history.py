"""An entry's revisions: every saved change, and putting an earlier wording back (itself a new revision)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from trpkit.db.models.narrative import NarrativeEntryRevision
from trpkit.errors import NotFound
from trpkit.services import audit
from trpkit.services.actor import Actor
from trpkit.services.narrative import NarrativeEntryRow, _case, _get_entry, update_entry


@dataclass(frozen=True)
class RevisionRow:
    entry_id: int
    version: int
    action: str
    kind: str
    text: str
    language: str
    translation: str
    translated_by: str
    saved_by: str
    saved_at: datetime


def _revision_row(r: NarrativeEntryRevision) -> RevisionRow:
    return RevisionRow(
        r.entry_id,
        r.version,
        r.action,
        r.kind,
        r.text,
        r.language,
        r.translation,
        r.translated_by,
        r.saved_by,
        r.saved_at,
    )


def entry_history(session: Session, actor: Actor, code: str, entry_id: int) -> list[RevisionRow]:
    """Every saved version, newest first."""
    case = _case(session, actor, code)
    _get_entry(session, case, entry_id)
    revisions = session.scalars(
        select(NarrativeEntryRevision)
        .where(NarrativeEntryRevision.entry_id == entry_id)
        .order_by(NarrativeEntryRevision.version.desc())
    )
    audit.record(session, actor, "narrative.read", case.code, what="history", entry=entry_id)
    return [_revision_row(r) for r in revisions]


def restore_revision(
    session: Session,
    actor: Actor,
    code: str,
    entry_id: int,
    version: int,
    *,
    expected_version: int | None = None,
) -> NarrativeEntryRow:
    """Make an old version current again (as a new revision: nothing is lost)."""
    case = _case(session, actor, code, write=True)
    entry = _get_entry(session, case, entry_id)
    old = session.scalar(
        select(NarrativeEntryRevision).where(
            NarrativeEntryRevision.entry_id == entry_id, NarrativeEntryRevision.version == version
        )
    )
    if old is None:
        raise NotFound(
            f"Entry {entry_id} has no version {version}. See 'trpkit narrative history {case.code} "
            f"{entry_id}'."
        )
    return update_entry(
        session,
        actor,
        code,
        entry_id,
        expected_version=entry.version if expected_version is None else expected_version,
        action="restore",
        text=old.text,
        kind=old.kind,
        language=old.language,
        translation=old.translation,
        translated_by=old.translated_by,
    )
