from datetime import date

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from tracker.extensions import db


def test_upgrade_on_an_empty_database_gives_the_models_schema(app):
    """The session fixture built the schema with `flask db upgrade` only; it must match the models."""
    with db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        differences = compare_metadata(context, db.metadata)
    assert differences == []


def test_the_schema_has_every_table_of_the_domain_model(app):
    expected = {
        "organisations",
        "users",
        "memberships",
        "roles",
        "role_aliases",
        "role_tenures",
        "contacts",
        "reports",
        "recommendations",
        "actions",
        "action_owners",
        "updates",
        "deadline_changes",
        "board_meetings",
        "notifications",
        "audit_events",
    }
    with db.engine.connect() as connection:
        tables = set(db.inspect(connection).get_table_names())
    assert expected <= tables


def test_sqlite_enforces_foreign_keys(app):
    if db.engine.dialect.name != "sqlite":
        pytest.skip("only SQLite needs foreign keys switched on; PostgreSQL always enforces them")
    with pytest.raises(IntegrityError), db.engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO memberships (user_id, organisation_id, access_level, created_at) "
                "VALUES (999, 999, 'manager', '2026-01-01 00:00:00')"
            )
        )


def test_every_migration_downgrades_and_upgrades_again(tmp_path):
    """On a scratch database: upgrade to the head, down to nothing, and up again."""
    from flask_migrate import downgrade, upgrade

    from tracker import create_app

    scratch = create_app("test", SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'round-trip.sqlite3'}")
    with scratch.app_context():
        upgrade()
        downgrade(revision="base")
        with db.engine.connect() as connection:
            assert set(db.inspect(connection).get_table_names()) <= {"alembic_version"}
        upgrade()
        with db.engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={"compare_type": True})
            assert compare_metadata(context, db.metadata) == []
        db.engine.dispose()


def test_steps_saved_before_0013_get_their_numbers(tmp_path):
    """The steps already saved are numbered 4a, 4b in the order they were added; the
    recommendation's own action keeps no number of its own."""
    from flask_migrate import upgrade

    from tracker import create_app

    scratch = create_app("test", SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'steps.sqlite3'}")
    with scratch.app_context():
        upgrade(revision="0009")
        with db.engine.begin() as connection:
            connection.execute(
                text(
                    "INSERT INTO organisations (id, slug, name, created_at) "
                    "VALUES (1, 'north', 'North YOS', '2026-01-01 00:00:00')"
                )
            )
            connection.execute(
                text(
                    "INSERT INTO reports (id, organisation_id, title, publication_date_confirmed, ratings, "
                    "extracted_text, imported_at) VALUES (1, 1, 'Report', 1, '{}', '', '2026-01-01 00:00:00')"
                )
            )
            connection.execute(
                text(
                    "INSERT INTO recommendations (id, report_id, position, number, text, owner_phrases, owner_source) "
                    "VALUES (1, 1, 1, '4', 'Do better', '[]', 'none')"
                )
            )
            for action_id, title in ((1, None), (2, "First step"), (3, "Second step")):
                connection.execute(
                    text(
                        "INSERT INTO actions (id, organisation_id, recommendation_id, title, original_due_on, due_on, "
                        "status, version, created_at) VALUES (:id, 1, 1, :title, '2026-06-30', '2026-06-30', "
                        "'not_started', 1, '2026-01-01 00:00:00')"
                    ),
                    {"id": action_id, "title": title},
                )
        upgrade(revision="0013")
        with db.engine.connect() as connection:
            numbers = connection.execute(text("SELECT id, step_number FROM actions ORDER BY id")).all()
        assert [tuple(row) for row in numbers] == [(1, None), (2, "4a"), (3, "4b")]
        db.engine.dispose()


def test_no_migration_loses_rows_on_sqlite_going_down_and_up_again(tmp_path):
    """SQLite's batch operations copy a table and drop the old one; with foreign keys on, the
    DROP used to delete every row cascading from it (down to 0009, every membership, action
    and update went). migrations/env.py turns foreign keys off while migrating."""
    from flask_migrate import downgrade, upgrade

    from tracker import create_app
    from tracker.services import demo

    scratch = create_app("test", SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'rows.sqlite3'}")
    tables = ("organisations", "users", "roles", "reports", "recommendations", "actions", "action_owners", "updates")

    def counts() -> dict[str, int]:
        with db.engine.connect() as connection:
            return {table: connection.execute(text(f"SELECT count(*) FROM {table}")).scalar() for table in tables}

    with scratch.app_context():
        upgrade()
        demo.seed(organisations=1, reports=1, actions_per_report=3, password="demo-password-1", today=date(2026, 1, 5))
        db.session.commit()
        seeded = counts()
        assert all(seeded.values()), seeded
        downgrade(revision="0009")
        assert counts() == seeded
        upgrade()
        assert counts() == seeded
        with db.engine.connect() as connection:
            assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        db.engine.dispose()
