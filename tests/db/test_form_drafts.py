"""Form drafts of no case yet (the new-case form's typing kept when the app locks): one per person and
form, seen only by the person who typed it, on both backends."""

from __future__ import annotations

import pytest
from sqlalchemy.exc import IntegrityError

from trpkit.db.database import Database
from trpkit.db.models import FormDraft
from trpkit.errors import AccessDenied
from trpkit.services.actor import Actor
from trpkit.services.form_drafts import (
    discard_new_case_draft,
    get_new_case_draft,
    save_new_case_draft,
)


def test_each_person_keeps_their_own_new_case_typing(db: Database, actor: Actor, make_actor) -> None:  # type: ignore[no-untyped-def]
    colleague = make_actor(db, "ben", "accompanier")
    with db.session() as s:
        save_new_case_draft(s, actor, {"legal_name": "First try"})
        save_new_case_draft(s, actor, {"legal_name": "Second try"})  # replaces, never a second draft
        save_new_case_draft(s, colleague, {"legal_name": "Ben's newcomer"})
    with db.session() as s:
        mine, theirs = get_new_case_draft(s, actor), get_new_case_draft(s, colleague)
        assert mine is not None and mine.values == {"legal_name": "Second try"}
        assert theirs is not None and theirs.values == {"legal_name": "Ben's newcomer"}
        assert s.query(FormDraft).count() == 2
        discard_new_case_draft(s, actor)
    with db.session() as s:
        assert get_new_case_draft(s, actor) is None
        assert get_new_case_draft(s, colleague) is not None


def test_the_database_holds_one_case_less_draft_per_person_and_form(db: Database, actor: Actor) -> None:
    with db.session() as s:
        s.add(FormDraft(case_id=None, user_id=actor.user_id, form="new_case", values={}))
    with pytest.raises(IntegrityError), db.session() as s:
        s.add(FormDraft(case_id=None, user_id=actor.user_id, form="new_case", values={}))


@pytest.mark.parametrize("role", ["analyst", "admin"])
def test_roles_that_cannot_create_a_case_keep_no_new_case_form(db: Database, make_actor, role: str) -> None:  # type: ignore[no-untyped-def]
    person = make_actor(db, f"x{role}", role)
    with db.session() as s, pytest.raises(AccessDenied):
        save_new_case_draft(s, person, {"legal_name": "x"})
    with db.session() as s, pytest.raises(AccessDenied):
        get_new_case_draft(s, person)
