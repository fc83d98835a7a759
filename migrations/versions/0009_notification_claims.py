"""Claims: which reminders, and which person's day, an outbox row has taken care of;
withdrawn imports; earlier wordings of recommendations.

Revision ID: 0009
Revises: 0006
"""

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
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
        sa.ForeignKeyConstraint(
            ["action_id"], ["actions.id"], name=op.f("fk_notification_claims_action_id_actions"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_notification_claims")),
        sa.UniqueConstraint("key", name=op.f("uq_notification_claims_key")),
    )
    op.create_index(op.f("ix_notification_claims_notification_key"), "notification_claims", ["notification_key"])
    op.create_index(op.f("ix_notification_claims_action_id"), "notification_claims", ["action_id"])
    with op.batch_alter_table("reports") as batch:
        batch.add_column(sa.Column("withdrawn_at", sa.DateTime(), nullable=True))
        batch.add_column(sa.Column("withdrawn_reason", sa.Text(), nullable=True))
        batch.add_column(sa.Column("withdrawn_by_id", sa.Integer(), nullable=True))
        batch.create_index(batch.f("ix_reports_withdrawn_at"), ["withdrawn_at"])
        batch.create_foreign_key(
            batch.f("fk_reports_withdrawn_by_id_users"), "users", ["withdrawn_by_id"], ["id"], ondelete="SET NULL"
        )
    op.create_table(
        "recommendation_revisions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("recommendation_id", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("replaced_at", sa.DateTime(), nullable=False),
        sa.Column("replaced_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["recommendation_id"],
            ["recommendations.id"],
            name=op.f("fk_recommendation_revisions_recommendation_id_recommendations"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["replaced_by_id"],
            ["users.id"],
            name=op.f("fk_recommendation_revisions_replaced_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_recommendation_revisions")),
    )
    op.create_index(
        op.f("ix_recommendation_revisions_recommendation_id"), "recommendation_revisions", ["recommendation_id"]
    )


def downgrade():
    op.drop_index(op.f("ix_recommendation_revisions_recommendation_id"), table_name="recommendation_revisions")
    op.drop_table("recommendation_revisions")
    with op.batch_alter_table("reports") as batch:
        batch.drop_constraint(batch.f("fk_reports_withdrawn_by_id_users"), type_="foreignkey")
        batch.drop_index(batch.f("ix_reports_withdrawn_at"))
        batch.drop_column("withdrawn_by_id")
        batch.drop_column("withdrawn_reason")
        batch.drop_column("withdrawn_at")
    op.drop_index(op.f("ix_notification_claims_action_id"), table_name="notification_claims")
    op.drop_index(op.f("ix_notification_claims_notification_key"), table_name="notification_claims")
    op.drop_table("notification_claims")
