"""an index on cases.created_by_id

Who created a case decides who may open it: the case list filters on it, and on a PostgreSQL server
the row-level security policy (trpkit.db.rls) collects a person's own cases through it in every
query. Without the index each of those lookups reads the whole cases table.

No data changes; downgrading drops the index.

Revision ID: 0017
Revises: 0015
Create Date: 2026-12-02 15:00:00
"""

from __future__ import annotations

from alembic import op

revision = "0017"
down_revision = "0015"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("cases", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_cases_created_by_id"), ["created_by_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("cases", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_cases_created_by_id"))
