"""The database file store: kept files' bytes, shared by every web server (FILE_STORE=database).

Revision ID: 0007
Revises: 0006
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "file_contents",
        sa.Column("path", sa.String(length=200), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("size_bytes", sa.Integer(), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("path", name=op.f("pk_file_contents")),
    )
    op.create_index(op.f("ix_file_contents_created_at"), "file_contents", ["created_at"], unique=False)


def downgrade():
    op.drop_index(op.f("ix_file_contents_created_at"), table_name="file_contents")
    op.drop_table("file_contents")
