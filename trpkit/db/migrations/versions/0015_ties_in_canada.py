"""the person's ties in Canada in the submission notes

New columns (text, empty for existing rows, so no letter states a tie the file does not hold):
- submission_notes.ties_work, ties_studies, ties_community, ties_family, ties_treatment: what the
  accompanier records of the person's work, studies, community, family and treatment in Canada, which
  the subsequent letter argues among the factors for a longer-term permit.

Downgrading drops the five columns (what was written in them is lost: export the letters first).

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-02 14:45:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None

TIES = ("ties_work", "ties_studies", "ties_community", "ties_family", "ties_treatment")


def upgrade() -> None:
    with op.batch_alter_table("submission_notes") as batch:
        for name in TIES:
            batch.add_column(sa.Column(name, sa.Text(), nullable=False, server_default=""))


def downgrade() -> None:
    with op.batch_alter_table("submission_notes") as batch:
        for name in reversed(TIES):
            batch.drop_column(name)
