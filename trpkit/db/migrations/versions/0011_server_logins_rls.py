"""one login per person, row-level security, audit head

- users.db_login: the person's own PostgreSQL login (NULL in a vault, and for accounts made before).
- audit_head: one row holding the newest audit entry's id and hash and the number of entries, filled
  from the existing log. On PostgreSQL a trigger with the owner's rights keeps it; the app's logins may
  only read it, so removing entries from the end of the log shows in `trpkit audit verify`.
- PostgreSQL only: row-level security on every case table, helper functions mapping the connected login
  to its account, triggers that make the audit log insert-only for everyone (trpkit.db.rls), and the
  shared `trpkit_app` login loses every privilege on this schema (drop it afterwards, see
  docs/server-setup.md).

Downgrading removes the policies, triggers, audit_head and users.db_login; the people's logins stay on
the server (drop them by hand) but can no longer be mapped to accounts.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-02 05:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None

LEGACY_APP_LOGIN = "trpkit_app"


def upgrade() -> None:
    # A plain ADD COLUMN and a unique index: no table rebuild, which SQLite's foreign keys would refuse.
    op.add_column("users", sa.Column("db_login", sa.String(length=63), nullable=True))
    op.create_index(op.f("ix_users_db_login"), "users", ["db_login"], unique=True)
    op.create_table(
        "audit_head",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("entry_id", sa.Integer(), nullable=False),
        sa.Column("entry_hash", sa.String(length=64), nullable=False),
        sa.Column("entries", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_head")),
    )
    op.execute(
        "INSERT INTO audit_head (id, entry_id, entry_hash, entries)"
        " SELECT 1, last.id, last.entry_hash, (SELECT count(*) FROM audit_log)"
        " FROM audit_log AS last WHERE last.id = (SELECT max(id) FROM audit_log)"
    )
    bind = op.get_bind()
    if bind.dialect.name != "postgresql":
        return
    from trpkit.db import rls

    rls.apply(bind)
    _retire_shared_login(bind)


def _retire_shared_login(bind: sa.Connection) -> None:
    """Take back what the old setup granted the shared login (only grants this owner made)."""
    exists = bind.execute(
        sa.text("SELECT 1 FROM pg_roles WHERE rolname = :n"), {"n": LEGACY_APP_LOGIN}
    ).scalar()
    if not exists:
        return
    op.execute(f"REVOKE ALL ON ALL TABLES IN SCHEMA {_schema(bind)} FROM {LEGACY_APP_LOGIN}")
    op.execute(f"REVOKE ALL ON ALL SEQUENCES IN SCHEMA {_schema(bind)} FROM {LEGACY_APP_LOGIN}")
    op.execute(
        f"ALTER DEFAULT PRIVILEGES IN SCHEMA {_schema(bind)} REVOKE ALL ON TABLES FROM {LEGACY_APP_LOGIN}"
    )
    op.execute(
        f"ALTER DEFAULT PRIVILEGES IN SCHEMA {_schema(bind)} REVOKE ALL ON SEQUENCES FROM {LEGACY_APP_LOGIN}"
    )


def _schema(bind: sa.Connection) -> str:
    name = str(bind.execute(sa.text("SELECT current_schema()")).scalar())
    return '"' + name.replace('"', '""') + '"'


def downgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "postgresql":
        from trpkit.db import rls

        rls.remove(bind)
    op.drop_table("audit_head")
    op.drop_index(op.f("ix_users_db_login"), table_name="users")
    op.drop_column("users", "db_login")
