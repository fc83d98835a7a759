"""Every real report in shared/reports reads exactly as expected.json says a careful
reader would read it. Skips, with the reason, where the shared folder is not present."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tracker.importing import read_report

SHARED_REPORTS = Path(__file__).resolve().parents[2] / ".." / "shared" / "reports"
EXPECTED_FILE = SHARED_REPORTS / "expected.json"
MISSING_REASON = (
    f"shared reports not found at {SHARED_REPORTS.resolve()}; these checks need the project's shared folder"
)

# expected.json describes the owner's source in words; the parser uses short codes.
OWNER_SOURCE_CODES = {
    "the letter's addressee": "addressee",
    "heading": "heading",
    "brackets": "brackets",
    "none": "none",
}


def _cases() -> list[Any]:
    if not EXPECTED_FILE.exists():
        print(MISSING_REASON)
        return [pytest.param(None, id="shared-reports-missing", marks=pytest.mark.skip(reason=MISSING_REASON))]
    expected = json.loads(EXPECTED_FILE.read_text(encoding="utf-8"))
    return [pytest.param(report, id=report["file"]) for report in expected["reports"]]


@pytest.fixture(scope="module")
def parsed_reports() -> dict[str, dict[str, Any]]:
    cache: dict[str, dict[str, Any]] = {}
    return cache


def _parse(expected: dict[str, Any], cache: dict[str, dict[str, Any]]) -> dict[str, Any]:
    if expected["file"] not in cache:
        path = SHARED_REPORTS / expected["file"]
        report = read_report(path.read_bytes(), path.name)
        cache[expected["file"]] = {"json": report.to_json_dict(), "report": report}
    return cache[expected["file"]]


@pytest.mark.parametrize("expected", _cases())
def test_report_facts(expected: dict[str, Any], parsed_reports: dict[str, dict[str, Any]]) -> None:
    parsed = _parse(expected, parsed_reports)["json"]
    for key in ("service", "inspection_type", "publication_date", "overall_rating", "deadline_rule", "inspectorate"):
        if key in expected:
            assert parsed[key] == expected[key], key
    assert parsed["date_precision"] == expected.get("date_precision"), "date_precision"
    if "ratings" in expected:
        assert parsed["ratings"] == expected["ratings"]


@pytest.mark.parametrize("expected", _cases())
def test_recommendations(expected: dict[str, Any], parsed_reports: dict[str, dict[str, Any]]) -> None:
    parsed = _parse(expected, parsed_reports)
    recommendations = parsed["json"]["recommendations"]
    assert [item["number"] for item in recommendations] == [item["number"] for item in expected["recommendations"]]
    for got, wanted in zip(recommendations, expected["recommendations"], strict=True):
        assert got["owners"] == wanted["owners"], got["number"]
        assert got["text"].startswith(wanted["text_starts"]), (got["number"], got["text"][:120])
        assert got["text"].endswith(wanted["text_ends"]), (got["number"], got["text"][-120:])
        if "owner_source" in wanted:
            assert got["owner_source"] == OWNER_SOURCE_CODES[wanted["owner_source"]]
        if not wanted["owners"]:
            assert got["owner_source"] == "none"
    if "recommendations_heading" in expected:
        assert parsed["report"].recommendations_heading == expected["recommendations_heading"]


@pytest.mark.parametrize("expected", _cases())
def test_items_point_back_into_the_text(expected: dict[str, Any], parsed_reports: dict[str, dict[str, Any]]) -> None:
    """The review screen shows each item beside its source, so offsets must be right."""
    report = _parse(expected, parsed_reports)["report"]
    for item in report.recommendations:
        source = report.text[item.source_start : item.source_end]
        assert item.text[:30] in " ".join(source.split())


@pytest.mark.parametrize("expected", _cases())
def test_unnamed_owners_and_month_dates_are_flagged(
    expected: dict[str, Any], parsed_reports: dict[str, dict[str, Any]]
) -> None:
    warnings = " ".join(_parse(expected, parsed_reports)["json"]["warnings"])
    if expected.get("date_precision") == "month":
        assert "only a month" in warnings
    if expected["publication_date"] is None:
        assert "No publication date" in warnings
    if any(not item["owners"] for item in expected["recommendations"]):
        assert "no owner is named" in warnings
