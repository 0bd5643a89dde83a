"""The view the row-level security policies read an accompanier's own cases from (trpkit.db.rls):
what each login sees through it, who may read it, and that a server made by the earlier rules (a
plpgsql set function) is moved onto it by the upgrade's re-application.

Roles are server-wide: every name here starts with a prefix unique to the run, and all are dropped."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import make_url

pytestmark = pytest.mark.postgres
PW = "violet harbour quill 8812"
# What trpkit 0011-0013 installed: the policies called these functions on every case table.
_EARLIER_ACTOR = """CREATE OR REPLACE FUNCTION trpkit_actor_role() RETURNS text
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path FROM CURRENT AS
    $$ SELECT role::text FROM users WHERE db_login = session_user AND active $$"""
_EARLIER_FUNCTION = """CREATE OR REPLACE FUNCTION trpkit_own_case_ids() RETURNS SETOF integer
    LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path FROM CURRENT ROWS 200 AS
    $$ DECLARE me integer;
       BEGIN
         SELECT id INTO me FROM users WHERE db_login = session_user AND active AND role = 'accompanier';
         IF me IS NULL THEN RETURN; END IF;
         RETURN QUERY SELECT c.id FROM cases c WHERE c.created_by_id = me
                      UNION SELECT a.case_id FROM case_assignments a WHERE a.user_id = me;
       END $$"""


@dataclass
class Site:
    owner: Engine  # the superuser, in the site's database: owns what the upgrade made
    logins: dict[str, str]  # username -> URL of their own login
    own: dict[str, set[int]]  # username -> the case ids they created or are assigned to


def _login_url(base: str, database: str, login: str) -> str:
    return make_url(base).set(database=database, username=login, password=PW).render_as_string(False)


@pytest.fixture(scope="module")
def site() -> Iterator[Site]:
    base = os.environ.get("TRPKIT_TEST_POSTGRES_URL")
    if not base:
        pytest.skip("TRPKIT_TEST_POSTGRES_URL not set")
    from trpkit.db import migrate
    from trpkit.db.database import open_target
    from trpkit.db.engine import Target
    from trpkit.db.server_logins import drop_roles, prefix_for
    from trpkit.services.cases import assign, create_case
    from trpkit.services.users import actor_for, add_user, create_user, deactivate_user

    database = f"v{uuid.uuid4().hex[:8]}_db"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{database}"'))
    url = make_url(base).set(database=database).render_as_string(False)
    owner = create_engine(url)
    try:
        migrate.upgrade(owner)
        db = open_target(Target(url=url))
        with db.session() as s:
            create_user(s, "boss", role="supervisor")
            boss = actor_for(s, "boss")
            for name, role in (
                ("lea", "accompanier"),
                ("ben", "accompanier"),
                ("sue", "supervisor"),
                ("sam", "analyst"),
            ):
                add_user(s, boss, name, role=role, password=PW)
            add_user(s, boss, "gone", role="accompanier", password=PW)
        with db.session() as s:
            made = {
                n: create_case(s, actor_for(s, n), person={"legal_name": f"Fictional {n}"})
                for n in ("lea", "ben")
            }
            codes = {n: (c.id, c.code) for n, c in made.items()}
            assign(s, actor_for(s, "boss"), codes["ben"][1], "lea")  # lea also works on ben's case
            assign(s, actor_for(s, "boss"), codes["ben"][1], "gone")
        with db.session() as s:
            deactivate_user(s, actor_for(s, "boss"), "gone")
            logins = dict(s.execute(text("SELECT username, db_login FROM users")).all())  # type: ignore[arg-type]
        db.close()
        urls = {name: _login_url(base, database, login) for name, login in logins.items() if login}
        lea, ben = codes["lea"][0], codes["ben"][0]
        yield Site(owner, urls, {"lea": {lea, ben}, "ben": {ben}})
    finally:
        owner.dispose()
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)'))
            drop_roles(conn, prefix_for(database))
        admin.dispose()


def _own_ids(site: Site, person: str) -> set[int]:
    engine = create_engine(site.logins[person])
    try:
        with engine.connect() as conn:
            return set(conn.execute(text("SELECT case_id FROM trpkit_own_cases")).scalars())
    finally:
        engine.dispose()


def _actor(site: Site, person: str) -> list[tuple[str, str]]:
    engine = create_engine(site.logins[person])
    try:
        with engine.connect() as conn:
            rows = conn.execute(text("SELECT u.username, a.role FROM trpkit_actor a JOIN users u USING (id)"))
            return [tuple(r) for r in rows]  # type: ignore[misc]
    finally:
        engine.dispose()


def test_each_login_finds_only_its_own_active_account_through_the_actor_view(site: Site) -> None:
    assert _actor(site, "lea") == [("lea", "accompanier")]
    assert _actor(site, "sue") == [("sue", "supervisor")]
    assert _actor(site, "sam") == [("sam", "analyst")]


def test_each_login_reads_only_its_own_cases_through_the_view(site: Site) -> None:
    assert _own_ids(site, "lea") == site.own["lea"]  # created one, assigned the other
    assert _own_ids(site, "ben") == site.own["ben"]
    # a supervisor reaches cases through the policy's supervisor branch, an analyst through nothing
    assert _own_ids(site, "sue") == set()
    assert _own_ids(site, "sam") == set()


def test_a_deactivated_accounts_view_is_empty_even_on_a_session_still_open(site: Site) -> None:
    with site.owner.begin() as conn:  # the login may still connect: only the account is closed
        login = conn.execute(text("SELECT db_login FROM users WHERE username = 'gone'")).scalar_one()
        conn.execute(text(f'ALTER ROLE "{login}" LOGIN'))
    try:
        engine = create_engine(site.logins["gone"])
        with engine.connect() as conn:
            assert list(conn.execute(text("SELECT case_id FROM trpkit_own_cases"))) == []
            assert list(conn.execute(text("SELECT id FROM trpkit_actor"))) == []
            assert conn.execute(text("SELECT count(*) FROM cases")).scalar() == 0
        engine.dispose()
    finally:
        with site.owner.begin() as conn:
            conn.execute(text(f'ALTER ROLE "{login}" NOLOGIN'))


def test_the_view_is_a_security_barrier_readable_only_by_the_agencys_people(site: Site) -> None:
    from trpkit.db.rls import ACTOR, OWN_CASES
    from trpkit.db.server_logins import database_prefix, group_name

    outsider = f"{uuid.uuid4().hex[:8]}_outsider"
    with site.owner.begin() as conn:
        people = group_name(database_prefix(conn), "people")
        conn.execute(text(f'CREATE ROLE "{outsider}" NOLOGIN'))
        try:
            for view in (ACTOR, OWN_CASES):
                options = conn.execute(
                    text("SELECT reloptions FROM pg_class WHERE relname = :v"), {"v": view}
                )
                assert "security_barrier=true" in (options.scalar_one() or []), view
                may = "SELECT has_table_privilege(:r, :v, 'SELECT')"
                assert conn.execute(text(may), {"r": people, "v": view}).scalar() is True, view
                assert conn.execute(text(may), {"r": outsider, "v": view}).scalar() is False, view
        finally:
            conn.execute(text(f'DROP ROLE "{outsider}"'))


def test_a_server_made_by_the_earlier_rules_is_moved_onto_the_view(site: Site) -> None:
    """The earlier function and a policy calling it, as an upgraded server has them; applying the
    rules again (what every `db upgrade` does) leaves no policy on the functions and the functions gone."""
    from trpkit.db import rls

    with site.owner.connect() as conn, conn.begin() as tx:
        conn.execute(text(_EARLIER_ACTOR))
        conn.execute(text(_EARLIER_FUNCTION))
        conn.execute(text(f"DROP POLICY {rls.POLICY} ON persons"))
        conn.execute(
            text(
                f"CREATE POLICY {rls.POLICY} ON persons USING ((SELECT trpkit_actor_role()) = 'supervisor'"
                " OR case_id IN (SELECT trpkit_own_case_ids()))"
            )
        )
        tables = rls.apply(conn)
        gone = conn.execute(
            text("SELECT to_regprocedure('trpkit_own_case_ids()'), to_regprocedure('trpkit_actor_role()')")
        ).one()
        quals = dict(
            conn.execute(
                text("SELECT tablename, qual FROM pg_policies WHERE policyname = :p"), {"p": rls.POLICY}
            ).all()  # type: ignore[arg-type]
        )
        tx.rollback()
    assert gone == (None, None)
    assert set(quals) == set(tables)
    for table in tables:
        assert rls.OWN_CASES in quals[table], f"{table}'s policy does not read {rls.OWN_CASES}"
    assert _own_ids(site, "lea") == site.own["lea"]
