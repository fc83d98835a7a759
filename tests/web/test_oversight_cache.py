"""The oversight comparison and its downloads are kept pages (tracker/page_cache.py): served
again while nothing changes in the organisations they show, rendered afresh after a change in
any one of them, and never served to someone who would see them differently."""

from __future__ import annotations

import csv
import io

import pytest
from bs4 import BeautifulSoup
from openpyxl import load_workbook

from tests.factories import make_action, make_organisation, make_role, make_user
from tests.web.test_page_cache import KEPT_PAGE_STATEMENTS, _counting_statements
from tracker.extensions import db
from tracker.models import AccessLevel, Action, Flag, Status
from tracker.services.actions import post_update

DOWNLOADS = {"page": {}, "CSV": {"file_format": "csv"}, "Excel": {"file_format": "xlsx"}}


def _get(client_request, name: str) -> tuple[int, object]:
    """GET the page or a download: the number of SQL statements it ran and the response."""
    endpoint = "oversight.index" if name == "page" else "oversight.export"
    with _counting_statements() as counted:
        response = client_request.client.get(client_request.url(endpoint, **DOWNLOADS[name]))
    assert response.status_code == 200, response.status_code
    return len(counted), response


def _figures(name: str, response) -> dict[str, list[str]]:
    """Organisation name -> the row's figures, from the page, the CSV or the workbook."""
    if name == "CSV":
        rows = list(csv.reader(io.StringIO(response.data.decode("utf-8-sig"))))[1:]
    elif name == "Excel":
        sheet = load_workbook(io.BytesIO(response.data))["Organisations"]
        rows = [
            ["" if value is None else str(value) for value in row]
            for row in sheet.iter_rows(min_row=2, values_only=True)
        ]
    else:
        rows = [
            [cell.get_text(" ", strip=True) for cell in row.select("th, td")]
            for row in BeautifulSoup(response.get_data(as_text=True), "html.parser").select("#comparison tbody tr")
        ]
    return {row[0]: row[1:] for row in rows}


@pytest.fixture
def oversight(setting):
    organisation, manager, *_ = setting
    south = make_organisation("Southfield YOS", slug="southfield")
    make_action(south, owners=[make_role(south, "YOS Head of Service")])
    yjb = make_organisation("Youth Justice Board", slug="yjb")
    viewer = make_user(yjb, AccessLevel.OVERSIGHT, name="Olu Oversight")
    db.session.commit()
    return viewer


@pytest.mark.parametrize("name", DOWNLOADS)
def test_a_second_visit_is_kept_and_is_the_same(client_request, setting, oversight, name):
    client_request.login(oversight)
    rendered, first = _get(client_request, name)
    kept, second = _get(client_request, name)
    assert kept <= KEPT_PAGE_STATEMENTS and kept < rendered, (kept, rendered)
    assert _figures(name, second) == _figures(name, first)
    assert set(_figures(name, second)) == {"Northfield YOS", "Southfield YOS", "Youth Justice Board"}
    assert second.mimetype == first.mimetype
    assert second.headers.get("Content-Disposition") == first.headers.get("Content-Disposition")
    if name != "page":
        assert second.headers["Content-Disposition"].startswith("attachment;")
        assert "no-store" in second.headers["Cache-Control"]


@pytest.mark.parametrize("name", DOWNLOADS)
def test_a_change_in_one_organisation_shows_at_once(client_request, setting, oversight, name):
    organisation, manager, *_, action = setting
    client_request.login(oversight)
    _get(client_request, name)
    kept, before = _get(client_request, name)
    assert kept <= KEPT_PAGE_STATEMENTS
    at_risk = 3  # the column "At risk or blocked", after those open, per cent done and overdue
    assert _figures(name, before)["Northfield YOS"][at_risk] == "0"
    post_update(
        db.session.get(Action, action.id),
        author=manager,
        note="Stalled",
        new_status=Status.IN_PROGRESS,
        flag=Flag.AT_RISK,
        flag_reason="No staff",
        expected_version=1,
    )
    db.session.commit()
    rendered, after = _get(client_request, name)
    assert rendered > kept
    assert _figures(name, after)["Northfield YOS"][at_risk] == "1"


@pytest.mark.parametrize("name", DOWNLOADS)
def test_a_user_who_would_see_it_differently_never_gets_a_kept_copy(client_request, setting, oversight, name):
    organisation, manager, *_ = setting
    client_request.login(oversight)
    _get(client_request, name)
    kept = _get(client_request, name)[0]
    assert kept <= KEPT_PAGE_STATEMENTS
    # A member of one organisation sees only that organisation, rendered for them.
    client_request.login(manager)
    rendered, page = _get(client_request, name)
    assert rendered > kept
    assert set(_figures(name, page)) == {"Northfield YOS"}
    # Another oversight user sees the same figures, but from a page rendered for them.
    other = make_user(
        make_organisation("Regional body", slug="regional"), AccessLevel.OVERSIGHT, email="regional@oversight.example"
    )
    db.session.commit()
    client_request.login(other)
    assert _get(client_request, name)[0] > kept
