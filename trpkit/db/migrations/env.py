"""Alembic environment: the engine is handed over by trpkit.db.migrate (never read from an ini file)."""

from __future__ import annotations

from alembic import context

import trpkit.db.models  # noqa: F401  (complete metadata)
from trpkit.db.base import Base

from trpkit.db.migrate import include_object


def run_migrations_online() -> None:
    engine = context.config.attributes.get("engine")
    if engine is None:
        raise RuntimeError("trpkit migrations must be run through trpkit.db.migrate")
    # On the vault, every transaction (this one included) starts with BEGIN IMMEDIATE (see
    # trpkit.db.engine.vault_engine), so the DDL below runs inside one transaction: a crash part-way
    # through an upgrade leaves the vault exactly as it was.
    with engine.connect() as connection:
        context.configure(
            connection=connection,
            target_metadata=Base.metadata,
            render_as_batch=True,
            compare_type=True,
            include_object=include_object,
        )
        with context.begin_transaction():
            context.run_migrations()
        connection.commit()


run_migrations_online()
