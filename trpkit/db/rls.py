"""Row-level security on PostgreSQL: the server itself enforces who sees which case.

Every person connects with their own database login (``trpkit.db.server_logins``); ``users.db_login``
maps that login back to the trpkit account. Policies then mirror ``trpkit.services.access``:

- accompanier: rows of the cases they created or are assigned to;
- supervisor: every case of the agency (one database is one agency);
- analyst and administrator: no case row at all (and no privilege on case tables either);
- a form draft with no case yet (the new-case form's typing): only the person who wrote it.

Which tables hold case data is derived, never listed: every table of the schema with a foreign key to
``cases.id`` (plus ``cases`` itself) gets the policy, so a table added by a later migration is covered
by construction when ``apply`` runs at the end of every ``db upgrade``. The owner connection (the
administrator's, used for upgrades and accounts) owns the tables and so is not subject to the policies.

The policies read the current account and an accompanier's own cases from two views, ``trpkit_actor``
and ``trpkit_own_cases`` (see ``_VIEWS`` for why views). PostgreSQL keeps a view's columns from
changing under it: a migration that alters ``users.db_login``, ``users.active``, ``users.role``,
``cases.created_by_id`` or the columns of ``case_assignments`` drops the views first
(``DROP VIEW IF EXISTS``, on PostgreSQL only); ``apply`` makes them again after the upgrade.

The audit log is insert-only for everyone, the owner included (triggers refuse UPDATE, DELETE and
TRUNCATE), and a trigger running with the owner's rights copies each new entry's id and hash into
``audit_head``, which application logins can only read: ``audit verify`` compares the chain's end with it.
"""

from __future__ import annotations

from sqlalchemy import Connection, MetaData, text

CASES = "cases"
POLICY = "trpkit_case_access"

_FUNCTIONS = (
    """CREATE OR REPLACE FUNCTION trpkit_audit_refuse() RETURNS trigger LANGUAGE plpgsql AS
    $$ BEGIN RAISE EXCEPTION 'the audit log is insert-only: % refused', TG_OP
         USING ERRCODE = 'insufficient_privilege'; END $$""",
    """CREATE OR REPLACE FUNCTION trpkit_audit_keep_head() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER SET search_path FROM CURRENT AS
    $$ BEGIN
         INSERT INTO audit_head (id, entry_id, entry_hash, entries) VALUES (1, NEW.id, NEW.entry_hash, 1)
         ON CONFLICT (id) DO UPDATE SET entry_id = EXCLUDED.entry_id, entry_hash = EXCLUDED.entry_hash,
                                        entries = audit_head.entries + 1;
         RETURN NEW;
       END $$""",
)

ACTOR = "trpkit_actor"
OWN_CASES = "trpkit_own_cases"
# What the policies ask, as views rather than functions: the planner inlines a view into each query
# (a function is an opaque call, planned and estimated blind), so the current account is found once
# per query and an accompanier's own cases (created or assigned) become one hashed set per table, read
# through the indexes on cases.created_by_id and case_assignments.user_id. Being the owner's views, they
# read the tables with the owner's rights (no policy recursion); security_barrier keeps a caller's own
# conditions from being pushed inside them, so selecting from them shows a login its own account and
# its own case ids and nothing more. session_user is the login that authenticated, which SET ROLE cannot
# change; a deactivated account (active false) finds nothing.
_VIEWS = {
    ACTOR: f"""CREATE OR REPLACE VIEW {ACTOR} WITH (security_barrier) AS
    SELECT id, role FROM users WHERE db_login = session_user AND active""",
    OWN_CASES: f"""CREATE OR REPLACE VIEW {OWN_CASES} WITH (security_barrier) AS
    SELECT c.id AS case_id FROM cases c JOIN users u ON u.id = c.created_by_id
     WHERE u.db_login = session_user AND u.active AND u.role = 'accompanier'
    UNION ALL
    SELECT a.case_id FROM case_assignments a JOIN users u ON u.id = a.user_id
     WHERE u.db_login = session_user AND u.active AND u.role = 'accompanier'""",
}
# What the earlier rules called (SECURITY DEFINER functions); dropped once no policy refers to them.
_RETIRED = ("trpkit_own_case_ids()", "trpkit_actor_id()", "trpkit_actor_role()")

