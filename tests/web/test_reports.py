import io
import re
from datetime import date

import pytest

from tests.factories import make_organisation, make_role, make_user
from tracker.extensions import db
from tracker.models import AccessLevel, Action, AuditEvent, Report, Role

# An invented report in the layout HM Inspectorate of Probation used in 2016: owner headings,
# then a numbered list that continues across them; the date gives only a month.
REPORT_TEXT = """Full Joint Inspection of Youth Offending Work in Eastbrook

An inspection led by HMI Probation

Foreword

We inspected Eastbrook Youth Offending Service (YOS) because reoffending was rising.

HM Chief Inspector of Probation

March 2025

Recommendations

Post-inspection improvement work should focus particularly on achieving the following outcomes within 12 months following publication of this report:

The Chair of the YOS Management Board should ensure that:

1. the Board hears from every partner agency at each meeting
2. children in care who offend are discussed jointly with social care.

The YOS Head of Service should ensure that:

3. plans to keep other people safe are reviewed when a child's circumstances change
4. speech and language needs are assessed for every child.

Contents

Foreword	1
"""


@pytest.fixture
def manager_of(app, tmp_path, travel):
    travel("2025-06-02")  # the report's deadlines (March 2026) are still ahead, so saving needs no confirmation
    app.config["UPLOAD_DIR"] = str(tmp_path)
    organisation = make_organisation("Eastbrook YOS")
    manager = make_user(organisation, AccessLevel.MANAGER)
    db.session.commit()
    return organisation, manager


def _paste(client_request, organisation, text=REPORT_TEXT, expected=200):
    return client_request.post(
        "reports.paste", slug=organisation.slug, _expected_status=expected, data={"text": text, "filename": "eastbrook"}
    )


def _review_data(page) -> dict:
    """Everything the review form would post back, as the browser would send it."""
    form = page.select_one("form[action$='/reports/review']")
    data: dict[str, list[str]] = {}
    for field in form.select("input[name], textarea[name]"):
        if field.get("type") == "submit" or field.name == "button":
            continue
        if field.get("type") in ("checkbox", "radio") and not field.has_attr("checked"):
            continue
        value = field.text if field.name == "textarea" else field.get("value", "")
        data.setdefault(field["name"], []).append(value)
    return data


def _review(client_request, organisation, page, operation="confirm", expected=302, **changes):
    data = _review_data(page)
    data.update({key: value if isinstance(value, list) else [value] for key, value in changes.items()})
    data["operation"] = [operation]
    data.pop("csrf_token", None)
    return client_request.post("reports.review", slug=organisation.slug, data=data, _expected_status=expected)


def test_a_manager_pastes_a_report_reviews_it_and_saves_it(client_request, manager_of):
    organisation, manager = manager_of
    make_role(organisation, "Chair of the YOS Management Board", holder="chair@example.org")
    db.session.commit()
    client_request.login(manager)
    review = _paste(client_request, organisation)
    numbers = [field["value"] for field in review.select("input[name$='-number']")]
    assert numbers == ["1", "2", "3", "4"]
    owner_hints = [hint.text.strip() for hint in review.select("[id$='-owners-hint']")]
    assert (
        owner_hints[0] == "The Chair of the YOS Management Board: matches your role Chair of the YOS Management Board"
    )
    assert (
        owner_hints[3] == "The YOS Head of Service: not one of your roles: a new role is made only when you confirm it"
    )
    assert "March 2025" in review.select_one("#published-hint").text
    assert "1. the Board hears from every partner agency" in review.select_one(".app-source-text").text
    assert db.session.query(Report).count() == 0  # nothing saved before confirming

    # A role beside the organisation's own is made only when the manager says so.
    checks = _review(client_request, organisation, review, expected=200)
    assert "“The YOS Head of Service” is none of your roles" in checks.select_one(".govuk-error-summary").text
    assert db.session.query(Report).count() == 0
    _review(client_request, organisation, checks, operation="confirm-anyway")
    report = db.session.query(Report).one()
    assert report.publication_date == date(2025, 3, 1) and not report.publication_date_confirmed
    actions = db.session.query(Action).order_by(Action.id).all()
    assert len(actions) == 4
    assert {action.due_on for action in actions} == {date(2026, 3, 31)}  # end of March 2025 + 12 months
    assert [role.name for role in actions[0].owner_roles] == ["Chair of the YOS Management Board"]
    assert [role.name for role in actions[3].owner_roles] == ["YOS Head of Service"]
    assert db.session.query(Role).count() == 2
    assert {action.recommendation.owner_source.value for action in actions} == {"heading"}
    assert db.session.query(AuditEvent).filter_by(event="report.imported").count() == 1


