"""The narrative: meetings, entries (the person's own words or a summary), revisions, autosaved drafts.

Every saved change of an entry appends a revision; a stale save (someone else saved a newer version)
raises :class:`EntryConflict` carrying both versions so the person can choose. Drafts are the editor's
autosave: written every few seconds, never shown as the entry until the person saves.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
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


# ----------------------------------------------------------------------------------------------- meetings


def add_meeting(
    session: Session,
    actor: Actor,
    code: str,
    *,
    held_on: date,
    place: str = "",
    present: list[str] | tuple[str, ...] = (),
    language: str = "",
    interpreter: str = "",
    duration_minutes: int | None = None,
    wellbeing_notes: str = "",
) -> MeetingRow:
    case = _case(session, actor, code, write=True)
    if duration_minutes is not None and duration_minutes < 0:
        raise UsageError("duration must be a number of minutes, 0 or more")
    meeting = NarrativeMeeting(
        case_id=case.id,
        held_on=held_on,
        place=place.strip(),
        present=[p.strip() for p in present if p.strip()],
        language=language_code(language),
        interpreter=interpreter.strip(),
        duration_minutes=duration_minutes,
        wellbeing_notes=wellbeing_notes,
        created_by_id=actor.user_id,
    )
    session.add(meeting)
    session.flush()
    audit.record(session, actor, "narrative.meeting.add", case.code, meeting=meeting.id)
    return _meeting_row(meeting, 0)


MEETING_FIELDS = (
    "held_on",
    "place",
    "present",
    "language",
    "interpreter",
    "duration_minutes",
    "wellbeing_notes",
)


def update_meeting(
    session: Session,
    actor: Actor,
    code: str,
    meeting_id: int,
    *,
    expected_version: int | None = None,
    **values: Any,
) -> MeetingRow:
    case = _case(session, actor, code, write=True)
    meeting = _get_meeting(session, case, meeting_id)
    unknown = set(values) - set(MEETING_FIELDS)
    if unknown:
        raise UsageError(f"unknown meeting field(s): {', '.join(sorted(unknown))}")
    if expected_version is not None and meeting.version != expected_version:
        raise ConflictError(
            f"Meeting {meeting_id} was changed by someone else (now version {meeting.version}). "
            "Reload and apply your change again."
        )
    if "language" in values:
        values["language"] = language_code(str(values["language"] or ""))
    for key, value in values.items():
        setattr(meeting, key, list(value) if key == "present" else value)
    try:
        session.flush()
    except StaleDataError:
        raise ConflictError(f"Meeting {meeting_id} was changed by someone else at the same time.") from None
    audit.record(
        session, actor, "narrative.meeting.update", case.code, meeting=meeting.id, fields=sorted(values)
    )
    count = session.scalar(
        select(func.count(NarrativeEntry.id)).where(NarrativeEntry.meeting_id == meeting.id)
    )
    return _meeting_row(meeting, count or 0)


def list_meetings(session: Session, actor: Actor, code: str) -> list[MeetingRow]:
    case = _case(session, actor, code)
    counts = dict(
        session.execute(
            select(NarrativeEntry.meeting_id, func.count(NarrativeEntry.id))
            .where(NarrativeEntry.case_id == case.id)
            .group_by(NarrativeEntry.meeting_id)
        ).all()
    )
    meetings = session.scalars(
        select(NarrativeMeeting)
        .where(NarrativeMeeting.case_id == case.id)
        .order_by(NarrativeMeeting.held_on, NarrativeMeeting.id)
    )
    audit.record(session, actor, "narrative.read", case.code, what="meetings")
    return [_meeting_row(m, counts.get(m.id, 0)) for m in meetings]


def find_or_add_meeting(
    session: Session, actor: Actor, code: str, held_on: date, **values: Any
) -> MeetingRow:
    """The meeting held that day (the latest one if several), or a new one."""
    case = _case(session, actor, code, write=True)
    meeting = session.scalar(
        select(NarrativeMeeting)
        .where(NarrativeMeeting.case_id == case.id, NarrativeMeeting.held_on == held_on)
        .order_by(NarrativeMeeting.id.desc())
        .limit(1)
    )
    if meeting is not None:
        count = session.scalar(
            select(func.count(NarrativeEntry.id)).where(NarrativeEntry.meeting_id == meeting.id)
        )
        return _meeting_row(meeting, count or 0)
    return add_meeting(session, actor, code, held_on=held_on, **values)


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


# ----------------------------------------------------------------------------------------------- drafts


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
