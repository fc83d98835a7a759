"""Change counters move on their own (tracker/data_versions.py): a change made through the ORM
anywhere, with no audit event, from a command, shows on the next request for a kept page."""

from __future__ import annotations

import click
import pytest
from flask.cli import with_appcontext
from sqlalchemy import ForeignKey, insert, update
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from tests.factories import make_organisation
from tests.web.test_page_cache import KEPT_PAGE_STATEMENTS, _shown, _statements
from tracker.data_versions import EVERY, organisations_of_rows, rule_for
from tracker.extensions import db
from tracker.models import Action, AuditEvent, DataVersion, Membership, Notification, Organisation, Update, User
from tracker.models.types import SHOWN_EVERYWHERE, SHOWN_NOWHERE
from tracker.page_cache import data_version


def _run_command(app, command: click.Command, *args: str) -> None:
    result = app.test_cli_runner().invoke(command, list(args))
    assert result.exit_code == 0, result.output


@click.command("retitle")
@click.argument("action_id", type=int)
@click.argument("title")
@with_appcontext
def retitle(action_id: int, title: str) -> None:
    """A command that changes an action through the ORM and records no audit event."""
    db.session.get(Action, action_id).title = title
    db.session.commit()


@click.command("rename")
@click.argument("user_id", type=int)
@click.argument("name")
@with_appcontext
def rename(user_id: int, name: str) -> None:
    db.session.get(User, user_id).name = name
    db.session.commit()


@pytest.mark.parametrize("endpoint", ["actions.index", "actions.show"])
def test_a_change_from_a_command_with_no_audit_event_shows_on_the_next_request(app, client_request, setting, endpoint):
    organisation, manager, *_, action = setting
    values = {"action_id": action.id} if endpoint == "actions.show" else {"slug": organisation.slug}
    client_request.login(manager)
    _statements(client_request, endpoint, **values)
    assert _statements(client_request, endpoint, **values)[0] <= KEPT_PAGE_STATEMENTS  # kept
    audit_events = db.session.query(AuditEvent).count()

    _run_command(app, retitle, str(action.id), "Retitled from the command line")

    assert db.session.query(AuditEvent).count() == audit_events
    statements, page = _statements(client_request, endpoint, **values)
    assert "Retitled from the command line" in _shown(page)
    assert statements > KEPT_PAGE_STATEMENTS


def test_a_person_renamed_from_a_command_shows_on_kept_pages(app, client_request, setting):
    from tracker.services.actions import post_update

    organisation, manager, board, head, chair, action = setting
    post_update(action, author=board, note="Asked for the plan", expected_version=action.version)
    db.session.commit()
    client_request.login(manager)
    assert "Sam Okafor" in _shown(_statements(client_request, "actions.show", action_id=action.id)[1])
    _run_command(app, rename, str(board.id), "Sam Okafor-Reid")
    assert "Sam Okafor-Reid" in _shown(_statements(client_request, "actions.show", action_id=action.id)[1])


def test_signing_in_moves_no_counter(app, client_request, setting):
    organisation, manager, *_ = setting
    before = data_version(None)
    client_request.login(manager)  # sets last_signed_in_at: shown nowhere
    db.session.get(User, manager.id).last_signed_in_at = None
    db.session.commit()
    assert data_version(None) == before


def test_each_kind_of_write_moves_the_right_counters(app, setting):
    organisation, manager, *_, action = setting
    other = make_organisation(slug="southfield")
    db.session.commit()

    def moved(change) -> set[str]:
        before = {row.organisation_id: row.version for row in db.session.query(DataVersion)}
        change()
        db.session.commit()
        after = {row.organisation_id: row.version for row in db.session.query(DataVersion)}
        return {db.session.get(Organisation, id_).slug for id_ in after if after[id_] != before.get(id_, 0)}

    # A new row found through its foreign key (an update belongs to an action).
    assert moved(
        lambda: db.session.add(
            Update(
                action_id=action.id,
                author_id=manager.id,
                note="Direct",
                status_before=action.status,
                status_after=action.status,
                links=[],
            )
        )
    ) == {"northfield"}
    # A row moved between organisations counts for both.
    assert moved(
        lambda: setattr(db.session.get(Membership, manager.memberships[0].id), "organisation_id", other.id)
    ) == {"northfield", "southfield"}
    # A deleted row.
    assert moved(lambda: db.session.delete(db.session.get(Action, action.id))) == {"northfield"}
    # Rows inserted in bulk, each through its own foreign key.
    assert moved(
        lambda: db.session.execute(
            insert(AuditEvent),
            [{"event": "x", "subject_type": "Action", "actor_label": "test", "organisation_id": other.id}],
        )
    ) == {"southfield"}
    # A bulk update or delete: the rows its WHERE clause finds.
    assert moved(
        lambda: db.session.execute(update(AuditEvent).where(AuditEvent.organisation_id == other.id).values(event="y"))
    ) == {"southfield"}
    # A person's name shows everywhere.
    assert moved(lambda: db.session.execute(update(User).values(name=User.name))) == {"northfield", "southfield"}
    # Rows no kept page shows move nothing.
    assert moved(lambda: db.session.execute(update(Notification).values(attempts=Notification.attempts))) == set()
    assert moved(lambda: None) == set()


class _Base(DeclarativeBase):
    pass


class _WithOrganisation(_Base):
    __tablename__ = "with_organisation"
    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"))


class _WithoutOrganisation(_Base):
    __tablename__ = "without_organisation"
    id: Mapped[int] = mapped_column(primary_key=True)


def test_a_new_model_is_covered_without_declaring_anything(app):
    with_organisation, without = _WithOrganisation.__mapper__, _WithoutOrganisation.__mapper__
    assert rule_for(with_organisation) == "organisation_id"
    assert organisations_of_rows(db.session, with_organisation, [{"organisation_id": 7}]) == {7}
    assert rule_for(without) == SHOWN_EVERYWHERE
    assert organisations_of_rows(db.session, without, [{"id": 1}]) == {EVERY}


def test_every_model_says_where_it_shows_in_a_way_that_can_be_followed(app):
    for mapper in db.Model.registry.mappers:
        rule = rule_for(mapper)
        if rule in (SHOWN_EVERYWHERE, SHOWN_NOWHERE):
            continue
        assert rule in mapper.columns, f"{mapper.class_.__name__}.__shown_in__ names no column {rule!r}"
        column = mapper.columns[rule]
        assert column.primary_key or column.foreign_keys, f"{mapper.class_.__name__}.{rule} is no foreign key"
    assert rule_for(DataVersion.__mapper__) == SHOWN_NOWHERE  # its own counters never count
