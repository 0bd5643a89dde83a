"""A form's changes kept when the app locks, offered back when the same person opens the case again.

Only the person who typed them sees them; saving the form or choosing to drop the changes removes them.
A form that makes a case (the new-case form) has no case yet: its typing is kept as a draft of no case
(``*_new_case_draft``), offered back when the same person opens that form again.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Select, delete, select
from sqlalchemy.orm import Session

from trpkit.db.base import utcnow
from trpkit.db.models import FormDraft
from trpkit.errors import AccessDenied
from trpkit.services.access import require_case
from trpkit.services.actor import Actor

NEW_CASE_FORM = "new_case"


@dataclass(frozen=True)
class FormDraftRow:
    form: str
    values: dict[str, Any]
    saved_at: datetime


def save_form_draft(session: Session, actor: Actor, code: str, form: str, values: dict[str, Any]) -> None:
    case = require_case(session, actor, code)
    draft = session.scalar(
        select(FormDraft).where(
            FormDraft.user_id == actor.user_id, FormDraft.case_id == case.id, FormDraft.form == form
        )
    )
    if draft is None:
        session.add(FormDraft(case_id=case.id, user_id=actor.user_id, form=form, values=values))
    else:
        draft.values, draft.saved_at = values, utcnow()
    session.flush()


def get_form_draft(session: Session, actor: Actor, code: str, form: str) -> FormDraftRow | None:
    case = require_case(session, actor, code)
    draft = session.scalar(
        select(FormDraft).where(
            FormDraft.user_id == actor.user_id, FormDraft.case_id == case.id, FormDraft.form == form
        )
    )
    return None if draft is None else FormDraftRow(draft.form, dict(draft.values), draft.saved_at)


def discard_form_draft(session: Session, actor: Actor, code: str, form: str) -> None:
    case = require_case(session, actor, code)
    session.execute(
        delete(FormDraft).where(
            FormDraft.user_id == actor.user_id, FormDraft.case_id == case.id, FormDraft.form == form
        )
    )


def _no_case(actor: Actor, form: str) -> Select[FormDraft]:
    if not actor.reads_case_files:  # the roles that cannot create a case have no such form to keep
        raise AccessDenied(f"The {actor.role.value} role cannot create case files.")
    return select(FormDraft).where(
        FormDraft.user_id == actor.user_id, FormDraft.case_id.is_(None), FormDraft.form == form
    )


def save_new_case_draft(
    session: Session, actor: Actor, values: dict[str, Any], form: str = NEW_CASE_FORM
) -> None:
    """Keep a form's typing that belongs to no case yet (one per person and form)."""
    draft = session.scalar(_no_case(actor, form))
    if draft is None:
        session.add(FormDraft(case_id=None, user_id=actor.user_id, form=form, values=values))
    else:
        draft.values, draft.saved_at = values, utcnow()
    session.flush()


def get_new_case_draft(session: Session, actor: Actor, form: str = NEW_CASE_FORM) -> FormDraftRow | None:
    draft = session.scalar(_no_case(actor, form))
    return None if draft is None else FormDraftRow(draft.form, dict(draft.values), draft.saved_at)


def discard_new_case_draft(session: Session, actor: Actor, form: str = NEW_CASE_FORM) -> None:
    for draft in session.scalars(_no_case(actor, form)):
        session.delete(draft)
    session.flush()
