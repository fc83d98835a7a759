"""The plan import pages: upload, columns, preview with row problems and fixes, save, export."""

import io
from urllib.parse import parse_qs, urlparse

from sqlalchemy import func, select

from tests.factories import make_organisation, make_role, make_user
from tests.plans.builders import rows_workbook, title_block_plan
from tracker.extensions import db
from tracker.models import AccessLevel, Action

PLAN = rows_workbook(
    [
        ["Ref", "Recommendation", "Action", "Lead", "Target date", "RAG", "Notes"],
        ["1", "Do better", "Step one", "Head of Service", "31/03/2026", "G", "Ignore me"],
        ["1", "Do better", "Step two", "Head of Service", "TBC", "A", "Ignore me too"],
    ]
)


def _upload(client_request, organisation, data, name="plan.xlsx"):
    return client_request.client.post(
        client_request.url("plans.upload", slug=organisation.slug),
        data={"csrf_token": client_request.csrf_token(), "plan": (io.BytesIO(data), name)},
        content_type="multipart/form-data",
    )


def _form_values(form) -> dict:
    values = {
        field["name"]: field.get("value", "")
        for field in form.select("input[name]")
        if field.get("type") not in ("checkbox", "radio") or field.has_attr("checked")
    }
    for select_field in form.select("select[name]"):
        chosen = select_field.select_one("option[selected]") or select_field.select_one("option")
        values[select_field["name"]] = chosen["value"]
    return values


def test_upload_columns_preview_fix_and_save(client_request, app, travel):
    travel("2026-03-20")
    organisation = make_organisation()
    make_role(organisation, "Head of Service")
    user = make_user(organisation, AccessLevel.MANAGER)
    db.session.commit()
    client_request.login(user)
    response = _upload(client_request, organisation, PLAN)
    assert response.status_code == 302
    query = parse_qs(urlparse(response.headers["Location"]).query)
    page = client_request.get("plans.mapping", slug=organisation.slug, upload=query["upload"][0])
    form = page.select("form")[-1]
    values = _form_values(form)
    assert values["col-2"] == "step" and values["col-6"] == "update"
    values["col-6"] = "ignore"
    values["operation"] = "check"
    page = client_request.post("plans.preview", values, _expected_status=200, slug=organisation.slug)
    assert "1 row cannot be imported yet" in page.select_one(".govuk-error-summary").text
    assert "Ignore me" not in page.text
    fix = page.select_one("input[name=fix-3-deadline]")
    assert fix["value"] == "TBC"
    values = _form_values(page.select_one("form[action$='/plans/preview']"))
    values["operation"] = "save"
    client_request.post("plans.preview", values, _expected_status=400, slug=organisation.slug)
    assert db.session.scalar(select(func.count()).select_from(Action)) == 0
    values["fix-3-deadline"] = "30/03/2026"
    values["operation"] = "check"
    page = client_request.post("plans.preview", values, _expected_status=200, slug=organisation.slug)
    assert page.select_one(".govuk-error-summary") is None and "Deadline changed by you." in page.text
    values = _form_values(page.select_one("form[action$='/plans/preview']"))
    values["operation"] = "save"
    client_request.post("plans.preview", values, slug=organisation.slug)
    titles = db.session.scalars(select(Action.title).order_by(Action.id)).all()
    assert titles == [None, "Step one", "Step two"]


def test_a_file_that_is_not_a_spreadsheet_is_refused_on_the_upload_page(client_request, app):
    organisation = make_organisation()
    user = make_user(organisation, AccessLevel.MANAGER)
    db.session.commit()
    client_request.login(user)
    response = _upload(client_request, organisation, b"%PDF-1.4 not a plan", "plan.xlsx")
    assert response.status_code == 400 and "not a spreadsheet" in response.get_data(as_text=True)


