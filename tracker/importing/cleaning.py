"""Turning the text of any report into the one clean form the parser reads.

Every reader (PDF, DOCX, HTML, Markdown, plain text) ends here, so the parser only has to
understand one shape of text:

* one paragraph or list item per line, paragraphs separated by a blank line;
* straight quotes, "-" for hyphens and "–" for dashes, no ligatures or invisible characters;
* no HTML fragments (``<p>``, ``<b>``, ``<sup>``) or markdown emphasis, which real report
  text carries over from whatever converted it;
* no running headers, page numbers or footnote markers, and items that a page break or a
  line wrap split in two joined up again.

Footnote *bodies* are kept (a line starting with a superscript number, "¹ Source: ...")
because they are part of the report; the parser skips them.

:func:`clean_text` gives the same text back when given its own output (the tests check
this on every report and fixture), so the parser can clean whatever it is given without
caring whether an extractor already did. Odd inputs can still shift: joining a
hard-wrapped document's lines changes the line lengths the wrap width was guessed from.

This module does the character-level work (newlines, HTML, characters, Markdown, footnote
markers, spacing); the line-level steps (page furniture, joining wrapped and page-broken
paragraphs) are in :mod:`.paragraphs`.
"""

from __future__ import annotations

import html
import re

from .paragraphs import (
    FOOTNOTE_BODY,
    PAGE_BREAK,
    SUPERSCRIPT_DIGITS,
    collapse_blank_lines,
    join_paragraphs_split_by_page_breaks,
    join_wrapped_lines,
    remove_page_furniture,
)

_TO_SUPERSCRIPT = str.maketrans("0123456789", SUPERSCRIPT_DIGITS)

_CHARACTER_MAP = str.maketrans(
    {
        **dict.fromkeys("‘’‚‛′", "'"),
        **dict.fromkeys("“”„‟″", '"'),
        **dict.fromkeys("‐‑‒⁃−﹣－", "-"),
        **dict.fromkeys("—―⸺⸻﹘", "–"),
        **dict.fromkeys(
            "\u00a0\u2007\u202f\u205f\u3000\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2008\u2009\u200a", " "
        ),
        **dict.fromkeys("\u200b\u200c\u200d\u2060\ufeff", ""),
        **dict.fromkeys("\u2028\u2029\v", "\n"),
        "…": "...",
        "ﬀ": "ff",
        "ﬁ": "fi",
        "ﬂ": "fl",
        "ﬃ": "ffi",
        "ﬄ": "ffl",
        "ﬅ": "st",
        "ﬆ": "st",
    }
)

# Replacing through a regex is several times faster than str.translate on long text,
# because most characters need no change.
_SPECIAL_CHARACTER = re.compile("[" + "".join(re.escape(chr(code)) for code in _CHARACTER_MAP) + "]")

# C0 and C1 control characters other than tab, newline and form feed (page break).
_CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f]")

# --- HTML fragments left in text -------------------------------------------------------
_HTML_SUP = re.compile(r"<sup\b[^>]*>\s*([^<]{0,6}?)\s*</sup>", re.IGNORECASE)
_HTML_LINE_BREAK = re.compile(r"<br\s*/?>", re.IGNORECASE)
_HTML_BLOCK_END = re.compile(r"</(?:p|div|li|h[1-6]|tr|blockquote|section|article|table|ul|ol)\s*>", re.IGNORECASE)
_HTML_TAG = re.compile(
    r"</?(?:p|b|i|u|s|em|strong|sup|sub|span|div|br|a|font|li|ul|ol|h[1-6]|table|thead|tbody|tr|td|th"
    r"|small|big|strike|mark|blockquote|section|article|header|footer|nav|img|hr|center|html|body|head)\b[^<>]*>",
    re.IGNORECASE,
)
_HTML_ENTITY = re.compile(r"&(?:#\d{1,7}|#x[0-9a-fA-F]{1,6}|[a-zA-Z][a-zA-Z0-9]{1,31});")

