"""docs/server-setup.md, executed from an empty server; then proof from outside the app that PostgreSQL
itself refuses each person's login every case row it may not see, and any change to the audit log.

Roles are server-wide: every name here starts with a prefix unique to the run, and all are dropped."""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import re
import shlex
import uuid
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import URL, make_url

pytestmark = pytest.mark.postgres
DOC = Path(__file__).resolve().parents[2] / "docs" / "server-setup.md"
BOSS_PW = "saffron glacier tandem 2741"
PEOPLE_PW = "violet harbour quill 8812"
# Each login's password (the server checks it when it uses scram-sha-256, as .ci/pg-start's does).
PASSWORDS = {"boss": BOSS_PW}
KAI_NEW_PW = "marble orchard kettle 3390"
ZOE_NEW_PW = "amber thicket rowboat 6603"


def _owner_password() -> str:
    """The placeholder password the documented step 2 gives ``trpkit_owner``."""
    found = re.search(r"CREATE ROLE trpkit_owner .*PASSWORD '([^']+)'", DOC.read_text(encoding="utf-8"))
    assert found, "docs/server-setup.md step 2 should give trpkit_owner a password"
    return found.group(1)


def _server_checks_passwords() -> bool:
    """.ci/pg-start's cluster makes every login but postgres prove its password (scram-sha-256); a
    developer's cluster may trust everyone, where a wrong password cannot be refused."""
    return os.environ.get("TRPKIT_TEST_SERVER_AUTH") == "scram-sha-256"


def _sql_blocks() -> list[str]:
    return re.findall(r"```sql\n(.*?)```", DOC.read_text(encoding="utf-8"), flags=re.DOTALL)


def _commands() -> list[list[str]]:
    """The trpkit commands of step 3, as an administrator would type them."""
    step = DOC.read_text(encoding="utf-8").split("## 3.")[1].split("## 4.")[0]
    block = re.findall(r"```\n(.*?)```", step, flags=re.DOTALL)[0]
    return [shlex.split(line)[1:] for line in block.splitlines() if line.startswith("trpkit ")]


def _statements(block: str, prefix: str, database: str) -> list[str]:
    block = re.sub(r"\btrpkit_owner\b", f"{prefix}_owner", block)
    block = re.sub(r"\b(DATABASE|SCHEMA) trpkit\b", lambda m: f"{m.group(1)} {database}", block)
    block = block.replace("search_path = trpkit", f"search_path = {database}")
    return [s.strip() for s in block.split(";") if s.strip()]


class Server:
    def __init__(self, base: URL, prefix: str, database: str) -> None:
        self.base, self.prefix, self.database = base, prefix, database
        self.owner = base.set(database=database, username=f"{prefix}_owner", password=_owner_password())
        self.codes: dict[str, str] = {}

    def login_url(self, username: str, *, with_password: bool = True) -> URL:
        """``username``'s login; with its password, or without it (then it is typed, or TRPKIT_PASSWORD)."""
        from trpkit.db.server_logins import login_name, prefix_for

        password = PASSWORDS.get(username, PEOPLE_PW) if with_password else None
        return self.base.set(
            database=self.database,
            username=login_name(prefix_for(self.database), username),
            password=password,
        )

    def engine(self, username: str) -> Engine:
        return create_engine(self.login_url(username))


def _cli(args: list[str], env: dict[str, str]) -> str:
    from click.testing import CliRunner

    from trpkit.cli import cli

    result = CliRunner().invoke(cli, args, env=env, catch_exceptions=False)
    assert result.exit_code == 0, (args, result.output)
    return result.output


