"""Redaction: an update's text or an evidence file removed, with a reason, keeping the record."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from tests.factories import make_action, make_organisation, make_role, make_user
from tracker.boardpack import WRITERS, evidence_pack_pdf
from tracker.extensions import db
from tracker.models import AccessLevel, AuditEvent, Evidence, FileContent, Notification, NotificationStatus, Status
from tracker.services import ServiceError, actions, files
from tracker.services import evidence as evidence_service
from tracker.services.audit_sentences import sentence
from tracker.services.board.decisions import send_back
from tracker.services.board.evidence_pack import evidence_pack
from tracker.services.board.pack import board_pack
from tracker.services.evidence import EvidenceFile
from tracker.services.privacy import redaction

CHILD = "Jamie Smith-Okafor, aged 14, of Flat 3"
FILE_BYTES = b"Case notes about Jamie Smith-Okafor, who must not be named here.\n"


@pytest.fixture
def world(app):
    organisation = make_organisation()
    manager = make_user(organisation, AccessLevel.MANAGER, name="Priya Manager")
    owner = make_user(organisation, AccessLevel.OWNER, name="Olu Owner")
    role = make_role(organisation, holder=owner)
    action = make_action(organisation, owners=[role])
    update = actions.post_update(
        action,
        author=owner,
        note=f"Visited {CHILD} today.",
        expected_version=action.version,
        new_status=Status.IN_PROGRESS,
        links=["https://example.org/jamie-smith-okafor"],
    )
    return organisation, manager, owner, action, update


def _all_text() -> str:
    """Every text value the database holds, to look for what must be gone."""
    chunks = []
    for table in db.metadata.sorted_tables:
        for row in db.session.execute(table.select()).mappings():
            chunks += [str(value) for value in row.values() if not isinstance(value, bytes)]
    return "\n".join(chunks)


def test_redacting_an_update_removes_its_text_everywhere_and_keeps_the_record(world, travel):
    organisation, manager, owner, action, update = world
    actions.edit_update(update, editor=owner, note=f"Visited {CHILD} again.", links=[])
    travel("2026-03-04")
    redaction.redact_update(update, by=manager, reason="It named a child")
    db.session.commit()

    assert CHILD not in _all_text()
    assert "jamie-smith-okafor" not in _all_text()
    assert update.note == "Update redacted by Priya Manager on 4 March 2026: It named a child"
    assert update.author_name == "Olu Owner" and update.status_after is Status.IN_PROGRESS
    event = db.session.scalars(select(AuditEvent).filter_by(event="update.redacted")).one()
    assert event.actor_id == manager.id and event.after == {"action_id": action.id, "reason": "It named a child"}
    assert (
        sentence(event, organisation_zone())
        == "Priya Manager redacted the text of an update, because \u201cIt named a child\u201d."
    )
    posted = db.session.scalars(select(AuditEvent).filter_by(event="action.update_posted")).one()
    assert posted.after["note"] == redaction.REDACTED and posted.after["links"] == [redaction.REDACTED]
    assert posted.after["status"] == "in_progress"  # what was not removed stays
    edited = db.session.scalars(select(AuditEvent).filter_by(event="update.edited")).one()
    assert edited.before["note"] == redaction.REDACTED and edited.after["note"] == redaction.REDACTED


def organisation_zone():
    from tracker import clock

    return clock.local_zone()


def test_redacting_twice_is_refused_and_changes_nothing(world):
    organisation, manager, owner, action, update = world
    redaction.redact_update(update, by=manager, reason="It named a child")
    db.session.commit()
    note, events = update.note, db.session.scalars(select(AuditEvent)).all()
    with pytest.raises(redaction.AlreadyRedacted, match="already redacted"):
        redaction.redact_update(update, by=manager, reason="Again")
    db.session.rollback()
    assert update.note == note and len(db.session.scalars(select(AuditEvent)).all()) == len(events)


def test_a_reason_is_needed(world):
    organisation, manager, owner, action, update = world
    with pytest.raises(ServiceError, match="Say why"):
        redaction.redact_update(update, by=manager, reason="   ")
    db.session.rollback()
    assert CHILD in update.note and update.redacted_at is None


def test_a_queued_email_that_quotes_the_text_loses_it_and_a_sent_one_is_left(world, app):
    organisation, manager, owner, action, update = world
    board = make_user(organisation, AccessLevel.BOARD, name="Bea Board")
    action.status = Status.COMPLETED
    db.session.flush()
    decision = send_back(
        action, board_member=board, reason=f"Please do not name {CHILD} in updates", expected_version=action.version
    )
    db.session.commit()
    queued = db.session.scalars(select(Notification).filter_by(kind="sent_back")).one()
    assert CHILD in queued.body_text and "Jamie Smith-Okafor" in queued.body_html
    redaction.redact_update(decision, by=manager, reason="It named a child")
    db.session.commit()
    queued = db.session.get(Notification, queued.id)
    assert queued.status is NotificationStatus.PENDING
    assert CHILD not in queued.body_text + queued.body_html and redaction.REDACTED in queued.body_text
    assert "Jamie" not in queued.body_html


def test_removing_an_evidence_file_takes_it_from_the_file_store(world, app):
    organisation, manager, owner, action, update = world
    [evidence] = evidence_service.attach(
        update, evidence_service.check_files([EvidenceFile("jamie-case.txt", FILE_BYTES)])
    )
    db.session.commit()
    stored = evidence.stored_path
    local = files.path_of(stored)
    assert local.is_file()
    redaction.remove_evidence(evidence, by=manager, reason="A child's case notes")
    db.session.commit()
    assert not local.exists()
    assert db.session.scalar(select(FileContent).where(FileContent.path == stored)) is None
    assert files.read(stored) is None
    evidence = db.session.get(Evidence, evidence.id)
    assert evidence.filename.startswith("File removed by Priya Manager on ") and "jamie" not in evidence.filename
    assert evidence.stored_path == "" and evidence.sha256 == ""
    with pytest.raises(redaction.AlreadyRedacted, match="already removed"):
        redaction.remove_evidence(evidence, by=manager, reason="Again")


@pytest.mark.parametrize("store", ["disk", "database"])
def test_each_file_store_loses_the_bytes(world, app, tmp_path, store):
    """The database store is what PostgreSQL deployments use; its table works on SQLite too."""
    organisation, manager, owner, action, update = world
    kept_dir = app.config["UPLOAD_DIR"]
    app.config.update(UPLOAD_DIR=str(tmp_path), FILE_STORE=store)
    db.session.commit()  # the store writes in a transaction of its own
    try:
        [evidence] = evidence_service.attach(update, evidence_service.check_files([EvidenceFile("a.txt", FILE_BYTES)]))
        db.session.commit()
        stored = evidence.stored_path
        assert (db.session.scalar(select(FileContent.path).where(FileContent.path == stored)) is not None) == (
            store == "database"
        )
        redaction.remove_evidence(evidence, by=manager, reason="A child's case notes")
        db.session.commit()
        assert db.session.scalar(select(FileContent.path).where(FileContent.path == stored)) is None
        assert not (tmp_path / stored).exists() and files.read(stored) is None
    finally:
        app.config.update(UPLOAD_DIR=kept_dir, FILE_STORE="")


def test_a_file_another_update_also_attached_stays_for_it(world, app):
    organisation, manager, owner, action, update = world
    [first] = evidence_service.attach(update, evidence_service.check_files([EvidenceFile("a.txt", FILE_BYTES)]))
    second_update = actions.post_update(action, author=owner, note="Again", expected_version=action.version)
    [second] = evidence_service.attach(second_update, evidence_service.check_files([EvidenceFile("b.txt", FILE_BYTES)]))
    db.session.commit()
    redaction.remove_evidence(first, by=manager, reason="Case notes")
    db.session.commit()
    assert files.read(second.stored_path) == FILE_BYTES


def test_packs_show_the_redacted_marker(world, app):
    organisation, manager, owner, action, update = world
    [evidence] = evidence_service.attach(
        update, evidence_service.check_files([EvidenceFile("jamie-case.txt", FILE_BYTES)])
    )
    redaction.redact_update(update, by=manager, reason="It named a child")
    redaction.remove_evidence(evidence, by=manager, reason="Case notes")
    db.session.commit()
    from tracker import clock

    pack = board_pack(organisation, clock.today())
    csv = WRITERS["csv"](pack).decode("utf-8")
    assert "Update redacted by Priya Manager" in csv and CHILD not in csv
    import io

    import openpyxl

    sheet_text = " ".join(
        str(cell.value)
        for sheet in openpyxl.load_workbook(io.BytesIO(WRITERS["xlsx"](pack))).worksheets
        for row in sheet.iter_rows()
        for cell in row
        if cell.value
    )
    assert "Update redacted by Priya Manager" in sheet_text and CHILD not in sheet_text
    board_pdf = _pdf_text(WRITERS["pdf"](pack))
    assert "Update redacted by Priya Manager" in board_pdf and "Jamie" not in board_pdf
    pdf = evidence_pack_pdf(action.recommendation.report, evidence_pack(action.recommendation.report), clock.today())
    text = _pdf_text(pdf)
    assert "Update redacted by Priya Manager" in text and "File removed by Priya Manager" in text
    assert "Jamie" not in text


def _pdf_text(data: bytes) -> str:
    import io

    import pypdf

    return " ".join(" ".join((page.extract_text() or "").split()) for page in pypdf.PdfReader(io.BytesIO(data)).pages)


def test_redacting_a_withdrawal_takes_the_reason_from_the_action_too(world):
    organisation, manager, owner, action, update = world
    record = actions.withdraw_action(
        action,
        by=manager,
        reason="Alexis Quartermaine moved away",
        board_decision="Board, item 4",
        expected_version=action.version,
    )
    db.session.commit()
    redaction.redact_update(record, by=manager, reason="It named a child")
    db.session.commit()
    assert action.withdrawn_reason == redaction.REDACTED and action.status is Status.WITHDRAWN
    assert "Quartermaine" not in _all_text()
