"""docs/server-setup.md, executed: the least-privilege app role runs trpkit and cannot rewrite the audit log."""

from __future__ import annotations

import os
import re
import uuid
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError, ProgrammingError

pytestmark = pytest.mark.postgres
DOC = Path(__file__).resolve().parents[2] / "docs" / "server-setup.md"


def _sql_blocks() -> list[str]:
    return re.findall(r"```sql\n(.*?)```", DOC.read_text(encoding="utf-8"), flags=re.DOTALL)


def _statements(block: str, prefix: str, database: str) -> list[str]:
    block = re.sub(r"\btrpkit_(owner|app)\b", lambda m: f"{prefix}_{m.group(1)}", block)
    block = re.sub(r"\bDATABASE trpkit\b", f"DATABASE {database}", block)
    return [s.strip() for s in block.split(";") if s.strip()]


@pytest.fixture
def server() -> object:
    url = os.environ.get("TRPKIT_TEST_POSTGRES_URL")
    if not url:
        pytest.skip("TRPKIT_TEST_POSTGRES_URL not set")
    prefix = f"t{uuid.uuid4().hex[:8]}"
    database = f"{prefix}_db"
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    blocks = _sql_blocks()
    assert len(blocks) == 3, "server-setup.md should have three SQL blocks (roles, schema, audit lock-down)"
    with admin.connect() as conn:
        for statement in _statements(blocks[0], prefix, database):
            conn.execute(text(statement))
    base = make_url(url)
    in_db = create_engine(base.set(database=database), isolation_level="AUTOCOMMIT")
    with in_db.connect() as conn:
        for statement in _statements(blocks[1], prefix, database):
            conn.execute(text(statement))
    owner_url = base.set(database=database, username=f"{prefix}_owner", password="x")
    app_url = base.set(database=database, username=f"{prefix}_app", password="x")
    yield {"owner": owner_url, "app": app_url, "lockdown": lambda: _run(in_db, blocks[2], prefix, database)}
    in_db.dispose()
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)'))
        for role in ("app", "owner"):
            conn.execute(text(f"DROP ROLE IF EXISTS {prefix}_{role}"))
    admin.dispose()


def _run(engine: object, block: str, prefix: str, database: str) -> None:
    with engine.connect() as conn:  # type: ignore[attr-defined]
        for statement in _statements(block, prefix, database):
            conn.execute(text(statement))


def test_documented_setup_runs_trpkit_with_least_privilege(server: dict, tmp_path: Path) -> None:  # type: ignore[type-arg]
    from trpkit.db import migrate
    from trpkit.db.database import open_target
    from trpkit.db.engine import Target
    from trpkit.services import audit, retention
    from trpkit.services.backup import create_backup, restore_backup
    from trpkit.services.cases import create_case, update_case
    from trpkit.services.users import actor_for, create_user

    owner = create_engine(server["owner"])
    migrate.upgrade(owner)  # step 3: the schema, created by the owner
    with owner.connect() as conn:
        assert conn.execute(text("SELECT current_schema()")).scalar() == "trpkit"
    owner.dispose()
    server["lockdown"]()  # step 4

    db = open_target(Target(url=server["app"].render_as_string(hide_password=False)))
    try:
        assert db.schema_state() == "current"
        migrate.upgrade(db.engine)  # what 'trpkit init' does: a no-op on a current schema, no DDL needed
        with db.session() as s:
            create_user(s, "boss", role="supervisor")
            boss = actor_for(s, "boss")
            code = create_case(s, boss, person={"legal_name": "Server Fictional"}).code
            update_case(s, boss, code, status="closed")
        with db.session() as s:
            retention.destroy_case(s, boss, code, early_reason="Test of the least-privilege role")
            assert audit.verify(s).ok
        info = create_backup(db, boss, tmp_path / "server.trpbackup", "granite otter lullaby 4471")
        assert info.kind == "server"
        assert restore_backup(
            tmp_path / "server.trpbackup", tmp_path / "r.trpvault", "granite otter lullaby 4471"
        ).audit_ok

        with db.engine.connect() as conn:
            for forbidden in (
                "UPDATE audit_log SET action = 'x'",
                "DELETE FROM audit_log",
                "TRUNCATE audit_log",
                "UPDATE alembic_version SET version_num = '0001'",
                "CREATE TABLE sneaky (id int)",
                "DROP TABLE cases",
            ):
                with pytest.raises(ProgrammingError, match="permission denied|must be owner"):
                    conn.execute(text(forbidden))
                conn.rollback()
    finally:
        db.close()


def test_sslmode_in_the_url_is_honoured() -> None:
    """The throwaway test server has no TLS: requiring it must refuse to connect, never fall back."""
    url = os.environ.get("TRPKIT_TEST_POSTGRES_URL")
    if not url:
        pytest.skip("TRPKIT_TEST_POSTGRES_URL not set")
    from trpkit.db.engine import server_engine

    engine = server_engine(url + "?sslmode=require")
    with pytest.raises(OperationalError, match="SSL"):
        engine.connect()
    engine.dispose()
