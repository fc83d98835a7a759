"""A hostile PDF cannot hold a web worker: the work per file is bounded and refused clearly."""

from __future__ import annotations

import time

import pytest
from report_builders import shared_stream_pdf

from tracker.importing import ReportReadError, pdf_text, read_report

# CPU seconds of this process (the readers run in it here): the bound holds whatever the
# other test worker is doing, and a regression takes minutes, not seconds.
QUICK_SECONDS = 3.0


def test_thousands_of_pages_sharing_one_stream_are_refused_quickly() -> None:
    data = shared_stream_pdf(page_count=5000, stream_lines=200)
    started = time.process_time()
    with pytest.raises(ReportReadError, match="more than 1000 pages"):
        read_report(data, "hostile.pdf")
    assert time.process_time() - started < QUICK_SECONDS


def test_pages_under_the_limit_sharing_a_large_stream_are_refused_for_their_content() -> None:
    data = shared_stream_pdf(page_count=900, stream_lines=1200)
    assert len(data) < 400_000  # small on disk: the stream is stored once
    started = time.process_time()
    with pytest.raises(ReportReadError, match="MB of page content"):
        read_report(data, "hostile.pdf")
    assert time.process_time() - started < QUICK_SECONDS


def test_a_file_that_takes_too_long_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pdf_text, "MAX_READ_SECONDS", 0.05)
    data = shared_stream_pdf(page_count=400, stream_lines=60)
    with pytest.raises(ReportReadError, match="seconds to read"):
        read_report(data, "slow.pdf")


def test_a_modest_file_sharing_one_stream_is_still_read_as_text() -> None:
    data = shared_stream_pdf(page_count=3, stream_lines=20)
    with pytest.raises(ReportReadError) as refused:
        read_report(data, "repeats.pdf")
    assert "No recommendations section" in str(refused.value)