@pytest.fixture(scope="module")
def server() -> Iterator[Server]:
    url = os.environ.get("TRPKIT_TEST_POSTGRES_URL")
    if not url:
        pytest.skip("TRPKIT_TEST_POSTGRES_URL not set")
    from trpkit.db.server_logins import drop_roles, prefix_for

    prefix = f"t{uuid.uuid4().hex[:8]}"
    database = f"{prefix}_db"
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    blocks = _sql_blocks()
    base = make_url(url)
    in_db = create_engine(base.set(database=database), isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:  # step 2, as postgres
            for statement in _statements(blocks[0], prefix, database):
                conn.execute(text(statement))
        with in_db.connect() as conn:
            for statement in _statements(blocks[1], prefix, database):
                conn.execute(text(statement))
        srv = Server(base, prefix, database)
        owner = srv.owner.render_as_string(hide_password=False)
        env = {"TRPKIT_NEW_PASSWORD": BOSS_PW, "TRPKIT_CONFIG": "/nonexistent/trpkit.toml"}
        for command in _commands():  # step 3, as the administrator
            args = [owner if a == "$OWNER" else a for a in command]
            _cli(args, env)
            if args[-1] == "passwd":
                env = {**env, "TRPKIT_PASSWORD": BOSS_PW, "TRPKIT_NEW_PASSWORD": PEOPLE_PW}
        for extra in (["ben", "--role", "accompanier"], ["root", "--role", "admin"]):
            _cli(["--db", owner, "--user", "boss", "user", "add", *extra, "--password"], env)
        _fill_cases(srv)
        yield srv
    finally:
        in_db.dispose()
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)'))
            drop_roles(conn, prefix_for(database))
            conn.execute(text(f'DROP ROLE IF EXISTS "{prefix}_owner"'))
        admin.dispose()


def _fill_cases(srv: Server) -> None:
    """lea's case and ben's case, each with a row in every case table (written by their own logins
    through the app where it can, and by the owner for the rest)."""
    from trpkit.db.database import open_target
    from trpkit.db.engine import Target
    from trpkit.services.cases import create_case
    from trpkit.services.sign_in import server_sign_in

    for person in ("lea", "ben"):
        db = open_target(Target(url=srv.login_url(person).render_as_string(hide_password=False)))
        with db.session() as s:
            actor = server_sign_in(s, None, "")
            assert actor.username == person
            srv.codes[person] = create_case(s, actor, person={"legal_name": f"Fictional {person}"}).code
        db.close()
    owner = create_engine(srv.owner)
    with owner.begin() as conn:
        for code in srv.codes.values():
            _row_in_every_case_table(conn, code)
    owner.dispose()


def _value(column: Any) -> Any:
    from sqlalchemy import JSON, Boolean, Date, DateTime, Integer, String, Text

    kind = column.type
    if isinstance(kind, Boolean):
        return False
    if isinstance(kind, Integer):
        return 1
    if isinstance(kind, DateTime) or "UTCDateTime" in type(kind).__name__:
        return datetime.now(UTC)
    if isinstance(kind, Date):
        return date(2026, 1, 1)
    if isinstance(kind, JSON):
        return {}
    if isinstance(kind, (String, Text)):
        return "x"
    raise AssertionError(f"no test value for {column}")


def _row_in_every_case_table(conn: Any, code: str) -> None:
    from trpkit.db import models
    from trpkit.db.base import Base
    from trpkit.db.rls import case_tables_in

    assert models
    case_id = conn.execute(text("SELECT id FROM cases WHERE code = :c"), {"c": code}).scalar_one()
    ids: dict[str, int] = {"cases": case_id}
    wanted = set(case_tables_in(Base.metadata))
    for table in Base.metadata.sorted_tables:
        if table.name not in wanted or table.name == "cases":
            continue
        existing = conn.execute(table.select().where(table.c.case_id == case_id).limit(1)).first()
        if existing is not None:
            ids[table.name] = existing.id
            continue
        values: dict[str, Any] = {}
        for column in table.columns:
            fk = next(iter(column.foreign_keys), None)
            if column.primary_key:
                continue
            if fk is not None:
                target = fk.column.table.name
                if target == "users":
                    values[column.name] = None if column.nullable else 1
                elif target in ids:
                    values[column.name] = ids[target]
                continue
            if column.nullable or column.default is not None or column.server_default is not None:
                if column.name == "version":
                    values[column.name] = 1
                continue
            values[column.name] = _value(column)
        if "version" in table.c:
            values["version"] = 1
        ids[table.name] = conn.execute(table.insert().values(**values).returning(table.c.id)).scalar_one()


def _case_tables(srv: Server) -> list[str]:
    from trpkit.db.rls import case_tables

    owner = create_engine(srv.owner)
    with owner.connect() as conn:
        tables = case_tables(conn)
    owner.dispose()
    return tables


def _case_ids(srv: Server) -> dict[str, int]:
    owner = create_engine(srv.owner)
    with owner.connect() as conn:
        rows = conn.execute(text("SELECT code, id FROM cases")).all()
    owner.dispose()
    by_code = dict(rows)  # type: ignore[arg-type]
    return {person: by_code[code] for person, code in srv.codes.items()}


