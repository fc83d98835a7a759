"""Text from a Word (.docx) document, including the numbers Word draws for lists.

python-docx returns a paragraph's own text only. A list typed with Word's automatic
numbering stores no "1." anywhere in that text: the number is computed when the page is
drawn, from ``numbering.xml`` (an abstract list definition per list style) and the
paragraph's ``<w:numPr>`` (which list, which level). Reports number their
recommendations that way, and the number is what people cite ("recommendation 4"), so
:class:`WordListNumbering` recomputes it the way Word does.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field

from .cleaning import clean_text
from .errors import ReportReadError

# A .docx is a ZIP archive. These limits are checked on the archive's directory before
# anything is decompressed, so a "zip bomb" is refused without being unpacked.
MAX_DOCX_MEMBERS = 2000
MAX_DOCX_UNPACKED_BYTES = 200 * 1024 * 1024
MAX_DOCX_COMPRESSION_RATIO = 200

MAX_LETTER_REPEATS = 4

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def check_docx_archive(data: bytes, filename: str) -> None:
    """Refuse archives that are not Word documents or would unpack to too much data."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError, EOFError) as error:
        raise ReportReadError(f"{filename} is a damaged Word document (its ZIP structure cannot be read)") from error
    if len(members) > MAX_DOCX_MEMBERS:
        raise ReportReadError(
            f"{filename} contains {len(members)} parts, more than a Word document should ({MAX_DOCX_MEMBERS})"
        )
    unpacked = sum(member.file_size for member in members)
    if unpacked > MAX_DOCX_UNPACKED_BYTES:
        raise ReportReadError(
            f"{filename} would unpack to {unpacked // (1024 * 1024)} MB, more than the "
            f"{MAX_DOCX_UNPACKED_BYTES // (1024 * 1024)} MB allowed for a Word document"
        )
    for member in members:
        if member.file_size > 1024 * 1024 and member.file_size > MAX_DOCX_COMPRESSION_RATIO * max(
            member.compress_size, 1
        ):
            raise ReportReadError(
                f"{filename} contains a part that is compressed suspiciously well; it was not unpacked"
            )
    names = {member.filename for member in members}
    if "word/document.xml" not in names:
        raise ReportReadError(f"{filename} is a ZIP archive but not a Word document (.docx)")


def docx_to_text(data: bytes, filename: str) -> str:
    """Extract clean text from .docx bytes (see :func:`tracker.importing.extract_text`)."""
    check_docx_archive(data, filename)
    document = _open_document(data, filename)
    try:
        numbering = WordListNumbering.from_document(document)
        blocks = list(_body_blocks(document.element.body, numbering))
    except ReportReadError:
        raise
    except Exception as error:  # noqa: BLE001 - malformed XML can fail in many ways
        raise ReportReadError(f"{filename} is a damaged Word document ({type(error).__name__})") from error
    return clean_text("\n\n".join(block for block in blocks if block.strip()))


def _open_document(data: bytes, filename: str):  # noqa: ANN202 - python-docx Document
    import docx

    try:
        return docx.Document(io.BytesIO(data))
    except Exception as error:  # noqa: BLE001 - python-docx raises KeyError, ValueError, XMLSyntaxError...
        raise ReportReadError(f"{filename} is a damaged Word document ({type(error).__name__})") from error


def _body_blocks(body, numbering: WordListNumbering) -> Iterator[str]:  # noqa: ANN001 - lxml element
    """Paragraphs and table rows in document order."""
    for child in body.iterchildren():
        if child.tag == _W + "p":
            yield numbering.render_paragraph(child)
        elif child.tag == _W + "tbl":
            yield from _table_rows(child, numbering)
        elif child.tag == _W + "sdt":  # content controls wrap ordinary paragraphs
            content = child.find(_W + "sdtContent")
            if content is not None:
                yield from _body_blocks(content, numbering)


def _table_rows(table, numbering: WordListNumbering) -> Iterator[str]:  # noqa: ANN001
    for row in table.iter(_W + "tr"):
        cells = []
        for cell in row.iterchildren(_W + "tc"):
            texts = [numbering.render_paragraph(paragraph) for paragraph in cell.iter(_W + "p")]
            cells.append(" ".join(text for text in texts if text.strip()))
        yield "\t".join(cells)


