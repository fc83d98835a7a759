"""Every export (board pack, action list, oversight comparison, plan) defuses formulas by the
one rule, and the oversight exports carry the page's columns."""

from __future__ import annotations

import csv
import io
from datetime import date

from openpyxl import load_workbook

from tests.factories import make_action, make_organisation, make_report, make_role, make_user
from tracker import clock
from tracker.boardpack import board_pack_csv, board_pack_xlsx
from tracker.exports.plan import plan_xlsx
from tracker.extensions import db
from tracker.models import AccessLevel, RepeatLink, RepeatState, Status
from tracker.services import action_lists
from tracker.services.board.pack import board_pack
from tracker.services.imports.plan_export import plan_rows
from tracker.services.queries import ActionFilters

NAME, TEXT = "@Risky YOS", "+SUM(1,1) should never run"


def _csv(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))


def _quoted_cells(data: bytes) -> set[str]:
    """Every Excel cell holding one of the dangerous texts, as text with Excel's apostrophe."""
    workbook = load_workbook(io.BytesIO(data))
    found = set()
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if cell.value in (NAME, TEXT):
                    assert cell.data_type == "s" and cell.quotePrefix, (sheet.title, cell.coordinate)
                    found.add(cell.value)
    return found


def _risky(travel):
    travel("2026-03-01")
    organisation = make_organisation(NAME, slug="risky")
    role = make_role(organisation, "Head of Service", holder="head@risky.example")
    make_action(organisation, owners=[role], text=TEXT, due_on=date(2026, 6, 1))
    db.session.commit()
    return organisation


def test_board_pack_action_list_and_plan_exports_defuse_formulas(app, travel):
    organisation = _risky(travel)
    today = clock.today()
    pack = board_pack(organisation, today)
    rows = _csv(board_pack_csv(pack))
    assert rows[1][0] == "'" + NAME and "'" + TEXT in rows[1]
    assert _quoted_cells(board_pack_xlsx(pack)) == {NAME, TEXT}

    actions = action_lists.filtered_actions([organisation.id], ActionFilters(), today)
    rows = _csv(action_lists.export_csv(actions, today))
    assert rows[1][3] == "'" + TEXT
    assert _quoted_cells(action_lists.export_xlsx(actions, today)) == {TEXT}

    exported = plan_xlsx(f"{NAME}: action plan", plan_rows(organisation))
    assert _quoted_cells(exported) == {TEXT}
    sheet = load_workbook(io.BytesIO(exported))["Action plan"]
    assert sheet["A1"].value == f"{NAME}: action plan" and sheet["A3"].value == "Recommendation number"


def test_the_oversight_exports_carry_the_pages_columns_and_defuse_formulas(app, client_request, travel):
    organisation = _risky(travel)
    unheld = make_role(organisation, "Vacant post")
    make_action(organisation, owners=[unheld], due_on=date(2026, 9, 1))
    earlier = make_action(
        organisation, report=make_report(organisation, "Earlier inspection", date(2021, 1, 1)), status=Status.VERIFIED
    )
    repeated = make_action(organisation, owners=[unheld], due_on=date(2026, 9, 1))
    db.session.add(
        RepeatLink(
            organisation_id=organisation.id,
            recommendation=repeated.recommendation,
            earlier=earlier.recommendation,
            state=RepeatState.CONFIRMED,
        )
    )
    viewer = make_user(make_organisation("Youth Justice Board", slug="yjb"), AccessLevel.OVERSIGHT)
    db.session.commit()
    client_request.login(viewer)
    page = client_request.get("oversight.index", sort="name", dir="asc")
    shown = page.select_one("tr[data-organisation=risky]")
    assert shown.select_one("a[data-count=repeats]").text == "1" and "1 once signed off" in shown.text
    assert shown.select_one("a[data-count=nobody_reminded]").text == "2"
    links = {a.text: a["href"] for a in page.select("#oversight-downloads a")}

    rows = _csv(client_request.client.get(links["CSV"]).data)
    assert rows[0][-3:] == ["Asked before", "Asked before, once signed off", "Nobody will be reminded"]
    risky = next(row for row in rows if row[0] == "'" + NAME)
    assert risky[-3:] == ["1", "1", "2"]
    assert [row[-3:] for row in rows if row[0] == "Youth Justice Board"] == [["0", "0", "0"]]

    sheet = load_workbook(io.BytesIO(client_request.client.get(links["Excel"]).data))["Organisations"]
    header = [cell.value for cell in sheet[1]]
    assert header == rows[0]
    risky_row = next(row for row in sheet.iter_rows(min_row=2) if row[0].value == NAME)
    assert risky_row[0].quotePrefix and [cell.value for cell in risky_row[-3:]] == [1, 1, 2]
