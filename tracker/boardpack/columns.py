"""The columns of one action, shared by the Excel "Actions" sheet and the CSV file."""

from __future__ import annotations

from datetime import date

from ..services.board.pack import PackRow

ACTION_COLUMNS: tuple[str, ...] = (
    "Action ID",
    "Report",
    "Published",
    "Recommendation number",
    "Recommendation",
    "Plan step",
    "Owners",
    "Original deadline",
    "Deadline",
    "Status",
    "Flag",
    "RAG",
    "RAG reason",
    "Days overdue",
    "Latest update on",
    "Latest update",
    "Changes since last meeting",
    "Recommendation (report and number)",
)


def action_values(row: PackRow) -> list[str | int | date | None]:
    return [
        row.action_id,
        row.report_title,
        row.published,
        row.number,
        row.recommendation,
        row.step or "",
        row.owners,
        row.original_due_on,
        row.due_on,
        row.status.label,
        row.flag,
        row.rag.colour.capitalize(),
        row.rag.reason,
        row.days_overdue,
        row.latest_update_on,
        row.latest_update,
        row.changes,
        row.recommendation_name[:1].upper() + row.recommendation_name[1:],
    ]