_SUPERVISOR = f"EXISTS (SELECT 1 FROM {ACTOR} WHERE role = 'supervisor')"


def _visible(column: str) -> str:
    return f"({_SUPERVISOR} OR {column} IN (SELECT case_id FROM {OWN_CASES}))"


def case_tables_in(metadata: MetaData) -> list[str]:
    """The case-bearing tables the models describe: ``cases`` and every table referencing it."""
    names = {CASES}
    for table in metadata.tables.values():
        if any(fk.column.table.name == CASES for fk in table.foreign_keys):
            names.add(table.name)
    return sorted(names)


def case_tables(conn: Connection) -> list[str]:
    """The case-bearing tables in the live schema (models and hand-made tables such as narrative_fts)."""
    rows = conn.execute(
        text(
            "SELECT DISTINCT src.relname FROM pg_constraint con"
            " JOIN pg_class src ON src.oid = con.conrelid"
            " JOIN pg_class dst ON dst.oid = con.confrelid"
            " WHERE con.contype = 'f' AND dst.relname = :cases"
            " AND src.relnamespace = to_regnamespace(current_schema())"
            " AND dst.relnamespace = to_regnamespace(current_schema())"
        ),
        {"cases": CASES},
    ).scalars()
    return sorted({CASES, *rows})


# Case tables whose rows may have no case yet, and the column naming who wrote such a row: only that
# person sees it (a supervisor included), since no case's access rule can speak for it.
_OWN_WHEN_NO_CASE = {"form_drafts": "user_id"}


def _policy_sql(table: str) -> list[str]:
    """The one policy of a case table (dropped and made again, so a changed rule reaches old tables)."""
    column = "id" if table == CASES else "case_id"
    statements = [
        f'ALTER TABLE "{table}" ENABLE ROW LEVEL SECURITY',
        f'DROP POLICY IF EXISTS {POLICY} ON "{table}"',
        f'DROP POLICY IF EXISTS {POLICY}_write ON "{table}"',
    ]
    if table == CASES:
        # The creator's own new case, before any lookup can see it (INSERT ... RETURNING reads it back).
        own = f"created_by_id = (SELECT id FROM {ACTOR} WHERE role = 'accompanier')"
        statements.append(f'CREATE POLICY {POLICY} ON "{table}" USING ({_visible(column)} OR {own})')
    elif table == "case_assignments":
        # Only supervisors assign; an accompanier's own new case records its creator's assignment.
        check = f"({_SUPERVISOR} OR (user_id = (SELECT id FROM {ACTOR}) AND {_visible('case_id')}))"
        statements.append(f'CREATE POLICY {POLICY} ON "{table}" USING {_visible(column)} WITH CHECK {check}')
    elif table in _OWN_WHEN_NO_CASE:
        own = f"{_OWN_WHEN_NO_CASE[table]} = (SELECT id FROM {ACTOR})"
        rule = f"((case_id IS NULL AND {own}) OR (case_id IS NOT NULL AND {_visible(column)}))"
        statements.append(f'CREATE POLICY {POLICY} ON "{table}" USING {rule}')
    else:
        statements.append(f'CREATE POLICY {POLICY} ON "{table}" USING {_visible(column)}')
    return statements


