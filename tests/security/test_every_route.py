"""Every route, found by walking the URL map, answers each class of awkward input the security
review sent with a 4xx (or a normal page), never a 500, and logs no error: ids too large for the
database, digits `int()` refuses, deep JSON, lone surrogates, NUL and very long file names, and
very long unbroken text; and Unicode digits and huge ids in every field of every form (read from the
pages), which once gave 29 server errors. Runs on whichever database the suite runs on (CI runs both)."""

from __future__ import annotations

import io
import json
import logging
import re

import pytest

from tests.factories import make_action, make_organisation, make_role, make_user
from tracker.extensions import db
from tracker.models import AccessLevel, Flag
from tracker.services.people import accounts

HUGE_IDS = ["2147483648", "9223372036854775808", "99999999999999999999999"]
ODD_NUMBERS = ["²", "①", "١٢", "²²²²", "2147483648", "9223372036854775808", "9" * 30, "-1"]
NUMBER_ARGS = [
    "page",
    "per_page",
    "owner",
    "report",
    "due_within",
    "version",
    "organisation",
    "status",
    "rag",
    "year",
    "from",
    "to",
]
LONG_WIDE = "Ｗ" * 300
SKIPPED = {"static", "auth.sign_out"}


@pytest.fixture
def site(app, tmp_path):
    app.config["UPLOAD_DIR"] = str(tmp_path)
    organisation = make_organisation(slug="fuzzed")
    manager = make_user(organisation, AccessLevel.ADMIN)
    role = make_role(organisation, holder=manager)
    action = make_action(organisation, owners=[role])
    action.flag, action.flag_reason = Flag.AT_RISK, LONG_WIDE
    token = accounts.create_api_token(manager, actor="test")
    db.session.commit()
    values = {
        "slug": organisation.slug,
        "action_id": action.id,
        "report_id": action.recommendation.report_id,
        "recommendation_id": action.recommendation_id,
        "role_id": role.id,
        "file_format": "pdf",
        "theme_slug": "health",
    }
    return manager, token, values


def _rules(app):
    for rule in app.url_map.iter_rules():
        if rule.endpoint not in SKIPPED:
            yield rule


def _path(rule, values: dict, fallback: str) -> str:
    def fill(match: re.Match) -> str:
        name = match.group(1).split(":")[-1]
        return str(values.get(name, fallback))

    return re.sub(r"<([^>]+)>", fill, rule.rule)


def _check(response, what: str, caplog) -> None:
    assert response.status_code < 500, f"{what} answered {response.status_code}"
    errors = [record for record in caplog.records if record.levelno >= logging.ERROR]
    assert not errors, f"{what} logged {errors[0].getMessage()}"


def test_every_route_refuses_awkward_input_without_a_server_error(app, client_request, site, caplog):
    manager, token, values = site
    client_request.login(manager)
    csrf = client_request.csrf_token()
    api = {"Authorization": f"Bearer {token}"}
    caplog.set_level(logging.ERROR)
    client = client_request.client
    for rule in _rules(app):
        headers = api if rule.rule.startswith("/api/") else {}
        paths = [
            _path(rule, {**values, **{key: huge for key in values if key.endswith("_id")}}, huge) for huge in HUGE_IDS
        ] + [_path(rule, values, "1")]
        if "GET" in rule.methods:
            for path in paths:
                _check(client.get(path, headers=headers), f"GET {path}", caplog)
            for odd in ODD_NUMBERS:
                query = {name: odd for name in NUMBER_ARGS}
                _check(client.get(paths[-1], query_string=query, headers=headers), f"GET {paths[-1]}?{odd}", caplog)
        if "POST" in rule.methods:
            for path in paths:
                if rule.rule.startswith("/api/"):
                    bodies = [
                        "[" * 5000 + "]" * 5000,
                        '{"note": "\\ud800", "version": 1}',
                        json.dumps({"note": "x", "version": 2**31}),
                        json.dumps({"note": "x", "version": 2**64}),
                    ]
                    for body in bodies:
                        _check(
                            client.post(path, data=body, content_type="application/json", headers=headers),
                            f"POST {path} {body[:20]}",
                            caplog,
                        )
                    continue
                for name in ("a\x00b.pdf", "x" * 300 + ".pdf"):
                    form = {
                        "csrf_token": csrf,
                        "note": LONG_WIDE,
                        "title": "Step\nwith a line break",
                        "version": "2147483648",
                        "status": "withdrawn",
                        "reason": LONG_WIDE,
                        "board_decision": LONG_WIDE,
                        "text": LONG_WIDE,
                        "evidence": (io.BytesIO(b"%PDF-1.4\n%%EOF\n"), name),
                        "report": (io.BytesIO(b"Recommendations\n1. x"), name),
                    }
                    _check(
                        client.post(path, data=form, content_type="multipart/form-data"),
                        f"POST {path} file {name[:10]}",
                        caplog,
                    )
                _check(
                    client.post(path, data={"csrf_token": csrf, "version": "²", "page": "²"}),
                    f"POST {path} version ²",
                    caplog,
                )


