"""Jinja filters and globals shared by every template."""

from __future__ import annotations

from datetime import date, datetime

from flask import Flask, current_app, g

from . import clock, permissions
from .models import Status
from .services import audit_sentences
from .services.rag import Rag, rag_for
from .services.reminders.unheard import is_unheard

RAG_TAG_CLASSES = {
    "red": "govuk-tag--red",
    "amber": "govuk-tag--orange",
    "green": "govuk-tag--green",
    "grey": "govuk-tag--grey",
}
STATUS_TAG_CLASSES = {
    Status.NOT_STARTED: "govuk-tag--grey",
    Status.IN_PROGRESS: "govuk-tag--blue",
    Status.COMPLETED: "govuk-tag--teal",
    Status.VERIFIED: "govuk-tag--green",
    Status.WITHDRAWN: "govuk-tag--grey",
}


def format_date(value: date | None) -> str:
    return clock.long_date(value)


def format_datetime(value: datetime | None) -> str:
    """A UTC timestamp shown in the service's time zone: "3 March 2026 at 2:05pm"."""
    if value is None:
        return ""
    return clock.long_date_time(clock.local_time(value))


def audit_sentence(event) -> str:
    """An audit event as one plain-English sentence, times in the service's time zone."""
    return audit_sentences.sentence(event, clock.local_zone())


def audit_when(event) -> str:
    return audit_sentences.when(event, clock.local_zone())


def sentence_case(text: str) -> str:
    """A capital first letter, leaving the rest as people wrote it (Jinja's capitalize lowercases it)."""
    return text[:1].upper() + text[1:]


def rag(action) -> Rag:
    """The action's RAG rating as of today (today is read once per request)."""
    if "today" not in g:
        g.today = clock.today()
    return rag_for(action, g.today)


def format_published(report) -> str:
    """When a report was published: the day, or only the month while the day is unconfirmed."""
    if report.publication_date is None:
        return "Not stated"
    if not report.publication_date_confirmed:
        return report.publication_date.strftime("%B %Y") + " (day not confirmed)"
    return format_date(report.publication_date)


def register(app: Flask) -> None:
    app.add_template_filter(format_date, "date")
    app.add_template_filter(format_datetime, "datetime")
    app.add_template_filter(format_published, "published")
    app.add_template_filter(audit_sentence, "audit_sentence")
    app.add_template_filter(audit_when, "audit_when")
    app.add_template_filter(sentence_case, "sentence_case")
    app.add_template_global(RAG_TAG_CLASSES, "rag_tag_classes")
    app.add_template_global(STATUS_TAG_CLASSES, "status_tag_classes")
    app.add_template_global(permissions.can, "can")
    app.add_template_global(permissions.Capability, "Capability")
    app.add_template_global(rag, "rag")
    app.add_template_global(is_unheard, "nobody_reminded")
    app.add_template_global(permissions.has_oversight, "has_oversight")

    @app.context_processor
    def page_context() -> dict:
        return {
            "today": clock.today(),
            "service_name": current_app.config["SERVICE_NAME"],
            "csp_nonce": g.get("csp_nonce", ""),
        }
