"""Date phrases found in the person's own words, offered as suggestions to accept (an event) or dismiss."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from trpkit.db.models import Case
from trpkit.db.models.narrative import DateSuggestion, NarrativeEntry, NarrativeMeeting
from trpkit.domain.fuzzy_dates import FuzzyDate, find_date_phrases, format_fuzzy
from trpkit.errors import NotFound, UsageError
from trpkit.services import audit
from trpkit.services.access import require_case
from trpkit.services.actor import Actor
from trpkit.services.timeline import TimelineEventRow, _anchors, add_event


@dataclass(frozen=True)
class SuggestionRow:
    id: int
    entry_id: int
    phrase: str
    context: str
    date: FuzzyDate
    date_text: str
    status: str
    event_id: int | None


def _suggestion_rows(session: Session, case: Case, status: str | None = None) -> list[SuggestionRow]:
    stmt = select(DateSuggestion).where(DateSuggestion.case_id == case.id)
    if status:
        stmt = stmt.where(DateSuggestion.status == status)
    out = []
    for s in session.scalars(stmt.order_by(DateSuggestion.entry_id, DateSuggestion.start)):
        fd = FuzzyDate.from_dict(s.date)
        out.append(
            SuggestionRow(
                s.id, s.entry_id, s.phrase, s.context, fd, format_fuzzy(fd, "en"), s.status, s.event_id
            )
        )
    return out


def date_language(stored: str | None) -> str:
    """The language code the date finder reads for an entry: entries saved before languages were
    checked may hold a name ("Spanish"), which is read as its code rather than as no language at all."""
    from trpkit.domain.places_languages import UnknownName, resolve_language

    text = (stored or "en").split("-")[0]
    try:
        return resolve_language(text)
    except UnknownName:
        return text


def suggest_dates(session: Session, actor: Actor, code: str) -> list[SuggestionRow]:
    """Find date phrases in the case's entries; new ones are stored as open suggestions (never as events)."""
    case = require_case(session, actor, code)
    rows = session.execute(
        select(NarrativeEntry.id, NarrativeEntry.text, NarrativeEntry.language, NarrativeMeeting.held_on)
        .join(NarrativeMeeting, NarrativeMeeting.id == NarrativeEntry.meeting_id)
        .where(NarrativeEntry.case_id == case.id)
    ).all()
    known = {
        (entry_id, start, phrase)
        for entry_id, start, phrase in session.execute(
            select(DateSuggestion.entry_id, DateSuggestion.start, DateSuggestion.phrase).where(
                DateSuggestion.case_id == case.id
            )
        )
    }
    anchors = _anchors(session, case)
    added = 0
    for entry_id, text, language, held_on in rows:
        for found in find_date_phrases(text, date_language(language), relative_to=held_on, anchors=anchors):
            key = (entry_id, found.start, found.phrase[:300])
            if key in known:
                continue
            known.add(key)
            lo, hi = max(0, found.start - 60), min(len(text), found.end + 60)
            context = ("…" if lo else "") + text[lo:hi].replace("\n", " ") + ("…" if hi < len(text) else "")
            session.add(
                DateSuggestion(
                    case_id=case.id,
                    entry_id=entry_id,
                    phrase=found.phrase[:300],
                    start=found.start,
                    end=found.end,
                    context=context,
                    date=found.date.to_dict(),
                    date_earliest=found.date.earliest,
                    date_latest=found.date.latest,
                )
            )
            added += 1
    session.flush()
    audit.record(session, actor, "timeline.suggest", case.code, entries=len(rows), added=added)
    return _suggestion_rows(session, case, status="open")


def accept_suggestion(
    session: Session,
    actor: Actor,
    code: str,
    suggestion_id: int,
    *,
    event_type: str,
    title: str = "",
    place: str = "",
) -> TimelineEventRow:
    """A person confirms a suggested date: it becomes an event linked to the entry it came from."""
    case = require_case(session, actor, code)
    suggestion = session.get(DateSuggestion, suggestion_id)
    if suggestion is None or suggestion.case_id != case.id:
        raise NotFound(
            f"No suggestion {suggestion_id} in {case.code}. See 'trpkit timeline suggest {case.code}'."
        )
    if suggestion.status != "open":
        raise UsageError(f"Suggestion {suggestion_id} was already {suggestion.status}.")
    fd = FuzzyDate.from_dict(suggestion.date)
    row = add_event(
        session,
        actor,
        code,
        event_type=event_type,
        date_text=suggestion.phrase,
        language=fd.language,
        title=title,
        place=place,
        entry_ids=[suggestion.entry_id],
    )
    suggestion.status = "accepted"
    suggestion.event_id = row.id
    session.flush()
    return row


def dismiss_suggestion(session: Session, actor: Actor, code: str, suggestion_id: int) -> None:
    case = require_case(session, actor, code)
    suggestion = session.get(DateSuggestion, suggestion_id)
    if suggestion is None or suggestion.case_id != case.id:
        raise NotFound(f"No suggestion {suggestion_id} in {case.code}.")
    suggestion.status = "dismissed"
    session.flush()
    audit.record(session, actor, "timeline.suggestion.dismiss", case.code, suggestion=suggestion_id)
