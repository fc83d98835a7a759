"""Spreadsheet bytes in, plain rows out: .xlsx (openpyxl), .xls (xlrd) and .csv (the csv module).

The type is read from the content, never from the name. Formulas are never evaluated: an .xlsx
gives the value Excel saved with the formula (`data_only=True`), an .xls always stores it.
A merged range gives its value to every cell it covers, so a recommendation merged over three
step rows is read on all three.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime

from .errors import PlanReadError

# A plan is 10 to 40 rows; a few thousand is a generous ceiling. Above it the file is refused at
# once, before any row is interpreted (documented in README.md, "Importing an existing plan").
MAX_ROWS = 5000
MAX_COLUMNS = 60
MAX_FILE_BYTES = 10 * 1024 * 1024  # a 5,000-row plan with long updates is well under this
ZIP_MAGIC = b"PK\x03\x04"
OLE2_MAGIC = bytes.fromhex("d0cf11e0a1b11ae1")
ENCRYPTED_PACKAGE = "EncryptedPackage".encode("utf-16-le")

Value = str | int | float | date | None


@dataclass
class Sheet:
    name: str
    rows: list[list[Value]]
    # (row, column), both counted from 0, of formulas saved without a value (never calculated).
    uncalculated: set[tuple[int, int]] = field(default_factory=set)


@dataclass
class Workbook:
    kind: str  # "xlsx", "xls" or "csv"
    sheet_names: list[str]
    sheets: dict[str, Sheet]  # only the sheets read so far

    @property
    def sheet(self) -> Sheet:
        """The sheet that was read."""
        return next(iter(self.sheets.values()))


def preferred_sheet(names: list[str]) -> str:
    """Without a choice, the sheet named like a plan ("Action plan", "Actions"), else the first."""
    for word in ("plan", "action"):
        for name in names:
            if word in name.lower():
                return name
    return names[0]


def _too_many_rows(name: str) -> PlanReadError:
    return PlanReadError(
        f"The sheet \u201c{name}\u201d has more than {MAX_ROWS:,} rows. A plan this long cannot be "
        "imported; split it, or delete the empty and unused rows, and upload it again."
    )


def _clean(value: object) -> Value:
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date | int):
        return value if not isinstance(value, bool) else str(value).upper()
    if isinstance(value, float):
        return int(value) if value.is_integer() else value
    text = str(value).replace("\r\n", "\n").replace("\xa0", " ").strip()
    return text or None


def _trim(rows: list[list[Value]]) -> list[list[Value]]:
    """Drop trailing empty rows and the empty columns to the right of the last filled one."""
    while rows and not any(value is not None for value in rows[-1]):
        rows.pop()
    width = max((index + 1 for row in rows for index, value in enumerate(row) if value is not None), default=0)
    return [(row + [None] * width)[:width] for row in rows]


def _fill_merged(rows: list[list[Value]], ranges: list[tuple[int, int, int, int]]) -> None:
    """Each range is (first row, last row, first column, last column), inclusive, from 0."""
    for first_row, last_row, first_column, last_column in ranges:
        if first_row >= len(rows):
            continue
        value = rows[first_row][first_column] if first_column < len(rows[first_row]) else None
        for row in range(first_row, min(last_row, len(rows) - 1) + 1):
            for column in range(first_column, min(last_column, len(rows[row]) - 1) + 1):
                rows[row][column] = value


# --- .xlsx ----------------------------------------------------------------------------------

MERGE_RE = re.compile(rb'<(?:\w+:)?mergeCell\s+ref="([A-Z]+)(\d+):([A-Z]+)(\d+)"')
CELL_RE = re.compile(rb'<(?:\w+:)?c\s[^>]*?r="([A-Z]+)(\d+)"[^>]*?(?:/>|>(.*?)</(?:\w+:)?c>)', re.DOTALL)


def _column_number(letters: bytes) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + letter - 64
    return number - 1


def _xlsx_extras(archive: zipfile.ZipFile, path: str) -> tuple[list[tuple[int, int, int, int]], set[tuple[int, int]]]:
    """Merged ranges, and formulas with no saved value, read straight from the sheet's XML
    (openpyxl's read-only mode, which keeps memory flat, does not report either)."""
    xml = archive.read(path.lstrip("/"))
    ranges = [
        (int(r1) - 1, int(r2) - 1, _column_number(c1), _column_number(c2)) for c1, r1, c2, r2 in MERGE_RE.findall(xml)
    ]
    uncalculated = set()
    if b"<f" in xml:
        for column, row, inner in CELL_RE.findall(xml):
            has_value = re.search(rb"<(?:\w+:)?v(?:\s[^>]*)?>[^<]", inner or b"")
            if inner and re.search(rb"<(?:\w+:)?f[\s>/]", inner) and not has_value:
                uncalculated.add((int(row) - 1, _column_number(column)))
    return ranges, uncalculated


# Each tag is matched whole, then its attributes read one by one: both in linear time. (Two lazy
# `[^>]*?` runs in one pattern backtrack quadratically: a 5 KB workbook repeating `name="a" `
# 30,000 times in one tag held a worker for 30 seconds.)
SHEET_TAG_RE = re.compile(rb"<(?:\w+:)?sheet\s([^>]*)>")
RELATION_TAG_RE = re.compile(rb"<(?:\w+:)?Relationship\s([^>]*)>")
ATTRIBUTE_RE = re.compile(rb'([\w:.-]+)\s*=\s*"([^"]*)"')
# workbook.xml and its relations list the sheets: a few KB in any real workbook.
MAX_WORKBOOK_XML_BYTES = 1024 * 1024


def _tags(pattern: re.Pattern, xml: bytes, *names: bytes) -> list[tuple[bytes, ...]]:
    """(first value of each of `names`) for every tag that has them all."""
    found = []
    for attributes in pattern.findall(xml):
        values: dict[bytes, bytes] = {}
        for name, value in ATTRIBUTE_RE.findall(attributes):
            values.setdefault(name, value)
        if all(name in values for name in names):
            found.append(tuple(values[name] for name in names))
    return found


def _refuse_long_sheets(archive: zipfile.ZipFile, sheet_name: str | None) -> None:
    """Count the rows in the chosen sheet's XML before openpyxl reads anything, so a huge
    workbook is refused in a moment rather than after reading every cell's text."""
    try:
        if (
            max(archive.getinfo(part).file_size for part in ("xl/workbook.xml", "xl/_rels/workbook.xml.rels"))
            > MAX_WORKBOOK_XML_BYTES
        ):
            raise PlanReadError(
                "The workbook's list of sheets is far larger than any real workbook's. "
                "Save it again in Excel and upload it."
            )
        sheets = [
            (name.decode("utf-8", "replace"), rid)
            for name, rid in _tags(SHEET_TAG_RE, archive.read("xl/workbook.xml"), b"name", b"r:id")
        ]
        rels = archive.read("xl/_rels/workbook.xml.rels")
    except KeyError:
        return
    targets = {relation_id: target for relation_id, target in _tags(RELATION_TAG_RE, rels, b"Id", b"Target")}
    names = [name for name, _ in sheets]
    if not names:
        return
    chosen = sheet_name if sheet_name in names else preferred_sheet(names)
    target = targets.get(dict(sheets)[chosen], b"").decode().lstrip("/")
    path = target if target.startswith("xl/") else f"xl/{target}"
    try:
        xml = archive.read(path)
    except KeyError:
        return
    if xml.count(b"<row ") + xml.count(b"<row>") > MAX_ROWS + 50:
        raise _too_many_rows(chosen)


def _read_xlsx(data: bytes, sheet_name: str | None) -> Workbook:
    from openpyxl import load_workbook

    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        names = set(archive.namelist())
    except zipfile.BadZipFile as error:
        raise PlanReadError(
            "The file looks like an Excel workbook but is damaged. Save it again and upload it."
        ) from error
    if "xl/workbook.xml" not in names:
        kind = (
            "a Word document"
            if "word/document.xml" in names
            else ("a PowerPoint file" if "ppt/presentation.xml" in names else "a ZIP file")
        )
        raise PlanReadError(f"The file is {kind}, not a spreadsheet. Upload the plan as .xlsx, .xls or .csv.")
    _refuse_long_sheets(archive, sheet_name)
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many types for damaged parts
        raise PlanReadError("The Excel workbook could not be read. Save it again in Excel and upload it.") from error
    try:
        names_in_order = [name for name in book.sheetnames]
        if not names_in_order:
            raise PlanReadError("The workbook has no sheets.")
        chosen = (
            sheet_name if sheet_name is not None and sheet_name in names_in_order else preferred_sheet(names_in_order)
        )
        worksheet = book[chosen]
        rows: list[list[Value]] = []
        for values in worksheet.iter_rows(values_only=True):
            if len(rows) >= MAX_ROWS + 50:
                raise _too_many_rows(chosen)
            rows.append([_clean(value) for value in values[:MAX_COLUMNS]])
        ranges, uncalculated = _xlsx_extras(archive, worksheet._worksheet_path)
    finally:
        book.close()
    _fill_merged(rows, ranges)
    return Workbook("xlsx", names_in_order, {chosen: Sheet(chosen, _trim(rows), uncalculated)})


# --- .xls -----------------------------------------------------------------------------------


def _read_xls(data: bytes, sheet_name: str | None) -> Workbook:
    import xlrd

    if ENCRYPTED_PACKAGE in data:
        raise PlanReadError(
            "The workbook is protected by a password. Remove the password in Excel (File, Info, Protect "
            "Workbook, Encrypt with Password), save it and upload it again."
        )
    try:
        book = xlrd.open_workbook(file_contents=data, formatting_info=True, on_demand=True)
    except xlrd.XLRDError as error:
        if "encrypt" in str(error).lower():
            raise PlanReadError(
                "The workbook is protected by a password. Remove the password in Excel, save it and upload it again."
            ) from error
        raise PlanReadError(
            "The file is not an Excel spreadsheet (it may be an old Word or PowerPoint "
            "file). Upload the plan as .xlsx, .xls or .csv."
        ) from error
    except Exception as error:
        raise PlanReadError("The .xls workbook could not be read. Save it again in Excel and upload it.") from error
    try:
        names = book.sheet_names()
        chosen = sheet_name if sheet_name is not None and sheet_name in names else preferred_sheet(names)
        worksheet = book.sheet_by_name(chosen)
        if worksheet.nrows > MAX_ROWS + 50:
            raise _too_many_rows(chosen)
        rows: list[list[Value]] = []
        for index in range(worksheet.nrows):
            row: list[Value] = []
            for cell in worksheet.row(index)[:MAX_COLUMNS]:
                if cell.ctype == xlrd.XL_CELL_DATE:
                    try:
                        row.append(_clean(xlrd.xldate_as_datetime(cell.value, book.datemode)))
                    except (ValueError, OverflowError):
                        row.append(_clean(cell.value))
                elif cell.ctype in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK, xlrd.XL_CELL_ERROR):
                    row.append(None)
                else:
                    row.append(_clean(cell.value))
            rows.append(row)
        ranges = [(r1, r2 - 1, c1, c2 - 1) for r1, r2, c1, c2 in worksheet.merged_cells]
    finally:
        book.release_resources()
    _fill_merged(rows, ranges)
    return Workbook("xls", names, {chosen: Sheet(chosen, _trim(rows))})


