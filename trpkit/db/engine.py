"""Engine and session factories for the encrypted vault and for PostgreSQL."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.orm import Session, sessionmaker

from trpkit.db.search_index import register_sqlite_functions
from trpkit.db.target import Target
from trpkit.db.vault import VaultKey, key_connection
from trpkit.errors import VaultError

__all__ = ["Target", "server_engine", "session_factory", "vault_engine"]


def vault_engine(path: Path, key: VaultKey) -> Engine:
    import sqlcipher3

    engine = create_engine(f"sqlite:///{path}", module=sqlcipher3.dbapi2)

    @event.listens_for(engine, "connect")
    def _key(dbapi_connection: object, _record: object) -> None:
        key_connection(dbapi_connection, key)
        register_sqlite_functions(dbapi_connection)

    return engine


def server_engine(url: str, password: str | None = None) -> Engine:
    """``password`` is used only when the URL has none (never written into a URL that gets shown)."""
    if not url.startswith("postgresql"):
        raise VaultError(
            f"Unsupported database URL '{url.split(':', 1)[0]}:…'. Use postgresql+psycopg://user@host/dbname "
            "or an encrypted vault (--vault PATH)."
        )
    # pool_pre_ping: a laptop that slept should not greet the user with a dropped-connection error.
    connect_args = {"password": password} if password else {}
    return create_engine(url, pool_pre_ping=True, connect_args=connect_args)


def session_factory(engine: Engine) -> sessionmaker[Session]:
    # expire_on_commit=False: services return DTOs built after commit without reloading.
    return sessionmaker(engine, expire_on_commit=False)
