"""Demo data: a share of the fictional cases have dependants in Canada, on both backends."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from trpkit.db.database import Database
from trpkit.db.models import Case, Person
from trpkit.demo.cases import PROFILES
from trpkit.domain.dependants import NEXT_ID_KEY, from_stored_list
from trpkit.services.actor import Actor

TODAY = date(2026, 11, 2)
SURNAMES = {surname for profile in PROFILES for surname in profile[3]}


def _dependants(db: Database) -> dict[str, tuple]:  # type: ignore[type-arg]
    with db.session() as s:
        rows = s.execute(select(Case.code, Person.dependants_in_canada, Person.extra).join(Person)).all()
    return {code: (stored, extra) for code, stored, extra in rows}


def test_demo_cases_get_fictional_dependants(db: Database, actor: Actor) -> None:
    from trpkit.demo import generate
    from trpkit.services.dependants import add_dependant, list_dependants

    with db.session() as s:
        generate(s, actor, 80, seed=5, today=TODAY)
    found = _dependants(db)
    with_dependants = {code: v for code, v in found.items() if v[0]}
    assert 8 <= len(with_dependants) <= 40  # about a quarter
    for stored, extra in with_dependants.values():
        dependants = from_stored_list(stored)
        assert 1 <= len(dependants) <= 2 and [d.id for d in dependants] == list(range(1, len(dependants) + 1))
        assert extra[NEXT_ID_KEY] == len(dependants) + 1
        assert len({d.name for d in dependants}) == len(dependants)
        for d in dependants:
            assert d.name.split()[-1] in SURNAMES  # the demo person's invented surname
            if "citizen" in d.status_in_canada:
                assert not d.include_in_application  # a citizen needs no permit
    code = min(with_dependants)
    with db.session() as s:  # demo records work with the service like any other
        view = list_dependants(s, actor, code)
        added = add_dependant(s, actor, code, name="Extra Inventado", relationship="sibling")
    assert added.dependant.id == len(view.dependants) + 1


def test_same_seed_same_dependants(vault_db: Database, tmp_path, make_actor) -> None:  # type: ignore[no-untyped-def]
    from tests.conftest import TEST_PASSPHRASE
    from trpkit.db.database import create_vault
    from trpkit.demo import generate
    from trpkit.services.users import actor_for, create_user

    actor = make_actor(vault_db, "demo", "supervisor")
    with vault_db.session() as s:
        generate(s, actor, 30, seed=9, today=TODAY)
    other = create_vault(tmp_path / "again.trpvault", TEST_PASSPHRASE)
    with other.session() as s:
        create_user(s, "demo", role="supervisor")
        generate(s, actor_for(s, "demo"), 30, seed=9, today=TODAY)
    first, again = _dependants(vault_db), _dependants(other)
    other.close()
    assert any(stored for stored, _extra in first.values()) and first == again
