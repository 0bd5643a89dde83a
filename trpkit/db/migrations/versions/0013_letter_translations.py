"""letter translations, health coverage and letter language in the submission notes

New table:
- letter_translations: per case, a piece of case content (an event, a summary, a note, an exhibit
  title) written in a letter's language by the accompanier, with the translator and the SHA-256 of
  the original it translates.
New column:
- submission_notes.health_coverage: whether the person has health coverage other than IFHP
  (none | other | unknown; existing rows become "unknown", so no letter states a fact the file
  does not hold).
- submission_notes.letter_language: the language of the case's letters, remembered between drafts
  (existing rows become "en", the previous default).

Downgrading drops the table (every translation written is lost: export the French letters first)
and the two columns (the answers recorded are lost).

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-02 05:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import trpkit.db.base

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "letter_translations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("piece", sa.String(length=64), nullable=False),
        sa.Column("language", sa.String(length=2), nullable=False),
        sa.Column("source_sha256", sa.String(length=64), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("translator", sa.String(length=200), nullable=False),
        sa.Column("updated_by_id", sa.Integer(), nullable=True),
        sa.Column(
            "created_at",
            trpkit.db.base.UTCDateTime(timezone=True),
            server_default=sa.text("(CURRENT_TIMESTAMP)"),
            nullable=False,
        ),
        sa.Column(
            "updated_at",
            trpkit.db.base.UTCDateTime(timezone=True),
            server_default=sa.text("(CURRENT_TIMESTAMP)"),
            nullable=False,
        ),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"], ["cases.id"], name=op.f("fk_letter_translations_case_id_cases"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["updated_by_id"], ["users.id"], name=op.f("fk_letter_translations_updated_by_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_letter_translations")),
        sa.UniqueConstraint(
            "case_id", "piece", "language", name=op.f("uq_letter_translations_case_id_piece_language")
        ),
    )
    with op.batch_alter_table("letter_translations", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_letter_translations_case_id"), ["case_id"], unique=False)
    with op.batch_alter_table("submission_notes", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("health_coverage", sa.String(length=8), server_default="unknown", nullable=False)
        )
        batch_op.add_column(
            sa.Column("letter_language", sa.String(length=2), server_default="en", nullable=False)
        )


def downgrade() -> None:
    with op.batch_alter_table("submission_notes", schema=None) as batch_op:
        batch_op.drop_column("letter_language")
        batch_op.drop_column("health_coverage")
    with op.batch_alter_table("letter_translations", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_letter_translations_case_id"))
    op.drop_table("letter_translations")
