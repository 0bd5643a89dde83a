"""docs/server-setup.md section 5, executed: a server set up the old way (one shared `trpkit_app` login,
schema at revision 0004, accounts and a case) moves to one login per person, and `trpkit_app` is gone.

`trpkit_app` is the name the migration retires, so this test makes a role of exactly that name: it is
skipped if the shared test server already has one (another run), and drops it at the end."""

from __future__ import annotations

import os
import re
import shlex
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ProgrammingError

pytestmark = pytest.mark.postgres
DOC = Path(__file__).resolve().parents[2] / "docs" / "server-setup.md"
BOSS_PW = "saffron glacier tandem 2741"
LEA_PW = "violet harbour quill 8812"
LEGACY = "trpkit_app"
# Passwords for a server that checks them (scram-sha-256, as .ci/pg-start's does).
OWNER_PW = "copper lantern meadow 5120"
LEGACY_PW = "slate heron window 7734"


def _old_setup(prefix: str, database: str) -> tuple[list[str], list[str]]:
    """What the earlier server-setup.md had an administrator run (server-wide, then in the database)."""
    server = [
        f"CREATE ROLE {prefix}_owner LOGIN PASSWORD '{OWNER_PW}'",
        f"CREATE ROLE {LEGACY} LOGIN PASSWORD '{LEGACY_PW}'",
        f"CREATE DATABASE {database} OWNER {prefix}_owner",
        f"REVOKE ALL ON DATABASE {database} FROM PUBLIC",
        f"GRANT CONNECT ON DATABASE {database} TO {prefix}_owner, {LEGACY}",
    ]
    in_db = [
        "REVOKE ALL ON SCHEMA public FROM PUBLIC",
        f"CREATE SCHEMA {database} AUTHORIZATION {prefix}_owner",
        f"ALTER ROLE {prefix}_owner IN DATABASE {database} SET search_path = {database}",
        f"ALTER ROLE {LEGACY} IN DATABASE {database} SET search_path = {database}",
        f"GRANT USAGE ON SCHEMA {database} TO {LEGACY}",
        (
            f"ALTER DEFAULT PRIVILEGES FOR ROLE {prefix}_owner IN SCHEMA {database}"
            f" GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO {LEGACY}"
        ),
        (
            f"ALTER DEFAULT PRIVILEGES FOR ROLE {prefix}_owner IN SCHEMA {database}"
            f" GRANT USAGE, SELECT ON SEQUENCES TO {LEGACY}"
        ),
    ]
    return server, in_db


def _step5() -> str:
    return DOC.read_text(encoding="utf-8").split("## 5.")[1].split("## 6.")[0]


def _doc_sql(prefix: str, database: str) -> list[list[str]]:
    blocks = re.findall(r"```\n(.*?)```", _step5(), flags=re.DOTALL)
    out = []
    for block in blocks:
        block = re.sub(r"\btrpkit_owner\b", f"{prefix}_owner", block)
        block = re.sub(r"\bDATABASE trpkit\b", f"DATABASE {database}", block)
        block = block.replace("search_path = trpkit", f"search_path = {database}")
        out.append([s.strip() for s in block.split(";") if s.strip()])
    return out


def _doc_commands() -> list[list[str]]:
    found = re.findall(r'`(trpkit --db "\$OWNER"[^`]*)`', _step5().replace("\n   ", " "))
    return [shlex.split(c)[1:] for c in found]


@pytest.fixture
def old_server() -> Iterator[tuple[URL, URL, str, str]]:
    url = os.environ.get("TRPKIT_TEST_POSTGRES_URL")
    if not url:
        pytest.skip("TRPKIT_TEST_POSTGRES_URL not set")
    from trpkit.db.server_logins import drop_roles, prefix_for

    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        if conn.execute(text("SELECT 1 FROM pg_roles WHERE rolname = :n"), {"n": LEGACY}).scalar():
            admin.dispose()
            pytest.skip(f"a role {LEGACY} already exists on the test server")
    prefix = f"t{uuid.uuid4().hex[:8]}"
    database = f"{prefix}_db"
    base = make_url(url)
    server_sql, db_sql = _old_setup(prefix, database)
    try:
        with admin.connect() as conn:
            for statement in server_sql:
                conn.execute(text(statement))
        in_db = create_engine(base.set(database=database), isolation_level="AUTOCOMMIT")
        with in_db.connect() as conn:
            for statement in db_sql:
                conn.execute(text(statement))
        in_db.dispose()
        yield (
            base,
            base.set(database=database, username=f"{prefix}_owner", password=OWNER_PW),
            prefix,
            database,
        )
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)'))
            drop_roles(conn, prefix_for(database))
            conn.execute(text(f'DROP ROLE IF EXISTS "{prefix}_owner"'))
            conn.execute(text(f"DROP ROLE IF EXISTS {LEGACY}"))
        admin.dispose()


