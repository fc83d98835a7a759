"""One formula-escaping rule for every CSV and Excel file the tracker writes, and every export
goes through it (tracker/exports)."""

from __future__ import annotations

import ast
import csv
import io
from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook

import tracker
from tracker.exports import FORMULA_STARTS, Sheet, csv_bytes, xlsx_bytes

DANGEROUS = ["=1+2", "+SUM(A1:A3)", "-2+3", "@SUM(A1)", "\t=1+2", "\r=1+2"]


def _csv(data: bytes) -> list[list[str]]:
    assert data.startswith(b"\xef\xbb\xbf")  # a byte-order mark, so Excel reads accents right
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def test_the_rule_is_owasps_six_first_characters():
    assert set(FORMULA_STARTS) == {"=", "+", "-", "@", "\t", "\r"}


@pytest.mark.parametrize("text", DANGEROUS)
def test_text_starting_with_each_dangerous_character_gets_an_apostrophe_in_csv(text):
    rows = _csv(csv_bytes(["Heading"], [[text]]))
    assert rows == [["Heading"], ["'" + text]]


@pytest.mark.parametrize("text", DANGEROUS)
def test_text_starting_with_each_dangerous_character_is_quoted_text_in_excel(text):
    sheet = load_workbook(io.BytesIO(xlsx_bytes([Sheet("Table", ["Heading"], [[text]])])))["Table"]
    cell = sheet["A2"]
    # Excel's own apostrophe (the quote prefix): the text reads back as written and never runs.
    assert cell.data_type == "s" and cell.quotePrefix and cell.value == text


def test_safe_text_numbers_and_dates_are_left_alone():
    values = ["Plan = done", "a+b", " =not first", "Zoë – “quoted”", -3, 2.5, date(2026, 3, 1), None]
    rows = _csv(csv_bytes(["A", "B", "C", "D", "E", "F", "G", "H"], [values]))
    assert rows[1] == ["Plan = done", "a+b", " =not first", "Zoë – “quoted”", "-3", "2.5", "2026-03-01", ""]
    sheet = load_workbook(io.BytesIO(xlsx_bytes([Sheet("Table", list("ABCDEFGH"), [values])])))["Table"]
    cells = sheet[2]
    assert [cell.value for cell in cells[:6]] == values[:6]
    assert not any(cell.quotePrefix for cell in cells)
    assert cells[6].value.date() == date(2026, 3, 1) and cells[6].number_format == "d mmm yyyy"


def test_headers_are_held_to_the_same_rule():
    assert _csv(csv_bytes(["=Heading"], []))[0] == ["'=Heading"]
    sheet = load_workbook(io.BytesIO(xlsx_bytes([Sheet("Table", ["=Heading"], [])])))["Table"]
    assert sheet["A1"].value == "=Heading" and sheet["A1"].data_type == "s" and sheet["A1"].quotePrefix


def test_no_module_outside_the_exports_package_writes_csv_or_builds_a_workbook():
    """Reading is allowed (the plan and report readers use csv.reader and load_workbook);
    writing goes through tracker.exports, where the rule is."""
    package = Path(tracker.__file__).resolve().parent
    offenders = []
    for path in package.rglob("*.py"):
        if "exports" in path.relative_to(package).parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Attribute)
                and node.attr in {"writer", "DictWriter"}
                and isinstance(node.value, ast.Name)
                and node.value.id == "csv"
            ):
                offenders.append(f"{path.name}: csv.{node.attr}")
            if (
                isinstance(node, ast.ImportFrom)
                and node.module in {"csv", "openpyxl"}
                and {alias.name for alias in node.names} & {"writer", "DictWriter", "Workbook"}
            ):
                offenders.append(f"{path.name}: from {node.module} import ...")
    assert offenders == []
