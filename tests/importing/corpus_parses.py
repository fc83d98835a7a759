"""Each corpus report is read once per test process, however many tests look at it.

`test_corpus_all.py` (every report reads or is refused cleanly) and `test_corpus_reports.py`
(the answered reports read as their answers say) look at the same files. Their cases carry
`xdist_group` marks named after the file, and `make test` runs pytest-xdist with
`--dist loadgroup`, so one worker takes all of a file's cases and reads the file once.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest

from tracker.importing import ParsedReport, ReportReadError, read_report


@cache
def _read(path: Path) -> ParsedReport | ReportReadError:
    try:
        return read_report(path.read_bytes(), path.name)
    except ReportReadError as refusal:  # kept, so a refusal is also read once
        return refusal


def parsed(path: Path) -> ParsedReport:
    """The report at `path`, as read_report gives it; its refusal raised again if it was refused."""
    result = _read(path)
    if isinstance(result, ReportReadError):
        raise result
    return result


def same_worker(name: str) -> pytest.MarkDecorator:
    """The mark that sends every case about one file to the same test process."""
    return pytest.mark.xdist_group(name=f"corpus-{name}")