def paragraph_text(paragraph) -> str:  # noqa: ANN001 - lxml element
    """The visible text of a ``<w:p>``: text, tabs and breaks, including tracked insertions."""
    parts: list[str] = []
    for element in paragraph.iter(_W + "t", _W + "tab", _W + "br", _W + "cr", _W + "noBreakHyphen"):
        if element.tag == _W + "t":
            parts.append(element.text or "")
        elif element.tag == _W + "tab":
            parts.append("\t")
        elif element.tag == _W + "noBreakHyphen":
            parts.append("-")
        else:
            parts.append("\n")
    return "".join(parts)


@dataclass
class _Level:
    number_format: str = "decimal"
    text: str = "%1."
    start: int = 1
    style_id: str | None = None


@dataclass
class WordListNumbering:
    """Word's list numbering: definitions from numbering.xml and the running counters.

    Counters belong to the abstract list, so two ``w:num`` instances of the same list
    continue one sequence, as Word does, unless an instance restarts a level with
    ``w:startOverride``.
    """

    abstract_levels: dict[str, dict[int, _Level]] = field(default_factory=dict)
    num_to_abstract: dict[str, str] = field(default_factory=dict)
    start_overrides: dict[str, dict[int, int]] = field(default_factory=dict)
    style_numbering: dict[str, tuple[str | None, int | None]] = field(default_factory=dict)
    counters: dict[str, dict[int, int]] = field(default_factory=dict)
    used_num_ids: set[str] = field(default_factory=set)

    @classmethod
    def from_document(cls, document) -> WordListNumbering:  # noqa: ANN001
        from docx.opc.constants import RELATIONSHIP_TYPE

        numbering = cls()
        numbering._read_numbering(_related_element(document, RELATIONSHIP_TYPE.NUMBERING))
        numbering._read_styles(_related_element(document, RELATIONSHIP_TYPE.STYLES))
        return numbering

    def _read_numbering(self, root) -> None:  # noqa: ANN001
        if root is None:
            return
        for abstract in root.iterchildren(_W + "abstractNum"):
            levels: dict[int, _Level] = {}
            for level in abstract.iterchildren(_W + "lvl"):
                levels[_int(level.get(_W + "ilvl"), 0)] = _Level(
                    number_format=_child_value(level, "numFmt") or "decimal",
                    text=_level_text(level),
                    start=_int(_child_value(level, "start"), 1),
                    style_id=_child_value(level, "pStyle"),
                )
            self.abstract_levels[abstract.get(_W + "abstractNumId", "")] = levels
        for num in root.iterchildren(_W + "num"):
            num_id = num.get(_W + "numId", "")
            self.num_to_abstract[num_id] = _child_value(num, "abstractNumId") or ""
            overrides: dict[int, int] = {}
            for override in num.iterchildren(_W + "lvlOverride"):
                start = _child_value(override, "startOverride")
                if start is not None:
                    overrides[_int(override.get(_W + "ilvl"), 0)] = _int(start, 1)
            self.start_overrides[num_id] = overrides

    def _read_styles(self, root) -> None:  # noqa: ANN001
        """Styles such as "List Number" carry the numbering for paragraphs that use them."""
        if root is None:
            return
        based_on: dict[str, str] = {}
        own: dict[str, tuple[str | None, int | None]] = {}
        for style in root.iterchildren(_W + "style"):
            style_id = style.get(_W + "styleId", "")
            parent = _child_value(style, "basedOn")
            if parent:
                based_on[style_id] = parent
            num_pr = style.find(f"{_W}pPr/{_W}numPr")
            if num_pr is not None:
                level = _child_value(num_pr, "ilvl")
                own[style_id] = (_child_value(num_pr, "numId"), None if level is None else _int(level, 0))
        for style_id in set(own) | set(based_on):
            current: str | None = style_id
            seen: set[str] = set()
            while current and current not in own and current not in seen:
                seen.add(current)
                current = based_on.get(current)
            if current in own:
                self.style_numbering[style_id] = own[current]

    def render_paragraph(self, paragraph) -> str:  # noqa: ANN001
        """The paragraph's text with its list number ("4. ...", "(b) ...") in front."""
        text = paragraph_text(paragraph)
        label = self._label_for(paragraph)
        return f"{label} {text}" if label and text.strip() else text

    def _label_for(self, paragraph) -> str | None:  # noqa: ANN001
        num_id, level = self._numbering_of(paragraph)
        if not num_id or num_id == "0" or num_id not in self.num_to_abstract:
            return None
        abstract_id = self.num_to_abstract[num_id]
        levels = self.abstract_levels.get(abstract_id, {})
        definition = levels.get(level, _Level())
        if definition.number_format == "none":
            return None
        counters = self.counters.setdefault(abstract_id, {})
        if num_id not in self.used_num_ids:
            self.used_num_ids.add(num_id)
            for overridden_level, start in self.start_overrides.get(num_id, {}).items():
                counters[overridden_level] = start - 1
        counters[level] = counters.get(level, levels.get(level, _Level()).start - 1) + 1
        for deeper in [key for key in counters if key > level]:
            del counters[deeper]
        return self._format_label(definition, levels, counters)

    def _numbering_of(self, paragraph) -> tuple[str | None, int]:  # noqa: ANN001
        properties = paragraph.find(_W + "pPr")
        num_id: str | None = None
        level: int | None = None
        style_id: str | None = None
        if properties is not None:
            style_id = _child_value(properties, "pStyle")
            num_pr = properties.find(_W + "numPr")
            if num_pr is not None:
                num_id = _child_value(num_pr, "numId")
                level_value = _child_value(num_pr, "ilvl")
                level = None if level_value is None else _int(level_value, 0)
        if style_id and style_id in self.style_numbering:
            style_num_id, style_level = self.style_numbering[style_id]
            num_id = num_id or style_num_id
            level = level if level is not None else style_level
            if level is None and num_id:
                level = self._level_linked_to_style(num_id, style_id)
        return num_id, min(max(level or 0, 0), 8)

    def _level_linked_to_style(self, num_id: str, style_id: str) -> int | None:
        levels = self.abstract_levels.get(self.num_to_abstract.get(num_id, ""), {})
        for level_index, definition in levels.items():
            if definition.style_id == style_id:
                return level_index
        return None

    @staticmethod
    def _format_label(definition: _Level, levels: dict[int, _Level], counters: dict[int, int]) -> str:
        if definition.number_format == "bullet":
            return "•"
        label = definition.text
        for level_index in range(9):
            placeholder = f"%{level_index + 1}"
            if placeholder in label:
                level_format = levels.get(level_index, _Level()).number_format
                label = label.replace(placeholder, format_list_number(counters.get(level_index, 1), level_format))
        return label.strip()


