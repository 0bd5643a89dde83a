"""Signing in with a password, on a shared vault or a server.

``authenticate`` logs every success and failure (never the password) and slows down guessing by
refusing further attempts for a while after repeated failures. On a server, a person's own database
login is already proof of who they are (``server_sign_in``).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from trpkit.db.base import utcnow
from trpkit.db.models import AuditEntry, User
from trpkit.domain.vocab import Role
from trpkit.errors import UsageError
from trpkit.services import audit
from trpkit.services.actor import Actor
from trpkit.services.user_passwords import burn_time, hash_password, needs_rehash, verify_password
from trpkit.services.users import LoginFailed, actor_for, any_password, connected_account, needs_password

MAX_FAILED_LOGINS = 5
LOCKOUT = timedelta(minutes=15)


def _recent_failures(session: Session, username: str) -> int:
    since = utcnow() - LOCKOUT
    last_success = (
        session.scalar(
            select(func.max(AuditEntry.id)).where(
                AuditEntry.action == "login.success", AuditEntry.username == username
            )
        )
        or 0
    )
    return (
        session.scalar(
            select(func.count(AuditEntry.id)).where(
                AuditEntry.action == "login.failure",
                AuditEntry.username == username,
                AuditEntry.at >= since,
                AuditEntry.id > last_success,
            )
        )
        or 0
    )


def _record_failure(session: Session, username: str, reason: str) -> None:
    """Log a failed sign-in in its own transaction: the caller's rolls back when we raise."""
    with Session(bind=session.get_bind()) as own:
        audit.record(own, username[:64], "login.failure", None, reason=reason)
        own.commit()


def authenticate(session: Session, username: str, password: str) -> Actor:
    """Check a user name and password and return the signed-in Actor.

    Logs ``login.success`` or ``login.failure`` (with a reason code, never the password). After
    MAX_FAILED_LOGINS failures within LOCKOUT the account refuses further attempts until the
    period has passed (an administrator can set a new password meanwhile with ``set_password``).
    """
    username = (username or "").strip()
    if not username:
        raise UsageError("Type your user name.")
    user = session.scalar(select(User).where(User.username == username))
    if _recent_failures(session, username) >= MAX_FAILED_LOGINS:
        _record_failure(session, username, "locked")
        raise LoginFailed(
            f"Too many failed sign-ins for '{username}'. Wait {int(LOCKOUT.total_seconds() // 60)} minutes, "
            "or ask an administrator to set a new password."
        )
    if user is None or user.password_hash is None:
        burn_time(password)  # do not reveal which names exist
        _record_failure(session, username, "unknown user" if user is None else "no password set")
        raise LoginFailed("Wrong user name or password.")
    if not verify_password(user.password_hash, password):
        _record_failure(session, username, "wrong password")
        raise LoginFailed("Wrong user name or password.")
    if not user.active:
        _record_failure(session, username, "deactivated")
        raise LoginFailed(f"The account '{username}' is deactivated. Ask your administrator.")
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    actor = Actor(user.id, user.username, Role(user.role))
    audit.record(session, actor, "login.success", None, via="password")
    return actor


def resolve_actor(session: Session, username: str | None, ask_password: Callable[[str], str | None]) -> Actor:
    """Who is acting, for the command line: like ``actor_for``, but an account with a password must
    sign in. ``ask_password(username)`` supplies it (TRPKIT_PASSWORD, or a prompt); it is called only
    when the account has one. Returns the Actor; logs the sign-in (``authenticate``)."""
    connected = connected_account(session)
    if connected is not None:  # the server already checked this person's password
        return _connected_actor(connected, username)
    actor = actor_for(session, username)
    if not needs_password(session, actor.username):
        require_password_if_shared(session, actor.username)
        return actor
    password = ask_password(actor.username)
    if password is None:
        raise LoginFailed(
            f"The account '{actor.username}' has a password: set TRPKIT_PASSWORD, or run this "
            "in a terminal to be asked for it."
        )
    return authenticate(session, actor.username, password)


def _connected_actor(user: User, username: str | None) -> Actor:
    if username and username.strip() != user.username:
        raise UsageError(
            f"This connection is {user.username}'s own database login; it cannot act as '{username}'. "
            "Leave out --user, or connect with that person's login."
        )
    if not user.active:
        raise UsageError(f"The account '{user.username}' is deactivated. Ask your administrator.")
    return Actor(user.id, user.username, Role(user.role))


def require_password_if_shared(session: Session, username: str) -> None:
    """A passwordless account may sign in only where no account has a password: otherwise anyone
    could take it by typing its name."""
    if any_password(session):
        raise LoginFailed(
            f"The account '{username}' has no password, and this vault has accounts with passwords: every "
            f"account needs one to sign in. Ask an administrator or supervisor to set yours "
            f"('trpkit user passwd {username}')."
        )


def server_sign_in(session: Session, username: str | None, password: str) -> Actor:
    """Signing in on a server: through the person's own database login (already checked by the server),
    or, on the owner connection, with the account's trpkit password."""
    connected = connected_account(session)
    if connected is not None:
        actor = _connected_actor(connected, username)
        audit.record(session, actor, "login.success", None, via="database login")
        return actor
    if not username:
        raise UsageError("Type your user name.")
    return authenticate(session, username, password)


def sign_in_to_app(
    session: Session, is_vault: bool, secret: str, username: str | None, password: str = ""
) -> Actor:
    """Who is signing in to the TUI. Vault: ``secret`` is the passphrase already used to open it, and
    an account with a password must give it; server: ``secret`` is the person's own password."""
    if is_vault:
        actor = actor_for(session, username)
        if needs_password(session, actor.username):
            if not password:
                raise UsageError(
                    f"The account '{actor.username}' has a password: type it in the password field."
                )
            return authenticate(session, actor.username, password)
        require_password_if_shared(session, actor.username)
        audit.record(session, actor, "login.success", None, via="vault passphrase")
        return actor
    return server_sign_in(session, username, secret)
