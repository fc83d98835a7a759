"""The board pack and the inspection evidence pack as PDF (fpdf2, core Helvetica font).

Written for paper: A4, black text, colour only ever beside a word that says the same thing,
page numbers on every page, table headings repeated after a page break.
"""

from __future__ import annotations

from datetime import date

from flask import current_app
from fpdf import FPDF
from fpdf.fonts import FontFace

from ..models import Recommendation, Report, Status
from ..services.rag import rag_for
from ..clock import local_date, local_time
from ..services.board_pack import BoardPack, owners_text
from ..services.meetings import MeetingChanges
from .chart import SERIES, progress_chart
from .text import latin1

FONT = "Helvetica"
STATUS_COLOURS = {
    Status.VERIFIED: (0, 112, 60), Status.COMPLETED: (40, 161, 151), Status.IN_PROGRESS: (29, 112, 184),
    Status.NOT_STARTED: (177, 180, 182), Status.WITHDRAWN: (80, 90, 95),
}
HEADINGS = FontFace(emphasis="BOLD", fill_color=(243, 242, 241))
# A table row must fit on one page, so long text is shortened in tables (never in the
# evidence pack's running text, which flows across pages).
CELL_LIMIT = 700


def _short(text: str, limit: int = CELL_LIMIT) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "\u2026"


def _day(value: date | None) -> str:
    return value.strftime("%-d %b %Y") if value else "Not set"


CELL_PADDING = 1.2
CELL_LINES = 24  # a table row of this many lines still fits a landscape page with its headings


class _Document(FPDF):
    def __init__(self, *, title: str, footer: str, orientation: str = "L") -> None:
        super().__init__(orientation=orientation, unit="mm", format="A4")
        self.footer_text = latin1(footer)
        self.set_title(latin1(title))
        self.set_creator(latin1(current_app.config["SERVICE_NAME"]))
        self.set_margins(12, 12, 12)
        self.set_auto_page_break(True, margin=16)
        self.set_font(FONT, size=10)

    def footer(self) -> None:
        self.set_y(-11)
        self.set_font(FONT, size=8)
        self.set_text_color(80)
        self.cell(0, 5, f"{self.footer_text} - page {self.page_no()} of {{nb}}", align="C")
        self.set_text_color(0)

    # -- building blocks --

    def heading(self, text: str, size: int = 16, space_before: float = 2) -> None:
        if self.get_y() > self.h - 40:
            self.add_page()
        self.ln(space_before)
        self.set_font(FONT, "B", size)
        self.multi_cell(0, size * 0.5, latin1(text), align="L", new_x="LMARGIN", new_y="NEXT")
        self.ln(1.5)
        self.set_font(FONT, size=10)

    def paragraph(self, text: str, size: int = 10, style: str = "") -> None:
        self.set_font(FONT, style, size)
        self.multi_cell(0, size * 0.5, latin1(text), align="L", new_x="LMARGIN", new_y="NEXT")
        self.set_font(FONT, size=10)

    def table_of(self, headings: list[str], rows: list[list[str]], widths: tuple[float, ...], size: int = 9,
                 numeric_columns: tuple[int, ...] = (), width: float | None = None) -> None:
        self.set_font(FONT, size=size)
        total = width or self.epw
        inner = [total * share / sum(widths) - 2 * CELL_PADDING for share in widths]
        with self.table(col_widths=widths, text_align="LEFT", line_height=size * 0.45, headings_style=HEADINGS,
                        padding=CELL_PADDING, repeat_headings=1, align="LEFT", width=total) as table:
            table.row([latin1(heading) for heading in headings])
            for values in rows:
                row = table.row()
                for index, value in enumerate(values):
                    row.cell(self.fitted(latin1(value), inner[index], size * 0.45),
                             align="RIGHT" if index in numeric_columns else None)
        self.ln(3)
        self.set_font(FONT, size=10)

    def fitted(self, text: str, width: float, line_height: float) -> str:
        """`text` wrapped to the cell's width (long words are broken) and cut, with an ellipsis,
        to at most CELL_LINES lines, so no row is ever taller than a page."""
        lines = self.multi_cell(max(width, 1), line_height, text, dry_run=True, output="LINES")
        if len(lines) <= CELL_LINES:
            return text
        return "\n".join(line.rstrip() for line in lines[:CELL_LINES - 1]) + "\n..."

    def swatch(self, x: float, y: float, colour: tuple[int, int, int], size: float = 3.5) -> None:
        self.set_fill_color(*colour)
        self.rect(x, y, size, size, style="F")


# --- The board pack ----------------------------------------------------------------------


