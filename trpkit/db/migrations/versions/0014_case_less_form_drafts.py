"""form drafts that belong to no case yet (the new-case form's typing kept when the app locks)

Changed column:
- form_drafts.case_id becomes nullable: a draft with no case is the new-case form's typing, kept when
  the vault locks and offered back when the same person opens the new-case form again.
New index:
- uq_form_drafts_user_id_form_no_case: one case-less draft per person and form (the table's unique
  constraint over user_id, case_id, form does not hold where case_id is NULL).

On PostgreSQL the row-level security policy of form_drafts (re-applied after every upgrade by
trpkit.db.rls.apply) shows a case-less draft to the person who wrote it and to no one else.

Downgrading deletes the case-less drafts (typing kept from unfinished new-case forms is lost) and makes
the column NOT NULL again.

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-02 14:40:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None

_INDEX = "uq_form_drafts_user_id_form_no_case"


def upgrade() -> None:
    with op.batch_alter_table("form_drafts", schema=None) as batch_op:
        batch_op.alter_column("case_id", existing_type=sa.Integer(), nullable=True)
    op.create_index(
        _INDEX,
        "form_drafts",
        ["user_id", "form"],
        unique=True,
        sqlite_where=sa.text("case_id IS NULL"),
        postgresql_where=sa.text("case_id IS NULL"),
    )


def downgrade() -> None:
    op.drop_index(_INDEX, table_name="form_drafts")
    op.execute("DELETE FROM form_drafts WHERE case_id IS NULL")
    with op.batch_alter_table("form_drafts", schema=None) as batch_op:
        batch_op.alter_column("case_id", existing_type=sa.Integer(), nullable=False)
