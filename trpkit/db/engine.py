"""Engine and session factories for the encrypted vault and for PostgreSQL."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.orm import Session, sessionmaker

from trpkit.db.vault import VaultKey, key_connection
from trpkit.errors import VaultError


@dataclass(frozen=True)
class Target:
    """Where the data lives: an encrypted vault file, or a server URL."""

    vault_path: Path | None = None
    url: str | None = None

    @property
    def is_vault(self) -> bool:
        return self.vault_path is not None

    def describe(self) -> str:
        if self.vault_path is not None:
            return f"vault {self.vault_path}"
        from sqlalchemy.engine import make_url

        return f"server {make_url(self.url or '').render_as_string(hide_password=True)}"


def vault_engine(path: Path, key: VaultKey) -> Engine:
    import sqlcipher3

    engine = create_engine(f"sqlite:///{path}", module=sqlcipher3.dbapi2)

    @event.listens_for(engine, "connect")
    def _key(dbapi_connection: object, _record: object) -> None:
        key_connection(dbapi_connection, key)

    return engine


def server_engine(url: str) -> Engine:
    if not url.startswith("postgresql"):
        raise VaultError(
            f"Unsupported database URL '{url.split(':', 1)[0]}:…'. Use postgresql+psycopg://user@host/dbname "
            "or an encrypted vault (--vault PATH)."
        )
    # pool_pre_ping: a laptop that slept should not greet the user with a dropped-connection error.
    return create_engine(url, pool_pre_ping=True)


def session_factory(engine: Engine) -> sessionmaker[Session]:
    # expire_on_commit=False: services return DTOs built after commit without reloading.
    return sessionmaker(engine, expire_on_commit=False)
