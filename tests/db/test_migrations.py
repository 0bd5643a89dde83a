"""Migrations on both backends: empty → head, no drift from the models, one head, down and up again."""

from __future__ import annotations

from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect

import trpkit.db.models  # noqa: F401
from trpkit.db import migrate
from trpkit.db.base import Base
from trpkit.db.database import Database, open_target
from trpkit.db.engine import Target
from trpkit.db.migrate import include_object


def test_single_head() -> None:
    assert migrate.head_revision()


def test_migrated_schema_matches_models(db: Database) -> None:
    assert migrate.current_revision(db.engine) == migrate.head_revision()
    with db.engine.connect() as conn:
        context = MigrationContext.configure(
            conn,
            opts={"compare_type": True, "include_object": include_object, "target_metadata": Base.metadata},
        )
        diff = compare_metadata(context, Base.metadata)
    assert diff == []


def test_downgrade_to_base_and_back(db: Database) -> None:
    migrate.downgrade(db.engine, "base")
    assert migrate.is_empty(db.engine)
    migrate.upgrade(db.engine)
    assert set(Base.metadata.tables) <= set(inspect(db.engine).get_table_names())


def test_older_vault_is_upgraded_after_a_backup(tmp_path: Path) -> None:
    from trpkit.db import vault

    if migrate.head_revision() == "0001":
        pytest.skip("only one revision exists")
    path = tmp_path / "old.trpvault"
    key = vault.create_file(path, "orchard lantern velvet compass")
    db = open_target(Target(vault_path=path), key=key)
    migrate.upgrade(db.engine, "0001")
    assert db.schema_state() == "outdated"
    backup = db.upgrade()
    assert (
        backup is not None and backup.exists() and backup.name.startswith("old.trpvault.before-upgrade-0001")
    )
    assert db.schema_state() == "current"
    db.close()
    # The backup is the old version, still encrypted with the same passphrase.
    old = open_target(Target(vault_path=backup), key=vault.unlock(backup, "orchard lantern velvet compass"))
    assert migrate.current_revision(old.engine) == "0001"
    old.close()