def _psycopg(srv: Server, username: str):  # type: ignore[no-untyped-def]
    import psycopg

    url = srv.login_url(username)
    return psycopg.connect(
        host=url.host,
        port=url.port,
        dbname=url.database,
        user=url.username,
        password=url.password,
        autocommit=True,
    )


def _column(table: str) -> str:
    return "id" if table == "cases" else "case_id"


def test_every_case_table_holds_rows_for_both_cases(server: Server) -> None:
    owner = create_engine(server.owner)
    ids = _case_ids(server)
    with owner.connect() as conn:
        for table in _case_tables(server):
            for person, case_id in ids.items():
                count = conn.execute(
                    text(f'SELECT count(*) FROM "{table}" WHERE {_column(table)} = :c'), {"c": case_id}
                )
                assert count.scalar() >= 1, (
                    f"{table} has no row for {person}'s case: the proof below would be empty"
                )
    owner.dispose()


def test_an_accompanier_cannot_read_or_change_another_persons_case_in_any_table(server: Server) -> None:
    import psycopg

    ids = _case_ids(server)
    theirs, own = ids["lea"], ids["ben"]
    with _psycopg(server, "ben") as conn:
        for table in _case_tables(server):
            col = _column(table)
            seen = conn.execute(f'SELECT count(*) FROM "{table}" WHERE {col} = %s', (own,)).fetchone()
            assert seen is not None and seen[0] >= 1, f"ben cannot see his own rows in {table}"
            hidden = conn.execute(f'SELECT count(*) FROM "{table}" WHERE {col} = %s', (theirs,)).fetchone()
            assert hidden == (0,), f"ben reads lea's case in {table}"
            updated = conn.execute(f'UPDATE "{table}" SET {col} = {col} WHERE {col} = %s', (theirs,))
            assert updated.rowcount == 0, f"ben changes lea's case in {table}"
            deleted = conn.execute(f'DELETE FROM "{table}" WHERE {col} = %s', (theirs,))
            assert deleted.rowcount == 0, f"ben deletes from lea's case in {table}"
            if table != "cases":
                # moving his own row into lea's case is refused by the policy's check
                with pytest.raises(psycopg.errors.InsufficientPrivilege):
                    conn.execute(f'UPDATE "{table}" SET case_id = %s WHERE case_id = %s', (theirs, own))
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute(
                "INSERT INTO case_assignments (case_id, user_id) SELECT %s, id FROM trpkit_actor", (theirs,)
            )
    owner = create_engine(server.owner)
    with owner.connect() as conn:
        for table in _case_tables(server):
            left = conn.execute(
                text(f'SELECT count(*) FROM "{table}" WHERE {_column(table)} = :c'), {"c": theirs}
            )
            assert left.scalar() >= 1, f"lea's rows in {table} were touched"
    owner.dispose()


@pytest.mark.parametrize("person", ["sam", "root"])
def test_analysts_and_administrators_reach_no_case_table(server: Server, person: str) -> None:
    import psycopg

    with _psycopg(server, person) as conn:
        for table in _case_tables(server):
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                conn.execute(f'SELECT 1 FROM "{table}" LIMIT 1')
        assert conn.execute("SELECT count(*) FROM users").fetchone()[0] >= 5  # type: ignore[index]


def test_a_supervisor_sees_every_case_of_the_agency(server: Server) -> None:
    with _psycopg(server, "boss") as conn:
        count = conn.execute("SELECT count(*) FROM cases").fetchone()
    assert count == (2,)


@pytest.mark.parametrize("person", ["lea", "boss", "sam", "root"])
def test_the_audit_log_is_insert_only_for_every_login(server: Server, person: str) -> None:
    import psycopg

    with _psycopg(server, person) as conn:
        for statement in (
            "UPDATE audit_log SET action = 'x'",
            "DELETE FROM audit_log",
            "TRUNCATE audit_log",
            "UPDATE audit_head SET entries = 0",
            "DELETE FROM audit_head",
            "INSERT INTO audit_head (id, entry_id, entry_hash, entries) VALUES (2, 0, '', 0)",
            "UPDATE users SET role = 'supervisor'",
            "UPDATE alembic_version SET version_num = '0001'",
            "CREATE TABLE sneaky (id int)",
            "DROP TABLE audit_log",
        ):
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                conn.execute(statement)


