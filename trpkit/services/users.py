"""Users of the app: accounts, roles, Argon2id passwords, signing in, and resolving who is acting.

On a one-person vault the vault passphrase is the login and accounts have no password. On a shared
vault or a server each person gets an account with a password (``set_password``); signing in goes
through ``authenticate``, which logs every success and failure (never the password) and slows down
guessing by refusing further attempts for a while after repeated failures.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import Connection, func, literal_column, select
from sqlalchemy.orm import Session

from trpkit.db import server_logins
from trpkit.db.base import utcnow
from trpkit.db.models import AuditEntry, User
from trpkit.domain.vocab import Role, parse_choice
from trpkit.errors import AccessDenied, NotFound, UsageError
from trpkit.services import audit
from trpkit.services.access import MANAGE_USERS, require_role
from trpkit.services.actor import Actor

MAX_FAILED_LOGINS = 5
LOCKOUT = timedelta(minutes=15)
MIN_PASSWORD_LENGTH = 12


class LoginFailed(AccessDenied):
    """Wrong user name or password (deliberately the same message for both), or too many attempts."""


@dataclass(frozen=True)
class UserRow:
    id: int
    username: str
    display_name: str
    role: str
    active: bool
    has_password: bool
    db_login: str | None = None  # the person's own login on a PostgreSQL server


def _row(user: User) -> UserRow:
    return UserRow(
        user.id,
        user.username,
        user.display_name,
        user.role,
        user.active,
        user.password_hash is not None,
        user.db_login,
    )


def _hasher():  # type: ignore[no-untyped-def]
    from argon2 import PasswordHasher

    return PasswordHasher()  # Argon2id, RFC 9106 low-memory profile (t=3, m=64 MiB, p=4)


def hash_password(password: str) -> str:
    """An Argon2id hash (salt and parameters included) for storing in ``users.password_hash``."""
    return str(_hasher().hash(password))


def check_password_strength(password: str, username: str = "") -> None:
    from trpkit.domain.passphrase import assess_passphrase

    report = assess_passphrase(password, (username,) if username else ())
    if not report.acceptable:
        raise UsageError("Password too weak: " + "; ".join(report.problems) + ".")


def _clean_username(username: str) -> str:
    username = username.strip()
    if not username or len(username) > 64 or any(ch.isspace() or not ch.isprintable() for ch in username):
        raise UsageError("A username needs 1-64 printable characters and no spaces.")
    return username


def create_user(
    session: Session,
    username: str,
    role: str | Role = Role.ACCOMPANIER,
    display_name: str = "",
    password_hash: str | None = None,
) -> UserRow:
    """Create an account without a permission check: only for setting up a new vault or server
    (``trpkit init``, the demo, tests). People add colleagues through ``add_user``."""
    username = _clean_username(username)
    if session.scalar(select(User).where(User.username == username)):
        raise UsageError(f"A user named '{username}' already exists.")
    try:
        role_value = parse_choice(Role, str(role), "role").value
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    user = User(
        username=username, display_name=display_name or username, role=role_value, password_hash=password_hash
    )
    session.add(user)
    session.flush()
    return _row(user)


def add_user(
    session: Session,
    actor: Actor,
    username: str,
    role: str | Role = Role.ACCOMPANIER,
    display_name: str = "",
    password: str | None = None,
) -> UserRow:
    """An administrator or supervisor adds a colleague. Only an administrator can create administrators."""
    require_role(actor, MANAGE_USERS, "add users")
    server = _server(session)
    owner = server is not None and server_logins.can_manage_logins(server)  # the administrator's connection
    if str(role).strip().lower() == Role.ADMIN.value and actor.role is not Role.ADMIN and not owner:
        raise AccessDenied("Only an administrator can create another administrator account.")
    username = _clean_username(username)
    if server is not None:
        if password is None:
            raise UsageError(
                "On a server every account needs a password (--password): it is also the person's own "
                "database login."
            )
        server_logins.require_login_manager(server, "add people")
    password_hash = None
    if password is not None:
        check_password_strength(password, username)
        password_hash = hash_password(password)
    row = create_user(session, username, role=role, display_name=display_name, password_hash=password_hash)
    if server is not None and password is not None:
        user = _get(session, row.username)
        user.db_login = _new_login(server, user, password)
        session.flush()
    audit.record(session, actor, "user.add", None, user=row.username, role=row.role)
    return _row(_get(session, row.username))


def _server(session: Session) -> Connection | None:
    """The session's connection when it is to PostgreSQL (where each person has a login), else None."""
    if session.get_bind().dialect.name != "postgresql":
        return None
    return session.connection()


def _new_login(conn: Connection, user: User, password: str) -> str:
    from trpkit.db import models
    from trpkit.db.base import Base

    assert models  # the models fill Base.metadata
    return server_logins.create_login(conn, Base.metadata, user.username, user.role, password)


def require_own_password_first(session: Session, actor: Actor) -> None:
    """Before the first password goes on: once one account has a password, every account needs one
    to sign in, so the person adding it must not lock themselves out."""
    if not needs_password(session, actor.username):
        raise UsageError(
            f"Give your own account a password first ('trpkit --user {actor.username} user passwd'): once "
            "one account has a password, every account needs one to sign in."
        )


def any_password(session: Session) -> bool:
    """Whether this vault or server is shared (some account has a password)."""
    return session.scalar(select(User.id).where(User.password_hash.is_not(None)).limit(1)) is not None


