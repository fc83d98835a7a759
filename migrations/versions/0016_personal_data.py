"""Personal data: redacted updates, removed evidence files, forgotten people, and each
organisation's own privacy notice.

Revision ID: 0016
Revises: 0015
"""

import sqlalchemy as sa
from alembic import op

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("updates") as batch:
        batch.add_column(sa.Column("redacted_at", sa.DateTime(), nullable=True))
        batch.add_column(sa.Column("redacted_by_id", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("redacted_reason", sa.Text(), nullable=True))
        batch.create_foreign_key(
            batch.f("fk_updates_redacted_by_id_users"), "users", ["redacted_by_id"], ["id"], ondelete="SET NULL"
        )
    with op.batch_alter_table("evidence") as batch:
        batch.add_column(sa.Column("removed_at", sa.DateTime(), nullable=True))
        batch.add_column(sa.Column("removed_by_id", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("removed_reason", sa.Text(), nullable=True))
        batch.create_foreign_key(
            batch.f("fk_evidence_removed_by_id_users"), "users", ["removed_by_id"], ["id"], ondelete="SET NULL"
        )
    with op.batch_alter_table("organisations") as batch:
        batch.add_column(sa.Column("privacy_notice", sa.Text(), nullable=True))
    with op.batch_alter_table("users") as batch:
        batch.add_column(sa.Column("forgotten_at", sa.DateTime(), nullable=True))


def downgrade():
    with op.batch_alter_table("users") as batch:
        batch.drop_column("forgotten_at")
    with op.batch_alter_table("organisations") as batch:
        batch.drop_column("privacy_notice")
    with op.batch_alter_table("evidence") as batch:
        batch.drop_constraint(batch.f("fk_evidence_removed_by_id_users"), type_="foreignkey")
        batch.drop_column("removed_reason")
        batch.drop_column("removed_by_id")
        batch.drop_column("removed_at")
    with op.batch_alter_table("updates") as batch:
        batch.drop_constraint(batch.f("fk_updates_redacted_by_id_users"), type_="foreignkey")
        batch.drop_column("redacted_reason")
        batch.drop_column("redacted_by_id")
        batch.drop_column("redacted_at")
