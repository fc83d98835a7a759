"""Correcting reports after import: withdraw a whole import, change the publication date (and
the deadlines counted from it), reword a recommendation keeping the earlier wording."""

from __future__ import annotations

import csv
import io
from datetime import date

from sqlalchemy import func, select

from tests.factories import make_action, make_organisation, make_report, make_role, make_user
from tracker import clock
from tracker.extensions import db
from tracker.models import (
    AccessLevel,
    Action,
    AuditEvent,
    Notification,
    NotificationStatus,
    Recommendation,
    RecommendationRevision,
    Report,
)
from tracker.services.actions import decide_deadline_change, request_deadline_change
from tracker.services.reminders.run import send_reminders


def _setup(travel):
    travel("2026-09-01")
    organisation = make_organisation("Eastbrook YOS", slug="eastbrook")
    manager = make_user(organisation, AccessLevel.MANAGER, name="Morgan Manager")
    head = make_role(organisation, "YOS Head of Service", holder="head@eastbrook.example")
    keep = make_report(organisation, "Inspection we keep", date(2025, 6, 1))
    mistake = make_report(organisation, "Imported by mistake", date(2024, 3, 1))
    kept = make_action(organisation, report=keep, owners=[head], due_on=date(2026, 12, 1), text="Keep this one")
    wrong = [
        make_action(
            organisation, report=mistake, owners=[head], due_on=date(2025, 3, 1), text=f"Wrongly imported {number}"
        )
        for number in range(3)
    ]
    db.session.commit()
    return organisation, manager, keep, mistake, kept, wrong


def test_a_withdrawn_import_leaves_every_list_pack_and_reminder_run_but_stays_in_the_audit_log(
    app, client_request, travel, smtp_server
):
    organisation, manager, keep, mistake, kept, wrong = _setup(travel)
    pending = Notification(
        key="reminder:old",
        organisation_id=organisation.id,
        action_id=wrong[0].id,
        kind="overdue",
        recipient="head@eastbrook.example",
        subject="s",
        body_text="t",
        body_html="h",
    )
    db.session.add(pending)
    db.session.commit()
    client_request.login(manager)
    page = client_request.get("reports.show", report_id=mistake.id)
    assert page.select_one("#report-corrections a[href$='/withdraw']")

    # No reason: a clear message, nothing changes.
    page = client_request.post("report_admin.withdraw", {"reason": " "}, _expected_status=400, report_id=mistake.id)
    assert "Say why the report is being withdrawn" in page.select_one(".govuk-error-summary").text
    db.session.expire_all()
    assert db.session.get(Report, mistake.id).withdrawn_at is None

    client_request.post(
        "report_admin.withdraw",
        {"reason": "Imported twice"},
        report_id=mistake.id,
        _expected_redirect=client_request.url("reports.index", slug=organisation.slug),
    )
    db.session.expire_all()

    # Gone from the lists...
    reports_page = client_request.get("reports.index", slug=organisation.slug)  # (the flash names it once)
    assert not reports_page.select(f"a[href='{client_request.url('reports.show', report_id=mistake.id)}']")
    assert reports_page.select(f"a[href='{client_request.url('reports.show', report_id=keep.id)}']")
    reports_page = client_request.get("reports.index", slug=organisation.slug)
    assert "Imported by mistake" not in reports_page.text and "Inspection we keep" in reports_page.text
    actions_page = client_request.get("actions.index", slug=organisation.slug)
    assert "Wrongly imported" not in actions_page.text and "Keep this one" in actions_page.text
    client_request.get("reports.show", _expected_status=404, report_id=mistake.id)
    client_request.get("actions.show", _expected_status=404, action_id=wrong[0].id)
    assert db.session.scalar(select(func.count()).select_from(Action)) == 1
    # ...from the packs...
    response = client_request.client.get(client_request.url("board.pack", slug=organisation.slug, file_format="csv"))
    rows = list(csv.reader(io.StringIO(response.data.decode("utf-8-sig"))))
    assert len(rows) == 2 and "Keep this one" in ",".join(rows[1])
    assert not any("Wrongly imported" in cell for row in rows for cell in row)
    # ...and from reminder runs: the queued one is cancelled, and nothing new is due for them.
    assert db.session.get(Notification, pending.id).status is NotificationStatus.CANCELLED
    result = send_reminders(clock.today())
    assert all(
        "Wrongly imported" not in message.get_body(("plain",)).get_content() for _, message in smtp_server.messages
    )
    assert result.sent == 0  # the kept action is not due yet, and the withdrawn ones never are

    # The audit log keeps the story.
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.event == "report.withdrawn"))
    assert event.after["reason"] == "Imported twice" and event.after["actions"] == 3
    audit_page = client_request.get("organisations.audit", slug=organisation.slug)
    assert "withdrew the import of the report" in audit_page.text  # as a sentence, not a raw event name
    # Still in the database, for the record.
    kept_rows = db.session.execute(select(Report.id).execution_options(include_withdrawn=True)).all()
    assert len(kept_rows) == 2


