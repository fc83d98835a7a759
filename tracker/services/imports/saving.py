"""Saving an imported report: the report, its recommendations and one action for each."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from datetime import date
from pathlib import PurePath

from sqlalchemy import select

from tracker.clock import long_date
from tracker.extensions import db
from tracker.importing import ParsedReport
from tracker.models import Action, ActionOwner, DatePrecision, Organisation, OwnerSource, Recommendation, Report
from tracker.services import ServiceError, audit, files
from tracker.services.audit import Actor
from tracker.services.deadlines import deadline_for
from tracker.services.imports.staging import ImportItem
from tracker.services.people.organisations import find_or_create_role


class DuplicateReport(ServiceError):
    def __init__(self, report: Report) -> None:
        super().__init__(f"This file has already been imported as \u201c{report.title}\u201d.")
        self.report = report


def sha256_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def existing_import(organisation: Organisation, data: bytes) -> Report | None:
    return db.session.scalar(select(Report).filter_by(organisation_id=organisation.id, source_sha256=sha256_of(data)))


def report_title(
    parsed: ParsedReport, publication_date: date | None, precision: str | None, name: str | None = None
) -> str:
    """ "Westshire YJS: Full Joint Inspection, 4 March 2025"; without a service, the inspectorate's
    report or the name the manager gave the text; an unknown kind of inspection is left out
    rather than written as "inspection"."""
    stem = PurePath(name or "").stem.strip() if name and "." in name else (name or "").strip()
    if parsed.service:
        subject = parsed.service
    elif parsed.inspectorate:
        subject = f"{parsed.inspectorate} report"
    elif stem and stem.lower() not in {"pasted text", "report", "upload"}:
        subject = stem
    else:
        subject = "Inspection report"
    head = f"{subject}: {parsed.inspection_type}" if parsed.inspection_type else subject
    if publication_date is None:
        return head
    when = f"{publication_date:%B %Y}" if precision == "month" else long_date(publication_date)
    return f"{head}, {when}"


def import_report(
    organisation: Organisation,
    parsed: ParsedReport,
    *,
    source: bytes,
    filename: str,
    actor: Actor,
    published: date | None = None,
    media_type: str | None = None,
    items: Sequence[ImportItem] | None = None,
) -> Report:
    """Save a report with its recommendations and one action per recommendation.

    `items` are the recommendations as the manager reviewed them (by default, as parsed).
    `published` is the day the user confirmed; without it a month-only date gives deadlines
    from the end of that month. The caller commits: a failure anywhere saves nothing.
    """
    items = list(items) if items is not None else [ImportItem.from_parsed(item) for item in parsed.recommendations]
    if not items:
        raise ServiceError("The report has no recommendations to import.")
    duplicate = existing_import(organisation, source)
    if duplicate is not None:
        raise DuplicateReport(duplicate)

    if published is not None:
        publication_date, precision, confirmed = published, DatePrecision.DAY, True
    elif parsed.publication_date is not None:
        publication_date = parsed.publication_date
        precision = DatePrecision(parsed.date_precision or "day")
        confirmed = precision is DatePrecision.DAY
    else:
        raise ServiceError("The report does not say when it was published. Enter the publication date.")

    # Resolve owner phrases to roles first, so no query runs while new rows are half built.
    roles_by_phrase = {
        phrase: find_or_create_role(organisation, phrase, actor=actor) for item in items for phrase in item.owners
    }
    report = Report(
        organisation=organisation,
        title=report_title(parsed, publication_date, precision.value, filename),
        service_name=parsed.service,
        inspectorate=parsed.inspectorate,
        inspection_type=parsed.inspection_type,
        publication_date=publication_date,
        date_precision=precision,
        publication_date_confirmed=confirmed,
        overall_rating=parsed.overall_rating,
        ratings=dict(parsed.ratings),
        deadline_rule=parsed.deadline_rule,
        source_filename=filename,
        source_sha256=sha256_of(source),
        source_media_type=media_type,
        extracted_text=parsed.text,
        imported_by=actor if not isinstance(actor, str) else None,
    )
    db.session.add(report)
    month_only = not confirmed
    for position, item in enumerate(items, start=1):
        recommendation = Recommendation(
            report=report,
            position=position,
            number=item.number.strip() or str(position),
            text=item.text.strip(),
            owner_phrases=list(item.owners),
            owner_source=OwnerSource(item.owner_source),
            deadline_rule=item.deadline_rule,
            deadline_months=item.deadline_months if item.deadline_months is not None else parsed.deadline_months,
        )
        due_on = item.due_on or deadline_for(
            publication_date, month_only=month_only, months=recommendation.deadline_months
        )
        action = Action(organisation=organisation, recommendation=recommendation, original_due_on=due_on, due_on=due_on)
        seen_roles: set[int] = set()
        for phrase in item.owners:
            role = roles_by_phrase[phrase]
            if role.id not in seen_roles:
                action.owners.append(ActionOwner(role=role, is_lead=not seen_roles))
                seen_roles.add(role.id)
        db.session.add(action)
    db.session.flush()
    report.source_path = files.store("reports", source).relative_path
    audit.record(
        "report.imported",
        report,
        actor=actor,
        organisation_id=organisation.id,
        after={
            "title": report.title,
            "recommendations": len(items),
            "sha256": report.source_sha256,
            "filename": filename,
        },
    )
    return report
