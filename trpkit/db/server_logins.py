"""One PostgreSQL login per person, and the group roles that carry the privileges.

Names: roles are cluster-wide, so every name starts with the database's name (``trpkit`` in the
documented setup): the person ``lea`` logs in as ``trpkit_u_lea``; group roles are ``trpkit_people``
(may connect and use the schema) and ``trpkit_accompanier``, ``trpkit_supervisor``, ``trpkit_analyst``,
``trpkit_admin`` (one per trpkit role, each a member of ``trpkit_people``). Two trpkit databases on one
server therefore never share a login.

Passwords reach the server only as a SCRAM-SHA-256 verifier computed here by libpq (the server never
sees the password, and a statement log shows no password). Only the owner connection (a role with
CREATEROLE, see docs/server-setup.md) can create or change other people's logins; a person may change
their own password.
"""

from __future__ import annotations

import hashlib
import re

from sqlalchemy import Connection, MetaData, text

from trpkit.db import rls
from trpkit.errors import AccessDenied, UsageError

ROLES = ("accompanier", "supervisor", "analyst", "admin")
MAX_NAME = 63  # PostgreSQL's identifier limit (bytes)
_CASE_WRITERS = ("accompanier", "supervisor")
_COALITION_USERS = ("analyst", "supervisor", "admin")
# Tables that are neither case data nor the coalition store: who may do what with them.
_OTHER_TABLES: dict[str, dict[str, str]] = {
    "users": {"people": "SELECT, UPDATE (password_hash, display_name, updated_at)"},
    "audit_log": {"people": "SELECT, INSERT"},
    "audit_head": {"people": "SELECT"},
    "alembic_version": {"people": "SELECT"},
    "case_counters": dict.fromkeys(_CASE_WRITERS, "SELECT, INSERT, UPDATE"),
    "coalition_settings": {"supervisor": "SELECT, INSERT, UPDATE", "admin": "SELECT, INSERT, UPDATE"},
    "coalition_pending_withdrawals": dict.fromkeys(("supervisor", "admin"), "SELECT, INSERT, UPDATE, DELETE"),
    # Incidents hold no person (trpkit.services.incidents checks the roles): accompaniers and supervisors
    # record and edit them, an analyst reads them and marks them followed; nobody deletes (withdraw instead).
    "incidents": {
        **dict.fromkeys(_CASE_WRITERS, "SELECT, INSERT, UPDATE"),
        "analyst": "SELECT, UPDATE (followed, note)",
    },
}


def prefix_for(database: str) -> str:
    """The name prefix of a database's roles: its name, lower-cased, letters, digits and '_' only."""
    cleaned = re.sub(r"[^a-z0-9_]", "_", database.lower()).strip("_") or "trpkit"
    return cleaned[:24]


def group_name(prefix: str, role: str) -> str:
    return f"{prefix}_{'people' if role == 'people' else role}"


def login_name(prefix: str, username: str) -> str:
    """``PREFIX_u_NAME``; a name with other characters than a-z, 0-9 and '_' (or too long) gets a short
    hash so two accounts never share a login."""
    simple = re.sub(r"[^a-z0-9_]", "_", username.lower())
    name = f"{prefix}_u_{simple}"
    if simple != username or len(name.encode()) > MAX_NAME:
        digest = hashlib.sha256(username.encode("utf-8")).hexdigest()[:8]
        name = f"{prefix}_u_{simple[: MAX_NAME - len(prefix) - 12]}_{digest}"
    return name


def quote(conn: Connection, name: str) -> str:
    """An identifier quoted by psycopg (never pasted into SQL as typed)."""
    from psycopg import sql

    return sql.Identifier(name).as_string(_raw(conn))


def _ident(name: str):  # type: ignore[no-untyped-def]
    from psycopg import sql

    return sql.Identifier(name)


def _lit(value: str):  # type: ignore[no-untyped-def]
    from psycopg import sql

    return sql.Literal(value)


def _run_role_statement(conn: Connection, template: str, *parts: object) -> None:
    """Role statements take no bound parameters: psycopg composes them (quoting every part), and they
    go straight to the driver so no SQL text with a verifier reaches SQLAlchemy's logs or errors."""
    from psycopg import sql

    _raw(conn).execute(sql.SQL(template).format(*parts))


def _raw(conn: Connection):  # type: ignore[no-untyped-def]
    return conn.connection.driver_connection


def database_prefix(conn: Connection) -> str:
    return prefix_for(str(conn.execute(text("SELECT current_database()")).scalar()))


def scram_verifier(conn: Connection, login: str, password: str) -> str:
    """The SCRAM-SHA-256 verifier of ``password``, computed client-side by libpq."""
    raw = _raw(conn)
    return bytes(
        raw.pgconn.encrypt_password(password.encode("utf-8"), login.encode("utf-8"), b"scram-sha-256")
    ).decode("ascii")


def can_manage_logins(conn: Connection) -> bool:
    """Whether this connection may create and change other people's logins (CREATEROLE or superuser)."""
    row = conn.execute(
        text("SELECT rolcreaterole OR rolsuper FROM pg_roles WHERE rolname = current_user")
    ).scalar()
    return bool(row)


def is_owner_connection(conn: Connection) -> bool:
    """Whether this connection owns trpkit's tables (or is a superuser): row-level security does not
    apply to it, so it sees everything (backups, upgrades)."""
    row = conn.execute(
        text(
            "SELECT r.rolsuper OR EXISTS (SELECT 1 FROM pg_tables t WHERE t.schemaname = current_schema()"
            " AND t.tablename = 'cases' AND t.tableowner = current_user)"
            " FROM pg_roles r WHERE r.rolname = current_user"
        )
    ).scalar()
    return bool(row)


