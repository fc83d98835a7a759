"""Reading each file format, and refusing bad files with one clear ReportReadError."""

from __future__ import annotations

import io
import zipfile

import docx
import pytest
from pypdf import PdfReader, PdfWriter
from report_builders import (
    Block,
    PlacedText,
    add_list_definition,
    add_numbered_paragraph,
    build_pdf,
    docx_bytes,
    layout_report,
)

from tracker.importing import MAX_UPLOAD_BYTES, ReportReadError, docx_text, extract_text, read_report

LONG_ITEM = (
    "plans to keep children safe are agreed with children's social care and shared with the police, "
    "so that everyone involved in a case knows what to do if the risk to the child increases, including "
    "children placed outside the area by another local authority"
)


def paginated_report_blocks() -> list[Block]:
    filler = Block("paragraph", "Inspectors read a sample of cases and spoke to staff, partners and children. " * 6)
    return [
        Block("heading", "Inspection of youth offending services in Pageton"),
        Block("paragraph", "Pageton Youth Offending Service (YOS) was inspected in the spring."),
        *[filler] * 9,
        Block("heading", "Recommendations"),
        Block("paragraph", "The YOS Head of Service should ensure that:"),
        Block(
            "item",
            "assessments of risk of harm to others are completed on time and reviewed when circumstances change",
            "1.",
        ),
        Block("item", LONG_ITEM, "2."),
        Block("item", "the service develops effective case management for out-of-court disposals", "3."),
        Block("heading", "Findings"),
        filler,
    ]


# --- PDF -----------------------------------------------------------------------------------


def test_pdf_list_split_by_page_break_header_and_page_number() -> None:
    data = layout_report(paginated_report_blocks())
    assert len(PdfReader(io.BytesIO(data)).pages) >= 2

    report = read_report(data, "pageton.pdf")

    assert [item.number for item in report.recommendations] == ["1", "2", "3"]
    assert report.recommendations[1].text == LONG_ITEM
    assert report.recommendations[0].owners == ("The YOS Head of Service",)
    assert "Inspection of youth offending services: Exampleshire" not in report.text
    assert report.service == "Pageton Youth Offending Service"


def test_pdf_paragraphs_follow_spacing_and_hanging_indents() -> None:
    page = [
        PlacedText(72, 760, 14, "What needs to improve?"),
        PlacedText(72, 730, 11, "\u2022 The stability of the workforce, to support manageable"),
        PlacedText(90, 716, 11, "workloads and consistency for children."),
        PlacedText(72, 696, 11, "\u2022 Placement sufficiency for children in care."),
        PlacedText(72, 660, 14, "The experiences and progress of children in care: good"),
        PlacedText(72, 630, 11, "1. Children live in homes that meet their needs and are well-"),
        PlacedText(90, 616, 11, "established in their communities."),
    ]
    text = extract_text(build_pdf([page]), "bullets.pdf")

    assert text.split("\n\n") == [
        "What needs to improve?",
        "\u2022 The stability of the workforce, to support manageable workloads and consistency for children.",
        "\u2022 Placement sufficiency for children in care.",
        "The experiences and progress of children in care: good",
        "1. Children live in homes that meet their needs and are well-established in their communities.",
    ]


def test_pdf_paragraph_continuing_in_capitals_on_the_next_page_is_joined() -> None:
    header = PlacedText(72, 810, 8, "Capital Town YOS inspection")
    first_page = [
        header,
        PlacedText(72, 700, 14, "Recommendations"),
        PlacedText(72, 670, 11, "The YOS Head of Service should ensure that:"),
        PlacedText(72, 640, 11, "1. the YOS is represented at the meetings of the Capital Town"),
        PlacedText(421, 30, 8, "1"),
    ]
    second_page = [
        header,
        PlacedText(90, 770, 11, "Child Sexual Exploitation panel"),
        PlacedText(72, 750, 11, "2. plans are reviewed after a significant change"),
        PlacedText(421, 30, 8, "2"),
    ]
    report = read_report(build_pdf([first_page, second_page]), "capitals.pdf")

    assert [item.text for item in report.recommendations] == [
        "the YOS is represented at the meetings of the Capital Town Child Sexual Exploitation panel",
        "plans are reviewed after a significant change",
    ]
    assert "Capital Town YOS inspection" not in report.text


