"""Revision 0010 on a scratch database holding the old shapes: oversight memberships become
grants over every organisation, and SSO domains become rows owned by one organisation each."""

from sqlalchemy import text

from tracker.extensions import db


def test_oversight_memberships_and_sso_domains_move_and_move_back(tmp_path):
    from flask_migrate import downgrade, upgrade

    from tracker import create_app

    scratch = create_app("test", SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'migration.sqlite3'}")
    with scratch.app_context():
        upgrade(revision="0010-1")
        with db.engine.begin() as connection:
            connection.execute(
                text(
                    "INSERT INTO organisations (id, slug, name, created_at, sso_email_domains) VALUES "
                    "(1, 'yjb', 'Youth Justice Board', '2026-01-01', NULL), "
                    "(2, 'north', 'North YOS', '2026-01-01', 'north.example shared.example'), "
                    "(3, 'south', 'South YOS', '2026-01-01', 'shared.example south.example')"
                )
            )
            connection.execute(
                text(
                    "INSERT INTO users (id, email, name, session_token, active, created_at) VALUES "
                    "(1, 'olu@yjb.example', 'Olu', 't1', 1, '2026-01-01'), "
                    "(2, 'kim@north.example', 'Kim', 't2', 1, '2026-01-01')"
                )
            )
            connection.execute(
                text(
                    "INSERT INTO memberships (user_id, organisation_id, access_level, created_at) VALUES "
                    "(1, 1, 'oversight', '2026-01-01'), (2, 2, 'manager', '2026-01-01')"
                )
            )
        upgrade(revision="0010")
        with db.engine.connect() as connection:
            assert connection.execute(
                text(
                    "SELECT user_id, body_name, all_organisations, granted_by_label, withdrawn_at FROM oversight_grants"
                )
            ).all() == [(1, "Youth Justice Board", 1, "migration 0010", None)]
            assert connection.execute(text("SELECT user_id, access_level FROM memberships ORDER BY user_id")).all() == [
                (2, "manager")
            ]
            assert connection.execute(
                text("SELECT domain, organisation_id FROM sso_domains ORDER BY domain")
            ).all() == [("north.example", 2), ("shared.example", 2), ("south.example", 3)]
            assert (
                connection.execute(text("SELECT count(*) FROM audit_events WHERE event = 'oversight.granted'")).scalar()
                == 1
            )
        downgrade(revision="0010-1")
        with db.engine.connect() as connection:
            assert connection.execute(
                text("SELECT user_id, organisation_id, access_level FROM memberships ORDER BY user_id")
            ).all() == [(1, 1, "oversight"), (2, 2, "manager")]
            assert connection.execute(text("SELECT id, sso_email_domains FROM organisations ORDER BY id")).all() == [
                (1, None),
                (2, "north.example shared.example"),
                (3, "south.example"),
            ]
        db.engine.dispose()