def board_pack_pdf(pack: BoardPack) -> bytes:
    """Cover, summary with the chart, changes since the last meeting, then one row per action."""
    name = pack.organisation.name
    document = _Document(title=f"Board pack: {name}", footer=f"Board pack: {name}, as of {_day(pack.today)}")
    _cover(document, pack)
    _summary(document, pack)
    _changes(document, pack.changes, pack.last_meeting.held_on if pack.last_meeting else None)
    _recommendations(document, pack)
    return bytes(document.output())


def _cover(document: _Document, pack: BoardPack) -> None:
    document.add_page()
    document.ln(30)
    document.set_font(FONT, "B", 28)
    document.multi_cell(0, 13, latin1(pack.organisation.name), align="L", new_x="LMARGIN", new_y="NEXT")
    document.set_font(FONT, "", 20)
    document.multi_cell(0, 10, "Board pack: inspection recommendations", align="L", new_x="LMARGIN", new_y="NEXT")
    document.ln(8)
    meeting = (f"The last board meeting was on {_day(pack.last_meeting.held_on)}."
               if pack.last_meeting else "No board meeting has been recorded yet.")
    document.paragraph(f"Where every recommendation stands on {_day(pack.today)}. {meeting}", size=13)
    document.ln(6)
    summary = pack.summary
    document.paragraph(
        f"{summary.total} actions: {summary.done} completed or verified, {summary.open} open, "
        f"{summary.overdue} overdue, {summary.due_within[30]} due in the next 30 days.", size=13)
    document.ln(6)
    document.paragraph("Contents: 1. Summary and progress over time. 2. What changed since the last meeting and "
                       "what the board must decide. 3. Every recommendation: owner, deadline, status, RAG and why, "
                       "latest update, change since the last meeting.", size=11)
    document.ln(4)
    document.paragraph("RAG is worked out from each action's status, flags and deadline; the reason is printed "
                       "beside every rating. Overdue means the deadline has passed and the action is neither "
                       "completed nor verified.", size=9)


def _summary(document: _Document, pack: BoardPack) -> None:
    summary = pack.summary
    document.add_page()
    document.start_section("Summary")
    document.heading("Summary", 18, 0)
    top = document.get_y()
    column = 90
    document.table_of(["Status", "Actions"], [[status.label, str(count)] for status, count in summary.by_status.items()]
                      + [["All actions", str(summary.total)]], (3, 1), numeric_columns=(1,), width=column)
    document.table_of(["RAG", "Actions"], [[colour.capitalize(), str(count)] for colour, count in summary.by_rag.items()],
                      (3, 1), numeric_columns=(1,), width=column)
    document.table_of(["Deadlines", "Actions"], [["Overdue", str(summary.overdue)]] + [
        [f"Due in the next {days} days", str(count)] for days, count in summary.due_within.items()],
        (3, 1), numeric_columns=(1,), width=column)
    tables_end = document.get_y()
    _chart(document, pack, x=document.l_margin + column + 12, y=top, width=document.epw - column - 12, height=90)
    document.set_y(max(tables_end, document.get_y()))
    if summary.owners:
        document.heading("By owner (an action with two owners counts for both)", 13)
        document.table_of(["Owner", "Actions", "Open", "Overdue"], [
            [load.role + (f" ({load.holder})" if load.holder else ""), str(load.total), str(load.open),
             str(load.overdue)] for load in summary.owners], (8, 1.3, 1.3, 1.3), numeric_columns=(1, 2, 3))
    document.heading("Progress per report", 13)
    document.table_of(
        ["Report", "Published", "Actions", "Completed or verified", "Overdue"],
        [[report.title, _day(report.published), str(report.total), f"{report.done} ({report.percent_done}%)",
          str(report.overdue)] for report in summary.reports] or [["No reports yet", "", "", "", ""]],
        (8, 2, 1.3, 2.2, 1.3), numeric_columns=(2, 3, 4))


def _chart(document: _Document, pack: BoardPack, *, x: float, y: float, width: float, height: float) -> None:
    document.set_xy(x, y)
    document.set_font(FONT, "B", 12)
    document.cell(width, 6, "Progress over time (actions by status)")
    chart = progress_chart(pack.progress, width=width, height=height)
    top = y + 8
    document.set_font(FONT, size=7)
    document.set_draw_color(200)
    for line in chart.gridlines:
        document.line(x + chart.plot_left, top + line.y, x + chart.plot_right, top + line.y)
        document.text(x + chart.plot_left - 2 - document.get_string_width(str(line.value)), top + line.y + 1,
                      str(line.value))
    for bar in chart.bars:
        for segment in bar.segments:
            document.set_fill_color(*STATUS_COLOURS[segment.status])
            document.rect(x + segment.x, top + segment.y, segment.width, segment.height, style="F")
        document.text(x + bar.label_x - document.get_string_width(bar.label) / 2, top + chart.plot_bottom + 4, bar.label)
    legend_y = top + chart.height + 2
    legend_x = x + chart.plot_left
    for status in SERIES:
        document.swatch(legend_x, legend_y - 2.8, STATUS_COLOURS[status])
        document.text(legend_x + 5, legend_y, status.label)
        legend_x += 8 + document.get_string_width(status.label)
    document.set_draw_color(0)
    document.set_font(FONT, size=10)
    document.set_xy(document.l_margin, legend_y + 6)


