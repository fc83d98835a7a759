"""Hostile uploads, each built here from nothing: small files that once held a web worker for
30 seconds or took a gigabyte (issue 19). Used by the reader tests and the boundary tests."""

from __future__ import annotations

import io
import zipfile
import zlib

from openpyxl import Workbook

PAGE = b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>"


def plan_xlsx(rows: int = 3) -> bytes:
    """An ordinary small plan workbook."""
    book = Workbook()
    sheet = book.active
    sheet.title = "Action plan"
    sheet.append(["No.", "Recommendation", "Owner", "Deadline", "Status"])
    for number in range(1, rows + 1):
        sheet.append(
            [
                number,
                f"Improve the quality of assessment number {number}.",
                "Head of Service",
                "31/12/2026",
                "Not started",
            ]
        )
    output = io.BytesIO()
    book.save(output)
    return output.getvalue()


def _rewrite(data: bytes, replace: dict[str, bytes], add: dict[str, bytes] | None = None) -> bytes:
    output = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as target:
        for member in source.infolist():
            target.writestr(member.filename, replace.get(member.filename, source.read(member.filename)))
        for name, content in (add or {}).items():
            target.writestr(name, content)
    return output.getvalue()


def backtracking_workbook(repeats: int = 30_000) -> bytes:
    """A workbook whose xl/workbook.xml repeats `name="a" ` inside one <sheet tag, with no r:id."""
    workbook_xml = (
        b'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/'
        b'spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/'
        b'relationships"><sheets><sheet ' + b'name="a" ' * repeats + b'sheetId="1"/></sheets></workbook>'
    )
    return _rewrite(plan_xlsx(), {"xl/workbook.xml": workbook_xml})


def inflating_workbook(unpacked_bytes: int = 500 * 1024 * 1024) -> bytes:
    """A plan workbook with an extra part of zeros: half a megabyte that unpacks to `unpacked_bytes`."""
    output = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(plan_xlsx())) as source,
        zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as target,
    ):
        for member in source.infolist():
            target.writestr(member.filename, source.read(member.filename))
        with target.open("xl/media/padding.bin", "w", force_zip64=True) as padding:
            chunk = bytes(1024 * 1024)
            for _ in range(unpacked_bytes // len(chunk)):
                padding.write(chunk)
    return output.getvalue()


def _pdf(objects: list[bytes]) -> bytes:
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


def content_bomb_pdf(inflated_bytes: int = 10 * 1024 * 1024) -> bytes:
    """A one-page PDF whose compressed content stream inflates to `inflated_bytes` of text operators."""
    operator = b"BT /F1 10 Tf 72 700 Td (Recommendations) Tj ET\n"
    stream = zlib.compress(operator * (inflated_bytes // len(operator)), 9)
    return _pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            PAGE,
            b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream) + stream + b"\nendstream",
            b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        ]
    )


def many_pages_pdf(pages: int = 900, lines: int = 60) -> bytes:
    """An honest-looking long PDF whose every page has its own text: slow to read, not hostile
    in shape, so only the time limit stops it."""
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b""]
    kids = []
    font = 3 + 2 * pages
    for page in range(pages):
        page_id, stream_id = 3 + 2 * page, 4 + 2 * page
        kids.append(b"%d 0 R" % page_id)
        stream = b"\n".join(
            b"BT /F1 10 Tf 72 %d Td (Page %d line %d of the long report) Tj ET" % (800 - line * 11, page, line)
            for line in range(lines)
        )
        objects.append(
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 %d 0 R >> >> "
            b"/Contents %d 0 R >>" % (font, stream_id)
        )
        objects.append(b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream")
    objects[1] = b"<< /Type /Pages /Kids [" + b" ".join(kids) + b"] /Count %d >>" % pages
    objects.append(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>")
    return _pdf(objects)


_W = b'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def numbering_docx(start: int = 260_000_000, items: int = 3) -> bytes:
    """A Word document whose list numbering starts at `start` in lower-case letters."""
    paragraphs = b"".join(
        b'<w:p><w:pPr><w:numPr><w:ilvl w:val="0"/><w:numId w:val="1"/></w:numPr></w:pPr>'
        b"<w:r><w:t>The board should review item %d.</w:t></w:r></w:p>" % index
        for index in range(items)
    )
    document = (
        b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document ' + _W + b"><w:body>"
        b"<w:p><w:r><w:t>Recommendations</w:t></w:r></w:p>" + paragraphs + b"</w:body></w:document>"
    )
    numbering = (
        b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:numbering ' + _W + b">"
        b'<w:abstractNum w:abstractNumId="0"><w:lvl w:ilvl="0"><w:start w:val="%d"/>'
        b'<w:numFmt w:val="lowerLetter"/><w:lvlText w:val="%%1."/></w:lvl></w:abstractNum>'
        b'<w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num></w:numbering>' % start
    )
    types = (
        b'<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
        b'content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
        b'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName='
        b'"/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.'
        b'document.main+xml"/><Override PartName="/word/numbering.xml" ContentType="application/vnd.'
        b'openxmlformats-officedocument.wordprocessingml.numbering+xml"/></Types>'
    )
    relations = (
        b'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/'
        b'package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/'
        b'officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>'
    )
    document_relations = (
        b'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.'
        b'org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.'
        b'openxmlformats.org/officeDocument/2006/relationships/numbering" Target="numbering.xml"/>'
        b"</Relationships>"
    )
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", types)
        archive.writestr("_rels/.rels", relations)
        archive.writestr("word/document.xml", document)
        archive.writestr("word/_rels/document.xml.rels", document_relations)
        archive.writestr("word/numbering.xml", numbering)
    return output.getvalue()
