"""The board pack (PDF, Excel, CSV) and the inspection evidence pack: what is in them."""

import csv
import io
import re
from datetime import date

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from tests.factories import make_action, make_organisation, make_role, make_user
from tracker import clock
from tracker.boardpack import board_pack_pdf, evidence_pack_pdf
from tracker.boardpack.text import latin1
from tracker.extensions import db
from tracker.models import AccessLevel, Evidence, Flag, Status
from tracker.services.actions import post_update, request_deadline_change
from tracker.services.board.evidence_pack import evidence_pack
from tracker.services.board.meetings import record_meeting
from tracker.services.board.pack import board_pack, owners_text

EVIDENCE = ["https://intranet.example.org/partner-attendance.xlsx"]


def _text(pdf: bytes) -> str:
    return " ".join(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages).split())


@pytest.fixture
def quarter(board_organisation, travel):
    """Eastbrook on 1 March 2026, after a meeting on 20 January and a month of work."""
    board = board_organisation
    travel("2026-01-20")
    record_meeting(
        board.organisation,
        held_on=date(2026, 1, 20),
        attendees="Bola Board",
        notes="",
        decisions="",
        recorded_by=board.member,
        today=clock.today(),
    )
    travel("2026-02-03")
    one, three = board.actions["1"], board.actions["3"]
    post_update(
        one,
        author=board.member,
        note="All partners attended",
        new_status=Status.COMPLETED,
        links=EVIDENCE,
        expected_version=1,
    )
    post_update(
        three,
        author=board.manager,
        note="Therapist recruited",
        new_status=Status.IN_PROGRESS,
        flag=Flag.AT_RISK,
        flag_reason="starts in May",
        expected_version=1,
    )
    request_deadline_change(
        three, requested_by=board.manager, new_due_on=date(2026, 9, 1), reason="Recruitment", today=clock.today()
    )
    db.session.commit()
    travel("2026-03-01")
    return board


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


