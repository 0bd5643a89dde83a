"""coalition package sequence numbers

New columns:
- coalition_settings.export_sequence: the number of this agency's last written package (0 before any);
  each export signs the next number into its manifest.
- coalition_imports.sequence: the package number of each imported package (NULL for packages made before
  numbering), so an older or equal number from the same agency is refused instead of rolling data back.

Downgrading drops both columns: the vault forgets how many packages it wrote (a later upgrade starts again
at 1, and the coalition would refuse those packages as older until the count passes the last one it holds),
and the store forgets which numbers it imported (an old package could again override newer data).

Revision ID: 0008
Revises: 0004
Create Date: 2026-12-02 05:30:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("coalition_settings", schema=None) as batch_op:
        batch_op.add_column(sa.Column("export_sequence", sa.Integer(), server_default="0", nullable=False))
    with op.batch_alter_table("coalition_imports", schema=None) as batch_op:
        batch_op.add_column(sa.Column("sequence", sa.Integer(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("coalition_imports", schema=None) as batch_op:
        batch_op.drop_column("sequence")
    with op.batch_alter_table("coalition_settings", schema=None) as batch_op:
        batch_op.drop_column("export_sequence")