def require_login_manager(conn: Connection, doing: str) -> None:
    if not can_manage_logins(conn):
        raise AccessDenied(
            f"On a server, only the owner connection can {doing}: run the command with "
            "--db pointing at the trpkit_owner login (see docs/server-setup.md)."
        )


def _role_exists(conn: Connection, name: str) -> bool:
    return conn.execute(text("SELECT 1 FROM pg_roles WHERE rolname = :n"), {"n": name}).scalar() is not None


def groups_exist(conn: Connection, prefix: str) -> bool:
    return _role_exists(conn, group_name(prefix, "people"))


def ensure_groups(conn: Connection, metadata: MetaData) -> str:
    """Create the group roles if missing and (re)grant their privileges. Returns the prefix."""
    prefix = database_prefix(conn)
    people = group_name(prefix, "people")
    for role in ("people", *ROLES):
        name = group_name(prefix, role)
        if not _role_exists(conn, name):
            conn.execute(text(f"CREATE ROLE {quote(conn, name)} NOLOGIN"))
        if role != "people":
            conn.execute(text(f"GRANT {quote(conn, people)} TO {quote(conn, name)}"))
    grant_privileges(conn, metadata, prefix)
    return prefix


def grant_privileges(conn: Connection, metadata: MetaData, prefix: str) -> None:
    """Table privileges per group; case tables are derived (``rls.case_tables``), never listed."""
    people = quote(conn, group_name(prefix, "people"))
    database = quote(conn, str(conn.execute(text("SELECT current_database()")).scalar()))
    schema = quote(conn, str(conn.execute(text("SELECT current_schema()")).scalar()))
    conn.execute(text(f"GRANT CONNECT ON DATABASE {database} TO {people}"))
    conn.execute(text(f"GRANT USAGE ON SCHEMA {schema} TO {people}"))
    conn.execute(text(f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA {schema} TO {people}"))
    # The row-level security policies read these views as the caller (a login's own account and cases).
    for view in (rls.ACTOR, rls.OWN_CASES):
        conn.execute(text(f"GRANT SELECT ON {quote(conn, view)} TO {people}"))
    groups = ", ".join(quote(conn, group_name(prefix, role)) for role in ("people", *ROLES))
    for table, grants in table_privileges(conn, metadata).items():
        name = quote(conn, table)
        conn.execute(text(f"REVOKE ALL ON {name} FROM {groups}"))
        for role, privileges in grants.items():
            conn.execute(text(f"GRANT {privileges} ON {name} TO {quote(conn, group_name(prefix, role))}"))


def table_privileges(conn: Connection, metadata: MetaData) -> dict[str, dict[str, str]]:
    """table -> {group: privileges} for every table of the schema the app uses."""
    present = set(
        conn.execute(text("SELECT tablename FROM pg_tables WHERE schemaname = current_schema()")).scalars()
    )
    plan: dict[str, dict[str, str]] = {}
    for table in rls.case_tables(conn):
        plan[table] = dict.fromkeys(_CASE_WRITERS, "SELECT, INSERT, UPDATE, DELETE")
    for table in sorted(present):
        if table in plan:
            continue
        if table in _OTHER_TABLES:
            plan[table] = _OTHER_TABLES[table]
        elif table.startswith("coalition_"):
            plan[table] = dict.fromkeys(_COALITION_USERS, "SELECT, INSERT, UPDATE, DELETE")
    return plan


def unclassified_tables(metadata: MetaData) -> list[str]:
    """Model tables that would get no privilege at all (a test keeps this empty)."""
    case = set(rls.case_tables_in(metadata))
    return sorted(
        t
        for t in metadata.tables
        if t not in case and t not in _OTHER_TABLES and not t.startswith("coalition_")
    )


def create_login(conn: Connection, metadata: MetaData, username: str, role: str, password: str) -> str:
    """Create ``username``'s login with ``password`` (as a SCRAM verifier), member of its role's group."""
    require_login_manager(conn, "create people's database logins")
    prefix = ensure_groups(conn, metadata)
    login = login_name(prefix, username)
    if _role_exists(conn, login):
        raise UsageError(
            f"The database login {login} already exists on this server. Remove it (DROP ROLE) or choose "
            "another user name."
        )
    verifier = scram_verifier(conn, login, password)
    _run_role_statement(
        conn,
        "CREATE ROLE {} LOGIN PASSWORD {} IN ROLE {}",
        _ident(login),
        _lit(verifier),
        _ident(group_name(prefix, role)),
    )
    return login


def set_login_password(conn: Connection, login: str, password: str) -> None:
    """A new SCRAM verifier for ``login`` (own login, or anyone's from the owner connection)."""
    own = conn.execute(text("SELECT session_user")).scalar() == login
    if not own:
        require_login_manager(conn, "set another person's password")
    verifier = scram_verifier(conn, login, password)
    _run_role_statement(conn, "ALTER ROLE {} PASSWORD {}", _ident(login), _lit(verifier))


def disable_login(conn: Connection, login: str) -> None:
    require_login_manager(conn, "deactivate accounts")
    _run_role_statement(conn, "ALTER ROLE {} NOLOGIN", _ident(login))


def drop_roles(conn: Connection, prefix: str) -> None:
    """Remove a database's logins and group roles once the database is gone (tests, taking a server
    apart). Only roles named after this prefix are touched."""
    names = conn.execute(
        text("SELECT rolname FROM pg_roles WHERE starts_with(rolname, :p) ORDER BY rolcanlogin DESC"),
        {"p": f"{prefix}_"},
    ).scalars()
    for name in list(names):
        if name.startswith(f"{prefix}_u_") or name in {group_name(prefix, r) for r in (*ROLES, "people")}:
            conn.execute(text(f"DROP ROLE {quote(conn, name)}"))
