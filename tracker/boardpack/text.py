"""Text for the PDF's core fonts (Helvetica), which can only draw Latin-1.

User text arrives with curly quotes, dashes, bullets, emoji and other scripts. Typographic
marks become their plain equivalents, accented letters outside Latin-1 lose their accent, and
anything else becomes "?", so a pack never fails to print because of what someone typed.
"""

from __future__ import annotations

import unicodedata

_PLAIN = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201a": ",",
        "\u201b": "'",
        "\u2032": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u201f": '"',
        "\u2033": '"',
        "\u2010": "-",
        "\u2011": "-",
        "\u2012": "-",
        "\u2013": "-",
        "\u2014": "-",
        "\u2015": "-",
        "\u2212": "-",
        "\u2026": "...",
        "\u2022": "*",
        "\u25cf": "*",
        "\u2023": "*",
        "\u2043": "-",
        "\u00a0": " ",
        "\u2007": " ",
        "\u2009": " ",
        "\u202f": " ",
        "\u2002": " ",
        "\u2003": " ",
        "\u200b": "",
        "\u200c": "",
        "\u200d": "",
        "\ufeff": "",
        "\u00ad": "",
        "\u20ac": "EUR",
        "\u2122": "(TM)",
        "\u2192": "->",
        "\u2190": "<-",
        "\u2264": "<=",
        "\u2265": ">=",
        "\t": " ",
        "\r": "",
    }
)


def latin1(text: object) -> str:
    """`text` as Latin-1 the PDF core fonts can draw, keeping line breaks."""
    value = unicodedata.normalize("NFKC", str(text)).translate(_PLAIN)
    out = []
    for character in value:
        if character == "\n":
            out.append(character)
        elif unicodedata.category(character) in ("Cc", "Cs", "Co", "Cn"):
            continue
        elif ord(character) < 256:
            out.append(character)
        else:
            base = unicodedata.normalize("NFKD", character).encode("latin-1", "ignore").decode("latin-1")
            out.append(base if base.strip() else "?")
    return "".join(out)


def printable(text: object) -> str:
    """`text` for the embedded Unicode font: every script kept (ŵ, ŷ, Cyrillic, Greek...),
    only control characters dropped and tabs made spaces, keeping line breaks."""
    value = unicodedata.normalize("NFC", str(text)).replace("\t", " ").replace("\r", "")
    return "".join(
        character
        for character in value
        if character == "\n" or unicodedata.category(character) not in ("Cc", "Cs", "Co", "Cn")
    )
