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
    with engine.connect() as connection:
        sqlite = connection.dialect.name == "sqlite"
        if sqlite:
            # pysqlite runs DDL outside any transaction, so a crash mid-migration would leave a
            # half-migrated vault. Take over transaction control: the whole upgrade is one transaction.
            driver = connection.connection.driver_connection
            driver.isolation_level = None
            connection.exec_driver_sql("BEGIN IMMEDIATE")
        context.configure(
            connection=connection,
            target_metadata=Base.metadata,
            render_as_batch=True,
            compare_type=True,
            include_object=include_object,
        )
        try:
            with context.begin_transaction():
                context.run_migrations()
            connection.commit()
        finally:
            if sqlite:
                if driver.in_transaction:
                    driver.rollback()
                driver.isolation_level = ""  # back to the driver's default for the pooled connection


run_migrations_online()
