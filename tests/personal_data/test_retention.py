"""Retention: each period in config.py, with the clock moved; nothing open is ever removed."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from tests.factories import make_action, make_organisation, make_role, make_user
from tracker.extensions import db
from tracker.models import (
    AccessLevel,
    ApiToken,
    AuditEvent,
    Evidence,
    Notification,
    NotificationStatus,
    SignInAttempt,
    Status,
    utc_now,
)
from tracker.services import actions, files
from tracker.services import evidence as evidence_service
from tracker.services.evidence import EvidenceFile
from tracker.services.people import accounts, invitations, throttling
from tracker.services.privacy import retention


def _run(**kwargs) -> retention.RetentionResult:
    result = retention.apply_retention(**kwargs)
    db.session.commit()
    return result


def _count(model, *conditions) -> int:
    return db.session.scalar(select(func.count()).select_from(model).where(*conditions))


@pytest.fixture
def organisation(app):
    return make_organisation()


def test_evidence_goes_six_years_after_its_action_closed_and_an_open_actions_stays(organisation, travel, app):
    manager = make_user(organisation, AccessLevel.MANAGER)
    role = make_role(organisation, holder=manager)
    travel("2026-01-10")
    closed, still_open = make_action(organisation, owners=[role]), make_action(organisation, owners=[role])
    kept = {}
    for action, content in ((closed, b"closed evidence\n"), (still_open, b"open evidence\n")):
        update = actions.post_update(
            action,
            author=manager,
            note="Done",
            links=["https://example.org/x"],
            new_status=Status.COMPLETED if action is closed else Status.IN_PROGRESS,
            expected_version=action.version,
        )
        [kept[action.id]] = evidence_service.attach(
            update, evidence_service.check_files([EvidenceFile("f.txt", content)])
        )
    db.session.commit()

    travel("2032-01-09")
    assert _run().counts["evidence files of actions closed more than 6 years ago"] == 0
    travel("2032-01-11")
    result = _run()
    assert result.counts["evidence files of actions closed more than 6 years ago"] == 1
    gone, stays = db.session.get(Evidence, kept[closed.id].id), db.session.get(Evidence, kept[still_open.id].id)
    assert gone.removed_at is not None and gone.stored_path == "" and gone.filename.startswith("File removed on ")
    assert files.read("evidence/" + __import__("hashlib").sha256(b"closed evidence\n").hexdigest()) is None
    assert stays.removed_at is None and files.read(stays.stored_path) == b"open evidence\n"
    assert _count(AuditEvent, AuditEvent.event == "evidence.expired") == 1
    assert _run().total == 0  # a second run finds nothing more


def _sent_email(kind: str = "reminder", status=NotificationStatus.SENT, recipient="a@example.org") -> Notification:
    now = utc_now()
    notification = Notification(
        key=f"{kind}:{now.isoformat()}:{recipient}:{status}",
        kind=kind,
        recipient=recipient,
        subject="Subject",
        body_text="The text",
        body_html="<p>The text</p>",
        status=status,
        sent_at=now if status is NotificationStatus.SENT else None,
    )
    db.session.add(notification)
    db.session.commit()
    return notification


def test_sent_email_text_goes_after_90_days_and_unsent_email_never(app, travel):
    travel("2026-01-01")
    sent, waiting = _sent_email(), _sent_email(status=NotificationStatus.PENDING)
    travel("2026-03-31")  # 89 days
    assert _run().counts["sent emails' text older than 90 days"] == 0
    travel("2026-04-02")
    assert _run().counts["sent emails' text older than 90 days"] == 1
    assert db.session.get(Notification, sent.id).body_text == retention.CLEARED
    assert db.session.get(Notification, sent.id).subject == "Subject"  # the record of sending stays
    assert db.session.get(Notification, waiting.id).body_text == "The text"


def test_failed_sign_ins_go_after_30_days(app, travel):
    organisation = make_organisation()
    user = make_user(organisation)
    travel("2026-01-01")
    accounts.authenticate(user.email, "wrong password")
    throttling.record_failure(user.email, "127.0.0.1")
    db.session.commit()
    travel("2026-01-30")
    assert _run().counts["failed sign-in records older than 30 days"] == 0
    travel("2026-02-01")
    result = _run()
    assert result.counts["failed sign-in records older than 30 days"] == 1
    assert result.counts["sign-in counts older than 30 days"] == 2  # one per email, one per address
    assert _count(AuditEvent, AuditEvent.event == "user.sign_in_failed") == 0 and _count(SignInAttempt) == 0


def test_successful_sign_ins_go_after_a_year(app, travel):
    user = make_user(make_organisation())
    travel("2026-01-01")
    accounts.authenticate(user.email, user.test_password)
    db.session.commit()
    travel("2026-12-31")
    assert _run().counts["sign-in and sign-out records older than 365 days"] == 0
    travel("2027-01-02")
    assert _run().counts["sign-in and sign-out records older than 365 days"] == 1


def test_a_sent_reset_link_goes_once_it_has_expired_and_an_unsent_one_stays(app, travel):
    user = make_user(make_organisation())
    travel("2026-01-01T09:00:00")
    _, sent_id = invitations.request_reset(user.email, "127.0.0.1")
    _, unsent_id = invitations.request_reset(user.email, "127.0.0.2")
    db.session.get(Notification, sent_id).status = NotificationStatus.SENT
    db.session.commit()
    travel("2026-01-01T09:59:00")
    assert _run().counts["sent emails' text whose sign-in link has expired"] == 0
    travel("2026-01-01T10:01:00")
    assert _run().counts["sent emails' text whose sign-in link has expired"] == 1
    assert "reset-password/" not in db.session.get(Notification, sent_id).body_text
    assert "reset-password/" in db.session.get(Notification, unsent_id).body_text


def test_a_sent_invitation_goes_once_it_has_expired(app, travel):
    organisation = make_organisation()
    admin = make_user(organisation, AccessLevel.ADMIN)
    travel("2026-01-01")
    invited = make_user(organisation, AccessLevel.OWNER)
    invited.password_hash = None
    sent_id = invitations.queue_invitation(invited, organisation, invited_by=admin, access_label="Owner")
    db.session.get(Notification, sent_id).status = NotificationStatus.SENT
    db.session.commit()
    travel("2026-01-07")
    assert _run().counts["sent emails' text whose sign-in link has expired"] == 0
    travel("2026-01-09")
    assert _run().counts["sent emails' text whose sign-in link has expired"] == 1
    assert "invitations/" not in db.session.get(Notification, sent_id).body_text


def test_expired_and_revoked_api_tokens_go_and_working_ones_stay(app, travel):
    user = make_user(make_organisation())
    travel("2026-01-01")
    accounts.create_api_token(user, name="short", actor=user, days=1)
    accounts.create_api_token(user, name="long", actor=user, days=90)
    revoked = accounts.create_api_token(user, name="revoked", actor=user, days=90)
    assert accounts.user_for_api_token(revoked) == user
    accounts.revoke_api_token(db.session.scalars(select(ApiToken).filter_by(name="revoked")).one(), actor=user)
    db.session.commit()
    travel("2026-01-03")
    assert _run().counts["expired or revoked API tokens"] == 2
    assert [token.name for token in db.session.scalars(select(ApiToken))] == ["long"]


def test_with_nothing_to_do_it_says_so_and_a_dry_run_changes_nothing(app, travel):
    assert _run().lines() == ["Nothing to remove: no personal data has passed its retention period."]
    travel("2026-01-01")
    sent = _sent_email()
    travel("2026-06-01")
    dry = retention.apply_retention(dry_run=True)
    db.session.rollback()
    assert dry.lines() == ["Would remove 1 sent emails' text older than 90 days."]
    assert db.session.get(Notification, sent.id).body_text == "The text"


def test_the_command_prints_what_it_removed_by_kind(app, travel):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["tracker", "retention"])
    assert result.exit_code == 0 and "Nothing to remove" in result.output
    travel("2026-01-01")
    _sent_email()
    travel("2026-06-01")
    dry = runner.invoke(args=["tracker", "retention", "--dry-run"])
    assert dry.output.strip() == "Would remove 1 sent emails' text older than 90 days."
    done = runner.invoke(args=["tracker", "retention"])
    assert done.output.strip() == "Removed 1 sent emails' text older than 90 days."
    again = runner.invoke(args=["tracker", "retention"])
    assert "Nothing to remove" in again.output


def test_the_daily_housekeeping_applies_retention(app, travel):
    from tracker import jobs

    travel("2026-01-01")
    sent_id = _sent_email().id
    travel("2026-06-01")
    db.session.remove()
    outcome = jobs.housekeeping(app)
    assert "Removed 1 sent emails' text older than 90 days." in outcome
    assert db.session.get(Notification, sent_id).body_text == retention.CLEARED
