"""Users of the app and resolving who is acting."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from trpkit.db.models import User
from trpkit.domain.vocab import Role, parse_choice
from trpkit.errors import NotFound, UsageError
from trpkit.services.actor import Actor


@dataclass(frozen=True)
class UserRow:
    id: int
    username: str
    display_name: str
    role: str
    active: bool
    has_password: bool


def _row(user: User) -> UserRow:
    return UserRow(user.id, user.username, user.display_name, user.role, user.active, user.password_hash is not None)


def create_user(session: Session, username: str, role: str | Role = Role.ACCOMPANIER, display_name: str = "",
                password_hash: str | None = None) -> UserRow:
    username = username.strip()
    if not username or len(username) > 64 or any(ch.isspace() for ch in username):
        raise UsageError("A username needs 1-64 characters and no spaces.")
    if session.scalar(select(User).where(User.username == username)):
        raise UsageError(f"A user named '{username}' already exists.")
    user = User(username=username, display_name=display_name or username,
                role=parse_choice(Role, str(role), "role").value, password_hash=password_hash)
    session.add(user)
    session.flush()
    return _row(user)


def list_users(session: Session) -> list[UserRow]:
    return [_row(u) for u in session.scalars(select(User).order_by(User.username))]


def count_users(session: Session) -> int:
    return session.scalar(select(func.count(User.id))) or 0


def actor_for(session: Session, username: str | None) -> Actor:
    """The acting user: by name, or the only user of a single-person vault."""
    if username:
        user = session.scalar(select(User).where(User.username == username))
        if user is None:
            raise NotFound(f"No user named '{username}' in this database. See 'trpkit user list'.")
    else:
        users = list(session.scalars(select(User).where(User.active.is_(True)).limit(2)))
        if not users:
            raise NotFound("This database has no users yet. Run 'trpkit init' first.")
        if len(users) > 1:
            raise UsageError("Several people use this database: say who you are with --user NAME (or TRPKIT_USER).")
        user = users[0]
    if not user.active:
        raise UsageError(f"The account '{user.username}' is deactivated. Ask your administrator.")
    return Actor(user.id, user.username, Role(user.role))