def _populate_old(owner: URL, database: str, base: URL) -> None:
    """Schema 0004 by the owner; accounts and lea's case written through the shared login, as before."""
    from trpkit.db import migrate
    from trpkit.services.user_passwords import hash_password

    engine = create_engine(owner)
    migrate.upgrade(engine, "0004")
    engine.dispose()
    app = create_engine(base.set(database=database, username=LEGACY, password=LEGACY_PW))
    with app.begin() as conn:  # plain SQL: today's models describe columns 0004 did not have
        for name, role, password in (("boss", "supervisor", BOSS_PW), ("lea", "accompanier", LEA_PW)):
            conn.execute(
                text(
                    "INSERT INTO users (username, display_name, role, password_hash, active, created_at,"
                    " updated_at) VALUES (:n, :n, :r, :h, true, now(), now())"
                ),
                {"n": name, "r": role, "h": hash_password(password)},
            )
        for code, creator in (("TRP-2026-0001", "lea"), ("TRP-2026-0002", "boss")):
            conn.execute(
                text(
                    "INSERT INTO cases (code, status, exploitation_sector, law_enforcement_cooperation,"
                    " criminal_case_status, summary, created_by_id, created_at, updated_at, version)"
                    " SELECT :c, 'intake', 'unknown', 'none', 'none', '', id, now(), now(), 1"
                    " FROM users WHERE username = :u"
                ),
                {"c": code, "u": creator},
            )
        conn.execute(
            text(
                "INSERT INTO persons (case_id, legal_name, preferred_name, aliases, birth_date_text, gender,"
                " nationality, languages, interpreter_needs, contact, safe_contact_instructions,"
                " immigration_status, uci, dependants_in_canada, extra, created_at, updated_at, version)"
                " SELECT id, 'Fictional ' || id, '', '[]', '', '', 'MX', '[]', '', '', '', '', '', '[]', '{}',"
                " now(), now(), 1 FROM cases"
            )
        )
    app.dispose()


def test_the_documented_upgrade_from_a_shared_login_works(old_server: tuple[URL, URL, str, str]) -> None:
    from click.testing import CliRunner

    from trpkit.cli import cli
    from trpkit.db.database import open_target
    from trpkit.db.engine import Target
    from trpkit.db.server_logins import login_name, prefix_for
    from trpkit.services.cases import list_cases
    from trpkit.services.sign_in import resolve_actor

    base, owner, prefix, database = old_server
    _populate_old(owner, database, base)
    blocks = _doc_sql(prefix, database)
    assert len(blocks) == 2, "section 5 should have two SQL steps (before and after)"
    in_db = create_engine(base.set(database=database), isolation_level="AUTOCOMMIT")
    with in_db.connect() as conn:  # step 2, as postgres
        for statement in blocks[0]:
            conn.execute(text(statement))
    owner_url = owner.render_as_string(hide_password=False)
    commands = _doc_commands()
    assert [c[2:] for c in commands][:1] == [["db", "upgrade"]]
    env = {"TRPKIT_PASSWORD": BOSS_PW, "TRPKIT_NEW_PASSWORD": LEA_PW, "TRPKIT_CONFIG": "/nonexistent/x.toml"}
    for command in commands:  # steps 3 and 4, as the administrator
        args = [owner_url if a == "$OWNER" else a for a in command]
        result = CliRunner().invoke(cli, args, env=env, catch_exceptions=False)
        assert result.exit_code == 0, (args, result.output)

    legacy = create_engine(base.set(database=database, username=LEGACY, password=LEGACY_PW))
    with legacy.connect() as conn, pytest.raises(ProgrammingError, match="permission denied"):
        conn.execute(text("SELECT count(*) FROM cases"))
    legacy.dispose()

    lea_url = base.set(database=database, username=login_name(prefix_for(database), "lea"), password=LEA_PW)
    db = open_target(Target(url=lea_url.render_as_string(hide_password=False)))
    try:
        with db.session() as s:
            actor = resolve_actor(s, None, lambda _n: None)
            assert actor.username == "lea"
            assert [c.code for c in list_cases(s, actor)] == ["TRP-2026-0001"]
    finally:
        db.close()

    with in_db.connect() as conn:  # step 6: the shared login goes
        for statement in blocks[1]:
            conn.execute(text(statement))
        gone = conn.execute(text("SELECT 1 FROM pg_roles WHERE rolname = :n"), {"n": LEGACY}).scalar()
    in_db.dispose()
    assert gone is None
