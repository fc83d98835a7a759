"""Every real report in the corpus either gives recommendations or is refused with the
parser's own error: nothing else may escape read_report on any file. Skips, with the
reason, where the shared corpus is not present."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.importing.corpus_parses import parsed, same_worker
from tracker.importing import NoRecommendationsFound, ReportReadError

CORPUS = Path(__file__).resolve().parents[2] / ".." / "shared" / "reports" / "corpus"
MISSING_REASON = f"report corpus not found at {CORPUS.resolve()}; these checks need the project's shared folder"


def _cases() -> list[Any]:
    if not CORPUS.is_dir():
        print(MISSING_REASON)
        return [pytest.param(None, id="corpus-missing", marks=pytest.mark.skip(reason=MISSING_REASON))]
    return [pytest.param(path, id=path.name, marks=same_worker(path.name)) for path in sorted(CORPUS.glob("*.pdf"))]


@pytest.mark.parametrize("path", _cases())
def test_report_gives_recommendations_or_a_clear_refusal(path: Path) -> None:
    try:
        report = parsed(path)
    except NoRecommendationsFound as refusal:
        assert str(refusal).startswith("No recommendations section was found: ")
        assert refusal.text.strip(), "the refusal carries the text that was read"
        return
    except ReportReadError as refusal:
        assert "unexpected problem" not in str(refusal), str(refusal)
        return
    assert report.recommendations
    assert sum(section.item_count for section in report.sections) == len(report.recommendations)
    for item in report.recommendations:
        assert item.text.strip()
        assert item.owner_reason and item.deadline_reason
        assert item.source_heading
        assert item.source_start is not None and item.source_end is not None
