"""Opening the database and finding out who is signing in (runs in worker threads; no Textual here)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from trpkit.db.database import Database, open_target
from trpkit.db.engine import Target
from trpkit.services.actor import Actor
from trpkit.services.sign_in import sign_in_to_app


@dataclass(frozen=True)
class Opened:
    database: Database
    actor: Actor | None  # None while the schema must be upgraded first
    outdated: bool


def open_and_identify(target: Target, secret: str, username: str | None, password: str = "") -> Opened:
    """Vault: ``secret`` is the passphrase (and ``password`` the account's, if it has one).
    Server: ``secret`` is the user's password."""
    # On a server the person's own database login takes the same password.
    database = open_target(target, secret) if target.is_vault else open_target(target, password=secret)
    try:
        state = database.schema_state()
        if state == "outdated":
            return Opened(database, None, True)
        database.require_current_schema(state)
        with database.session() as session:
            actor = sign_in_to_app(session, target.is_vault, secret, username, password)
    except BaseException:
        database.close()
        raise
    return Opened(database, actor, False)


def upgrade_and_identify(
    database: Database, secret: str, username: str | None, password: str = ""
) -> tuple[Actor, Path | None]:
    backup = database.upgrade()
    with database.session() as session:
        return sign_in_to_app(session, database.target.is_vault, secret, username, password), backup