def test_changing_the_publication_date_moves_only_the_deadlines_nobody_changed(app, client_request, travel):
    travel("2026-01-10")
    organisation = make_organisation("Westbrook YOS", slug="westbrook")
    manager = make_user(organisation, AccessLevel.MANAGER, name="Morgan Manager")
    board = make_user(organisation, AccessLevel.BOARD, name="Bola Board")
    head = make_role(organisation, "YOS Head of Service", holder=manager)
    report = make_report(organisation, "Inspection, June 2025", date(2025, 6, 1))
    report.publication_date_confirmed = False  # the report gave only "June 2025"
    computed = date(2026, 6, 30)  # end of June 2025 + 12 months
    untouched = [
        make_action(organisation, report=report, owners=[head], due_on=computed, text=f"Action {n}") for n in range(3)
    ]
    changed = make_action(organisation, report=report, owners=[head], due_on=computed, text="Given more time")
    db.session.commit()
    change = request_deadline_change(
        changed, requested_by=manager, new_due_on=date(2026, 9, 30), reason="Staff", today=clock.today()
    )
    decide_deadline_change(change, decided_by=board, approve=True, note="", expected_version=changed.version)
    db.session.commit()

    client_request.login(manager)
    page = client_request.get("report_admin.edit", report_id=report.id)
    assert "Also move the 3 deadlines still counted from the publication date" in page.text

    bad = {"title": "", "publication_date": ["10", "6", "2025"], "move_deadlines": "y"}
    client_request.post("report_admin.edit", bad, _expected_status=400, report_id=report.id)
    db.session.expire_all()
    assert db.session.get(Report, report.id).title == "Inspection, June 2025"

    client_request.post(
        "report_admin.edit",
        {**bad, "title": "Inspection of youth justice, June 2025"},
        report_id=report.id,
        _expected_redirect=client_request.url("reports.show", report_id=report.id),
    )
    db.session.expire_all()
    report = db.session.get(Report, report.id)
    assert report.publication_date == date(2025, 6, 10) and report.publication_date_confirmed
    for action in untouched:
        action = db.session.get(Action, action.id)
        assert action.due_on == action.original_due_on == date(2026, 6, 10)
    changed = db.session.get(Action, changed.id)
    assert changed.due_on == date(2026, 9, 30) and changed.original_due_on == computed
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.event == "report.edited"))
    assert event.before["publication_date"] == "2025-06-01" and len(event.after["deadlines_moved"]) == 3

    # Without the box ticked, the date changes and no deadline moves.
    client_request.post(
        "report_admin.edit", {"title": report.title, "publication_date": ["12", "6", "2025"]}, report_id=report.id
    )
    db.session.expire_all()
    assert db.session.get(Action, untouched[0].id).due_on == date(2026, 6, 10)


def test_editing_a_recommendation_keeps_the_earlier_wording(app, client_request, travel):
    organisation, manager, keep, mistake, kept, wrong = _setup(travel)
    recommendation = kept.recommendation
    client_request.login(manager)
    client_request.post(
        "report_admin.edit_recommendation",
        {"text": "Keep this one"},
        _expected_status=400,
        recommendation_id=recommendation.id,
    )
    client_request.post(
        "report_admin.edit_recommendation",
        {"text": "Keep this one, reviewed each quarter"},
        recommendation_id=recommendation.id,
    )
    db.session.expire_all()
    recommendation = db.session.get(Recommendation, recommendation.id)
    assert recommendation.text == "Keep this one, reviewed each quarter"
    (revision,) = db.session.scalars(select(RecommendationRevision)).all()
    assert revision.text == "Keep this one" and revision.replaced_by_id == manager.id
    page = client_request.get("report_admin.edit_recommendation", recommendation_id=recommendation.id)
    assert "Earlier wording" in page.text and "Keep this one" in page.select_one("[data-revision]").text
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.event == "recommendation.edited"))
    assert event.before == {"text": "Keep this one"}
    # Owners cannot reword recommendations.
    owner = make_user(organisation, AccessLevel.OWNER)
    db.session.commit()
    client_request.login(owner)
    client_request.get("report_admin.edit_recommendation", _expected_status=403, recommendation_id=recommendation.id)