def _run(runner, organisation, file_format, tmp_path):
    out = tmp_path / f"pack.{file_format}"
    result = runner.invoke(
        args=["tracker", "board-pack", "--org", organisation.slug, "--format", file_format, "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    assert f"to {out}" in result.output
    return out.read_bytes()


def test_the_pdf_board_pack_names_every_recommendation_owner_and_status(quarter, runner, tmp_path):
    board = quarter
    pdf = _run(runner, board.organisation, "pdf", tmp_path)
    assert pdf.startswith(b"%PDF-")
    text = _text(pdf)
    assert "Eastbrook YOS" in text and "Board pack" in text and "1 Mar 2026" in text
    assert "last board meeting was on 20 Jan 2026" in text
    rows = text[text.rindex("Every recommendation") :]
    for action in board.actions.values():
        db.session.refresh(action)
        # The row: its number, then the recommendation, its owner and its status, in that order.
        row = re.search(
            re.escape(f"{action.recommendation.number} {action.recommendation.text}") + r" (.{0,400})", rows
        )
        assert row is not None, action.recommendation.number
        assert row.group(1).startswith(owners_text(action)), row.group(1)
        assert f" {action.status.label} " in row.group(1)
    # RAG with its reason, the latest update, and what changed since the meeting.
    assert "Red: 28 days overdue" in text  # recommendation 2 was due on 1 February
    assert "Amber: at risk: starts in May" in text
    assert "Therapist recruited" in text
    assert "Not started to completed (3 Feb 2026)" in text
    # What the board must decide.
    assert "Recruitment" in text and "1 Sep 2026" in text


def test_the_excel_board_pack_has_one_row_per_action_with_filters(quarter, runner, tmp_path):
    board = quarter
    workbook = load_workbook(io.BytesIO(_run(runner, board.organisation, "xlsx", tmp_path)))
    assert workbook.sheetnames == [
        "About",
        "Exceptions",
        "Summary",
        "Reports",
        "Owners",
        "Actions",
        "Since last meeting",
        "Progress over time",
    ]
    sheet = workbook["Actions"]
    headings = [cell.value for cell in sheet[1]]
    rows = [dict(zip(headings, (cell.value for cell in row), strict=True)) for row in sheet.iter_rows(min_row=2)]
    assert sheet.auto_filter.ref == f"A1:R{len(rows) + 1}" and sheet.freeze_panes == "A2"
    assert sorted(row["Action ID"] for row in rows) == sorted(action.id for action in board.actions.values())
    by_number = {row["Recommendation number"]: row for row in rows}
    assert by_number["1"]["Status"] == "Completed" and by_number["1"]["Owners"] == (
        "Chair of the YOS Management Board (Bola Board)"
    )
    assert by_number["2"]["RAG"] == "Red" and by_number["2"]["Days overdue"] == 28
    assert by_number["3"]["Flag"] == "At risk: starts in May"
    assert by_number["iv"]["Deadline"].date() == date(2027, 1, 1)
    assert by_number["3"]["Changes since last meeting"].startswith("Not started to in progress (3 Feb 2026)")
    for name in ("Summary", "Reports", "Owners", "Since last meeting", "Progress over time"):
        assert workbook[name].auto_filter.ref, name
    changes = [row[0].value for row in workbook["Since last meeting"].iter_rows(min_row=2)]
    assert changes.count("Deadline change awaiting decision") == 1
    assert changes.count("Completed, awaiting sign-off") == 1


def test_the_csv_has_one_row_per_action(quarter, runner, tmp_path):
    board = quarter
    content = _run(runner, board.organisation, "csv", tmp_path)
    assert content.startswith(b"\xef\xbb\xbf")  # a byte-order mark, so Excel reads UTF-8
    rows = list(csv.DictReader(io.StringIO(content.decode("utf-8-sig"))))
    assert len(rows) == len(board.actions)
    assert {row["Action ID"] for row in rows} == {str(action.id) for action in board.actions.values()}
    by_number = {row["Recommendation number"]: row for row in rows}
    assert by_number["2"]["Deadline"] == "2026-02-01" and by_number["2"]["RAG reason"] == "28 days overdue"
    assert by_number["1"]["Latest update"] == "Bola Board: All partners attended"
    assert all(row["Organisation"] == "Eastbrook YOS" for row in rows)


def test_the_dashboard_and_every_pack_agree_on_every_count(quarter, client_request, runner, tmp_path):
    board = quarter
    client_request.login(board.member)
    page = client_request.get("board.dashboard", slug=board.organisation.slug)
    on_screen = {cell["data-count"]: int(cell.text) for cell in page.select("td[data-count]")}
    workbook = load_workbook(io.BytesIO(_run(runner, board.organisation, "xlsx", tmp_path)))
    in_workbook = {figure: count for figure, count in workbook["Summary"].iter_rows(min_row=2, values_only=True)}
    labels = {
        "total": "Actions",
        "overdue": "Overdue",
        "due_within:30": "Due in the next 30 days",
        "due_within:90": "Due in the next 90 days",
        **{f"status:{status.value}": f"Status: {status.label}" for status in Status},
        **{f"rag:{colour}": f"RAG: {colour.capitalize()}" for colour in ("red", "amber", "green", "grey")},
    }
    assert {key: in_workbook[label] for key, label in labels.items()} == {key: on_screen[key] for key in labels}
    assert set(in_workbook) == set(labels.values())

    pdf_text = _text(_run(runner, board.organisation, "pdf", tmp_path))
    for status in Status:
        assert f"{status.label} {on_screen[f'status:{status.value}']}" in pdf_text, status
    for colour in ("red", "amber", "green", "grey"):
        assert f"{colour.capitalize()} {on_screen[f'rag:{colour}']}" in pdf_text, colour
    assert f"Overdue {on_screen['overdue']}" in pdf_text
    assert f"Due in the next 30 days {on_screen['due_within:30']}" in pdf_text
    assert f"All actions {on_screen['total']}" in pdf_text

    rows = list(csv.DictReader(io.StringIO(_run(runner, board.organisation, "csv", tmp_path).decode("utf-8-sig"))))
    assert len(rows) == on_screen["total"]
    assert sum(1 for row in rows if row["RAG"] == "Red") == on_screen["rag:red"]
    owners = {row[0]: row for row in workbook["Owners"].iter_rows(min_row=2, values_only=True)}
    for role in (board.chair, board.head):
        total = page.select_one(f"[data-count='owner:{role.id}:total']")
        overdue = page.select_one(f"[data-count='owner:{role.id}:overdue']")
        assert (owners[role.id][3], owners[role.id][5]) == (int(total.text), int(overdue.text))
        assert total["href"] == client_request.url("actions.index", slug="eastbrook", owner=role.id)
    # Head of Service: 2 (overdue), 3 (at risk) and iv, all open; the chair: 1 (completed) and 3.
    assert owners[board.head.id][3:] == (3, 3, 1)
    assert owners[board.chair.id][3:] == (2, 1, 0)
    reports = {row[0]: row for row in workbook["Reports"].iter_rows(min_row=2, values_only=True)}
    done = page.select_one(f"[data-count='report:{board.report.id}:done']").text.split()[0]
    assert reports[board.report.id][4] == int(done)


def test_user_text_in_any_script_never_breaks_a_pack(app, travel, tmp_path):
    travel("2026-03-01")
    organisation = make_organisation("Ynys Môn – “Youth” Justice Service ✓")
    holder = make_user(organisation, AccessLevel.MANAGER, name="Zoë Łukasiewicz 李雷")
    role = make_role(organisation, "Pennaeth Gwasanaeth — Head of Service", holder=holder)
    long_word = "x" * 900
    action = make_action(
        organisation,
        owners=[role],
        number="٣",
        text="Ensure “plans” are reviewed… – with emoji 🚀, Greek αβγ, and\ttabs " + long_word,
    )
    post_update(
        action,
        author=holder,
        note='=HYPERLINK("http://evil.example") control \x0b\x1f chars ',
        new_status=Status.IN_PROGRESS,
        expected_version=1,
    )
    db.session.commit()
    pack = board_pack(organisation, clock.today())
    text = _text(board_pack_pdf(pack))
    # The embedded Unicode font prints what was typed: curly quotes, dashes, Greek, Welsh.
    assert "Ensure “plans” are reviewed… – with emoji" in text and "Greek αβγ" in text
    assert "Zoë Łukasiewicz" in text and "Ynys Môn – “Youth” Justice Service" in text
    from tracker.boardpack import board_pack_csv, board_pack_xlsx

    workbook = load_workbook(io.BytesIO(board_pack_xlsx(pack)))
    cell = workbook["Actions"]["P2"]
    assert cell.data_type == "s" and cell.value.startswith("Zoë Łukasiewicz 李雷: =HYPERLINK")
    rows = list(csv.reader(io.StringIO(board_pack_csv(pack).decode("utf-8-sig"))))
    assert rows[1][0] == "Ynys Môn – “Youth” Justice Service ✓"
    assert latin1("“quoted” – dash … ok\u00a0x") == '"quoted" - dash ... ok x'


def test_formulas_in_user_text_are_defused_in_the_csv(app, travel):
    travel("2026-03-01")
    organisation = make_organisation("=cmd|' /C calc'!A0")
    make_action(organisation, text="+SUM(1,1)")
    db.session.commit()
    from tracker.boardpack import board_pack_csv

    rows = list(csv.reader(io.StringIO(board_pack_csv(board_pack(organisation, clock.today())).decode("utf-8-sig"))))
    assert rows[1][0] == "'=cmd|' /C calc'!A0"
    assert rows[1][5] == "'+SUM(1,1)"


def test_the_board_pack_downloads_from_the_dashboard(quarter, client_request):
    board = quarter
    client_request.login(board.manager)
    page = client_request.get("board.dashboard", slug=board.organisation.slug)
    links = [link["href"] for link in page.select("#board-pack-downloads a")]
    assert links == [
        client_request.url("board.pack", slug="eastbrook", file_format=file_format)
        for file_format in ("pdf", "xlsx", "csv")
    ]
    for link, media_type in zip(links, ("application/pdf", "application/vnd.openxmlformats", "text/csv"), strict=True):
        response = client_request.client.get(link)
        assert response.status_code == 200 and response.mimetype.startswith(media_type)
        assert response.headers["Content-Disposition"].startswith(
            'attachment; filename="board-pack-eastbrook-2026-03-01'
        )
    assert (
        len(
            list(
                csv.DictReader(io.StringIO(client_request.client.get(links[2]).get_data(as_text=True).lstrip("\ufeff")))
            )
        )
        == 4
    )


def test_the_evidence_pack_lists_every_recommendation_action_update_and_file(quarter, client_request, tmp_path):
    board = quarter
    one = board.actions["1"]
    update = one.updates[0]
    db.session.add(
        Evidence(
            update=update,
            action_id=one.id,
            filename="Board minutes – January.pdf",
            media_type="application/pdf",
            size_bytes=20480,
            sha256="ab" * 32,
            stored_path="ab/cd",
        )
    )
    db.session.commit()
    client_request.login(board.manager)
    report_page = client_request.get("reports.show", report_id=board.report.id)
    link = report_page.select_one("a[href$='/evidence-pack.pdf']")["href"]
    assert link == client_request.url("board.evidence_pack", report_id=board.report.id)
    response = client_request.client.get(link)
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    text = _text(response.data)
    for action in board.actions.values():
        assert f"June 2025 inspection, recommendation {action.recommendation.number}" in text
        assert " ".join(action.recommendation.text.split()[:6]) in text
    assert "Board minutes – January.pdf" in text and "20 KB" in text and "abababababababab" in text
    assert "All partners attended" in text and "Therapist recruited" in text
    assert "https://intranet.example.org/partner-attendance.xlsx" in text
    assert "Recruitment" in text  # the pending deadline change
    assert "No evidence attached yet." in text


def test_the_evidence_pack_survives_long_notes_and_odd_text(app, travel):
    travel("2026-03-01")
    organisation = make_organisation()
    action = make_action(organisation, text="Short")
    author = make_user(organisation)
    post_update(action, author=author, note=("A very long note with “quotes”. " * 600), expected_version=1)
    db.session.commit()
    report = action.recommendation.report
    pdf = evidence_pack_pdf(report, evidence_pack(report), clock.today())
    assert len(PdfReader(io.BytesIO(pdf)).pages) > 2


def test_an_unknown_organisation_stops_the_command(runner, app, tmp_path):
    result = runner.invoke(
        args=["tracker", "board-pack", "--org", "nowhere", "--format", "csv", "--out", str(tmp_path / "x.csv")]
    )
    assert result.exit_code == 1 and "no organisation with the slug 'nowhere'" in result.output
    assert not (tmp_path / "x.csv").exists()


def test_an_organisation_with_nothing_yet_still_gets_a_dashboard_and_packs(client_request, app, travel):
    travel("2026-03-01")
    organisation = make_organisation("Newly added YOS")
    manager = make_user(organisation, AccessLevel.MANAGER)
    db.session.commit()
    client_request.login(manager)
    page = client_request.get("board.dashboard", slug=organisation.slug)
    assert "There are no actions yet." in page.text and "No reports have been imported yet." in page.text
    for file_format in ("pdf", "xlsx", "csv"):
        response = client_request.client.get(
            client_request.url("board.pack", slug=organisation.slug, file_format=file_format)
        )
        assert response.status_code == 200 and response.data
    assert "No recommendations have been imported yet." in _text(
        board_pack_pdf(board_pack(organisation, clock.today()))
    )


def test_every_count_on_the_dashboard_is_the_length_of_the_list_it_links_to(quarter, client_request):
    board = quarter
    client_request.login(board.member)
    page = client_request.get("board.dashboard", slug=board.organisation.slug)
    checked = 0
    for cell in page.select("[data-count]"):
        link = cell if cell.name == "a" else cell.find_parent("tr").select_one("a")
        if ":done" in cell["data-count"]:
            continue  # "1 of 4" links to the report's whole list
        listed = client_request.client.get(link["href"]).get_data(as_text=True)
        total = re.search(r"(\d+) actions?(?: match|\.)", listed)
        assert total and int(total.group(1)) == int(cell.text.split()[0]), (cell["data-count"], link["href"])
        checked += 1
    assert checked >= 15