# --- .csv -----------------------------------------------------------------------------------

NOT_TEXT = (b"%PDF", b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"{\\rtf")


def _decode(data: bytes) -> str:
    if any(data.startswith(magic) for magic in NOT_TEXT) or b"\x00" in data[:8192]:
        raise PlanReadError("The file is not a spreadsheet. Upload the plan as .xlsx, .xls or .csv.")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        # Excel on Windows saves "CSV" in the machine's code page, Windows-1252 in the UK.
        return data.decode("cp1252", errors="replace")


def _delimiter(sample: str) -> str:
    try:
        return csv.Sniffer().sniff(sample, delimiters=";,\t").delimiter
    except csv.Error:
        lines = [line for line in sample.splitlines()[:20] if line.strip()]
        counts = {delimiter: sum(line.count(delimiter) for line in lines) for delimiter in ";,\t"}
        return max(counts, key=counts.__getitem__) if any(counts.values()) else ","


def _read_csv(data: bytes) -> Workbook:
    text = _decode(data)
    if text.count("\n") > MAX_ROWS * 4 + 200:  # a fast refusal before any parsing
        raise _too_many_rows("CSV")
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text[:20000]))
    rows: list[list[Value]] = []
    try:
        for values in reader:
            if len(rows) >= MAX_ROWS + 50:
                raise _too_many_rows("CSV")
            rows.append([_clean(value) for value in values[:MAX_COLUMNS]])
    except csv.Error as error:
        raise PlanReadError(f"The CSV file could not be read: {error}.") from error
    return Workbook("csv", ["CSV"], {"CSV": Sheet("CSV", _trim(rows))})


def read_workbook(data: bytes, sheet_name: str | None = None) -> Workbook:
    """Read one sheet (`sheet_name`, or the first) of a workbook whose type is read from its bytes."""
    if not data.strip():
        raise PlanReadError("The file is empty.")
    if len(data) > MAX_FILE_BYTES:
        raise PlanReadError(
            f"The file is larger than {MAX_FILE_BYTES // 1048576} MB, the limit for a plan. "
            "Delete unused sheets and rows, and upload it again."
        )
    if data.startswith(ZIP_MAGIC):
        return _read_xlsx(data, sheet_name)
    if data.startswith(OLE2_MAGIC):
        return _read_xls(data, sheet_name)
    return _read_csv(data)