def test_the_plan_export_downloads_a_workbook_the_importer_reads(client_request, app, travel):
    travel("2026-03-20")
    organisation = make_organisation()
    for name in ("Head of Service", "Practice Manager", "Chair of the Management Board"):
        make_role(organisation, name)
    user = make_user(organisation, AccessLevel.MANAGER)
    db.session.commit()
    client_request.login(user)
    response = _upload(client_request, organisation, title_block_plan())
    token = parse_qs(urlparse(response.headers["Location"]).query)["upload"][0]
    page = client_request.get("plans.mapping", slug=organisation.slug, upload=token)
    values = {**_form_values(page.select("form")[-1]), "operation": "save"}
    client_request.post("plans.preview", values, slug=organisation.slug)
    exported = client_request.client.get(client_request.url("plans.export", slug=organisation.slug))
    assert exported.status_code == 200 and exported.data[:2] == b"PK"
    reports = client_request.get("reports.index", slug=organisation.slug)
    assert reports.find("a", string="Import an existing plan")


def test_columns_nobody_can_guess_are_chosen_on_the_columns_page(client_request, app, travel):
    travel("2026-03-20")
    organisation = make_organisation()
    user = make_user(organisation, AccessLevel.MANAGER)
    db.session.commit()
    client_request.login(user)
    data = rows_workbook([["Item", "Lead", "Deadline"], ["Audit", "Head of Service", "31/03/2026"]])
    response = _upload(client_request, organisation, data)
    token = parse_qs(urlparse(response.headers["Location"]).query)["upload"][0]
    page = client_request.get("plans.mapping", _expected_status=400, slug=organisation.slug, upload=token)
    assert "Choose the column that holds the recommendations" in page.select_one(".govuk-error-summary").text
    values = {
        **_form_values(page.select("form")[-1]),
        "col-0": "recommendation",
        "col-1": "deadline",
        "operation": "check",
    }
    response = client_request.client.post(
        client_request.url("plans.preview", slug=organisation.slug),
        data={**values, "csrf_token": client_request.csrf_token()},
    )
    assert response.status_code == 302 and "col-1=deadline" in response.headers["Location"]
    values["col-1"] = "owner"
    page = client_request.post("plans.preview", values, _expected_status=200, slug=organisation.slug)
    assert "Recommendation 1" in page.text and "not matched: choose a role for \u201cHead of Service\u201d" in page.text


def test_choosing_a_sheet_without_a_plan_says_so_and_keeps_the_upload(client_request, app, travel):
    travel("2026-03-20")
    organisation = make_organisation()
    user = make_user(organisation, AccessLevel.MANAGER)
    db.session.commit()
    client_request.login(user)
    response = _upload(client_request, organisation, title_block_plan())
    token = parse_qs(urlparse(response.headers["Location"]).query)["upload"][0]
    page = client_request.get("plans.mapping", slug=organisation.slug, upload=token)
    assert [option["value"] for option in page.select("select[name=sheet] option")] == ["Improvement plan", "Notes"]
    page = client_request.get("plans.mapping", _follow=True, slug=organisation.slug, upload=token, sheet="Notes")
    assert "No header row was found" in page.text
    assert page.select_one("h1").text == "Check what each column holds"


def test_forged_form_values_are_ignored_not_errors(client_request, app, travel):
    travel("2026-03-20")
    organisation = make_organisation()
    user = make_user(organisation, AccessLevel.MANAGER)
    db.session.commit()
    client_request.login(user)
    token = parse_qs(urlparse(_upload(client_request, organisation, PLAN).headers["Location"]).query)["upload"][0]
    page = client_request.post(
        "plans.preview",
        {
            "upload": token,
            "col-\u00b2": "step",
            "fix-\u00b2-deadline": "x",
            "report": "\u00b2",
            "col-2": "nonsense",
            "operation": "check",
        },
        _expected_status=200,
        slug=organisation.slug,
    )
    assert page.select_one("h1").text == "Check the plan before saving"
    client_request.post(
        "plans.preview",
        {"upload": "forged", "operation": "save"},
        slug=organisation.slug,
        _expected_redirect=client_request.url("plans.upload", slug=organisation.slug),
    )
    exported = client_request.client.get(client_request.url("plans.export", slug=organisation.slug, report="\u00b2"))
    assert exported.status_code == 200
