"""Reading plans from real spreadsheet files made here: .xlsx, .xls, CSV from Excel on Windows."""

import io
from datetime import date

import pytest
import xlwt
from msoffcrypto.format.ooxml import OOXMLFile

from tests.plans.builders import rows_workbook, save, title_block_plan
from tracker.plans import MAX_ROWS, PlanReadError, read_date, read_plan, read_status

TODAY = date(2026, 3, 20)


def test_a_plan_with_a_title_block_merged_cells_rag_letters_and_uk_dates():
    plan = read_plan(title_block_plan(), TODAY)
    assert plan.sheet_name == "Improvement plan" and plan.header_line == 4
    assert [column.kind for column in plan.columns] == [
        "number",
        "recommendation",
        "step",
        "owner",
        "deadline",
        "rag",
        "update",
        "update_date",
    ]
    assert [(item.number, len(item.steps)) for item in plan.recommendations] == [("1", 3), ("2", 3)]
    first, second = plan.recommendations
    assert [step.step for step in first.steps][2] == "Report audit findings to the board"
    assert [(step.status, step.flag) for step in first.steps] == [
        ("in_progress", None),
        ("in_progress", "at_risk"),
        ("in_progress", "blocked"),
    ]
    assert [step.deadline for step in first.steps] == [date(2026, 3, 31)] * 3
    assert first.steps[1].update_on == date(2026, 2, 15)
    assert second.steps[0].status == "completed" and second.steps[0].deadline == date(2026, 6, 30)
    assert any("quarter" in note for note in second.steps[0].notes)
    assert plan.refused_rows == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("31/03/2026", date(2026, 3, 31)),
        ("31 March 2026", date(2026, 3, 31)),
        ("Mar-26", date(2026, 3, 31)),
        ("Q1 2026/27", date(2026, 6, 30)),
        ("Q4 2025/26", date(2026, 3, 31)),
        ("Q3 2026-27", date(2026, 12, 31)),
        (46112, date(2026, 3, 31)),
        ("46112", date(2026, 3, 31)),
        ("1st April 2026", date(2026, 4, 1)),
        ("2026-04-30", date(2026, 4, 30)),
        ("30/4/26", date(2026, 4, 30)),
    ],
)
def test_uk_dates(text, expected):
    assert read_date(text, TODAY).value == expected


@pytest.mark.parametrize(
    "text", ["Q1 2026", "12/31/2026", "31/02/2026", "TBC", "Ongoing", "1/1/1990", "31/12/2099", "Q1 2026/28"]
)
def test_ambiguous_or_impossible_dates_are_asked_about(text):
    reading = read_date(text, TODAY)
    assert reading.value is None and reading.problem


def test_blank_dates_are_empty_not_problems():
    assert read_date(None, TODAY) == read_date("  ", TODAY) and read_date(None, TODAY).problem is None


@pytest.mark.parametrize(
    ("word", "status", "flag"),
    [
        ("Complete", "completed", None),
        ("On track", "in_progress", None),
        ("G", "in_progress", None),
        ("Amber", "in_progress", "at_risk"),
        ("R", "in_progress", "blocked"),
        ("Not started", "not_started", None),
        ("Blue", "completed", None),
        ("Signed off", "verified", None),
        ("Blocked", "in_progress", "blocked"),
    ],
)
def test_status_and_rag_words(word, status, flag):
    assert (read_status(word).status, read_status(word).flag) == (status, flag)


def test_unknown_and_withdrawn_statuses_are_row_problems():
    assert read_status("Purple").problem and read_status("Withdrawn").problem


def test_a_csv_exported_by_excel_in_windows_1252_with_semicolons():
    text = (
        "Ref;Recommendation;Action;Owner;Due date;Status;Comments\r\n"
        "1;Improve the children\u2019s plans \u2013 every one;Audit plans;Head of Service;31/03/2026;Amber;"
        "\u00a3500 spent on training\r\n"
        ";;Report to board;Board Chair;30/04/2026;Complete;Done\r\n"
    )
    plan = read_plan(text.encode("cp1252"), TODAY)
    assert plan.kind == "csv"
    item = plan.recommendations[0]
    assert item.text == "Improve the children\u2019s plans \u2013 every one"
    assert [step.step for step in item.steps] == ["Audit plans", "Report to board"]
    assert item.steps[0].update.startswith("\u00a3500") and item.steps[1].status == "completed"


def _xls(rows, merge=None) -> bytes:
    book = xlwt.Workbook()
    sheet = book.add_sheet("Action plan")
    dated = xlwt.easyxf(num_format_str="dd/mm/yyyy")
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if merge and (r, c) in merge:
                r2, c2 = merge[(r, c)]
                sheet.write_merge(r, r2, c, c2, value)
            elif merge and any(r0 < r <= r2 and c0 <= c <= c2 for (r0, c0), (r2, c2) in merge.items()):
                continue
            elif isinstance(value, date):
                sheet.write(r, c, value, dated)
            elif value is not None:
                sheet.write(r, c, value)
    output = io.BytesIO()
    book.save(output)
    return output.getvalue()


