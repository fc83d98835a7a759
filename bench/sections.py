"""BENCHMARKS.md is written by three scripts; each owns only its own "## " sections.

``write_sections`` replaces the sections a script owns and keeps every other section as it
was, in place. Inside an owned section, "### " subsections the script does not write
(hand-written notes) are kept after the script's text.
"""

from __future__ import annotations

from pathlib import Path

BENCHMARKS = Path(__file__).resolve().parent.parent / "BENCHMARKS.md"


def split(text: str) -> tuple[str, list[tuple[str, str]]]:
    """The text before the first "## " heading, and each (heading, body) after it."""
    preamble: list[str] = []
    sections: list[tuple[str, list[str]]] = []
    fenced = False
    for line in text.splitlines():
        fenced ^= line.startswith("```")
        if line.startswith("## ") and not fenced:
            sections.append((line.rstrip(), []))
        elif sections:
            sections[-1][1].append(line)
        else:
            preamble.append(line)
    return "\n".join(preamble).strip("\n"), [(heading, "\n".join(body).strip("\n")) for heading, body in sections]


def _subsections(body: str) -> list[tuple[str, str]]:
    found: list[tuple[str, list[str]]] = []
    for line in body.splitlines():
        if line.startswith("### "):
            found.append((line.rstrip(), []))
        elif found:
            found[-1][1].append(line)
    return [(heading, "\n".join(lines).strip("\n")) for heading, lines in found]


def _keep_notes(old: str, new: str) -> str:
    """The new body, followed by the old body's "### " subsections the new one does not have."""
    written = {heading for heading, _ in _subsections(new)}
    kept = [f"{heading}\n\n{body}" for heading, body in _subsections(old) if heading not in written]
    return "\n\n".join([new.strip("\n"), *kept])


def write_sections(
    owned: dict[str, str], preamble: str | None = None, first: bool = False, path: Path = BENCHMARKS
) -> str:
    """Replace the sections in ``owned`` (heading -> body) and keep all others.

    ``preamble`` replaces the text before the first section when given. Owned sections that
    are new go at the start when ``first`` (the page benchmarks lead the file), else at the end.
    """
    text = path.read_text() if path.exists() else "# Benchmarks\n"
    old_preamble, sections = split(text)
    old = dict(sections)
    result: list[tuple[str, str]] = []
    for heading, body in sections:
        result.append((heading, _keep_notes(body, owned[heading]) if heading in owned else body))
    missing = [(heading, body) for heading, body in owned.items() if heading not in old]
    if first:
        # The owner's sections in its own order, then everything it does not own.
        mine = [(heading, _keep_notes(old.get(heading, ""), body)) for heading, body in owned.items()]
        result = mine + [(heading, body) for heading, body in result if heading not in owned]
    else:
        result += missing
    parts = [(preamble if preamble is not None else old_preamble).strip("\n")]
    parts += [f"{heading}\n\n{body}".rstrip("\n") for heading, body in result]
    output = "\n\n".join(parts) + "\n"
    path.write_text(output)
    return output


def section(heading: str, path: Path = BENCHMARKS) -> str:
    """The body of one section as it is now, or ""."""
    if not path.exists():
        return ""
    return dict(split(path.read_text())[1]).get(heading, "")


def load_average() -> str:
    """The 1-, 5- and 15-minute load averages, as `uptime` shows them."""
    return ", ".join(Path("/proc/loadavg").read_text().split()[:3])
