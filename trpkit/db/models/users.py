"""People who use trpkit (accompaniers, supervisors, analysts, administrators)."""

from __future__ import annotations

from sqlalchemy import Boolean, String
from sqlalchemy.orm import Mapped, mapped_column

from trpkit.db.base import Base, TimestampMixin


class User(TimestampMixin, Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    display_name: Mapped[str] = mapped_column(String(200), default="")
    role: Mapped[str] = mapped_column(String(16), default="accompanier")
    # Argon2id hash; None on a single-person vault where the vault passphrase is the login.
    password_hash: Mapped[str | None] = mapped_column(String(200), default=None)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    # On a PostgreSQL server: this person's own database login (see trpkit.db.server_logins); row-level
    # security maps the connected login back to this account. Always None in a vault.
    db_login: Mapped[str | None] = mapped_column(String(63), unique=True, index=True, default=None)
