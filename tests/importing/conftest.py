"""Shared set-up for the report-import tests.

The repository root and this folder go on ``sys.path`` so the tests import
``tracker.importing`` and the local ``report_builders`` helpers however pytest is
configured (rootdir, import mode) and however it is started.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

THIS_FOLDER = Path(__file__).resolve().parent
REPO_ROOT = Path(__file__).resolve().parents[2]
for path in (REPO_ROOT, THIS_FOLDER):
    if str(path) not in sys.path:
        sys.path.insert(0, str(path))

FIXTURES = THIS_FOLDER / "fixtures"


@pytest.fixture
def fixture_text():
    """Read one of this folder's own invented reports by file name."""

    def read(name: str) -> str:
        return (FIXTURES / name).read_text(encoding="utf-8")

    return read
