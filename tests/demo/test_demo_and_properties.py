"""The demo generator is reproducible and fictional; stored text survives any Unicode."""

from __future__ import annotations

from datetime import date

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from trpkit.db.database import Database
from trpkit.demo import generate
from trpkit.demo.cases import PROFILES
from trpkit.domain.vocab import ExploitationSector, parse_choice
from trpkit.services.actor import Actor
from trpkit.services.cases import create_case, get_case, list_cases


def _names(database: Database, actor: Actor) -> list[tuple[str, str, str]]:
    with database.session() as s:
        return [
            (c.code, c.display_name, c.exploitation_sector) for c in list_cases(s, actor, reveal_names=True)
        ]


def test_same_seed_same_cases(vault_db: Database, tmp_path, make_actor) -> None:  # type: ignore[no-untyped-def]
    from trpkit.services.users import actor_for, create_user

    actor = make_actor(vault_db, "demo", "supervisor")
    with vault_db.session() as s:
        generate(s, actor, 20, seed=5, today=date(2026, 1, 10))
    first = _names(vault_db, actor)
    from tests.conftest import TEST_PASSPHRASE
    from trpkit.db.database import create_vault

    other = create_vault(tmp_path / "again.trpvault", TEST_PASSPHRASE)
    with other.session() as s:
        create_user(s, "demo", role="supervisor")
        other_actor = actor_for(s, "demo")
        generate(s, other_actor, 20, seed=5, today=date(2026, 1, 10))
    assert _names(other, other_actor) == first
    other.close()
    from sqlalchemy import select

    from trpkit.db.models import Person

    surnames = {surname for profile in PROFILES for surname in profile[3]}
    with vault_db.session() as s:
        legal_names = list(s.scalars(select(Person.legal_name)))
    assert len(legal_names) == 20
    assert all(name.split()[-1] in surnames for name in legal_names)  # only invented surnames
    assert len({sector for *_, sector in first}) > 2


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(name=st.text(min_size=1, max_size=120), note=st.text(max_size=500))
def test_any_unicode_round_trips(db: Database, actor: Actor, name: str, note: str) -> None:
    name = name.replace("\x00", "")  # PostgreSQL text cannot hold NUL; trpkit strips it at the edges
    note = note.replace("\x00", "")
    with db.session() as s:
        code = create_case(s, actor, person={"legal_name": name, "safe_contact_instructions": note}).code
    with db.session() as s:
        person = get_case(s, actor, code).person
    assert (person.legal_name, person.safe_contact_instructions) == (name, note)


@given(st.sampled_from(list(ExploitationSector)), st.sampled_from(["", " ", "  "]), st.booleans())
def test_choices_accept_spacing_case_and_dashes(sector: ExploitationSector, pad: str, upper: bool) -> None:
    text = sector.value.replace("_", "-")
    assert parse_choice(ExploitationSector, pad + (text.upper() if upper else text) + pad, "sector") is sector


def test_an_accompanier_can_generate_demo_data(vault_db: Database, make_actor) -> None:  # type: ignore[no-untyped-def]
    """Every area's generator runs for any role that may create cases (the coalition key is a supervisor's)."""
    actor = make_actor(vault_db, "acc", "accompanier")
    with vault_db.session() as s:
        made = generate(s, actor, 6, seed=3, today=date(2026, 1, 10))
    with vault_db.session() as s:
        assert len(list_cases(s, actor)) == len(made) == 6
