"""The narrative's entries: the person's own words or a summary, each saved change kept as a revision.

Every saved change of an entry appends a revision; a stale save (someone else saved a newer version)
raises :class:`EntryConflict` carrying both versions so the person can choose. Meetings are
``narrative_meetings``, the revision history ``narrative_history``, the editor's autosave
``narrative_drafts``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from trpkit.db.base import utcnow
from trpkit.db.models import Case
from trpkit.db.models.narrative import (
    NarrativeDraft,
    NarrativeEntry,
    NarrativeEntryRevision,
    NarrativeMeeting,
)
from trpkit.errors import ConflictError, NotFound, UsageError
from trpkit.services import audit
from trpkit.services.access import require_case
from trpkit.services.actor import Actor
from trpkit.services.consent import require_consent

KINDS = ("own_words", "summary")
KIND_LABELS = {"own_words": "own words", "summary": "summary"}


@dataclass(frozen=True)
class MeetingRow:
    id: int
    held_on: date
    place: str
    present: tuple[str, ...]
    language: str
    interpreter: str
    duration_minutes: int | None
    wellbeing_notes: str
    entry_count: int
    version: int


@dataclass(frozen=True)
class NarrativeEntryRow:
    id: int
    meeting_id: int
    meeting_date: date
    kind: str  # "own_words" | "summary"
    text: str
    language: str
    translation: str
    translated_by: str
    position: int
    version: int


class EntryConflict(ConflictError):
    """Someone saved a newer version of this entry: ``theirs`` is it, ``mine`` what this save wanted."""

    def __init__(self, theirs: NarrativeEntryRow, mine: dict[str, Any], expected_version: int) -> None:
        self.theirs = theirs
        self.mine = mine
        self.expected_version = expected_version
        super().__init__(
            f"Entry {theirs.id} was changed by someone else (now version {theirs.version}, you started from "
            f"version {expected_version}). Compare both versions and choose: 'trpkit narrative show' shows "
            "theirs; save yours again with --expected-version "
            f"{theirs.version} to keep yours."
        )


# ----------------------------------------------------------------------------------------------- helpers


def _case(session: Session, actor: Actor, code: str, *, write: bool = False) -> Case:
    case = require_case(session, actor, code)
    if write:
        require_consent(session, case, "prepare_file")
    return case


def _meeting_row(m: NarrativeMeeting, entry_count: int) -> MeetingRow:
    return MeetingRow(
        m.id,
        m.held_on,
        m.place,
        tuple(m.present or ()),
        m.language,
        m.interpreter,
        m.duration_minutes,
        m.wellbeing_notes,
        entry_count,
        m.version,
    )


def _entry_row(e: NarrativeEntry, meeting_date: date) -> NarrativeEntryRow:
    return NarrativeEntryRow(
        e.id,
        e.meeting_id,
        meeting_date,
        e.kind,
        e.text,
        e.language,
        e.translation,
        e.translated_by,
        e.position,
        e.version,
    )


def _clean_kind(kind: str) -> str:
    value = kind.strip().lower().replace("-", "_").replace(" ", "_")
    if value in ("own", "words", "verbatim", "quote"):
        value = "own_words"
    if value not in KINDS:
        raise UsageError(f"kind '{kind}' must be own_words (the person's words, verbatim) or summary")
    return value


def language_code(text: str) -> str:
    """A meeting's or entry's language by name or ISO 639 code, as the code the date finder reads
    ("Spanish" -> "es"). Empty stays empty; an unknown name is refused with the closest matches."""
    from trpkit.domain.places_languages import UnknownName, resolve_language

    if not text.strip():
        return ""
    try:
        return resolve_language(text)
    except UnknownName as exc:
        raise UsageError(f"Language: {exc}") from None


def _get_meeting(session: Session, case: Case, meeting_id: int) -> NarrativeMeeting:
    meeting = session.get(NarrativeMeeting, meeting_id)
    if meeting is None or meeting.case_id != case.id:
        raise NotFound(
            f"No meeting {meeting_id} in {case.code}. List them with 'trpkit narrative meetings {case.code}'."
        )
    return meeting


def _get_entry(session: Session, case: Case, entry_id: int) -> NarrativeEntry:
    entry = session.get(NarrativeEntry, entry_id)
    if entry is None or entry.case_id != case.id:
        raise NotFound(
            f"No entry {entry_id} in {case.code}. List them with 'trpkit narrative list {case.code}'."
        )
    return entry


def _add_revision(session: Session, actor: Actor, entry: NarrativeEntry, action: str) -> None:
    session.add(
        NarrativeEntryRevision(
            case_id=entry.case_id,
            entry_id=entry.id,
            version=entry.version,
            action=action,
            kind=entry.kind,
            text=entry.text,
            language=entry.language,
            translation=entry.translation,
            translated_by=entry.translated_by,
            saved_by=actor.username,
            saved_at=utcnow(),
        )
    )


# ----------------------------------------------------------------------------------------------- entries


def add_entry(
    session: Session,
    actor: Actor,
    code: str,
    meeting_id: int,
    text: str,
    *,
    kind: str = "own_words",
    language: str = "",
    translation: str = "",
    translated_by: str = "",
    position: int | None = None,
) -> NarrativeEntryRow:
    case = _case(session, actor, code, write=True)
    meeting = _get_meeting(session, case, meeting_id)
    kind = _clean_kind(kind)
    if not text.strip():
        raise UsageError("The entry is empty: give the text (or '-' to read it from standard input).")
    if translated_by and not translation:
        raise UsageError("--translated-by needs a --translation")
    if position is None:
        position = (
            session.scalar(
                select(func.max(NarrativeEntry.position)).where(NarrativeEntry.meeting_id == meeting.id)
            )
            or 0
        ) + 1
    entry = NarrativeEntry(
        case_id=case.id,
        meeting_id=meeting.id,
        kind=kind,
        text=text,
        language=language_code(language) if language.strip() else meeting.language,
        translation=translation,
        translated_by=translated_by,
        position=position,
        updated_by=actor.username,
    )
    session.add(entry)
    session.flush()
    _add_revision(session, actor, entry, "create")
    session.flush()
    audit.record(session, actor, "narrative.entry.add", case.code, entry=entry.id, kind=kind)
    return _entry_row(entry, meeting.held_on)


ENTRY_FIELDS = ("text", "kind", "language", "translation", "translated_by", "position")


def update_entry(
    session: Session,
    actor: Actor,
    code: str,
    entry_id: int,
    *,
    expected_version: int,
    action: str = "edit",
    **values: Any,
) -> NarrativeEntryRow:
    """Save a change. ``expected_version`` is the version the edit started from (optimistic locking)."""
    case = _case(session, actor, code, write=True)
    entry = _get_entry(session, case, entry_id)
    unknown = set(values) - set(ENTRY_FIELDS)
    if unknown:
        raise UsageError(f"unknown entry field(s): {', '.join(sorted(unknown))}")
    if "kind" in values:
        values["kind"] = _clean_kind(values["kind"])
    if "language" in values and values["language"] != entry.language:  # an old name stays until changed
        values["language"] = language_code(str(values["language"] or ""))
    if "text" in values and not str(values["text"]).strip():
        raise UsageError("An entry cannot be emptied: its history keeps every word. Write the new text.")
    meeting = session.get(NarrativeMeeting, entry.meeting_id)
    assert meeting is not None
    if entry.version != expected_version:
        raise EntryConflict(_entry_row(entry, meeting.held_on), values, expected_version)
    if all(getattr(entry, k) == v for k, v in values.items()):
        return _entry_row(entry, meeting.held_on)  # nothing changed: no new revision
    for key, value in values.items():
        setattr(entry, key, value)
    entry.updated_by = actor.username
    try:
        session.flush()
    except StaleDataError:
        raise ConflictError(
            f"Entry {entry_id} was saved by someone else at the same moment. Reload and retry."
        ) from None
    _add_revision(session, actor, entry, action)
    session.execute(
        delete(NarrativeDraft).where(
            NarrativeDraft.user_id == actor.user_id, NarrativeDraft.entry_id == entry.id
        )
    )
    session.flush()
    audit.record(
        session,
        actor,
        f"narrative.entry.{action}",
        case.code,
        entry=entry.id,
        version=entry.version,
        fields=sorted(values),
    )
    return _entry_row(entry, meeting.held_on)


def list_entries(session: Session, actor: Actor, code: str) -> list[NarrativeEntryRow]:
    """Every entry of the case, in the order told (meeting date, then position)."""
    case = _case(session, actor, code)
    rows = session.execute(
        select(NarrativeEntry, NarrativeMeeting.held_on)
        .join(NarrativeMeeting, NarrativeMeeting.id == NarrativeEntry.meeting_id)
        .where(NarrativeEntry.case_id == case.id)
        .order_by(NarrativeMeeting.held_on, NarrativeMeeting.id, NarrativeEntry.position, NarrativeEntry.id)
    ).all()
    audit.record(session, actor, "narrative.read", case.code, what="entries", count=len(rows))
    return [_entry_row(e, held_on) for e, held_on in rows]


def get_entry(session: Session, actor: Actor, code: str, entry_id: int) -> NarrativeEntryRow:
    case = _case(session, actor, code)
    entry = _get_entry(session, case, entry_id)
    meeting = session.get(NarrativeMeeting, entry.meeting_id)
    assert meeting is not None
    audit.record(session, actor, "narrative.read", case.code, what="entry", entry=entry.id)
    return _entry_row(entry, meeting.held_on)
