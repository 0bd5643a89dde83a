"""A form's changes kept when the app locks, offered back when the same person opens the case again.

Only the person who typed them sees them; saving the form or choosing to drop the changes removes them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from trpkit.db.base import utcnow
from trpkit.db.models import FormDraft
from trpkit.services.access import require_case
from trpkit.services.actor import Actor


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