# --- markdown --------------------------------------------------------------------------
_MD_HEADING = re.compile(r"^ {0,3}#{1,6}(?:[ \t]+|$)", re.MULTILINE)
_MD_CLOSING_HASHES = re.compile(r"[ \t]+#+[ \t]*$", re.MULTILINE)
_MD_RULE = re.compile(r"^ {0,3}(?:[-=*_][ \t]*){3,}$", re.MULTILINE)
_MD_BLOCKQUOTE = re.compile(r"^ {0,3}>[ \t]?", re.MULTILINE)
_MD_STAR_BULLET = re.compile(r"^([ \t]*)[*+][ \t]+", re.MULTILINE)
# Bold may not contain its own delimiter, which keeps the search linear on odd input.
_MD_STRONG_STARS = re.compile(r"\*\*(?=[^\s*])([^*\n]{1,500}?)(?<=[^\s*])\*\*")
_MD_STRONG_UNDERSCORES = re.compile(r"__(?=[^\s_])([^_\n]{1,500}?)(?<=[^\s_])__")
_MD_EMPHASIS_STAR = re.compile(r"(?<![\w*])\*(?=[^\s*])([^*\n]+?)(?<=[^\s*])\*(?![\w*])")
_MD_STRAY_STRONG = re.compile(r"\*\*|__")
# Link and image targets may not contain brackets, so text full of "[a](" fragments
# fails each attempt at once instead of scanning ahead (which would be quadratic).
_MD_IMAGE = re.compile(r"!\[[^\[\]\n]{0,500}\]\([^()\[\]\n]{0,2000}\)")
_MD_LINK = re.compile(r"\[([^\[\]\n]{1,500})\]\([^()\[\]\s]{0,2000}(?:\s+\"[^\"\n()]{0,500}\")?\)")
_MD_AUTOLINK = re.compile(r"<((?:https?|mailto|ftp):[^<>\s]+)>")
_MD_FOOTNOTE_BODY = re.compile(r"^\[\^(\d{1,3})\]:[ \t]*", re.MULTILINE)
_MD_FOOTNOTE_REFERENCE = re.compile(r"\[\^\d{1,3}\]")
_MD_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!<>|])")
_MD_INLINE_CODE = re.compile(r"`([^`\n]+)`")
_MD_TABLE_SEPARATOR = re.compile(r"^[ \t]*\|?(?:[ \t]*:?-{3,}:?[ \t]*\|)+[ \t]*(?::?-{3,}:?)?[ \t]*$", re.MULTILINE)

_INLINE_FOOTNOTE_MARKER = re.compile("(?<=[^\\s" + SUPERSCRIPT_DIGITS + "])[" + SUPERSCRIPT_DIGITS + "]+")


def clean_text(text: str) -> str:
    """Return ``text`` in the parser's clean form (see the module docstring).

    Steps run in a fixed order because each relies on the one before: markup has to go
    before whitespace is normalised, and page furniture has to go before split paragraphs
    can be joined across a page break.
    """
    text = normalise_newlines(text)
    text = strip_html_fragments(text)
    text = normalise_characters(text)
    text = strip_markdown(text)
    lines = [normalise_line_whitespace(strip_footnote_markers(line)) for line in text.split("\n")]
    lines = remove_page_furniture(lines)
    lines = join_wrapped_lines(lines)
    lines = join_paragraphs_split_by_page_breaks(lines)
    return "\n".join(collapse_blank_lines(lines))