def test_the_owner_cannot_rewrite_the_log_either_and_a_cut_tail_is_detected(server: Server) -> None:
    from sqlalchemy.exc import ProgrammingError

    from trpkit.db.database import open_target
    from trpkit.db.engine import Target
    from trpkit.services import audit

    owner = create_engine(server.owner)
    with owner.connect() as conn:
        for statement in ("DELETE FROM audit_log", "UPDATE audit_log SET action = 'x'", "TRUNCATE audit_log"):
            with pytest.raises(ProgrammingError, match="insert-only"):
                conn.execute(text(statement))
            conn.rollback()
    owner.dispose()
    admin = create_engine(server.base.set(database=server.database))  # a superuser switching triggers off
    with admin.begin() as conn:
        conn.execute(text("SET LOCAL session_replication_role = replica"))
        conn.execute(text("DELETE FROM audit_log WHERE id = (SELECT max(id) FROM audit_log)"))
    admin.dispose()
    db = open_target(Target(url=server.owner.render_as_string(hide_password=False)))
    with db.session() as s:
        report = audit.verify(s)
    db.close()
    assert not report.ok and "removed from the end" in report.problem


def test_the_app_as_a_persons_login_lists_only_their_cases(server: Server) -> None:
    from trpkit.db.database import open_target
    from trpkit.db.engine import Target
    from trpkit.errors import UsageError
    from trpkit.services.cases import list_cases
    from trpkit.services.sign_in import resolve_actor

    db = open_target(Target(url=server.login_url("lea").render_as_string(hide_password=False)))
    try:
        with db.session() as s:
            actor = resolve_actor(s, None, lambda name: None)  # the server checked the password
            assert actor.username == "lea"
            codes = {c.code for c in list_cases(s, actor)}
            assert server.codes["lea"] in codes and server.codes["ben"] not in codes
            with pytest.raises(UsageError, match="cannot act as 'boss'"):
                resolve_actor(s, "boss", lambda name: None)
    finally:
        db.close()


def _scram_matches(verifier: str, password: str) -> bool:
    """Check a stored SCRAM-SHA-256 verifier against a password (RFC 5802/7677)."""
    method, rest = verifier.split("$", 1)
    iterations_salt, keys = rest.split("$")
    iterations, salt = iterations_salt.split(":")
    stored_key, _server_key = keys.split(":")
    salted = hashlib.pbkdf2_hmac("sha256", password.encode(), base64.b64decode(salt), int(iterations))
    client_key = hmac.new(salted, b"Client Key", "sha256").digest()
    return method == "SCRAM-SHA-256" and hashlib.sha256(client_key).digest() == base64.b64decode(stored_key)


def test_logins_carry_the_accounts_password_as_scram_and_follow_passwd_and_deactivate(server: Server) -> None:
    from sqlalchemy.exc import OperationalError

    admin = create_engine(server.base.set(database=server.database))
    owner = server.owner.render_as_string(hide_password=False)
    env = {"TRPKIT_PASSWORD": BOSS_PW, "TRPKIT_NEW_PASSWORD": PEOPLE_PW}
    _cli(["--db", owner, "--user", "boss", "user", "add", "zoe", "--password"], env)
    login = server.login_url("zoe").username
    server.engine("zoe").connect().close()

    def verifier() -> str:
        with admin.connect() as conn:
            return str(
                conn.execute(
                    text("SELECT rolpassword FROM pg_authid WHERE rolname = :n"), {"n": login}
                ).scalar()
            )

    assert _scram_matches(verifier(), PEOPLE_PW) and not _scram_matches(verifier(), BOSS_PW)
    env = {"TRPKIT_PASSWORD": BOSS_PW, "TRPKIT_NEW_PASSWORD": ZOE_NEW_PW}
    _cli(["--db", owner, "--user", "boss", "user", "passwd", "zoe"], env)
    assert _scram_matches(verifier(), ZOE_NEW_PW)
    PASSWORDS["zoe"] = ZOE_NEW_PW
    server.engine("zoe").connect().close()
    listed = _cli(["--db", owner, "--user", "boss", "user", "list", "--json"], env)
    assert f'"db_login": "{login}"' in listed
    _cli(["--db", owner, "--user", "boss", "user", "deactivate", "zoe"], env)
    with pytest.raises(OperationalError, match="not permitted to log in"):
        server.engine("zoe").connect()
    admin.dispose()


