"""Builders for test documents: tiny hand-written PDFs and DOCX files with Word numbering.

reportlab is not available, and pypdf cannot draw text, so :func:`build_pdf` writes the
PDF objects itself: one Helvetica font, one content stream per page with a ``Tj`` per
line at an exact position. That is enough for pypdf to extract text with positions, so
the tests exercise the same geometry code real PDFs go through. The benchmark uses
:func:`layout_report` to make a 100-page report.
"""

from __future__ import annotations

import io
import textwrap
from dataclasses import dataclass

PAGE_WIDTH = 595
PAGE_HEIGHT = 842


@dataclass(frozen=True)
class PlacedText:
    """A line of text at a position on the page (points from the bottom-left corner)."""

    x: float
    y: float
    size: float
    text: str


def _pdf_string(text: str) -> str:
    encoded = text.encode("cp1252", errors="replace").decode("latin-1")
    escaped = encoded.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
    return f"({escaped})"


def build_pdf(pages: list[list[PlacedText]]) -> bytes:
    """A valid PDF with the given lines on each page."""
    objects: list[bytes] = []

    def add(body: str | bytes) -> int:
        objects.append(body.encode("latin-1") if isinstance(body, str) else body)
        return len(objects)

    catalog = add("")  # filled in once the page tree exists
    pages_node = add("")
    font = add("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>")
    page_ids = []
    for lines in pages:
        stream = "\n".join(
            f"BT /F1 {line.size:g} Tf {line.x:g} {line.y:g} Td {_pdf_string(line.text)} Tj ET" for line in lines
        ).encode("latin-1")
        content = add(b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream")
        page_ids.append(
            add(
                f"<< /Type /Page /Parent {pages_node} 0 R /MediaBox [0 0 {PAGE_WIDTH} {PAGE_HEIGHT}] "
                f"/Resources << /Font << /F1 {font} 0 R >> >> /Contents {content} 0 R >>"
            )
        )
    kids = " ".join(f"{page} 0 R" for page in page_ids)
    objects[pages_node - 1] = f"<< /Type /Pages /Kids [{kids}] /Count {len(page_ids)} >>".encode()
    objects[catalog - 1] = f"<< /Type /Catalog /Pages {pages_node} 0 R >>".encode()

    output = io.BytesIO()
    output.write(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(output.tell())
        output.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = output.tell()
    output.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        output.write(b"%010d 00000 n \n" % offset)
    output.write(b"trailer\n<< /Size %d /Root %d 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, catalog, xref))
    return output.getvalue()


@dataclass(frozen=True)
class Block:
    """A piece of a report to lay out: "heading", "paragraph" or "item" (with a marker)."""

    kind: str
    text: str
    marker: str = ""


def layout_report(
    blocks: list[Block],
    running_header: str = "Inspection of youth offending services: Exampleshire",
    width_in_characters: int = 88,
    first_line_y: float = 770,
    last_line_y: float = 80,
) -> bytes:
    """Lay blocks out on A4 pages like a real report: wrapped lines, hanging indents for
    list items, a running header and a page number on every page."""
    pages: list[list[PlacedText]] = []
    current: list[PlacedText] = []
    y = first_line_y

    def new_page() -> None:
        nonlocal current, y
        if current:
            pages.append(current)
        current = []
        y = first_line_y

    def place(x: float, size: float, text: str, gap: float) -> None:
        nonlocal y
        if y < last_line_y:
            new_page()
        current.append(PlacedText(x, y, size, text))
        y -= gap

    for block in blocks:
        if block.kind == "heading":
            y -= 10
            place(72, 14, block.text, 24)
        elif block.kind == "item":
            wrapped = textwrap.wrap(block.text, width_in_characters - 6)
            for index, line in enumerate(wrapped):
                if index == 0:
                    place(72, 11, f"{block.marker} {line}", 14)
                else:
                    place(90, 11, line, 14)
            y -= 6
        else:
            for line in textwrap.wrap(block.text, width_in_characters):
                place(72, 11, line, 14)
            y -= 8
    new_page()
    for number, page in enumerate(pages, start=1):
        page.insert(0, PlacedText(72, 810, 8, running_header))
        page.append(PlacedText(PAGE_WIDTH / 2, 30, 8, str(number)))
    return build_pdf(pages)


# --- DOCX with Word's automatic numbering -------------------------------------------------

W_NAMESPACE = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def add_list_definition(document, number_format: str, level_text: str, start: int = 1) -> str:  # noqa: ANN001
    """Add an abstract list and one instance of it to numbering.xml; return the numId.

    This is what Word writes when you click the numbering button: the paragraph text
    stays free of numbers, which live only in these definitions.
    """
    from docx.oxml import parse_xml

    numbering = document.part.numbering_part.element
    abstract_ids = [
        int(element.get(f"{{{W_NAMESPACE}}}abstractNumId"))
        for element in numbering.iterchildren(f"{{{W_NAMESPACE}}}abstractNum")
    ]
    num_ids = [
        int(element.get(f"{{{W_NAMESPACE}}}numId")) for element in numbering.iterchildren(f"{{{W_NAMESPACE}}}num")
    ]
    abstract_id = max(abstract_ids, default=0) + 1
    num_id = max(num_ids, default=0) + 1
    abstract = parse_xml(
        f'<w:abstractNum xmlns:w="{W_NAMESPACE}" w:abstractNumId="{abstract_id}">'
        f'<w:multiLevelType w:val="hybridMultilevel"/>'
        f'<w:lvl w:ilvl="0"><w:start w:val="{start}"/><w:numFmt w:val="{number_format}"/>'
        f'<w:lvlText w:val="{level_text}"/><w:lvlJc w:val="left"/></w:lvl>'
        f'<w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="lowerLetter"/>'
        f'<w:lvlText w:val="(%2)"/><w:lvlJc w:val="left"/></w:lvl>'
        f"</w:abstractNum>"
    )
    first_num = numbering.find(f"{{{W_NAMESPACE}}}num")
    if first_num is not None:
        first_num.addprevious(abstract)
    else:
        numbering.append(abstract)
    numbering.append(
        parse_xml(f'<w:num xmlns:w="{W_NAMESPACE}" w:numId="{num_id}"><w:abstractNumId w:val="{abstract_id}"/></w:num>')
    )
    return str(num_id)


def add_numbered_paragraph(document, text: str, num_id: str, level: int = 0):  # noqa: ANN001, ANN201
    """A paragraph that Word numbers automatically (numPr), with no number in its text."""
    from docx.oxml import parse_xml

    paragraph = document.add_paragraph(text)
    properties = paragraph._p.get_or_add_pPr()
    properties.insert(
        0,
        parse_xml(f'<w:numPr xmlns:w="{W_NAMESPACE}"><w:ilvl w:val="{level}"/><w:numId w:val="{num_id}"/></w:numPr>'),
    )
    return paragraph


def docx_bytes(document) -> bytes:  # noqa: ANN001
    output = io.BytesIO()
    document.save(output)
    return output.getvalue()


def shared_stream_pdf(page_count: int, stream_lines: int) -> bytes:
    """A hostile PDF: ``page_count`` pages that all draw one content stream.

    Small on disk (the stream is stored once), but a reader that parses each page's
    content does the stream's work ``page_count`` times.
    """
    stream = "\n".join(
        f"BT /F1 10 Tf 72 {800 - (index % 70) * 11} Td (Line {index} of a page that repeats) Tj ET"
        for index in range(stream_lines)
    ).encode("latin-1")
    page_ids = range(4, 4 + page_count)
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        (
            "<< /Type /Pages /Kids [" + " ".join(f"{page} 0 R" for page in page_ids) + f"] /Count {page_count} >>"
        ).encode(),
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
    ]
    font = 4 + page_count
    for _ in page_ids:
        objects.append(
            f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {PAGE_WIDTH} {PAGE_HEIGHT}] "
            f"/Resources << /Font << /F1 {font} 0 R >> >> /Contents 3 0 R >>".encode()
        )
    objects.append(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>")
    output = io.BytesIO()
    output.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(output.tell())
        output.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = output.tell()
    output.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        output.write(b"%010d 00000 n \n" % offset)
    output.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref))
    return output.getvalue()
