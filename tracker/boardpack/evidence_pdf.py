"""The inspection evidence pack as PDF: every recommendation with what was done, when, by
whom, and the evidence, as a running document for the next inspection."""

from __future__ import annotations

from datetime import date

from ..clock import local_date, local_time, short_date
from ..models import Recommendation, Report
from ..services.board.pack import owners_text
from ..services.rag import rag_for
from .document import Document


def _short(text: str, limit: int = 700) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "\u2026"


def evidence_pack_pdf(report: Report, recommendations: list[Recommendation], today: date) -> bytes:
    """For the next inspection: every recommendation with what was done, when, by whom, and the
    evidence, as a running document (long notes flow across pages)."""
    organisation = report.organisation.name
    document = Document(
        title=f"Evidence pack: {report.title}",
        orientation="P",
        footer=f"Evidence pack: {organisation}, {report.title}, as of {short_date(today)}",
    )
    document.add_page()
    document.heading(organisation, 22, 0)
    document.paragraph(f"Evidence pack for: {report.title}", size=14, style="B")
    document.paragraph(
        f"{report.inspectorate or 'Inspectorate not stated'}; published {short_date(report.publication_date)}; "
        f"overall rating: {report.overall_rating or 'not rated'}. Prepared on {short_date(today)}."
    )
    document.ln(2)
    document.paragraph(
        f"{len(recommendations)} recommendations. For each: its actions, every update in order, "
        "the evidence attached (file name, type, size, date and SHA-256 fingerprint, so the file "
        "can be checked) and any change of deadline.",
        size=9,
    )
    for recommendation in recommendations:
        _evidence_for(document, recommendation, today)
    return bytes(document.output())


def _evidence_for(document: Document, recommendation: Recommendation, today: date) -> None:
    document.heading(recommendation.full_name[:1].upper() + recommendation.full_name[1:], 14, 6)
    document.paragraph(recommendation.text)
    if recommendation.owner_phrases:
        document.paragraph(f"Owner in the report: {'; '.join(recommendation.owner_phrases)}", size=9, style="I")
    for action in recommendation.actions:
        rag = rag_for(action, today)
        document.heading(f"Step: {action.title}" if action.title else "Action", 11, 2)
        facts = [
            ["Owner", owners_text(action)],
            [
                "Deadline",
                short_date(action.due_on)
                + (
                    f" (originally {short_date(action.original_due_on)})"
                    if action.due_on != action.original_due_on
                    else ""
                ),
            ],
            [
                "Status",
                action.status.label + (f" ({action.flag.label.lower()}: {action.flag_reason})" if action.flag else ""),
            ],
            ["RAG", f"{rag.colour.capitalize()}: {rag.reason}"],
        ]
        if action.verified_at:
            by = action.verified_by.name if action.verified_by else "the board"
            facts.append(["Verified", f"{short_date(local_date(action.verified_at))} by {by}"])
        if action.withdrawn_reason:
            facts.append(
                ["Withdrawn", f"{action.withdrawn_reason} (board decision: {action.withdrawn_decision or ''})"]
            )
        document.table_of(["", ""], facts, (1, 5), size=9)
        evidence = [item for update in action.updates for item in update.evidence]
        document.paragraph("Evidence", size=10, style="B")
        if evidence:
            document.table_of(
                ["File", "Type", "Size", "Uploaded", "SHA-256"],
                [
                    [
                        item.filename,
                        item.media_type,
                        _size(item.size_bytes),
                        short_date(local_date(item.uploaded_at)),
                        item.sha256[:16] + "...",
                    ]
                    for item in evidence
                ],
                (5, 2.5, 1.3, 1.8, 2.6),
                size=8,
            )
        links = [link for update in action.updates for link in update.links]
        if links:
            document.paragraph("Links given as evidence: " + "; ".join(links), size=8)
        if not evidence and not links:
            document.paragraph("No evidence attached yet.", size=9)
        if action.deadline_changes:
            document.paragraph("Deadline changes", size=10, style="B")
            document.table_of(
                ["Asked on", "From", "To", "Reason", "Decision"],
                [
                    [
                        short_date(local_date(change.requested_at)),
                        short_date(change.due_on_before),
                        short_date(change.requested_due_on),
                        _short(change.reason, 400),
                        change.status.value.capitalize()
                        + (f": {_short(change.decision_note, 200)}" if change.decision_note else ""),
                    ]
                    for change in action.deadline_changes
                ],
                (1.6, 1.6, 1.6, 4, 3),
                size=8,
            )
        document.paragraph("Updates", size=10, style="B")
        if not action.updates:
            document.paragraph("No updates yet.", size=9)
        for update in reversed(action.updates):  # oldest first: the story in order
            moved = (
                f": {update.status_before.label} to {update.status_after.label.lower()}"
                if update.status_before is not update.status_after
                else ""
            )
            document.paragraph(
                f"{short_date(local_time(update.created_at))} {local_time(update.created_at):%H:%M}, "
                f"{update.author_name}{moved}",
                size=9,
                style="B",
            )
            if update.note:
                document.paragraph(update.note, size=9)
            document.ln(1)


def _size(size: int) -> str:
    if size < 1024:
        return f"{size} bytes"
    if size < 1024 * 1024:
        return f"{size / 1024:.0f} KB"
    return f"{size / 1024 / 1024:.1f} MB"
