"""Every uploaded file is read in a child process with hard limits (tracker/untrusted.py): a file
that takes too long or too much memory gets a clear refusal, nothing is saved, never a 500, and
the parsed result is kept so the later pages of an import never read the file again."""

from __future__ import annotations

import io
import time

import pytest
from bs4 import BeautifulSoup

from tests import hostile_files
from tests.factories import make_organisation, make_user
from tracker import untrusted
from tracker.extensions import db
from tracker.importing import NoRecommendationsFound, ReportReadError
from tracker.models import Report
from tracker.plans import PlanReadError
from tracker.services.imports import parsed_uploads
from tracker.untrusted import Limits, run_reader

GIB = 1024 * 1024 * 1024


@pytest.fixture(scope="module", autouse=True)
def _fork_server_started() -> None:
    """The fork server starts once per process (about a second); the timings below are per file."""
    with pytest.raises(ReportReadError):
        untrusted.read_report(b"", "warm-up.txt")


def _limits(**changes) -> Limits:
    values = {"cpu_seconds": 15, "memory_bytes": GIB, "timeout_seconds": 15.0, "archive_bytes": 200 * 1024 * 1024}
    return Limits(**{**values, **changes})


def test_a_reader_that_waits_is_killed_at_the_wall_clock_timeout() -> None:
    started = time.perf_counter()
    with pytest.raises(ReportReadError, match="could not be read in time"):
        run_reader(time.sleep, 30, name="slow.pdf", refusal=ReportReadError, limits=_limits(timeout_seconds=1.0))
    assert time.perf_counter() - started < 3.0


def test_a_reader_that_spins_is_stopped_by_the_cpu_limit() -> None:
    started = time.perf_counter()
    with pytest.raises(PlanReadError, match="could not be read in time"):
        run_reader(
            sum,
            range(10**13),
            name="The file",
            refusal=PlanReadError,
            limits=_limits(cpu_seconds=1, timeout_seconds=30.0),
        )
    assert time.perf_counter() - started < 8.0


