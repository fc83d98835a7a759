"""Claims: which reminders, and which person's day, an outbox row has taken care of.

Revision ID: 0009
Revises: 0006
"""
from alembic import op
import sqlalchemy as sa


revision = "0009"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "notification_claims",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=400), nullable=False),
        sa.Column("notification_key", sa.String(length=400), nullable=False),
        sa.Column("action_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["action_id"], ["actions.id"],
                                name=op.f("fk_notification_claims_action_id_actions"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_notification_claims")),
        sa.UniqueConstraint("key", name=op.f("uq_notification_claims_key")),
    )
    op.create_index(op.f("ix_notification_claims_notification_key"), "notification_claims", ["notification_key"])
    op.create_index(op.f("ix_notification_claims_action_id"), "notification_claims", ["action_id"])


def downgrade():
    op.drop_index(op.f("ix_notification_claims_action_id"), table_name="notification_claims")
    op.drop_index(op.f("ix_notification_claims_notification_key"), table_name="notification_claims")
    op.drop_table("notification_claims")
