"""Asked before: links between a recommendation and earlier recommendations of the same
organisation (suggested, confirmed or dismissed).

Revision ID: 0015
Revises: 0013
"""

import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "repeat_links",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("recommendation_id", sa.Integer(), nullable=False),
        sa.Column("earlier_recommendation_id", sa.Integer(), nullable=False),
        sa.Column(
            "state",
            sa.Enum("suggested", "confirmed", "dismissed", name="repeatstate", native_enum=False, length=16),
            nullable=False,
        ),
        sa.Column("score", sa.Float(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("decided_by_id", sa.Integer(), nullable=True),
        sa.Column("decided_at", sa.DateTime(), nullable=True),
        sa.CheckConstraint("recommendation_id <> earlier_recommendation_id", name=op.f("ck_repeat_links_not_itself")),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisations.id"],
            name=op.f("fk_repeat_links_organisation_id_organisations"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["recommendation_id"],
            ["recommendations.id"],
            name=op.f("fk_repeat_links_recommendation_id_recommendations"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["earlier_recommendation_id"],
            ["recommendations.id"],
            name=op.f("fk_repeat_links_earlier_recommendation_id_recommendations"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["decided_by_id"], ["users.id"], name=op.f("fk_repeat_links_decided_by_id_users"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_repeat_links")),
        sa.UniqueConstraint(
            "recommendation_id", "earlier_recommendation_id", name=op.f("uq_repeat_links_recommendation_id")
        ),
    )
    op.create_index(op.f("ix_repeat_links_organisation_id"), "repeat_links", ["organisation_id"])
    op.create_index(op.f("ix_repeat_links_recommendation_id"), "repeat_links", ["recommendation_id"])
    op.create_index(op.f("ix_repeat_links_earlier_recommendation_id"), "repeat_links", ["earlier_recommendation_id"])


def downgrade():
    op.drop_index(op.f("ix_repeat_links_earlier_recommendation_id"), table_name="repeat_links")
    op.drop_index(op.f("ix_repeat_links_recommendation_id"), table_name="repeat_links")
    op.drop_index(op.f("ix_repeat_links_organisation_id"), table_name="repeat_links")
    op.drop_table("repeat_links")