def connected_account(session: Session) -> User | None:
    """On a server: the account whose own database login this connection uses (None for the owner)."""
    if session.get_bind().dialect.name != "postgresql":
        return None
    return session.scalar(select(User).where(User.db_login == literal_column("session_user")))


def list_users(session: Session, actor: Actor) -> list[UserRow]:
    """Every account (names and roles only: any signed-in person may see who their colleagues are)."""
    return [_row(u) for u in session.scalars(select(User).order_by(User.username))]


def count_users(session: Session) -> int:
    return session.scalar(select(func.count(User.id))) or 0


def _get(session: Session, username: str) -> User:
    user = session.scalar(select(User).where(User.username == username.strip()))
    if user is None:
        raise NotFound(f"No user named '{username}'. See 'trpkit user list'.")
    return user


def set_password(
    session: Session, actor: Actor, username: str, new_password: str, current_password: str | None = None
) -> UserRow:
    """Change your own password (give the current one if you have one), or, as an administrator or
    supervisor, set a colleague's (for example after they forgot it)."""
    user = _get(session, username)
    own = user.id == actor.user_id
    if not own:
        require_role(actor, MANAGE_USERS, "set another person's password")
        server = _server(session)
        owner = server is not None and server_logins.can_manage_logins(server)
        if user.role == Role.ADMIN.value and actor.role is not Role.ADMIN and not owner:
            raise AccessDenied("Only an administrator can set an administrator's password.")
    elif user.password_hash is not None and (
        current_password is None or not _verify(user.password_hash, current_password)
    ):
        audit.record(session, actor, "user.password_failed", None, user=user.username)
        raise LoginFailed("The current password is wrong; the password was not changed.")
    check_password_strength(new_password, user.username)
    user.password_hash = hash_password(new_password)
    server = _server(session)
    if server is not None:
        if user.db_login is not None:
            server_logins.set_login_password(server, user.db_login, new_password)
        elif server_logins.can_manage_logins(server):
            user.db_login = _new_login(server, user, new_password)  # accounts made before per-person logins
    session.flush()
    audit.record(session, actor, "user.password", None, user=user.username, by_self=own)
    return _row(user)


def deactivate_user(session: Session, actor: Actor, username: str) -> UserRow:
    """Close an account (it stays in the audit log and in case history, but can no longer sign in)."""
    require_role(actor, MANAGE_USERS, "deactivate accounts")
    user = _get(session, username)
    if user.id == actor.user_id:
        raise UsageError("You cannot deactivate your own account; ask another administrator or supervisor.")
    if user.role == Role.ADMIN.value and actor.role is not Role.ADMIN:
        raise AccessDenied("Only an administrator can deactivate an administrator account.")
    server = _server(session)
    if server is not None and user.db_login is not None:
        server_logins.disable_login(server, user.db_login)  # NOLOGIN: the server refuses them at once
    user.active = False
    session.flush()
    audit.record(session, actor, "user.deactivate", None, user=user.username)
    return _row(user)


def needs_password(session: Session, username: str | None) -> bool:
    """Whether signing in as ``username`` must go through ``authenticate`` (the account has a password)."""
    if not username:
        return False
    user = session.scalar(select(User).where(User.username == username.strip()))
    return user is not None and user.password_hash is not None


def _verify(password_hash: str, password: str) -> bool:
    from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

    try:
        return bool(_hasher().verify(password_hash, password))
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


_dummy_hash: list[str] = []


def _burn_time(password: str) -> None:
    """Verify against a throwaway hash, so an unknown name fails as slowly as a wrong password."""
    if not _dummy_hash:
        _dummy_hash.append(hash_password("not anyone's password"))
    _verify(_dummy_hash[0], password)


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
        _burn_time(password)  # do not reveal which names exist
        _record_failure(session, username, "unknown user" if user is None else "no password set")
        raise LoginFailed("Wrong user name or password.")
    if not _verify(user.password_hash, password):
        _record_failure(session, username, "wrong password")
        raise LoginFailed("Wrong user name or password.")
    if not user.active:
        _record_failure(session, username, "deactivated")
        raise LoginFailed(f"The account '{username}' is deactivated. Ask your administrator.")
    if _hasher().check_needs_rehash(user.password_hash):
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


def actor_for(session: Session, username: str | None) -> Actor:
    """The acting user: by name, or the only user of a single-person vault.

    This trusts the name (the vault passphrase or the database login already proved access). Where
    accounts have passwords, sign in with ``authenticate`` instead (see ``needs_password``).
    """
    if username:
        user = session.scalar(select(User).where(User.username == username))
        if user is None:
            raise NotFound(f"No user named '{username}' in this database. See 'trpkit user list'.")
    else:
        users = list(session.scalars(select(User).where(User.active.is_(True)).limit(2)))
        if not users:
            raise NotFound("This database has no users yet. Run 'trpkit init' first.")
        if len(users) > 1:
            raise UsageError(
                "Several people use this database: say who you are with --user NAME (or TRPKIT_USER)."
            )
        user = users[0]
    if not user.active:
        raise UsageError(f"The account '{user.username}' is deactivated. Ask your administrator.")
    return Actor(user.id, user.username, Role(user.role))


def sign_in(session: Session, is_vault: bool, secret: str, username: str | None, password: str = "") -> Actor:
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
