"""The board pack as PDF (fpdf2, embedded DejaVu Sans: see document.py).

A chair reads page 1 first: the exceptions (overdue, at risk or blocked, decisions the board
must take), then the summary, what changed since the last meeting and every recommendation.
Sections flow one after another rather than each starting a page, so no page is left nearly
empty. RAG is always a word, with a light tint of its colour behind it, so the pack reads the
same printed in black and white.
"""

from __future__ import annotations

from datetime import date

from fpdf.fonts import FontFace

from ..clock import local_date, short_date
from ..models import Status
from ..services.board.meetings import MeetingChanges
from ..services.board.pack import BoardPack, PackRow, owners_text
from .chart import SERIES, progress_chart
from .document import FONT, Document
from .evidence_pdf import evidence_pack_pdf
from .repeats import repeats_pdf_section

__all__ = ["board_pack_pdf", "evidence_pack_pdf"]

STATUS_COLOURS = {
    Status.VERIFIED: (0, 112, 60),
    Status.COMPLETED: (40, 161, 151),
    Status.IN_PROGRESS: (29, 112, 184),
    Status.NOT_STARTED: (196, 208, 221),
    Status.WITHDRAWN: (80, 90, 95),
}
RAG_COLOURS = {"red": (212, 53, 28), "amber": (244, 119, 56), "green": (0, 112, 60), "grey": (80, 90, 95)}
# Light tints behind the RAG word: legible in colour and as pale greys on a mono printer.
RAG_TINTS = {"red": (250, 215, 208), "amber": (253, 228, 209), "green": (208, 235, 220), "grey": (236, 237, 238)}
# A table row must fit on one page, so long text is shortened in tables.
CELL_LIMIT = 700


def _short(text: str, limit: int = CELL_LIMIT) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "\u2026"


def rag_style(colour: str) -> FontFace:
    return FontFace(emphasis="BOLD", fill_color=RAG_TINTS.get(colour, RAG_TINTS["grey"]))


def recommendation_name(row: PackRow) -> str:
    """The report's short name and the number: "4" alone is ambiguous across reports."""
    name = getattr(row, "recommendation_name", None) or f"{row.report_title}, recommendation {row.number}"
    return name[:1].upper() + name[1:]


# --- The board pack ----------------------------------------------------------------------


def board_pack_pdf(pack: BoardPack) -> bytes:
    """Exceptions first, then the summary, changes since the last meeting and every action."""
    name = pack.organisation.name
    document = Document(title=f"Board pack: {name}", footer=f"Board pack: {name}, as of {short_date(pack.today)}")
    document.add_page()
    _title(document, pack)
    _exceptions(document, pack)
    repeats_pdf_section(document, pack)
    _summary(document, pack)
    _changes(document, pack.changes, pack.last_meeting.held_on if pack.last_meeting else None)
    _recommendations(document, pack)
    return bytes(document.output())


def _title(document: Document, pack: BoardPack) -> None:
    document.set_font(FONT, "B", 20)
    document.multi_cell(0, 9, pack.organisation.name, align="L", new_x="LMARGIN", new_y="NEXT")
    document.set_font(FONT, "", 13)
    meeting = (
        f"The last board meeting was on {short_date(pack.last_meeting.held_on)}."
        if pack.last_meeting
        else "No board meeting has been recorded yet."
    )
    summary = pack.summary
    document.multi_cell(
        0,
        6.5,
        f"Board pack: inspection recommendations, as of {short_date(pack.today)}. {meeting}",
        align="L",
        new_x="LMARGIN",
        new_y="NEXT",
    )
    document.paragraph(
        f"{summary.total} actions: {summary.done} completed or verified, {summary.open} open, "
        f"{summary.overdue} overdue, {summary.due_within[30]} due in the next 30 days. RAG comes from each "
        "action's status, flags and deadline, printed as a word with its reason.",
        size=9,
    )


def exception_rows(pack: BoardPack) -> tuple[list[PackRow], list[PackRow]]:
    """(overdue, at risk or blocked but not overdue), in the pack's order."""
    overdue = [row for row in pack.rows if row.days_overdue > 0]
    flagged = [row for row in pack.rows if row.flag and row.days_overdue == 0 and not row.status.is_closed]
    return overdue, flagged