def test_a_persons_login_cannot_add_people() -> None:
    """Adding people needs CREATEROLE, which only the owner connection has (checked before anything is
    written); the message says what to do."""
    from trpkit.db.server_logins import require_login_manager
    from trpkit.errors import AccessDenied

    class Conn:
        def execute(self, *_a: object, **_k: object) -> Any:
            class R:
                def scalar(self) -> bool:
                    return False

            return R()

    with pytest.raises(AccessDenied, match="owner connection"):
        require_login_manager(Conn(), "add people")  # type: ignore[arg-type]


def test_every_case_table_of_the_models_gets_row_level_security(server: Server) -> None:
    from trpkit.db import models
    from trpkit.db.base import Base
    from trpkit.db.rls import POLICY, case_tables_in

    assert models
    owner = create_engine(server.owner)
    with owner.connect() as conn:
        secured = dict(
            conn.execute(
                text(
                    "SELECT c.relname, c.relrowsecurity AND EXISTS (SELECT 1 FROM pg_policy p"
                    " WHERE p.polrelid = c.oid AND p.polname = :p) FROM pg_class c"
                    " WHERE c.relnamespace = to_regnamespace(current_schema()) AND c.relkind = 'r'"
                ),
                {"p": POLICY},
            ).all()  # type: ignore[arg-type]
        )
    owner.dispose()
    for table in (*case_tables_in(Base.metadata), "narrative_fts"):
        assert secured.get(table), f"case table {table} has no row-level security"


def test_every_model_table_is_classified_and_case_data_always_carries_its_case() -> None:
    from trpkit.db import models
    from trpkit.db.base import Base
    from trpkit.db.rls import case_tables_in
    from trpkit.db.server_logins import unclassified_tables

    assert models
    assert unclassified_tables(Base.metadata) == [], (
        "a new table that is neither case data (no case_id) nor coalition_*: say which group roles may use it "
        "in trpkit/db/server_logins.py (_OTHER_TABLES), or no person's login can reach it on a server"
    )
    case = set(case_tables_in(Base.metadata))
    assert {"persons", "consent_events", "narrative_entries", "evidence_attachments", "decisions"} <= case
    for table in Base.metadata.sorted_tables:
        refers_to_case_data = any(fk.column.table.name in case for fk in table.foreign_keys)
        if refers_to_case_data:
            assert table.name in case, (
                f"{table.name} refers to case data without a case_id: no policy could cover it"
            )


def test_sslmode_in_the_url_is_honoured() -> None:
    """The throwaway test server has no TLS: requiring it must refuse to connect, never fall back."""
    url = os.environ.get("TRPKIT_TEST_POSTGRES_URL")
    if not url:
        pytest.skip("TRPKIT_TEST_POSTGRES_URL not set")
    from sqlalchemy.exc import OperationalError

    from trpkit.db.engine import server_engine

    engine = server_engine(url + "?sslmode=require")
    with pytest.raises(OperationalError, match="SSL"):
        engine.connect()
    engine.dispose()


def test_the_app_signs_a_person_in_through_their_own_login(server: Server) -> None:
    """The unlock screen on a server: the password typed goes to the server as the login's password, and
    the person acting is the one whose login connected (no second trpkit password check)."""
    from trpkit.db.engine import Target
    from trpkit.services import audit
    from trpkit.tui.unlocking import open_and_identify

    opened = open_and_identify(
        Target(url=server.login_url("lea", with_password=False).render_as_string(hide_password=False)),
        PEOPLE_PW,
        None,
    )
    try:
        assert opened.actor is not None and opened.actor.username == "lea"
        with opened.database.session() as s:
            last = audit.entries(s, username="lea", action="login.success", limit=1)
        assert last and last[0].detail == {"via": "database login"}
    finally:
        opened.database.close()


