"""Alembic, configured in code so migrations run from an installed wheel on both backends."""

from __future__ import annotations

import re
from pathlib import Path

from sqlalchemy import Engine, inspect, text

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
VERSION_TABLE = "alembic_version"  # Alembic's default, which env.py keeps
# Tables maintained outside the ORM metadata (full-text indexes, the vault marker) are not Alembic's to diff.
EXTERNAL_PREFIXES = ("narrative_fts",)


def include_object(obj, name, type_, reflected, compare_to):  # type: ignore[no-untyped-def]
    """Alembic filter: leave tables that the models do not describe out of comparisons."""
    return not (type_ == "table" and name and (name.startswith(EXTERNAL_PREFIXES) or name == "trpkit_vault"))


def _config(engine: Engine | None = None):  # type: ignore[no-untyped-def]
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    cfg.attributes["engine"] = engine
    return cfg


_REVISION = re.compile(r"^revision\s*=\s*['\"]([^'\"]+)['\"]", re.MULTILINE)
_DOWN = re.compile(r"^down_revision\s*=\s*(?:['\"]([^'\"]+)['\"]|None)", re.MULTILINE)


def known_revisions() -> dict[str, str | None]:
    """revision -> down_revision, read from the files without importing Alembic (unlock stays fast)."""
    graph: dict[str, str | None] = {}
    for path in (MIGRATIONS_DIR / "versions").glob("*.py"):
        text = path.read_text(encoding="utf-8")
        rev, down = _REVISION.search(text), _DOWN.search(text)
        if rev and down:
            graph[rev.group(1)] = down.group(1)
    return graph


def head_revision() -> str:
    graph = known_revisions()
    heads = sorted(set(graph) - {down for down in graph.values() if down})
    if len(heads) != 1:
        raise RuntimeError(f"migrations have {len(heads)} heads: {heads}")
    return heads[0]


def current_revision(engine: Engine) -> str | None:
    """The revision stamped in the database, read directly: importing Alembic costs a quarter second at unlock."""
    with engine.connect() as conn:
        if not inspect(conn).has_table(VERSION_TABLE):
            return None
        revisions = conn.execute(text(f"SELECT version_num FROM {VERSION_TABLE}")).scalars().all()
    if len(revisions) > 1:
        raise RuntimeError(f"the database is stamped with several revisions: {sorted(revisions)}")
    return revisions[0] if revisions else None


def is_empty(engine: Engine) -> bool:
    names = set(inspect(engine).get_table_names()) - {"trpkit_vault", "alembic_version"}
    return not names


def needs_upgrade(engine: Engine) -> bool:
    return current_revision(engine) != head_revision()


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Migrate; on PostgreSQL, when the schema changed, refresh row-level security and the groups'
    privileges, so tables a migration added are covered without anyone listing them."""
    from alembic import command

    before = current_revision(engine)
    command.upgrade(_config(engine), revision)
    if engine.dialect.name == "postgresql" and current_revision(engine) != before:
        secure_server(engine)


def secure_server(engine: Engine) -> None:
    """Row-level security, audit triggers and (where the group roles exist) their privileges."""
    from trpkit.db import models, rls, server_logins
    from trpkit.db.base import Base

    assert models  # the models fill Base.metadata

    with engine.begin() as conn:
        if current_revision(engine) is None or not inspect(conn).has_table("audit_head"):
            return  # older than the revision that brought row-level security
        rls.apply(conn)
        prefix = server_logins.database_prefix(conn)
        if server_logins.groups_exist(conn, prefix):
            server_logins.grant_privileges(conn, Base.metadata, prefix)


def downgrade(engine: Engine, revision: str) -> None:
    from alembic import command

    command.downgrade(_config(engine), revision)
