"""Plan import: an imported update says where it came from (file and row, the sheet's own lead
or author); steps carry their number (1a, 1b), filled in for the steps already saved.

Revision ID: 0013
Revises: 0012
"""

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def _letters(position: int) -> str:
    """a, b, ... z, then aa, ab: the same rule as tracker.models.action.step_letters."""
    letters = ""
    position += 1
    while position:
        position, remainder = divmod(position - 1, 26)
        letters = chr(ord("a") + remainder) + letters
    return letters


def upgrade():
    with op.batch_alter_table("updates", schema=None) as batch_op:
        batch_op.add_column(sa.Column("imported_from", sa.String(length=400), nullable=True))
        batch_op.add_column(sa.Column("imported_author", sa.String(length=200), nullable=True))
    with op.batch_alter_table("actions", schema=None) as batch_op:
        batch_op.add_column(sa.Column("step_number", sa.String(length=40), nullable=True))
    connection = op.get_bind()
    rows = connection.execute(
        sa.text(
            "SELECT actions.id, actions.recommendation_id, recommendations.number FROM actions "
            "JOIN recommendations ON recommendations.id = actions.recommendation_id "
            "WHERE actions.title IS NOT NULL ORDER BY actions.recommendation_id, actions.id"
        )
    ).all()
    seen: dict[int, int] = {}
    for action_id, recommendation_id, number in rows:
        position = seen.get(recommendation_id, 0)
        seen[recommendation_id] = position + 1
        connection.execute(
            sa.text("UPDATE actions SET step_number = :number WHERE id = :id"),
            {"number": f"{number}{_letters(position)}"[:40], "id": action_id},
        )


def downgrade():
    with op.batch_alter_table("actions", schema=None) as batch_op:
        batch_op.drop_column("step_number")
    with op.batch_alter_table("updates", schema=None) as batch_op:
        batch_op.drop_column("imported_author")
        batch_op.drop_column("imported_from")
