"""Users of the app: accounts, roles, passwords, and who is acting.

On a one-person vault the vault passphrase is the login and accounts have no password (``actor_for``).
On a shared vault or a server each person gets an account with a password (``set_password``) and signs
in through ``sign_in``; password hashing and strength are ``user_passwords``.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Connection, func, literal_column, select
from sqlalchemy.orm import Session

from trpkit.db import server_logins
from trpkit.db.models import User
from trpkit.domain.vocab import Role, parse_choice
from trpkit.errors import AccessDenied, NotFound, UsageError
from trpkit.services import audit
from trpkit.services.access import MANAGE_USERS, require_role
from trpkit.services.actor import Actor
from trpkit.services.user_passwords import check_password_strength, hash_password, verify_password


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
        current_password is None or not verify_password(user.password_hash, current_password)
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
