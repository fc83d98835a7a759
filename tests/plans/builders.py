"""Plans built in the tests, as managers' spreadsheets look: a title block, merged cells, RAG."""

from __future__ import annotations

import io
from datetime import date

from openpyxl import Workbook

HEADINGS = [
    "Rec No.",
    "Recommendation",
    "Action",
    "Lead officer",
    "Target date",
    "RAG",
    "Progress update",
    "Date of update",
]

RECOMMENDATIONS = [
    (
        "1",
        "Improve the quality of assessments of risk of harm to others.",
        [
            (
                "Audit twenty assessments each quarter",
                "Head of Service",
                "31/03/2026",
                "G",
                "First audit done in January.",
                date(2026, 1, 20),
            ),
            (
                "Train case managers in risk assessment",
                "Practice Manager",
                "31 March 2026",
                "A",
                "Two of three sessions held.",
                "15/02/2026",
            ),
            ("Report audit findings to the board", "Chair of the Management Board", "Mar-26", "R", None, None),
        ],
    ),
    (
        "2",
        "Make sure every child has a plan to keep them safe.",
        [
            (
                "Review safety plans for open cases",
                "Head of Service",
                "Q1 2026/27",
                "B",
                "All open cases reviewed.",
                date(2026, 3, 1),
            ),
            ("Add safety planning to supervision", "Practice Manager", date(2026, 6, 30), "Not started", None, None),
            (
                "Check safety plans in the monthly audit",
                "Head of Service",
                "30/06/2026",
                "On track",
                "Added to the audit tool.",
                "01/03/2026",
            ),
        ],
    ),
]


def title_block_plan(recommendations=RECOMMENDATIONS, *, merge: bool = True) -> bytes:
    """Two title rows and a blank row above the header; each recommendation merged over its steps."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Improvement plan"
    sheet["A1"] = "Northshire Youth Justice Service"
    sheet["A2"] = "Post-inspection improvement plan, updated March 2026"
    sheet.merge_cells("A1:H1")
    sheet.append([])
    sheet.append(HEADINGS)
    for number, text, steps in recommendations:
        first = sheet.max_row + 1
        for index, (step, owner, due, rag, update, updated_on) in enumerate(steps):
            sheet.append(
                [
                    number if index == 0 or not merge else None,
                    text if index == 0 or not merge else None,
                    step,
                    owner,
                    due,
                    rag,
                    update,
                    updated_on,
                ]
            )
        if merge:
            last = sheet.max_row
            sheet.merge_cells(start_row=first, end_row=last, start_column=1, end_column=1)
            sheet.merge_cells(start_row=first, end_row=last, start_column=2, end_column=2)
    workbook.create_sheet("Notes")["A1"] = "Nothing here"
    return save(workbook)


def save(workbook: Workbook) -> bytes:
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


def rows_workbook(rows: list[list], title: str = "Plan") -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = title
    for row in rows:
        sheet.append(row)
    return save(workbook)
