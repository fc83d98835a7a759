"""People and access: API token expiry, and the email domains each organisation accepts for
single sign-on.

Revision ID: 0008
Revises: 0006
"""

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("api_tokens", schema=None) as batch_op:
        batch_op.add_column(sa.Column("expires_at", sa.DateTime(), nullable=True))
    with op.batch_alter_table("organisations", schema=None) as batch_op:
        batch_op.add_column(sa.Column("sso_email_domains", sa.String(length=500), nullable=True))
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.add_column(sa.Column("sso_subject", sa.String(length=400), nullable=True))
        batch_op.create_unique_constraint(batch_op.f("uq_users_sso_subject"), ["sso_subject"])


def downgrade():
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("uq_users_sso_subject"), type_="unique")
        batch_op.drop_column("sso_subject")
    with op.batch_alter_table("organisations", schema=None) as batch_op:
        batch_op.drop_column("sso_email_domains")
    with op.batch_alter_table("api_tokens", schema=None) as batch_op:
        batch_op.drop_column("expires_at")
