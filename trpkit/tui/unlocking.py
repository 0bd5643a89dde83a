"""Opening the database and finding out who is signing in (runs in worker threads; no Textual here)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.orm import Session

from trpkit.db.database import Database, open_target
from trpkit.db.engine import Target
from trpkit.errors import UsageError
from trpkit.services.actor import Actor


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
            actor = identify(session, target, secret, username, password)
    except BaseException:
        database.close()
        raise
    return Opened(database, actor, False)


def upgrade_and_identify(
    database: Database, secret: str, username: str | None, password: str = ""
) -> tuple[Actor, Path | None]:
    backup = database.upgrade()
    with database.session() as session:
        return identify(session, database.target, secret, username, password), backup


def identify(
    session: Session, target: Target, secret: str, username: str | None, password: str = ""
) -> Actor:
    from trpkit.services import audit, sign_in, users

    if target.is_vault:
        actor = users.actor_for(session, username)
        if users.needs_password(session, actor.username):
            if not password:
                raise UsageError(
                    f"The account '{actor.username}' has a password: type it in the password field."
                )
            return sign_in.authenticate(session, actor.username, password)
        sign_in.require_password_if_shared(session, actor.username)
        audit.record(session, actor, "login.success", None, via="vault passphrase")
        return actor
    return sign_in.server_sign_in(session, username, secret)
