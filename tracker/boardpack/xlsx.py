"""The board pack as an Excel workbook: the same figures and rows as the PDF, in sheets with
filters, so a board officer can sort and slice without retyping anything."""

from __future__ import annotations

from ..clock import local_date, short_date
from ..exports import Sheet, xlsx_bytes
from ..models import Status
from ..services.board.pack import BoardPack, owners_text
from .chart import SERIES
from .columns import ACTION_COLUMNS, action_values

WIDE = 60


def _exceptions(pack: BoardPack) -> Sheet:
    """The PDF's page 1: decisions waiting, then overdue, then at risk or blocked."""
    from .pdf import exception_rows
    from .repeats import repeat_exception_rows

    overdue, flagged = exception_rows(pack)
    changes = pack.changes
    rows = [
        [
            "Decision: more time",
            change.action_id,
            change.action.recommendation.full_name,
            owners_text(change.action),
            change.due_on_before,
            None,
            change.action.status.label,
            "",
            "",
            f"Asked for {short_date(change.requested_due_on)}: {change.reason}",
        ]
        for change in changes.awaiting_decision
    ]
    rows += [
        [
            "Decision: sign off",
            action.id,
            action.recommendation.full_name,
            owners_text(action),
            action.due_on,
            None,
            action.status.label,
            "",
            "",
            "Completed, awaiting sign-off",
        ]
        for action in changes.awaiting_sign_off
    ]
    rows += [
        [
            kind,
            row.action_id,
            row.recommendation_name,
            row.owners,
            row.due_on,
            row.days_overdue or None,
            row.status.label,
            row.rag.colour.capitalize(),
            row.rag.reason,
            row.flag or row.latest_update,
        ]
        for kind, group in (("Overdue", overdue), ("At risk or blocked", flagged))
        for row in group
    ]
    rows += repeat_exception_rows(pack)
    rows += [
        [
            "Nobody will be reminded",
            row.action_id,
            row.recommendation_name,
            row.owners,
            row.due_on,
            row.days_overdue or None,
            row.status.label,
            row.rag.colour.capitalize(),
            row.rag.reason,
            "Nobody holds the owner roles: give them a holder on the Roles page",
        ]
        for row in pack.rows
        if row.nobody_reminded
    ]
    return Sheet(
        "Exceptions",
        [
            "Exception",
            "Action ID",
            "Recommendation",
            "Owners",
            "Deadline",
            "Days overdue",
            "Status",
            "RAG",
            "RAG reason",
            "Detail",
        ],
        rows,
        {1: 24, 3: 40, 4: 30, 9: 30, 10: WIDE},
    )


def board_pack_xlsx(pack: BoardPack) -> bytes:
    summary, changes = pack.summary, pack.changes
    return xlsx_bytes(
        [
            Sheet(
                "About",
                (),
                [
                    ("Organisation", pack.organisation.name),
                    ("Board pack as of", pack.today),
                    ("Last board meeting", pack.last_meeting.held_on if pack.last_meeting else "None recorded"),
                    (
                        "Sheets",
                        "Exceptions (what needs the board now, as on page 1 of the PDF); Summary; Reports; Owners; "
                        "Actions (one row per action); Since last meeting; Progress over time",
                    ),
                ],
                {1: 22, 2: 80},
                labels=True,
            ),
            _exceptions(pack),
            Sheet("Summary", ["Figure", "Actions"], summary.as_rows(), {1: 32, 2: 10}),
            Sheet(
                "Reports",
                ["Report ID", "Report", "Published", "Actions", "Completed or verified", "Per cent done", "Overdue"],
                [
                    [
                        report.report_id,
                        report.title,
                        report.published,
                        report.total,
                        report.done,
                        report.percent_done,
                        report.overdue,
                    ]
                    for report in summary.reports
                ],
                {2: WIDE},
            ),
            Sheet(
                "Owners",
                ["Role ID", "Owner", "Held by", "Actions", "Open", "Overdue"],
                [
                    [load.role_id, load.role, load.holder or "", load.total, load.open, load.overdue]
                    for load in summary.owners
                ],
                {2: 40, 3: 30},
            ),
            Sheet(
                "Actions",
                ACTION_COLUMNS,
                (action_values(row) for row in pack.rows),
                {2: 30, 5: WIDE, 6: 30, 7: 30, 13: 30, 16: WIDE, 17: 40},
                wrap=True,
            ),
            Sheet(
                "Since last meeting",
                ["What", "Action ID", "Recommendation number", "Action", "Owners", "Date", "Detail"],
                [
                    *(
                        [
                            "Deadline change awaiting decision",
                            change.action_id,
                            change.action.recommendation.number,
                            change.action.description,
                            owners_text(change.action),
                            local_date(change.requested_at),
                            f"{short_date(change.due_on_before)} to {short_date(change.requested_due_on)}: "
                            f"{change.reason}",
                        ]
                        for change in changes.awaiting_decision
                    ),
                    *(
                        [
                            "Completed, awaiting sign-off",
                            action.id,
                            action.recommendation.number,
                            action.description,
                            owners_text(action),
                            local_date(action.completed_at) if action.completed_at else None,
                            "",
                        ]
                        for action in changes.awaiting_sign_off
                    ),
                    *(
                        [
                            "Status change" if update.status_before is not update.status_after else "Update",
                            update.action_id,
                            update.action.recommendation.number,
                            update.action.description,
                            owners_text(update.action),
                            local_date(update.created_at),
                            (
                                f"{update.status_before.label} to {update.status_after.label.lower()}. "
                                if update.status_before is not update.status_after
                                else ""
                            )
                            + f"{update.author_name}: {update.note}",
                        ]
                        for update in reversed(changes.updates)
                    ),
                    *(
                        [
                            "New action",
                            action.id,
                            action.recommendation.number,
                            action.description,
                            owners_text(action),
                            local_date(action.created_at),
                            "",
                        ]
                        for action in changes.new_actions
                    ),
                ],
                {1: 32, 4: WIDE, 5: 30, 7: WIDE},
            ),
            Sheet(
                "Progress over time",
                ["Day", *(status.label for status in SERIES), "Withdrawn"],
                [
                    [point.day, *(point.by_status[status] for status in SERIES), point.by_status[Status.WITHDRAWN]]
                    for point in pack.progress
                ],
            ),
        ]
    )