def _changes(document: _Document, changes: MeetingChanges, since: date | None) -> None:
    document.add_page()
    document.start_section("Since the last meeting")
    title = f"Since the last meeting ({_day(since)})" if since else "Changes so far (no meeting recorded yet)"
    document.heading(title, 18, 0)
    document.paragraph(f"{len(changes.updates)} updates, {len(changes.status_changes)} status changes, "
                       f"{len(changes.new_actions)} new actions, {len(changes.deadline_requests)} requests for more "
                       f"time, up to {_day(changes.until)}.")
    document.heading("For the board to decide: requests for more time", 13)
    if changes.awaiting_decision:
        document.table_of(["Rec.", "Action", "Owner", "Deadline now", "Asked for", "Reason", "Asked by"], [
            [change.action.recommendation.number, _short(change.action.description, 250), owners_text(change.action),
             _day(change.due_on_before), _day(change.requested_due_on), _short(change.reason, 300),
             change.requested_by.name if change.requested_by else "Unknown"]
            for change in changes.awaiting_decision], (1, 5, 3, 1.8, 1.8, 4, 2))
    else:
        document.paragraph("None.")
    document.heading("For the board to sign off: completed actions", 13)
    if changes.awaiting_sign_off:
        document.table_of(["Rec.", "Action", "Owner", "Deadline", "Completed"], [
            [action.recommendation.number, _short(action.description, 400), owners_text(action), _day(action.due_on),
             _day(local_date(action.completed_at)) if action.completed_at else ""]
            for action in changes.awaiting_sign_off], (1, 9, 4, 2, 2))
    else:
        document.paragraph("None.")
    document.heading("Status changes", 13)
    if changes.status_changes:
        document.table_of(["Date", "Rec.", "Action", "From", "To", "By", "Note"], [
            [_day(local_date(update.created_at)), update.action.recommendation.number,
             _short(update.action.description, 200), update.status_before.label, update.status_after.label,
             update.author_name, _short(update.note, 300)]
            for update in reversed(changes.status_changes)], (1.8, 1, 5, 1.7, 1.7, 2.3, 5))
    else:
        document.paragraph("None.")
    if changes.deadline_decisions:
        document.heading("Deadline changes decided", 13)
        document.table_of(["Rec.", "Action", "From", "To", "Decision", "Note"], [
            [change.action.recommendation.number, _short(change.action.description, 250), _day(change.due_on_before),
             _day(change.requested_due_on), change.status.value.capitalize(), _short(change.decision_note or "", 300)]
            for change in changes.deadline_decisions], (1, 6, 1.8, 1.8, 1.6, 5))


def _recommendations(document: _Document, pack: BoardPack) -> None:
    document.add_page()
    document.start_section("Recommendations")
    document.heading("Every recommendation", 18, 0)
    if not pack.rows:
        document.paragraph("No recommendations have been imported yet.")
        return
    widths = (1.1, 6.5, 3.4, 2.1, 1.9, 3.0, 4.6, 3.4)
    headings = ["No.", "Recommendation", "Owner", "Deadline", "Status", "RAG and why", "Latest update",
                "Since last meeting"]
    current_report = None
    rows: list[list[str]] = []
    for row in pack.rows:
        if row.report_title != current_report:
            if rows:
                document.table_of(headings, rows, widths, size=8)
                rows = []
            current_report = row.report_title
            document.heading(f"{row.report_title} (published {_day(row.published)})", 12)
        text = _short(row.recommendation, 600)
        if row.step:
            text = f"Step: {_short(row.step, 300)}\n(under: {_short(row.recommendation, 200)})"
        deadline = _day(row.due_on)
        if row.due_on != row.original_due_on:
            deadline += f" (was {_day(row.original_due_on)})"
        status = row.status.label + (f"\n{row.flag}" if row.flag else "")
        latest = (f"{_day(row.latest_update_on)}: " if row.latest_update_on else "") + _short(row.latest_update, 400)
        rows.append([row.number, text, row.owners, deadline, status,
                     f"{row.rag.colour.capitalize()}: {row.rag.reason}", latest, row.changes])
    document.table_of(headings, rows, widths, size=8)


