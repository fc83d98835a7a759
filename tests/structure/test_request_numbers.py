"""Numbers from requests are read by one helper, so no new view brings back `isdigit()` + `int()`.

`str.isdigit` is true for "²", "①" and "١": `int` then fails (a 500) or reads "١" as 1. The
every-route test posts those into every form field it finds, but only on routes and fields that
exist today; this test stops the pattern at the source, in any module that handles a request.
"""

from __future__ import annotations

import re
from pathlib import Path

TRACKER = Path(__file__).resolve().parents[2] / "tracker"
# The parsers read report and plan text, not requests; inputs.py is the one helper.
EXEMPT = {TRACKER / "inputs.py", TRACKER / "importing", TRACKER / "plans"}
ISDIGIT = re.compile(r"\.isdigit\(\)")


def _exempt(path: Path) -> bool:
    return any(path == exempt or exempt in path.parents for exempt in EXEMPT)


def test_only_the_one_helper_reads_digits_outside_the_parsers():
    offenders = [
        f"{path.relative_to(TRACKER.parent)}:{number}: {line.strip()}"
        for path in sorted(TRACKER.rglob("*.py"))
        if not _exempt(path)
        for number, line in enumerate(path.read_text().splitlines(), start=1)
        if ISDIGIT.search(line)
    ]
    assert not offenders, "Use tracker.inputs.whole_number for numbers from requests:\n" + "\n".join(offenders)
