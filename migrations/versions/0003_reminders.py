"""reminders: reminder policies, notification preferences, scheduler runs, outbox columns

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23 03:56:07.721345

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "scheduler_runs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("job_id", sa.String(length=64), nullable=False),
        sa.Column("last_started_at", sa.DateTime(), nullable=True),
        sa.Column("last_succeeded_at", sa.DateTime(), nullable=True),
        sa.Column("last_outcome", sa.Text(), nullable=True),
        sa.Column("last_failed_at", sa.DateTime(), nullable=True),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("last_run_by", sa.String(length=200), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_scheduler_runs")),
        sa.UniqueConstraint("job_id", name=op.f("uq_scheduler_runs_job_id")),
    )
    op.create_table(
        "notification_preferences",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column(
            "frequency",
            sa.Enum("each", "weekly_digest", name="reminderfrequency", native_enum=False, length=16),
            nullable=False,
        ),
        sa.Column("digest_weekday", sa.Integer(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_notification_preferences_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_notification_preferences")),
        sa.UniqueConstraint("user_id", name=op.f("uq_notification_preferences_user_id")),
    )
    op.create_table(
        "reminder_policies",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("days_before", sa.JSON(), nullable=False),
        sa.Column("remind_on_due_day", sa.Boolean(), nullable=False),
        sa.Column("overdue_every_days", sa.Integer(), nullable=False),
        sa.Column("escalate_after_days_overdue", sa.Integer(), nullable=False),
        sa.Column("nudge_after_days_without_update", sa.Integer(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisations.id"],
            name=op.f("fk_reminder_policies_organisation_id_organisations"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reminder_policies")),
        sa.UniqueConstraint("organisation_id", name=op.f("uq_reminder_policies_organisation_id")),
    )
    # The new outbox columns are nullable, so existing rows need no default. The new status
    # "cancelled" needs no change: the status column is a plain VARCHAR(16) with no CHECK.
    with op.batch_alter_table("notifications", schema=None) as batch_op:
        batch_op.add_column(sa.Column("last_attempt_at", sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column("provider_reference", sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column("resend_requested_at", sa.DateTime(), nullable=True))


def downgrade():
    with op.batch_alter_table("notifications", schema=None) as batch_op:
        batch_op.drop_column("resend_requested_at")
        batch_op.drop_column("provider_reference")
        batch_op.drop_column("last_attempt_at")

    op.drop_table("reminder_policies")
    op.drop_table("notification_preferences")
    op.drop_table("scheduler_runs")