def _exceptions(document: Document, pack: BoardPack) -> None:
    document.start_section("Exceptions")
    document.heading("Exceptions: what needs the board now", 16, 0)
    overdue, flagged = exception_rows(pack)
    changes = pack.changes
    unheard = [row for row in pack.rows if row.nobody_reminded]
    if not (overdue or flagged or unheard or changes.awaiting_decision or changes.awaiting_sign_off):
        document.paragraph("Nothing is overdue, at risk or blocked, and no decision is waiting.")
        return
    decisions = [
        [
            _action_name(change.action),
            owners_text(change.action),
            f"More time: from {short_date(change.due_on_before)} to {short_date(change.requested_due_on)}. "
            f"{_short(change.reason, 200)}",
        ]
        for change in changes.awaiting_decision
    ]
    decisions += [
        [
            _action_name(action),
            owners_text(action),
            "Sign off as verified (completed"
            + (f" {short_date(local_date(action.completed_at))}" if action.completed_at else "")
            + ")",
        ]
        for action in changes.awaiting_sign_off
    ]
    if decisions:
        document.heading(f"Decisions needed ({len(decisions)})", 12, 0)
        document.table_of(["Recommendation", "Owner", "Decision"], decisions, (8, 4, 7), size=8)
    widths = (8.0, 4.2, 2.0, 1.3, 2.2, 3.6, 4.5)
    headings = ["Recommendation", "Owner", "Deadline", "Days late", "Status", "RAG and why", "Latest update"]
    for title, rows in ((f"Overdue ({len(overdue)})", overdue), (f"At risk or blocked ({len(flagged)})", flagged)):
        if not rows:
            continue
        document.heading(title, 12, 1, room=20)
        document.table_of(
            headings,
            [
                [
                    f"{recommendation_name(row)}: {_short(row.step or row.recommendation, 50)}",
                    row.owners,
                    short_date(row.due_on),
                    str(row.days_overdue) if row.days_overdue else "",
                    row.status.label + (f"\n{row.flag}" if row.flag else ""),
                    f"{row.rag.colour.capitalize()}: {row.rag.reason}",
                    _latest(row, 160),
                ]
                for row in rows
            ],
            widths,
            size=8,
            numeric_columns=(3,),
            styles=[{5: rag_style(row.rag.colour)} for row in rows],
        )
    if unheard:
        document.heading(f"Nobody will be reminded ({len(unheard)})", 12, 1, room=20)
        document.paragraph(
            "Nobody holds these actions' owner roles (no holder or deputy with an email address), "
            "so no reminder will reach anyone. Give the roles a holder on the Roles page."
        )
        document.table_of(
            ["Recommendation", "Owner", "Deadline", "Status"],
            [
                [
                    f"{recommendation_name(row)}: {_short(row.step or row.recommendation, 50)}",
                    row.owners,
                    short_date(row.due_on),
                    row.status.label,
                ]
                for row in unheard
            ],
            (10, 6, 2.6, 2.4),
            size=8,
        )


def _action_name(action) -> str:
    name = action.recommendation.full_name
    text = f"{name[:1].upper()}{name[1:]}: {_short(action.title or action.recommendation.text, 50)}"
    return text


def _latest(row: PackRow, limit: int) -> str:
    return (f"{short_date(row.latest_update_on)}: " if row.latest_update_on else "") + _short(row.latest_update, limit)


def _summary(document: Document, pack: BoardPack) -> None:
    summary = pack.summary
    document.start_section("Summary")
    document.keep_room(100)  # the three small tables beside the chart stay together
    document.heading("Summary", 16, 2)
    top = document.get_y()
    column = 90
    document.table_of(
        ["Status", "Actions"],
        [[status.label, str(count)] for status, count in summary.by_status.items()]
        + [["All actions", str(summary.total)]],
        (3, 1),
        numeric_columns=(1,),
        width=column,
    )
    document.table_of(
        ["RAG", "Actions"],
        [[colour.capitalize(), str(count)] for colour, count in summary.by_rag.items()],
        (3, 1),
        numeric_columns=(1,),
        width=column,
        styles=[{0: rag_style(colour)} for colour in summary.by_rag],
    )
    document.table_of(
        ["Deadlines", "Actions"],
        [["Overdue", str(summary.overdue)]]
        + [[f"Due in the next {days} days", str(count)] for days, count in summary.due_within.items()],
        (3, 1),
        numeric_columns=(1,),
        width=column,
    )
    tables_end = document.get_y()
    _chart(document, pack, x=document.l_margin + column + 12, y=top, width=document.epw - column - 12, height=70)
    document.set_y(max(tables_end, document.get_y()))
    if summary.owners:
        document.heading("By owner (an action with two owners counts for both)", 12)
        document.table_of(
            ["Owner", "Actions", "Open", "Overdue"],
            [
                [
                    load.role + (f" ({load.holder})" if load.holder else ""),
                    str(load.total),
                    str(load.open),
                    str(load.overdue),
                ]
                for load in summary.owners
            ],
            (8, 1.3, 1.3, 1.3),
            numeric_columns=(1, 2, 3),
        )
    document.heading("Progress per report", 12)
    document.table_of(
        ["Report", "Published", "Actions", "Completed or verified", "Overdue"],
        [
            [
                report.title,
                short_date(report.published),
                str(report.total),
                f"{report.done} ({report.percent_done}%)",
                str(report.overdue),
            ]
            for report in summary.reports
        ]
        or [["No reports yet", "", "", "", ""]],
        (8, 2, 1.3, 2.2, 1.3),
        numeric_columns=(2, 3, 4),
    )