_AUDIT_TRIGGERS = (
    "DROP TRIGGER IF EXISTS audit_log_insert_only ON audit_log",
    (
        "CREATE TRIGGER audit_log_insert_only BEFORE UPDATE OR DELETE ON audit_log"
        " FOR EACH ROW EXECUTE FUNCTION trpkit_audit_refuse()"
    ),
    "DROP TRIGGER IF EXISTS audit_log_no_truncate ON audit_log",
    (
        "CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log"
        " FOR EACH STATEMENT EXECUTE FUNCTION trpkit_audit_refuse()"
    ),
    "DROP TRIGGER IF EXISTS audit_log_head ON audit_log",
    "CREATE TRIGGER audit_log_head AFTER INSERT ON audit_log FOR EACH ROW EXECUTE FUNCTION trpkit_audit_keep_head()",
    # The head may only be written by the trigger (the owner's rights), never by the app's logins.
    "REVOKE ALL ON audit_head FROM PUBLIC",
    "ALTER TABLE audit_head ENABLE ROW LEVEL SECURITY",
    "DROP POLICY IF EXISTS audit_head_read ON audit_head",
    "CREATE POLICY audit_head_read ON audit_head FOR SELECT USING (true)",
    # Everyone sees who their colleagues are; a person may change only their own row (their password).
    "ALTER TABLE users ENABLE ROW LEVEL SECURITY",
    "DROP POLICY IF EXISTS users_read ON users",
    "CREATE POLICY users_read ON users FOR SELECT USING (true)",
    "DROP POLICY IF EXISTS users_own ON users",
    "CREATE POLICY users_own ON users FOR UPDATE USING (db_login = session_user)",
)


def apply(conn: Connection) -> list[str]:
    """Create or refresh the helper functions, the case policies and the audit triggers (idempotent).
    Runs as the schema owner. Returns the case tables it covered."""
    if conn.dialect.name != "postgresql":
        return []
    for statement in _FUNCTIONS:
        conn.execute(text(statement))
    for name, statement in _VIEWS.items():
        conn.execute(text(statement))
        # Policies read them with the caller's privileges: the people's group gets SELECT
        # (trpkit.db.server_logins.grant_privileges), nobody else.
        conn.execute(text(f"REVOKE ALL ON {name} FROM PUBLIC"))
    tables = case_tables(conn)
    for table in tables:
        for statement in _policy_sql(table):
            conn.execute(text(statement))
    for function in _RETIRED:
        conn.execute(text(f"DROP FUNCTION IF EXISTS {function}"))
    for statement in _AUDIT_TRIGGERS:
        conn.execute(text(statement))
    _no_jit(conn)
    return tables


def _no_jit(conn: Connection) -> None:
    """trpkit's queries are short; with policies their estimated cost can pass PostgreSQL's JIT threshold,
    and compiling then costs ~100 ms for a query that runs in 30. Off for this database's new sessions."""
    owns = conn.execute(
        text(
            "SELECT d.datdba = r.oid OR r.rolsuper FROM pg_database d, pg_roles r"
            " WHERE d.datname = current_database() AND r.rolname = current_user"
        )
    ).scalar()
    if owns:
        name = str(conn.execute(text("SELECT current_database()")).scalar()).replace('"', '""')
        conn.execute(text(f'ALTER DATABASE "{name}" SET jit = off'))


def remove(conn: Connection) -> None:
    """Undo ``apply`` (for a downgrade): policies, triggers and functions go; the data stays."""
    if conn.dialect.name != "postgresql":
        return
    for table in case_tables(conn):
        conn.execute(text(f'DROP POLICY IF EXISTS {POLICY} ON "{table}"'))
        conn.execute(text(f'ALTER TABLE "{table}" DISABLE ROW LEVEL SECURITY'))
    for policy in ("users_read", "users_own"):
        conn.execute(text(f"DROP POLICY IF EXISTS {policy} ON users"))
    conn.execute(text("ALTER TABLE users DISABLE ROW LEVEL SECURITY"))
    for trigger in ("audit_log_insert_only", "audit_log_no_truncate", "audit_log_head"):
        conn.execute(text(f"DROP TRIGGER IF EXISTS {trigger} ON audit_log"))
    for view in _VIEWS:
        conn.execute(text(f"DROP VIEW IF EXISTS {view}"))
    for function in (
        *_RETIRED,
        "trpkit_audit_refuse()",
        "trpkit_audit_keep_head()",
    ):
        conn.execute(text(f"DROP FUNCTION IF EXISTS {function}"))