def test_what_only_the_owner_connection_may_do_is_refused_to_a_supervisors_login(
    server: Server, tmp_path: Path
) -> None:
    from click.testing import CliRunner

    from trpkit.cli import cli

    boss = server.login_url("boss").render_as_string(hide_password=False)
    env = {"TRPKIT_NEW_PASSWORD": PEOPLE_PW, "TRPKIT_BACKUP_PASSPHRASE": "granite otter lullaby 4471"}
    for args, says in (
        (["user", "add", "newbie", "--password"], "only the owner connection can add people"),
        (["user", "passwd", "lea"], "only the owner connection can set another person's password"),
        (["backup", "-o", str(tmp_path / "b.trpbackup")], "Back up a server with the owner connection"),
    ):
        result = CliRunner().invoke(cli, ["--db", boss, *args], env=env)
        assert result.exit_code == 5 and says in result.output, (args, result.output)
    assert not (tmp_path / "b.trpbackup").exists()


def test_an_analysts_login_reads_the_coalition_store_and_is_refused_with_one_line_elsewhere(
    server: Server,
) -> None:
    from click.testing import CliRunner

    from trpkit.cli import cli

    with _psycopg(server, "sam") as conn:
        assert conn.execute("SELECT count(*) FROM coalition_records").fetchone() == (0,)
    sam = server.login_url("sam").render_as_string(hide_password=False)
    result = CliRunner().invoke(cli, ["--db", sam, "case", "list"])
    assert result.exit_code != 0 and "Traceback" not in result.output


def test_an_accompanier_works_on_her_case_through_her_own_login(server: Server) -> None:
    """Row-level security must not get in the way of the work the app allows: narrative (and its search
    index, kept by a trigger), consent, evidence and attachments, indicators, timeline, clock facts,
    dependants and applications, all written through lea's login."""
    from types import SimpleNamespace

    from tests.access.test_roles import _fill_own_case
    from trpkit.db.database import open_target
    from trpkit.db.engine import Target
    from trpkit.services.cases import create_case
    from trpkit.services.search import search
    from trpkit.services.sign_in import server_sign_in

    db = open_target(Target(url=server.login_url("lea").render_as_string(hide_password=False)))
    try:
        with db.session() as s:
            lea = server_sign_in(s, None, "")
            code = create_case(s, lea, person={"legal_name": "Fictional Worker"}).code
        case = _fill_own_case(db, SimpleNamespace(own_case=code, accompanier=lea))  # type: ignore[arg-type]
        assert case.ref.startswith(code)
        with db.session() as s:
            found = search(s, lea, "passport")
        assert any(hit.case_code == code for hit in found)
    finally:
        db.close()


def test_a_supervisor_assigns_and_destroys_through_his_own_login(server: Server) -> None:
    from trpkit.db.database import open_target
    from trpkit.db.engine import Target
    from trpkit.services import audit, retention
    from trpkit.services.cases import assign, create_case, update_case
    from trpkit.services.sign_in import server_sign_in

    db = open_target(Target(url=server.login_url("boss").render_as_string(hide_password=False)))
    try:
        with db.session() as s:
            boss = server_sign_in(s, None, "")
            code = create_case(s, boss, person={"legal_name": "Fictional Closed"}).code
            assign(s, boss, code, "ben")
        with _psycopg(server, "ben") as conn:
            assert conn.execute(
                "SELECT count(*) FROM persons p JOIN cases c ON c.id = p.case_id WHERE c.code = %s", (code,)
            ).fetchone() == (1,)
        with db.session() as s:
            update_case(s, boss, code, status="closed")
        with db.session() as s:
            retention.destroy_case(s, boss, code, early_reason="Test of destruction through a person's login")
            logged = audit.entries(s, case_code=code, action="retention.destroy", limit=1)
        assert logged
    finally:
        db.close()
    owner = create_engine(server.owner)
    with owner.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM cases WHERE code = :c"), {"c": code}).scalar() == 0
    owner.dispose()


def test_a_person_changes_their_own_password_through_their_own_login(server: Server) -> None:
    admin = create_engine(server.base.set(database=server.database))
    owner = server.owner.render_as_string(hide_password=False)
    _cli(
        ["--db", owner, "--user", "boss", "user", "add", "kai", "--password"],
        {"TRPKIT_PASSWORD": BOSS_PW, "TRPKIT_NEW_PASSWORD": PEOPLE_PW},
    )
    login = server.login_url("kai", with_password=False)  # the password comes from TRPKIT_PASSWORD
    new = KAI_NEW_PW
    _cli(
        ["--db", login.render_as_string(hide_password=False), "user", "passwd"],
        {"TRPKIT_PASSWORD": PEOPLE_PW, "TRPKIT_NEW_PASSWORD": new},
    )
    with admin.connect() as conn:
        verifier = conn.execute(
            text("SELECT rolpassword FROM pg_authid WHERE rolname = :n"), {"n": login.username}
        ).scalar()
    admin.dispose()
    assert _scram_matches(str(verifier), new)
    PASSWORDS["kai"] = new
    with _psycopg(server, "kai") as conn:  # and the account's own hash moved with it
        import psycopg

        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute("UPDATE users SET role = 'supervisor' WHERE username = 'kai'")
        for column in ("password_hash", "display_name"):
            touched = conn.execute(f"UPDATE users SET {column} = 'x' WHERE username = 'boss'")
            assert touched.rowcount == 0  # only their own row