def _chart(document: Document, pack: BoardPack, *, x: float, y: float, width: float, height: float) -> None:
    document.set_xy(x, y)
    document.set_font(FONT, "B", 11)
    document.cell(width, 6, "Progress over time (actions by status)")
    chart = progress_chart(pack.progress, width=width, height=height)
    top = y + 8
    document.set_font(FONT, size=7)
    document.set_draw_color(200)
    for line in chart.gridlines:
        document.line(x + chart.plot_left, top + line.y, x + chart.plot_right, top + line.y)
        document.text(
            x + chart.plot_left - 2 - document.get_string_width(str(line.value)), top + line.y + 1, str(line.value)
        )
    for bar in chart.bars:
        for segment in bar.segments:
            document.set_fill_color(*STATUS_COLOURS[segment.status])
            document.rect(x + segment.x, top + segment.y, segment.width, segment.height, style="F")
        document.text(
            x + bar.label_x - document.get_string_width(bar.label) / 2, top + chart.plot_bottom + 4, bar.label
        )
    legend_y = top + chart.height + 2
    legend_x = x + chart.plot_left
    for status in SERIES:
        document.swatch(legend_x, legend_y - 2.8, STATUS_COLOURS[status])
        document.text(legend_x + 5, legend_y, status.label)
        legend_x += 8 + document.get_string_width(status.label)
    document.set_draw_color(0)
    document.set_fill_color(255, 255, 255)
    document.set_font(FONT, size=10)
    document.set_xy(document.l_margin, legend_y + 6)


def _changes(document: Document, changes: MeetingChanges, since: date | None) -> None:
    document.start_section("Since the last meeting")
    title = (
        f"Since the last meeting ({short_date(since)})"
        if since
        else f"Changes in the last three months, after {short_date(changes.since)} (no meeting recorded yet)"
    )
    document.heading(title, 16, 4)
    document.paragraph(
        f"{len(changes.updates)} updates, {len(changes.status_changes)} status changes, "
        f"{len(changes.new_actions)} new actions, {len(changes.deadline_requests)} requests for more "
        f"time, up to {short_date(changes.until)}. Requests and sign-offs waiting for the board are on "
        "page 1."
    )
    document.heading("Status changes", 12)
    if changes.status_changes:
        document.table_of(
            ["Date", "Recommendation", "From", "To", "By", "Note"],
            [
                [
                    short_date(local_date(update.created_at)),
                    _action_name(update.action),
                    update.status_before.label,
                    update.status_after.label,
                    update.author_name,
                    _short(update.note, 300),
                ]
                for update in reversed(changes.status_changes)
            ],
            (1.8, 6, 1.7, 1.7, 2.3, 5),
        )
    else:
        document.paragraph("None.")
    if changes.deadline_decisions:
        document.heading("Deadline changes decided", 12)
        document.table_of(
            ["Recommendation", "From", "To", "Decision", "Note"],
            [
                [
                    _action_name(change.action),
                    short_date(change.due_on_before),
                    short_date(change.requested_due_on),
                    change.status.value.capitalize(),
                    _short(change.decision_note or "", 300),
                ]
                for change in changes.deadline_decisions
            ],
            (7, 1.8, 1.8, 1.6, 5),
        )


def _recommendations(document: Document, pack: BoardPack) -> None:
    document.start_section("Recommendations")
    document.heading("Every recommendation", 16, 4)
    if not pack.rows:
        document.paragraph("No recommendations have been imported yet.")
        return
    widths = (1.4, 6.5, 3.4, 2.1, 1.9, 3.0, 4.6, 3.4)
    headings = [
        "No.",
        "Recommendation",
        "Owner",
        "Deadline",
        "Status",
        "RAG and why",
        "Latest update",
        "Since last meeting",
    ]
    current_report = None
    rows: list[list[str]] = []
    styles: list[dict[int, FontFace]] = []
    for row in pack.rows:
        if row.report_title != current_report:
            if rows:
                document.table_of(headings, rows, widths, size=8, styles=styles)
                rows, styles = [], []
            current_report = row.report_title
            document.heading(f"{row.report_title} (published {short_date(row.published)})", 12)
        text = _short(row.recommendation, 600)
        if row.step:
            text = f"Step {row.reference}: {_short(row.step, 300)}\n(under: {_short(row.recommendation, 200)})"
        deadline = short_date(row.due_on)
        if row.due_on != row.original_due_on:
            deadline += f" (was {short_date(row.original_due_on)})"
        status = row.status.label + (f"\n{row.flag}" if row.flag else "")
        rows.append(
            [
                row.reference or row.number,
                text,
                row.owners,
                deadline,
                status,
                f"{row.rag.colour.capitalize()}: {row.rag.reason}",
                _latest(row, 400),
                row.changes,
            ]
        )
        styles.append({5: rag_style(row.rag.colour)})
    document.table_of(headings, rows, widths, size=8, styles=styles)
