"""Oversight grants given by system administrators, and single sign-on domains owned by one
organisation each.

Data moved on upgrade:
- Each membership at the old "oversight" level becomes an oversight grant covering every
  organisation (which is what that membership read), for a body named after the organisation
  the membership was in (e.g. "Youth Justice Board"), granted by "migration 0010"; the
  membership is removed. An audit event records each one.
- Each organisation's space-separated `sso_email_domains` becomes rows of `sso_domains`. A domain
  listed by more than one organisation stays with the oldest of them (lowest id) and is dropped
  from the others; a system administrator can move it afterwards.
Downgrade puts both back: each active grant becomes an oversight membership (in the
organisation named like its body, else the first it lists, else the oldest), which reads every
organisation again, as oversight did before this revision.

Revision ID: 0010
Revises: 0009
"""

from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

MIGRATION_ACTOR = "migration 0010"


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def upgrade():
    # In place (not a batch copy of the table, which on SQLite would cascade deletes: see _drop_column).
    op.add_column("users", sa.Column("is_system_admin", sa.Boolean(), server_default=sa.false(), nullable=False))
    op.create_table(
        "oversight_grants",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("body_name", sa.String(length=200), nullable=False),
        sa.Column("all_organisations", sa.Boolean(), nullable=False),
        sa.Column("granted_at", sa.DateTime(), nullable=False),
        sa.Column("granted_by_id", sa.Integer(), nullable=True),
        sa.Column("granted_by_label", sa.String(length=254), nullable=False),
        sa.Column("withdrawn_at", sa.DateTime(), nullable=True),
        sa.Column("withdrawn_by_id", sa.Integer(), nullable=True),
        sa.Column("withdrawn_by_label", sa.String(length=254), nullable=True),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_oversight_grants_user_id_users"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["granted_by_id"], ["users.id"], name=op.f("fk_oversight_grants_granted_by_id_users"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["withdrawn_by_id"],
            ["users.id"],
            name=op.f("fk_oversight_grants_withdrawn_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_oversight_grants")),
    )
    op.create_index(op.f("ix_oversight_grants_user_id"), "oversight_grants", ["user_id"])
    op.create_index(op.f("ix_oversight_grants_withdrawn_at"), "oversight_grants", ["withdrawn_at"])
    op.create_table(
        "oversight_grant_organisations",
        sa.Column("grant_id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["grant_id"],
            ["oversight_grants.id"],
            name=op.f("fk_oversight_grant_organisations_grant_id_oversight_grants"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisations.id"],
            name=op.f("fk_oversight_grant_organisations_organisation_id_organisations"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("grant_id", "organisation_id", name=op.f("pk_oversight_grant_organisations")),
    )
    op.create_index(
        op.f("ix_oversight_grant_organisations_organisation_id"), "oversight_grant_organisations", ["organisation_id"]
    )
    op.create_table(
        "sso_domains",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("domain", sa.String(length=253), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisations.id"],
            name=op.f("fk_sso_domains_organisation_id_organisations"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sso_domains")),
        sa.UniqueConstraint("domain", name=op.f("uq_sso_domains_domain")),
    )
    op.create_index(op.f("ix_sso_domains_organisation_id"), "sso_domains", ["organisation_id"])
    _move_domains_into_rows()
    _turn_oversight_memberships_into_grants()
    _drop_column("organisations", "sso_email_domains")


def _drop_column(table: str, column: str) -> None:
    """Drop a plain column in place. On SQLite a batch operation would copy the table and drop
    the old one, and with foreign keys on, dropping `organisations` or `users` deletes every row
    that cascades from them (memberships, reports, actions...). SQLite 3.35 drops a column itself."""
    if op.get_bind().dialect.name == "sqlite":
        op.execute(sa.text(f"ALTER TABLE {table} DROP COLUMN {column}"))
    else:
        op.drop_column(table, column)


def _move_domains_into_rows():
    connection = op.get_bind()
    taken: set[str] = set()
    rows = connection.execute(
        sa.text("SELECT id, sso_email_domains FROM organisations WHERE sso_email_domains IS NOT NULL ORDER BY id")
    ).all()
    for organisation_id, text in rows:
        for domain in sorted(set(text.split())):
            if domain in taken:
                continue
            taken.add(domain)
            connection.execute(
                sa.text(
                    "INSERT INTO sso_domains (domain, organisation_id, created_at)"
                    " VALUES (:domain, :organisation, :now)"
                ),
                {"domain": domain, "organisation": organisation_id, "now": _now()},
            )


def _turn_oversight_memberships_into_grants():
    connection = op.get_bind()
    rows = connection.execute(
        sa.text(
            "SELECT m.id, m.user_id, m.organisation_id, o.name FROM memberships m "
            "JOIN organisations o ON o.id = m.organisation_id WHERE m.access_level = 'oversight' ORDER BY m.id"
        )
    ).all()
    for membership_id, user_id, organisation_id, organisation_name in rows:
        grant_id = connection.execute(
            sa.text(
                "INSERT INTO oversight_grants (user_id, body_name, all_organisations, granted_at, granted_by_label) "
                "VALUES (:user, :body, :all, :now, :actor) RETURNING id"
            ),
            {"user": user_id, "body": organisation_name[:200], "all": True, "now": _now(), "actor": MIGRATION_ACTOR},
        ).scalar_one()
        connection.execute(
            sa.text(
                "INSERT INTO audit_events (occurred_at, actor_label, organisation_id, event, subject_type, subject_id, "
                "after) VALUES (:now, :actor, :organisation, 'oversight.granted', 'OversightGrant', :grant, :after)"
            ).bindparams(sa.bindparam("after", type_=sa.JSON)),
            {
                "now": _now(),
                "actor": MIGRATION_ACTOR,
                "organisation": organisation_id,
                "grant": grant_id,
                "after": {
                    "user_id": user_id,
                    "body": organisation_name,
                    "organisations": "every organisation",
                    "migrated_from_membership": True,
                },
            },
        )
        connection.execute(sa.text("DELETE FROM memberships WHERE id = :id"), {"id": membership_id})


def downgrade():
    connection = op.get_bind()
    op.add_column("organisations", sa.Column("sso_email_domains", sa.String(length=500), nullable=True))
    for (organisation_id,) in connection.execute(sa.text("SELECT DISTINCT organisation_id FROM sso_domains")).all():
        domains = connection.execute(
            sa.text("SELECT domain FROM sso_domains WHERE organisation_id = :id ORDER BY domain"),
            {"id": organisation_id},
        ).scalars()
        connection.execute(
            sa.text("UPDATE organisations SET sso_email_domains = :text WHERE id = :id"),
            {"text": " ".join(domains)[:500], "id": organisation_id},
        )
    grants = connection.execute(
        sa.text("SELECT id, user_id, body_name FROM oversight_grants WHERE withdrawn_at IS NULL ORDER BY id")
    ).all()
    for grant_id, user_id, body_name in grants:
        organisation_id = (
            connection.execute(
                sa.text("SELECT id FROM organisations WHERE name = :name ORDER BY id"), {"name": body_name}
            ).scalar()
            or connection.execute(
                sa.text("SELECT MIN(organisation_id) FROM oversight_grant_organisations WHERE grant_id = :id"),
                {"id": grant_id},
            ).scalar()
            or connection.execute(sa.text("SELECT MIN(id) FROM organisations")).scalar()
        )
        if (
            organisation_id is None
            or connection.execute(
                sa.text("SELECT id FROM memberships WHERE user_id = :user AND organisation_id = :organisation"),
                {"user": user_id, "organisation": organisation_id},
            ).scalar()
            is not None
        ):
            continue
        connection.execute(
            sa.text(
                "INSERT INTO memberships (user_id, organisation_id, access_level, created_at) "
                "VALUES (:user, :organisation, 'oversight', :now)"
            ),
            {"user": user_id, "organisation": organisation_id, "now": _now()},
        )
    op.drop_index(op.f("ix_sso_domains_organisation_id"), table_name="sso_domains")
    op.drop_table("sso_domains")
    op.drop_index(op.f("ix_oversight_grant_organisations_organisation_id"), table_name="oversight_grant_organisations")
    op.drop_table("oversight_grant_organisations")
    op.drop_index(op.f("ix_oversight_grants_withdrawn_at"), table_name="oversight_grants")
    op.drop_index(op.f("ix_oversight_grants_user_id"), table_name="oversight_grants")
    op.drop_table("oversight_grants")
    _drop_column("users", "is_system_admin")
