"""Every module in tracker/ stays short enough to read in one sitting: split by noun instead."""

from __future__ import annotations

from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[2] / "tracker"
MAX_LINES = 450


def test_no_module_in_tracker_is_over_450_lines():
    too_long = {
        str(path.relative_to(PACKAGE.parent)): count
        for path in sorted(PACKAGE.rglob("*.py"))
        if (count := len(path.read_text().splitlines())) > MAX_LINES
    }
    assert too_long == {}