def test_pdf_without_text_layer_is_refused() -> None:
    with pytest.raises(ReportReadError, match="no text layer"):
        extract_text(build_pdf([[]]), "scan.pdf")


def test_password_protected_pdf_is_refused() -> None:
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(layout_report(paginated_report_blocks()))))
    writer.encrypt(user_password="secret", owner_password="owner", algorithm="RC4-128")
    output = io.BytesIO()
    writer.write(output)

    with pytest.raises(ReportReadError, match="password-protected"):
        read_report(output.getvalue(), "locked.pdf")


def test_pdf_encrypted_without_a_user_password_is_read() -> None:
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(layout_report(paginated_report_blocks()))))
    writer.encrypt(user_password="", owner_password="owner", algorithm="RC4-128")
    output = io.BytesIO()
    writer.write(output)

    assert len(read_report(output.getvalue(), "restricted.pdf").recommendations) == 3


@pytest.mark.parametrize(
    "data",
    [
        pytest.param(b"%PDF-1.7\n" + b"\x00garbage" * 100, id="junk-after-header"),
        pytest.param(layout_report(paginated_report_blocks())[:600], id="truncated"),
        pytest.param(
            b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF",
            id="no-pages",
        ),
    ],
)
def test_damaged_pdf_is_refused(data: bytes) -> None:
    with pytest.raises(ReportReadError):
        read_report(data, "damaged.pdf")


# --- DOCX ----------------------------------------------------------------------------------


def build_numbered_docx() -> bytes:
    """A report whose numbers come only from Word's numbering definitions."""
    document = docx.Document()
    document.add_heading("Full Joint Inspection of Youth Offending Work in Wordham", level=1)
    document.add_paragraph("Wordham Youth Offending Service (YOS) was inspected in the spring.")
    document.add_paragraph("June 2020")
    document.add_heading("Recommendations", level=2)
    document.add_paragraph(
        "Post-inspection improvement work should focus on achieving the following outcomes "
        "within 12 months following publication of this report:"
    )
    decimal_list = add_list_definition(document, "decimal", "%1.")
    document.add_paragraph("The Chair of the YOS Management Board should ensure that:")
    add_numbered_paragraph(document, "the board reviews performance data at every meeting", decimal_list)
    add_numbered_paragraph(document, "partners attend the board at a senior level", decimal_list)
    add_numbered_paragraph(document, "the board reviews how the work of partners is recorded", decimal_list, level=1)
    document.add_paragraph("The YOS Head of Service should ensure that:")
    add_numbered_paragraph(document, "every plan is reviewed after a significant change", decimal_list)
    document.add_heading("Areas requiring improvement", level=2)
    document.add_paragraph("Also noted:")
    roman_list = add_list_definition(document, "lowerRoman", "%1.")
    add_numbered_paragraph(document, "the recording of victim contact", roman_list)
    add_numbered_paragraph(document, "planning for release from custody", roman_list)
    add_numbered_paragraph(document, "the quality of assessment in community cases", roman_list)
    add_numbered_paragraph(document, "management oversight of risk of harm to others", roman_list)
    document.add_heading("Findings", level=2)
    document.add_paragraph("Staff were committed.", style="List Number")
    table = document.add_table(rows=1, cols=3)
    for cell, value in zip(table.rows[0].cells, ["1.1", "Governance and leadership", "Good"], strict=True):
        cell.text = value
    return docx_bytes(document)


def test_docx_automatic_numbering_is_rendered() -> None:
    data = build_numbered_docx()
    assert b"1. the board" not in data  # the numbers really are not in the text

    text = extract_text(data, "wordham.docx")

    assert "1. the board reviews performance data at every meeting" in text
    assert "2. partners attend the board at a senior level" in text
    assert "(a) the board reviews how the work of partners is recorded" in text
    assert "3. every plan is reviewed after a significant change" in text
    assert "iv. management oversight of risk of harm to others" in text
    assert "1. Staff were committed." in text  # numbering that comes from the List Number style
    assert "1.1\tGovernance and leadership\tGood" in text


def test_docx_report_is_parsed_with_continuing_numbering() -> None:
    report = read_report(build_numbered_docx(), "wordham.docx")

    assert [item.number for item in report.recommendations] == ["1", "2", "3"]
    assert report.recommendations[1].text == (
        "partners attend the board at a senior level (a) the board reviews how the work of partners is recorded"
    )
    assert [item.owners for item in report.recommendations] == [
        ("The Chair of the YOS Management Board",),
        ("The Chair of the YOS Management Board",),
        ("The YOS Head of Service",),
    ]
    assert report.ratings == {"1.1 Governance and leadership": "Good"}
    assert report.service == "Wordham Youth Offending Service"


