"""The board pack's repeats, on the exceptions page (PDF) and sheet (Excel): open actions on
recommendations an earlier inspection asked before, saying which were once signed off."""

from __future__ import annotations

from ..clock import short_date
from ..services.board.pack import BoardPack
from .document import Document


def repeats_pdf_section(document: Document, pack: BoardPack) -> None:
    """After the exceptions: "Asked before (n, m once signed off as complete)"."""
    if not pack.repeats:
        return
    signed_off = sum(1 for row in pack.repeats if row.once_signed_off)
    document.heading(
        f"Asked before ({len(pack.repeats)}, of which {signed_off} once signed off as complete)", 12, 1, room=20
    )
    document.paragraph(
        "Recommendations an earlier inspection made before. One that returns after it was signed off "
        "as complete is the strongest sign that a fix did not hold.",
        size=9,
    )
    document.table_of(
        ["Recommendation", "Owner", "Deadline", "Status", "Asked before"],
        [
            [
                f"{row.recommendation_name[:1].upper()}{row.recommendation_name[1:]}: {_short(row.recommendation, 50)}",
                row.owners,
                short_date(row.due_on),
                row.status.label,
                ("ONCE SIGNED OFF AS COMPLETE. " if row.once_signed_off else "") + _short(row.earlier_text, 300),
            ]
            for row in pack.repeats
        ],
        (8.0, 4.2, 2.0, 2.2, 9.4),
        size=8,
    )


def repeat_exception_rows(pack: BoardPack) -> list[list]:
    """Rows for the Excel exceptions sheet, in its columns: Exception, Action ID, Recommendation,
    Owners, Deadline, Days overdue, Status, RAG, RAG reason, Detail."""
    return [
        [
            "Asked before, once signed off" if row.once_signed_off else "Asked before",
            row.action_id,
            row.recommendation_name,
            row.owners,
            row.due_on,
            None,
            row.status.label,
            "",
            "",
            row.earlier_text,
        ]
        for row in pack.repeats
    ]


def _short(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "\u2026"
