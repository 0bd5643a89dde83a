"""The accompanier's submission notes: the sections a letter prints, the work-permit and IFHP requests."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from trpkit.db.models import Case
from trpkit.db.models.drafts import SubmissionNotes
from trpkit.domain import readiness as rules
from trpkit.errors import ConflictError, UsageError
from trpkit.services import audit
from trpkit.services.access import require_case
from trpkit.services.actor import Actor

TIES = rules.TIES  # the person's ties in Canada, argued in the subsequent letter
NOTE_FIELDS = (
    "vulnerabilities",
    "safety",
    "risks_on_return",
    "continued_need",
    "recovery",
    "criminal_case",
    "needs_health",
    "needs_housing",
    "needs_work",
    *TIES,
    "ircc_office",
)
FLAG_FIELDS = ("request_work_permit", "request_ifhp")
HEALTH_COVERAGE = ("none", "other", "unknown")  # other health coverage than IFHP, as the file knows it
LETTER_NOTES = NOTE_FIELDS[:-1]  # every note a letter prints (the IRCC office is an address)
_NEEDS = ("needs_health", "needs_housing", "needs_work")
TEMPLATE_NOTES = {  # the notes each template prints (only these need a version in its language)
    "trp-initial": ("vulnerabilities", "safety", "risks_on_return", *_NEEDS),
    "trp-subsequent": LETTER_NOTES,
    "owp-cover": _NEEDS,
    "exhibit-index": (),
}


@dataclass(frozen=True)
class NotesDetail:
    case_code: str
    values: dict[str, str]
    request_work_permit: bool
    request_ifhp: bool
    version: int
    health_coverage: str = "unknown"
    letter_language: str = "en"


def _notes_row(session: Session, case: Case) -> SubmissionNotes | None:
    return session.scalar(select(SubmissionNotes).where(SubmissionNotes.case_id == case.id))


def _notes_detail(case: Case, row: SubmissionNotes | None) -> NotesDetail:
    values = {name: (getattr(row, name) if row else "") for name in NOTE_FIELDS}
    return NotesDetail(
        case.code,
        values,
        row.request_work_permit if row else True,
        row.request_ifhp if row else True,
        row.version if row else 0,
        (row.health_coverage or "unknown") if row else "unknown",
        (row.letter_language or "en") if row else "en",
    )


def case_notes(session: Session, case: Case) -> NotesDetail:
    """The notes of a case already opened (by a letter being gathered): the caller audits the read."""
    return _notes_detail(case, _notes_row(session, case))


def get_notes(session: Session, actor: Actor, code: str) -> NotesDetail:
    case = require_case(session, actor, code)
    audit.record(session, actor, "draft.notes.read", case.code)
    return _notes_detail(case, _notes_row(session, case))


def update_notes(
    session: Session, actor: Actor, code: str, *, expected_version: int | None = None, **values: Any
) -> NotesDetail:
    """Change sections of the submission notes (text fields and the work-permit / IFHP flags)."""
    case = require_case(session, actor, code)
    unknown = set(values) - set(NOTE_FIELDS) - set(FLAG_FIELDS) - {"health_coverage", "letter_language"}
    if unknown:
        raise UsageError(
            f"unknown section(s) {', '.join(sorted(unknown))}: use "
            f"{', '.join((*NOTE_FIELDS, *FLAG_FIELDS, 'health_coverage', 'letter_language'))}"
        )
    if "health_coverage" in values and str(values["health_coverage"]).strip() not in HEALTH_COVERAGE:
        raise UsageError(
            f"health_coverage is one of {', '.join(HEALTH_COVERAGE)} (none: no coverage other than IFHP)"
        )
    if not values:
        raise UsageError("Nothing to change: give at least one section.")
    row = _notes_row(session, case)
    if row is None:
        row = SubmissionNotes(case_id=case.id)
        session.add(row)
    elif expected_version is not None and row.version != expected_version:
        raise ConflictError(
            f"{case.code}: the submission notes were changed by someone else (now version "
            f"{row.version}). Reload them and apply your change again."
        )
    if "letter_language" in values and str(values["letter_language"]).strip() not in ("en", "fr"):
        raise UsageError("letter_language is en or fr")
    for key, value in values.items():
        if key == "letter_language":
            row.letter_language = str(value).strip()
        elif key == "health_coverage":
            row.health_coverage = str(value).strip()
        elif key in FLAG_FIELDS:
            setattr(
                row,
                key,
                value
                if isinstance(value, bool)
                else str(value).strip().lower() in ("1", "true", "yes", "y", "oui"),
            )
        else:
            setattr(row, key, str(value))
    row.updated_by_id = actor.user_id
    try:
        session.flush()
    except StaleDataError:
        raise ConflictError(
            f"{case.code}: the notes were changed by someone else at the same time."
        ) from None
    audit.record(session, actor, "draft.notes.update", case.code, sections=sorted(values))
    return _notes_detail(case, row)