def test_a_confirmed_day_and_an_item_deadline_set_the_deadlines(client_request, manager_of):
    organisation, manager = manager_of
    client_request.login(manager)
    review = _paste(client_request, organisation)
    _review(
        client_request, organisation, review, published=["14", "3", "2025"], **{"items-1-due_on": ["30", "9", "2025"]}
    )
    report = db.session.query(Report).one()
    assert report.publication_date == date(2025, 3, 14) and report.publication_date_confirmed
    due = [action.due_on for action in db.session.query(Action).order_by(Action.id)]
    assert due == [date(2026, 3, 14), date(2025, 9, 30), date(2026, 3, 14), date(2026, 3, 14)]


def test_split_merge_delete_and_add_before_saving(client_request, manager_of):
    organisation, manager = manager_of
    client_request.login(manager)
    review = _paste(client_request, organisation)
    review = _review(client_request, organisation, review, "merge:0", expected=200)
    assert len(review.select("input[name$='-number']")) == 3
    assert "at each meeting\nchildren in care" in review.select_one("textarea[name='items-0-text']").text
    review = _review(
        client_request,
        organisation,
        review,
        "split:0",
        expected=200,
        **{"items-0-text": "the Board hears from every partner agency\nchildren in care are discussed"},
    )
    texts = [area.text.strip() for area in review.select("textarea[name$='-text']")]
    assert texts[:2] == ["the Board hears from every partner agency", "children in care are discussed"]
    review = _review(client_request, organisation, review, "delete:3", expected=200)
    review = _review(client_request, organisation, review, "add", expected=200)
    assert len(review.select("textarea[name$='-text']")) == 4
    page = _review(client_request, organisation, review, expected=400)  # the added item is empty
    assert "Item 4 has no text" in page.select_one(".govuk-error-summary").text
    assert db.session.query(Report).count() == 0
    _review(
        client_request,
        organisation,
        page,
        **{"items-3-text": "A step the report implies", "items-3-owners": "YOS Head of Service"},
    )
    saved = db.session.query(Report).one().recommendations
    assert saved[3].text == "A step the report implies"
    assert (saved[3].owner_source.value, saved[3].owner_phrases) == ("review", ["YOS Head of Service"])
    assert saved[0].owner_source.value == "heading"  # kept as the report gave it


def test_uploading_a_file_and_the_same_file_again(client_request, manager_of):
    organisation, manager = manager_of
    client_request.login(manager)

    def upload(name, content, expected=200):
        response = client_request.client.post(
            client_request.url("reports.upload", slug=organisation.slug),
            content_type="multipart/form-data",
            data={"csrf_token": client_request.csrf_token(), "report": (io.BytesIO(content), name)},
        )
        assert response.status_code == expected, response.get_data(as_text=True)[:500]
        from bs4 import BeautifulSoup

        return BeautifulSoup(response.get_data(as_text=True), "html.parser")

    review = upload("eastbrook.md", REPORT_TEXT.encode())
    _review(client_request, organisation, review)
    report = db.session.query(Report).one()
    assert report.source_filename == "eastbrook.md" and len(report.source_sha256) == 64
    review = upload("renamed.txt", REPORT_TEXT.encode())
    assert review.select_one(f"a[href='/reports/{report.id}']").text == "Open the existing report"
    _review(client_request, organisation, review)
    assert db.session.query(Report).count() == 1

    for name, content, message in [
        ("empty.pdf", b"", "empty"),
        ("picture.pdf", b"\x89PNG\r\n\x1a\n" + b"\x00" * 100, "PNG"),
    ]:
        page = upload(name, content, expected=400)
        assert re.search(message, page.select_one(".govuk-error-summary").text, re.IGNORECASE), name
    assert db.session.query(Report).count() == 1

    # Text that was read but has no recommendations section still opens the review, text alone.
    page = upload("letter.txt", b"Dear colleague,\n\nThank you for your time.\n")
    assert "recommendations" in page.select_one("#no-section").text
    assert "Thank you for your time." in page.select_one("#source-text").text
    assert page.select("textarea[name^='items-']") == [] and page.select_one("textarea[name='new_item_text']")


def test_a_tampered_or_expired_upload_token_is_refused(client_request, manager_of):
    organisation, manager = manager_of
    client_request.login(manager)
    review = _paste(client_request, organisation)
    _review(client_request, organisation, review, upload="forged-token", expected=302)
    page = client_request.get("reports.upload", slug=organisation.slug)
    assert "The upload has expired or could not be found" in page.select_one(".govuk-error-summary").text
    assert db.session.query(Report).count() == 0


def test_board_members_cannot_import(client_request, manager_of):
    organisation, _ = manager_of
    board = make_user(organisation, AccessLevel.BOARD)
    db.session.commit()
    client_request.login(board)
    client_request.get("reports.upload", slug=organisation.slug, _expected_status=403)
    client_request.post("reports.paste", slug=organisation.slug, _expected_status=403, data={"text": REPORT_TEXT})
    client_request.post("reports.review", slug=organisation.slug, _expected_status=403, data={"upload": "x"})
    assert db.session.query(Report).count() == 0