def test_an_xls_file_with_real_dates_and_merged_cells():
    data = _xls(
        [
            ["Council improvement plan"],
            [],
            ["No", "Recommendation", "Action", "Lead", "Deadline", "RAG"],
            [1, "Strengthen the board's oversight", "Add a standing item", "Board Chair", date(2026, 5, 31), "G"],
            [None, None, "Review terms of reference", "Board Chair", "30/06/2026", "A"],
        ],
        merge={(3, 0): (4, 0), (3, 1): (4, 1)},
    )
    assert data[:8] == bytes.fromhex("d0cf11e0a1b11ae1")
    plan = read_plan(data, TODAY)
    assert plan.kind == "xls" and plan.header_line == 3
    item = plan.recommendations[0]
    assert item.number == "1" and len(item.steps) == 2
    assert [step.deadline for step in item.steps] == [date(2026, 5, 31), date(2026, 6, 30)]


def test_formulas_give_their_saved_value_and_an_uncalculated_one_is_a_row_problem():
    data = rows_workbook([["Recommendation", "Action", "Deadline"], ["Do better", "Step one", "=DATE(2026,3,31)"]])
    # openpyxl saves formulas without values, as a program that never opened Excel would
    plan = read_plan(data, TODAY)
    assert "formula" in " ".join(plan.rows[0].problems)
    fixed = read_plan(data, TODAY, fixes={(2, "deadline"): "31/03/2026"})
    assert fixed.rows[0].problems == [] and fixed.rows[0].deadline == date(2026, 3, 31)


def test_a_formula_with_a_saved_value_is_read_without_evaluating():
    data = rows_workbook([["Recommendation", "Action", "Deadline"], ["Do better", "Step one", "=TODAY()"]])
    patched = _with_cached_value(data, "C2", "46112")
    plan = read_plan(patched, TODAY)
    assert plan.rows[0].deadline == date(2026, 3, 31) and plan.rows[0].problems == []


def _with_cached_value(data: bytes, cell: str, value: str) -> bytes:
    import zipfile

    source = zipfile.ZipFile(io.BytesIO(data))
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w") as target:
        for item in source.infolist():
            content = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                content = content.replace(b"<f>TODAY()</f><v></v>", f"<f>TODAY()</f><v>{value}</v>".encode())
                content = (
                    content.replace(b"<f>TODAY()</f>", f"<f>TODAY()</f><v>{value}</v>".encode(), 1)
                    if f"<v>{value}</v>".encode() not in content
                    else content
                )
            target.writestr(item, content)
    return output.getvalue()


def test_a_password_protected_workbook_is_refused_clearly():
    encrypted = io.BytesIO()
    OOXMLFile(io.BytesIO(title_block_plan())).encrypt("secret", encrypted)
    with pytest.raises(PlanReadError, match="password"):
        read_plan(encrypted.getvalue(), TODAY)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"%PDF-1.7\n binary", "not a spreadsheet"),
        (b"\x89PNG\r\n\x1a\n\x00\x00", "not a spreadsheet"),
        (b"", "empty"),
        (b"just some words\nand more words\n", "No header row"),
    ],
)
def test_files_that_are_not_plans(data, message):
    with pytest.raises(PlanReadError, match=message):
        read_plan(data, TODAY)


def test_a_word_document_named_xlsx_is_refused():
    import zipfile

    output = io.BytesIO()
    with zipfile.ZipFile(output, "w") as archive:
        archive.writestr("word/document.xml", "<w:document/>")
    with pytest.raises(PlanReadError, match="Word document"):
        read_plan(output.getvalue(), TODAY)


def test_fifty_thousand_rows_are_refused_fast():
    import time

    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Plan")
    sheet.append(["Recommendation", "Action", "Owner", "Deadline"])
    for number in range(50_000):
        sheet.append([f"Recommendation {number}", "Step", "Lead", "31/03/2026"])
    data = save(workbook)
    started = time.process_time()
    with pytest.raises(PlanReadError, match=f"more than {MAX_ROWS:,} rows"):
        read_plan(data, TODAY)
    assert time.process_time() - started < 2
    csv_data = ("Recommendation,Action\n" + "Do it,Step\n" * 50_000).encode()
    with pytest.raises(PlanReadError, match="rows"):
        read_plan(csv_data, TODAY)


def test_duplicate_rows_and_far_dates_are_row_problems():
    data = rows_workbook(
        [
            ["Rec", "Recommendation", "Action", "Owner", "Deadline"],
            ["1", "Do better", "Step one", "Lead", "31/03/2026"],
            ["1", "Do better", "Step one", "Lead", "31/03/2026"],
            ["1", "Do better", "Step two", "Lead", "31/03/1900"],
            ["1", "Do better", "Step three", "Lead", "31/03/2199"],
        ]
    )
    rows = read_plan(data, TODAY).rows
    assert rows[0].problems == []
    assert "repeats row 2" in rows[1].problems[0]
    assert "past" in rows[2].problems[0] and "future" in rows[3].problems[0]


def test_the_manager_changes_a_guessed_mapping():
    data = rows_workbook([["Recommendation", "Action", "Who", "When"], ["Do better", "Step one", "Lead", "Mar-26"]])
    plan = read_plan(data, TODAY)
    assert [column.kind for column in plan.columns] == ["recommendation", "step", "owner", "deadline"]
    changed = read_plan(data, TODAY, mapping={2: "ignore"})
    assert changed.rows[0].owners == ()
    from tracker.plans import PlanMappingError

    with pytest.raises(PlanMappingError, match="Two columns"):
        read_plan(data, TODAY, mapping={2: "deadline"})