# --- Numbers in every form field ---------------------------------------------------------------
# Unicode digits that `str.isdigit` accepts ("²", "①", and the Arabic-Indic "١", which `int` reads
# as 1), and ids past what an integer column holds: posted into every field of every form.
FIELD_NUMBERS = ["²", "①", "١", "²²²²", "2147483648", "9223372036854775808"]
# Fields a view reads by a name it builds (`decision-action-<id>`, `role-<id>`), besides the
# fields the pages' forms show.
BUILT_NAMES = ["action_ids", "contact", "version", "status", "report", "col-1", "fix-2-owner", "sheet"]


def _form_fields(page_html: str) -> dict[str, set[str]]:
    """For each form on a page: its action path -> the names of its fields."""
    from bs4 import BeautifulSoup

    found: dict[str, set[str]] = {}
    for form in BeautifulSoup(page_html, "html.parser").select("form"):
        action = (form.get("action") or "").split("?")[0]
        names = {field["name"] for field in form.select("input[name], select[name], textarea[name]")}
        found.setdefault(action, set()).update(names - {"csrf_token"})
    return found


def test_every_form_field_refuses_odd_numbers_without_a_server_error(app, client_request, site, caplog):
    manager, _, values = site
    organisation = db.session.get(type(manager.memberships[0].organisation), manager.memberships[0].organisation_id)
    other = make_user(organisation, AccessLevel.BOARD)
    make_role(organisation, name="Chair of the YOS Management Board", holder=other)
    db.session.commit()
    values = {**values, "user_id": other.id}
    client_request.login(manager)
    csrf = client_request.csrf_token()
    caplog.set_level(logging.ERROR)
    client = client_request.client
    fields: dict[str, set[str]] = {}
    rules = [rule for rule in _rules(app) if not rule.rule.startswith("/api/")]
    for rule in rules:
        if "GET" in rule.methods:
            page_path = _path(rule, values, "1")
            response = client.get(page_path)
            if response.status_code == 200 and "html" in response.content_type:
                for action, names in _form_fields(response.get_data(as_text=True)).items():
                    fields.setdefault(action or page_path, set()).update(names)
    checked = 0
    for rule in rules:
        if "POST" not in rule.methods:
            continue
        path = _path(rule, values, "1")
        names = fields.get(path, set()) | set(BUILT_NAMES)
        names |= {f"role-{role_id}" for role_id in range(1, 4)}
        names |= {f"decision-action-{values['action_id']}", f"version-action-{values['action_id']}"}
        for odd in FIELD_NUMBERS:
            form = {name: odd for name in names}
            form.update(
                {
                    "csrf_token": csrf,
                    f"decision-action-{odd}": "verify",
                    f"decision-change-{odd}": "approve",
                    f"version-{values['action_id']}": odd,
                    "action_ids": [odd, str(values["action_id"])],
                }
            )
            _check(client.post(path, data=form), f"POST {path} every field {odd!r}", caplog)
            checked += 1
    assert checked > 100
    assert any("action_ids" in names for names in fields.values())  # the crawl found the list forms
