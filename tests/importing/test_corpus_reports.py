"""Real Ofsted reports in shared/reports/corpus read as corpus_expected.json says a careful
reader reads them (see that file's "_about"). Skips, with the reason, where the corpus is absent."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tracker.importing import NoRecommendationsFound, read_report

CORPUS = Path(__file__).resolve().parents[2] / ".." / "shared" / "reports" / "corpus"
EXPECTED_FILE = Path(__file__).resolve().parent / "corpus_expected.json"
MISSING_REASON = f"report corpus not found at {CORPUS.resolve()}; these checks need the project's shared folder"


def _expected_reports() -> list[dict[str, Any]]:
    return json.loads(EXPECTED_FILE.read_text(encoding="utf-8"))["reports"]


def _cases(with_section: bool) -> list[Any]:
    if not CORPUS.is_dir():
        print(MISSING_REASON)
        return [pytest.param(None, id="corpus-missing", marks=pytest.mark.skip(reason=MISSING_REASON))]
    return [
        pytest.param(report, id=report["file"])
        for report in _expected_reports()
        if ("no_section_reason" not in report) == with_section
    ]


@pytest.fixture(scope="module")
def parsed_reports() -> dict[str, Any]:
    return {}


def _parse(expected: dict[str, Any], cache: dict[str, Any]) -> Any:
    if expected["file"] not in cache:
        path = CORPUS / expected["file"]
        cache[expected["file"]] = read_report(path.read_bytes(), path.name)
    return cache[expected["file"]]


def test_expected_answers_cover_every_kind_and_ten_years() -> None:
    """The answers themselves: 40 or more reports, every kind in the manifest, ten or more years."""
    if not CORPUS.is_dir():
        pytest.skip(MISSING_REASON)
    manifest = {
        item["file"]: item for item in json.loads((CORPUS / "manifest.json").read_text(encoding="utf-8"))["reports"]
    }
    reports = _expected_reports()
    assert len(reports) >= 40
    assert all(report["file"] in manifest for report in reports)
    assert {manifest[report["file"]]["kind"] for report in reports} == {item["kind"] for item in manifest.values()}
    assert len({manifest[report["file"]]["year"] for report in reports}) >= 10


@pytest.mark.parametrize("expected", _cases(with_section=True))
def test_publication_date(expected: dict[str, Any], parsed_reports: dict[str, Any]) -> None:
    parsed = _parse(expected, parsed_reports).to_json_dict()
    assert parsed["publication_date"] == expected["publication_date"], "publication_date"
    assert parsed["date_precision"] == expected["date_precision"], "date_precision"


@pytest.mark.parametrize("expected", _cases(with_section=True))
def test_recommendations(expected: dict[str, Any], parsed_reports: dict[str, Any]) -> None:
    report = _parse(expected, parsed_reports)
    got_items = report.recommendations
    assert [item.number for item in got_items] == [item["number"] for item in expected["recommendations"]]
    for got, wanted in zip(got_items, expected["recommendations"], strict=True):
        assert list(got.owners) == wanted["owners"], (got.number, "owners")
        assert got.owner_source == wanted["owner_source"], (got.number, "owner_source")
        assert got.text.startswith(wanted["text_starts"]), (got.number, got.text[:120])
        assert got.text.endswith(wanted["text_ends"]), (got.number, got.text[-120:])
        if "deadline_months" in wanted:
            assert got.deadline_months == wanted["deadline_months"], (got.number, "deadline_months")


@pytest.mark.parametrize("expected", _cases(with_section=False))
def test_reports_without_a_section_are_refused(expected: dict[str, Any]) -> None:
    path = CORPUS / expected["file"]
    with pytest.raises(NoRecommendationsFound):
        read_report(path.read_bytes(), path.name)
