"""removed items (restorable from history), form drafts

New tables:
- form_drafts: per person, case and form, the changes typed and not saved when the app locked, offered
  back on unlocking (the Person tab's fields).
- removed_items: per case, something removed from the case file (a narrative meeting with the entries it
  held, their revisions and their links to the timeline, evidence and indicators), kept whole so it can
  be restored; with who removed it and when, and who restored it and when.

Downgrading drops both tables: everything removed and not yet restored is then gone for good (restore
what should come back first), and so are unsaved form changes kept at a lock.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-02 05:40:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import trpkit.db.base

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "removed_items",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("label", sa.String(length=300), nullable=False),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.Column("removed_by_id", sa.Integer(), nullable=True),
        sa.Column("removed_at", trpkit.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("restored_at", trpkit.db.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column("restored_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["case_id"], ["cases.id"], name=op.f("fk_removed_items_case_id_cases"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["removed_by_id"], ["users.id"], name=op.f("fk_removed_items_removed_by_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["restored_by_id"], ["users.id"], name=op.f("fk_removed_items_restored_by_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_removed_items")),
    )
    with op.batch_alter_table("removed_items", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_removed_items_case_id"), ["case_id"], unique=False)

    op.create_table(
        "form_drafts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("form", sa.String(length=32), nullable=False),
        sa.Column("values", sa.JSON(), nullable=False),
        sa.Column("saved_at", trpkit.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"], ["cases.id"], name=op.f("fk_form_drafts_case_id_cases"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_form_drafts_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_form_drafts")),
        sa.UniqueConstraint("user_id", "case_id", "form", name=op.f("uq_form_drafts_user_id_case_id_form")),
    )
    with op.batch_alter_table("form_drafts", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_form_drafts_case_id"), ["case_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("form_drafts", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_form_drafts_case_id"))
    op.drop_table("form_drafts")
    with op.batch_alter_table("removed_items", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_removed_items_case_id"))
    op.drop_table("removed_items")