def test_the_server_refuses_a_wrong_password_and_the_cli_connects_with_the_right_one(server: Server) -> None:
    """The real password path: the person's login proves its password to the server (SCRAM), and trpkit
    connecting as the person with the password from TRPKIT_PASSWORD works; a wrong one gets one clear line."""
    import psycopg
    from click.testing import CliRunner

    from trpkit.cli import cli

    lea = server.login_url("lea", with_password=False).render_as_string(hide_password=False)
    if _server_checks_passwords():
        wrong = server.login_url("lea").set(password="not her password 0000")
        with pytest.raises(psycopg.OperationalError, match="password authentication failed"):
            psycopg.connect(
                host=wrong.host,
                port=wrong.port,
                dbname=wrong.database,
                user=wrong.username,
                password=wrong.password,
            )
        refused = CliRunner().invoke(
            cli, ["--db", lea, "case", "list"], env={"TRPKIT_PASSWORD": "not her password"}
        )
        assert refused.exit_code != 0
        assert refused.output.startswith("Error: the database server refused the password"), refused.output
        assert len(refused.output.strip().splitlines()) == 1
        unasked = CliRunner().invoke(cli, ["--db", lea, "case", "list"], env={"TRPKIT_PASSWORD": None})
        assert unasked.exit_code == 5, unasked.output
        assert "asks for your login's password: set TRPKIT_PASSWORD" in unasked.output
    result = CliRunner().invoke(
        cli,
        ["--db", lea, "case", "list", "--json"],
        env={"TRPKIT_PASSWORD": PEOPLE_PW},
        catch_exceptions=False,
    )
    assert result.exit_code == 0, result.output
    assert server.codes["lea"] in result.output and server.codes["ben"] not in result.output


def test_a_new_case_forms_kept_typing_is_seen_only_by_the_person_who_typed_it(server: Server) -> None:
    """A draft of no case yet (the new-case form, kept when the app locked) has no case whose rule could
    speak for it: the server shows it to its writer only, a supervisor included, and refuses writing one
    in someone else's name."""
    import psycopg

    from trpkit.db.database import open_target
    from trpkit.db.engine import Target
    from trpkit.services.form_drafts import get_new_case_draft, save_new_case_draft
    from trpkit.services.sign_in import server_sign_in

    db = open_target(Target(url=server.login_url("ben").render_as_string(hide_password=False)))
    with db.session() as s:
        ben = server_sign_in(s, None, "")
        save_new_case_draft(s, ben, {"legal_name": "Fictional newcomer"})
    with db.session() as s:
        kept = get_new_case_draft(s, ben)
        assert kept is not None and kept.values == {"legal_name": "Fictional newcomer"}
    db.close()
    no_case = "SELECT count(*) FROM form_drafts WHERE case_id IS NULL"
    with _psycopg(server, "ben") as conn:
        assert conn.execute(no_case).fetchone() == (1,)
        lea_id = conn.execute("SELECT id FROM users WHERE username = 'lea'").fetchone()
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute(
                "INSERT INTO form_drafts (case_id, user_id, form, values, saved_at)"
                " VALUES (NULL, %s, 'new_case', '{}', now())",
                lea_id,
            )
    for other in ("lea", "boss"):
        with _psycopg(server, other) as conn:
            assert conn.execute(no_case).fetchone() == (0,), f"{other} reads ben's new-case typing"
            assert conn.execute("UPDATE form_drafts SET form = form WHERE case_id IS NULL").rowcount == 0
            assert conn.execute("DELETE FROM form_drafts WHERE case_id IS NULL").rowcount == 0
    owner = create_engine(server.owner)
    with owner.connect() as conn:
        assert conn.execute(text(no_case)).scalar() == 1
    owner.dispose()