def format_list_number(value: int, number_format: str) -> str:
    """Render a counter the way Word's ``w:numFmt`` asks ("4", "iv", "d", "04")."""
    if number_format in ("lowerRoman", "upperRoman"):
        roman = _to_roman(value)
        return roman if number_format == "upperRoman" else roman.lower()
    if number_format in ("lowerLetter", "upperLetter"):
        # Word repeats the letter after z: aa, bb, ... A list starting at 260,000,000 would
        # make labels 10 million letters long, so past "zzzz" the number is written in digits.
        if value > 26 * MAX_LETTER_REPEATS:
            return str(value)
        letter = chr(ord("a") + (value - 1) % 26) * ((value - 1) // 26 + 1) if value > 0 else "a"
        return letter.upper() if number_format == "upperLetter" else letter
    if number_format == "decimalZero":
        return f"{value:02d}"
    return str(value)


def _to_roman(value: int) -> str:
    if value <= 0 or value >= 4000:
        return str(value)
    numerals = [
        (1000, "M"),
        (900, "CM"),
        (500, "D"),
        (400, "CD"),
        (100, "C"),
        (90, "XC"),
        (50, "L"),
        (40, "XL"),
        (10, "X"),
        (9, "IX"),
        (5, "V"),
        (4, "IV"),
        (1, "I"),
    ]
    result = ""
    for amount, numeral in numerals:
        while value >= amount:
            result += numeral
            value -= amount
    return result


def _related_element(document, relationship_type: str):  # noqa: ANN001, ANN202
    try:
        return document.part.part_related_by(relationship_type).element
    except (KeyError, AttributeError):
        return None


def _level_text(level) -> str:  # noqa: ANN001
    """``w:lvlText`` such as "%1." or "(%1)"; Word's default when it is missing is "%1."."""
    value = _child_value(level, "lvlText")
    return "%1." if value is None else value


def _child_value(element, name: str) -> str | None:  # noqa: ANN001
    child = element.find(_W + name)
    return None if child is None else child.get(_W + "val")


def _int(value: str | None, default: int) -> int:
    try:
        return int(value) if value is not None else default
    except ValueError:
        return default