def test_docx_with_too_many_members_is_refused_before_unpacking() -> None:
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w") as archive:
        archive.writestr("word/document.xml", "<w:document/>")
        for index in range(docx_text.MAX_DOCX_MEMBERS + 1):
            archive.writestr(f"word/media/{index}.txt", "")
    with pytest.raises(ReportReadError, match="parts"):
        read_report(output.getvalue(), "many.docx")


def test_docx_that_unpacks_too_large_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(docx_text, "MAX_DOCX_UNPACKED_BYTES", 1024 * 1024)
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w", compression=zipfile.ZIP_STORED) as archive:
        archive.writestr("word/document.xml", "x" * (2 * 1024 * 1024))
    with pytest.raises(ReportReadError, match="unpack to"):
        read_report(output.getvalue(), "big.docx")


def test_docx_compressed_suspiciously_well_is_refused() -> None:
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/document.xml", b"\0" * (3 * 1024 * 1024))
    with pytest.raises(ReportReadError, match="compressed suspiciously well"):
        read_report(output.getvalue(), "bomb.docx")


def test_zip_that_is_not_a_word_document_is_refused() -> None:
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w") as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
    with pytest.raises(ReportReadError, match="not a Word document"):
        read_report(output.getvalue(), "sheet.docx")


def test_damaged_docx_is_refused() -> None:
    data = build_numbered_docx()
    with pytest.raises(ReportReadError):
        read_report(data[: len(data) // 2], "half.docx")


# --- text, HTML and bad input ------------------------------------------------------------


def test_type_comes_from_content_not_name() -> None:
    text = b"Recommendations\n\nThe YOS should:\n\n1. make sure that plans are reviewed regularly\n"
    assert read_report(text, "report.pdf").recommendations[0].number == "1"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "is empty"),
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * 100, "PNG image"),
        (b"\xff\xd8\xff\xe0" + b"\x00" * 100, "JPEG image"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "old-style Office file"),
        (bytes(range(256)) * 4, "not a readable document"),
        (b"\x00\x01\x02\x03" * 200, "not a readable document"),
    ],
    ids=["empty", "png", "jpeg", "doc", "binary", "nul-bytes"],
)
def test_unusable_files_are_refused_with_a_reason(data: bytes, message: str) -> None:
    with pytest.raises(ReportReadError, match=message) as caught:
        read_report(data, "report.pdf")
    assert "\n" not in str(caught.value)


def test_oversized_upload_is_refused() -> None:
    with pytest.raises(ReportReadError, match="upload limit"):
        extract_text(b"a" * (MAX_UPLOAD_BYTES + 1), "huge.txt")


def test_windows_1252_and_utf16_text_are_decoded() -> None:
    text = (
        "Recommendations\n\nThe Director of Children\u2019s Services should:\n\n1. make sure thresholds are "
        "understood\n"
    )
    for encoding in ("cp1252", "utf-16", "utf-8-sig"):
        report = read_report(text.encode(encoding), "report.txt")
        assert report.recommendations[0].owners == ("The Director of Children's Services",)


def test_text_without_recommendations_names_the_problem() -> None:
    with pytest.raises(ReportReadError, match="No recommendations section was found"):
        read_report(b"Just a letter.\n\nNothing to see.\n", "letter.txt")


def test_html_fragment_inside_text_is_not_treated_as_a_web_page() -> None:
    text = b"Recommendations\n\n<b>The YOS should:</b>\n\n1. make sure plans are reviewed<sup>4</sup> regularly\n"
    report = read_report(text, "report.txt")
    assert report.recommendations[0].owners == ("The YOS",)
    assert report.recommendations[0].text == "make sure plans are reviewed regularly"


def test_an_unexpected_failure_still_surfaces_as_report_read_error(monkeypatch: pytest.MonkeyPatch) -> None:
    import tracker.importing as importing

    def broken(text: str) -> None:
        raise KeyError("bug")

    monkeypatch.setattr(importing, "parse_clean_text", broken)
    with pytest.raises(ReportReadError, match="unexpected problem in the importer \\(KeyError\\)"):
        importing.read_report(b"Recommendations\n\n1. something to do\n", "bug.txt")