def test_a_reader_that_takes_too_much_memory_is_refused_as_too_large() -> None:
    with pytest.raises(ReportReadError, match="too large to read"):
        run_reader(bytearray, 2 * GIB, name="big.docx", refusal=ReportReadError, limits=_limits(memory_bytes=GIB // 2))


def test_the_readers_own_errors_come_back_as_they_were() -> None:
    with pytest.raises(ReportReadError, match="empty.txt is empty"):
        untrusted.read_report(b"", "empty.txt")
    with pytest.raises(NoRecommendationsFound) as refused:
        untrusted.read_report(b"A report with no list of recommendations.\n", "notes.txt")
    assert refused.value.text.startswith("A report with no list")  # the review still opens with the text
    assert untrusted.read_workbook(hostile_files.plan_xlsx(rows=2)).sheet_names == ["Action plan"]


def test_an_archive_is_refused_by_its_declared_size_before_it_is_inflated() -> None:
    data = hostile_files.inflating_workbook(unpacked_bytes=300 * 1024 * 1024)
    assert len(data) < 1024 * 1024
    started = time.perf_counter()
    with pytest.raises(PlanReadError, match="too large to read: it would unpack to 300 MB"):
        untrusted.read_workbook(data)
    assert time.perf_counter() - started < 2.0


# --- Through the pages and the commands ------------------------------------------------------


def _post_file(client_request, endpoint: str, field: str, data: bytes, name: str, slug: str):
    response = client_request.client.post(
        client_request.url(endpoint, slug=slug),
        content_type="multipart/form-data",
        data={"csrf_token": client_request.csrf_token(), field: (io.BytesIO(data), name)},
    )
    return response, BeautifulSoup(response.get_data(as_text=True), "html.parser")


@pytest.fixture
def manager(client_request):
    organisation = make_organisation()
    user = make_user(organisation)
    db.session.commit()
    client_request.login(user)
    return organisation


def test_an_inflating_workbook_is_a_form_error_and_nothing_is_saved(client_request, manager) -> None:
    data = hostile_files.inflating_workbook(unpacked_bytes=300 * 1024 * 1024)
    response, page = _post_file(client_request, "plans.upload", "plan", data, "plan.xlsx", manager.slug)
    assert response.status_code == 400
    assert "too large to read" in page.select_one(".govuk-error-summary").text
    assert db.session.query(Report).count() == 0


def test_a_pdf_bomb_is_a_form_error_on_the_report_upload(client_request, manager) -> None:
    response, page = _post_file(
        client_request, "reports.upload", "report", hostile_files.content_bomb_pdf(), "bomb.pdf", manager.slug
    )
    assert response.status_code == 400
    assert "MB of content once unpacked" in page.select_one(".govuk-error-summary").text
    assert db.session.query(Report).count() == 0


def test_a_file_read_too_slowly_says_so_and_saves_nothing(app, client_request, manager, monkeypatch) -> None:
    monkeypatch.setitem(app.config, "UNTRUSTED_FILE_TIMEOUT_SECONDS", 0.5)
    data = hostile_files.many_pages_pdf(pages=400)
    started = time.perf_counter()
    response, page = _post_file(client_request, "reports.upload", "report", data, "long.pdf", manager.slug)
    assert time.perf_counter() - started < 3.0
    assert response.status_code == 400
    assert "could not be read in time" in page.select_one(".govuk-error-summary").text
    assert db.session.query(Report).count() == 0


def _count_reads(monkeypatch, name: str) -> list[str]:
    calls: list[str] = []
    real = getattr(untrusted, name)

    def counted(*args):
        calls.append(name)
        return real(*args)

    monkeypatch.setattr(parsed_uploads.untrusted, name, counted)
    return calls


def test_the_later_plan_pages_never_read_the_workbook_again(client_request, manager, monkeypatch) -> None:
    calls = _count_reads(monkeypatch, "read_workbook")
    response, _ = _post_file(
        client_request, "plans.upload", "plan", hostile_files.plan_xlsx(rows=4), "mine.xlsx", manager.slug
    )
    assert response.status_code == 302 and len(calls) == 1
    token = response.headers["Location"].split("upload=")[1]
    for _ in range(3):
        page = client_request.get("plans.mapping", slug=manager.slug, upload=token)
    form = page.select("form")[-1]
    values = {
        field["name"]: field.get("value", "")
        for field in form.select("input[name]")
        if field["name"] != "csrf_token"
        and (field.get("type") not in ("checkbox", "radio") or field.has_attr("checked"))
    }
    for select in form.select("select[name]"):
        chosen = select.select_one("option[selected]") or select.select_one("option")
        values[select["name"]] = chosen["value"]
    client_request.post("plans.preview", {**values, "operation": "check"}, slug=manager.slug, _expected_status=200)
    assert len(calls) == 1


def test_the_review_never_reads_the_report_again(client_request, manager, monkeypatch) -> None:
    calls = _count_reads(monkeypatch, "read_report")
    text = "Recommendations\n\nThe YOS Management Board should:\n\n1. review the plan monthly.\n2. train staff.\n"
    review = client_request.post(
        "reports.paste", {"text": text, "filename": "kept"}, slug=manager.slug, _expected_status=200
    )
    assert len(calls) == 1
    form = {field["name"]: field.get("value", "") for field in review.select("form input") if field.get("name")}
    form.update({area["name"]: area.text for area in review.select("form textarea")})
    form["operation"] = "refresh"
    client_request.post("reports.review", form, slug=manager.slug, _expected_status=200)
    client_request.post("reports.review", form, slug=manager.slug, _expected_status=200)
    assert len(calls) == 1


def test_the_commands_use_the_same_boundary(app, tmp_path) -> None:
    runner = app.test_cli_runner()
    bomb = tmp_path / "bomb.pdf"
    bomb.write_bytes(hostile_files.content_bomb_pdf())
    result = runner.invoke(args=["tracker", "parse", str(bomb)])
    assert result.exit_code == 2
    assert "MB of content once unpacked" in result.output and len(result.output.strip().splitlines()) == 1
    make_organisation(slug="westford")
    db.session.commit()
    plan = tmp_path / "plan.xlsx"
    plan.write_bytes(hostile_files.inflating_workbook(unpacked_bytes=300 * 1024 * 1024))
    result = runner.invoke(args=["tracker", "import-plan", str(plan), "--org", "westford"])
    assert result.exit_code == 2 and "too large to read" in result.output
    app.config["UNTRUSTED_FILE_TIMEOUT_SECONDS"] = 0.5
    try:
        slow = tmp_path / "long.pdf"
        slow.write_bytes(hostile_files.many_pages_pdf(pages=400))
        result = runner.invoke(args=["tracker", "import", str(slow), "--org", "westford"])
    finally:
        app.config["UNTRUSTED_FILE_TIMEOUT_SECONDS"] = 15.0
    assert result.exit_code == 2 and "could not be read in time" in result.output
    assert db.session.query(Report).count() == 0
