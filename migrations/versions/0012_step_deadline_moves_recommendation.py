"""A step's request for more time may also ask for its recommendation's deadline to move.

Revision ID: 0012
Revises: 0010
"""

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("deadline_changes") as batch:
        batch.add_column(sa.Column("moves_recommendation", sa.Boolean(), nullable=False, server_default=sa.false()))


def downgrade():
    with op.batch_alter_table("deadline_changes") as batch:
        batch.drop_column("moves_recommendation")