# --- The inspection evidence pack --------------------------------------------------------


def evidence_pack_pdf(report: Report, recommendations: list[Recommendation], today: date) -> bytes:
    """For the next inspection: every recommendation with what was done, when, by whom, and the
    evidence, as a running document (long notes flow across pages)."""
    organisation = report.organisation.name
    document = _Document(title=f"Evidence pack: {report.title}", orientation="P",
                         footer=f"Evidence pack: {organisation}, {report.title}, as of {_day(today)}")
    document.add_page()
    document.heading(organisation, 22, 0)
    document.paragraph(f"Evidence pack for: {report.title}", size=14, style="B")
    document.paragraph(f"{report.inspectorate or 'Inspectorate not stated'}; published {_day(report.publication_date)}; "
                       f"overall rating: {report.overall_rating or 'not rated'}. Prepared on {_day(today)}.")
    document.ln(2)
    document.paragraph(f"{len(recommendations)} recommendations. For each: its actions, every update in order, "
                       "the evidence attached (file name, type, size, date and SHA-256 fingerprint, so the file "
                       "can be checked) and any change of deadline.", size=9)
    for recommendation in recommendations:
        _evidence_for(document, recommendation, today)
    return bytes(document.output())


def _evidence_for(document: _Document, recommendation: Recommendation, today: date) -> None:
    document.heading(f"Recommendation {recommendation.number}", 14, 6)
    document.paragraph(recommendation.text)
    if recommendation.owner_phrases:
        document.paragraph(f"Owner in the report: {'; '.join(recommendation.owner_phrases)}", size=9, style="I")
    for action in recommendation.actions:
        rag = rag_for(action, today)
        document.heading(f"Step: {action.title}" if action.title else "Action", 11, 2)
        facts = [
            ["Owner", owners_text(action)],
            ["Deadline", _day(action.due_on) + (f" (originally {_day(action.original_due_on)})"
                                                if action.due_on != action.original_due_on else "")],
            ["Status", action.status.label + (f" ({action.flag.label.lower()}: {action.flag_reason})"
                                              if action.flag else "")],
            ["RAG", f"{rag.colour.capitalize()}: {rag.reason}"],
        ]
        if action.verified_at:
            by = action.verified_by.name if action.verified_by else "the board"
            facts.append(["Verified", f"{_day(local_date(action.verified_at))} by {by}"])
        if action.withdrawn_reason:
            facts.append(["Withdrawn", f"{action.withdrawn_reason} (board decision: {action.withdrawn_decision or ''})"])
        document.table_of(["", ""], facts, (1, 5), size=9)
        evidence = [item for update in action.updates for item in update.evidence]
        document.paragraph("Evidence", size=10, style="B")
        if evidence:
            document.table_of(["File", "Type", "Size", "Uploaded", "SHA-256"], [
                [item.filename, item.media_type, _size(item.size_bytes), _day(local_date(item.uploaded_at)),
                 item.sha256[:16] + "..."] for item in evidence], (5, 2.5, 1.3, 1.8, 2.6), size=8)
        links = [link for update in action.updates for link in update.links]
        if links:
            document.paragraph("Links given as evidence: " + "; ".join(links), size=8)
        if not evidence and not links:
            document.paragraph("No evidence attached yet.", size=9)
        if action.deadline_changes:
            document.paragraph("Deadline changes", size=10, style="B")
            document.table_of(["Asked on", "From", "To", "Reason", "Decision"], [
                [_day(local_date(change.requested_at)), _day(change.due_on_before), _day(change.requested_due_on),
                 _short(change.reason, 400),
                 change.status.value.capitalize() + (f": {_short(change.decision_note, 200)}" if change.decision_note else "")]
                for change in action.deadline_changes], (1.6, 1.6, 1.6, 4, 3), size=8)
        document.paragraph("Updates", size=10, style="B")
        if not action.updates:
            document.paragraph("No updates yet.", size=9)
        for update in reversed(action.updates):  # oldest first: the story in order
            moved = (f": {update.status_before.label} to {update.status_after.label.lower()}"
                     if update.status_before is not update.status_after else "")
            document.paragraph(f"{local_time(update.created_at).strftime('%-d %b %Y %H:%M')}, {update.author_name}{moved}",
                               size=9, style="B")
            if update.note:
                document.paragraph(update.note, size=9)
            document.ln(1)


def _size(size: int) -> str:
    if size < 1024:
        return f"{size} bytes"
    if size < 1024 * 1024:
        return f"{size / 1024:.0f} KB"
    return f"{size / 1024 / 1024:.1f} MB"
