"""Merge the reminders (0003) and board (0004) branches, which both grew from 0002.

Revision ID: 0005
Revises: 0003, 0004
"""

revision = "0005"
down_revision = ("0003", "0004")
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