def normalise_newlines(text: str) -> str:
    """CRLF and CR become LF; a soft hyphen at a line end joins the word back up."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = re.sub("\u00ad[ \t]*\n[ \t]*", "", text)
    return text.replace("\u00ad", "")


def strip_html_fragments(text: str) -> str:
    """Remove the stray ``<p>``, ``<b>``, ``<sup>`` tags that appear inside .txt reports."""
    if "<" not in text and "&" not in text:
        return text
    text = _HTML_SUP.sub(_superscript_replacement, text)
    text = _HTML_LINE_BREAK.sub("\n", text)
    text = _HTML_BLOCK_END.sub("\n", text)
    text = _HTML_TAG.sub("", text)
    return _HTML_ENTITY.sub(lambda match: html.unescape(match.group(0)), text)


def _superscript_replacement(match: re.Match[str]) -> str:
    content = match.group(1)
    if content.isdigit():
        return content.translate(_TO_SUPERSCRIPT)
    return "" if len(content) <= 2 else content


def normalise_characters(text: str) -> str:
    """Straight quotes, one hyphen and one dash, no ligatures, controls or odd spaces."""
    if not text.isascii():
        text = _SPECIAL_CHARACTER.sub(lambda match: _CHARACTER_MAP[ord(match.group(0))], text)
    return _CONTROL_CHARACTERS.sub("", text)


def strip_markdown(text: str) -> str:
    """Remove markdown syntax while keeping the words and the line structure.

    Single underscores are left alone: converters write emphasis with asterisks, and an
    escaped "\\_word\\_" must not turn into emphasis when cleaned text is cleaned again.
    """
    if not any(symbol in text for symbol in "#*_[`\\>|=-"):
        return text
    text, escaped = _MD_ESCAPE.subn(_protect_escaped, text)
    text = _MD_RULE.sub("", text)
    text = _MD_HEADING.sub("", text)
    text = _MD_CLOSING_HASHES.sub("", text)
    text = _MD_BLOCKQUOTE.sub("", text)
    text = _MD_STAR_BULLET.sub(r"\1- ", text)
    text = _MD_IMAGE.sub("", text)
    text = _MD_LINK.sub(r"\1", text)
    text = _MD_AUTOLINK.sub(r"\1", text)
    text = _MD_FOOTNOTE_BODY.sub(lambda match: match.group(1).translate(_TO_SUPERSCRIPT) + " ", text)
    text = _MD_FOOTNOTE_REFERENCE.sub("", text)
    text = _MD_INLINE_CODE.sub(r"\1", text)
    text = _MD_STRONG_STARS.sub(r"\1", text)
    text = _MD_STRONG_UNDERSCORES.sub(r"\1", text)
    text = _MD_EMPHASIS_STAR.sub(r"\1", text)
    text = _MD_STRAY_STRONG.sub("", text)
    text = _MD_TABLE_SEPARATOR.sub("", text)
    text = "\n".join(_markdown_table_row(line) for line in text.split("\n"))
    return text.translate(_RESTORE_ESCAPED) if escaped else text


# Escaped characters ("\_", "\*") are parked in a private-use plane while emphasis is
# removed, so "\_evaluated\_" keeps its underscores instead of being read as emphasis.
_ESCAPE_PARKING = 0xF0000
_ESCAPABLE = "\\`*_{}[]()#+-.!<>|"
_RESTORE_ESCAPED = {_ESCAPE_PARKING + ord(character): character for character in _ESCAPABLE}


def _protect_escaped(match: re.Match[str]) -> str:
    return chr(_ESCAPE_PARKING + ord(match.group(1)))


def _markdown_table_row(line: str) -> str:
    """ "| 1.1 | Governance | Good |" becomes tab-separated cells, as other tables are."""
    stripped = line.strip()
    if len(stripped) > 2 and stripped.startswith("|") and stripped.endswith("|"):
        return "\t".join(cell.strip() for cell in stripped[1:-1].split("|"))
    return line


def strip_footnote_markers(line: str) -> str:
    """Drop superscript footnote markers inside a line; keep a footnote body's number."""
    if not any(digit in line for digit in SUPERSCRIPT_DIGITS):
        return line
    leading = FOOTNOTE_BODY.match(line.lstrip())
    if leading:
        stripped = line.lstrip()
        return leading.group(0) + _INLINE_FOOTNOTE_MARKER.sub("", stripped[leading.end() :])
    return _INLINE_FOOTNOTE_MARKER.sub("", line)


def normalise_line_whitespace(line: str) -> str:
    """Trim a line and collapse runs of blanks; a run holding a tab stays one tab (tables)."""
    if PAGE_BREAK in line:
        return PAGE_BREAK
    line = re.sub(r"[ \t]*\t[ \t]*", "\t", line.strip(" \t"))
    return re.sub(r" {2,}", " ", line)
