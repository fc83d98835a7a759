"""Every route, found by walking the URL map, answers each class of awkward input the security
review sent with a 4xx (or a normal page), never a 500, and logs no error: ids too large for the
database, digits `int()` refuses, deep JSON, lone surrogates, NUL and very long file names, and
very long unbroken text. Runs on whichever database the suite runs on (CI runs both)."""

from __future__ import annotations

import io
import json
import logging
import re

import pytest

from tracker.extensions import db
from tracker.models import AccessLevel, Flag
from tracker.services import accounts
from tests.factories import make_action, make_organisation, make_role, make_user

HUGE_IDS = ["2147483648", "9223372036854775808", "99999999999999999999999"]
ODD_NUMBERS = ["²", "١٢", "2147483648", "9" * 30, "-1"]
NUMBER_ARGS = ["page", "per_page", "owner", "report", "due_within", "version", "organisation", "status", "rag"]
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
    values = {"slug": organisation.slug, "action_id": action.id, "report_id": action.recommendation.report_id,
              "recommendation_id": action.recommendation_id, "role_id": role.id, "file_format": "pdf",
              "theme_slug": "health"}
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
        paths = [_path(rule, {**values, **{key: huge for key in values if key.endswith("_id")}}, huge)
                 for huge in HUGE_IDS] + [_path(rule, values, "1")]
        if "GET" in rule.methods:
            for path in paths:
                _check(client.get(path, headers=headers), f"GET {path}", caplog)
            for odd in ODD_NUMBERS:
                query = {name: odd for name in NUMBER_ARGS}
                _check(client.get(paths[-1], query_string=query, headers=headers), f"GET {paths[-1]}?{odd}", caplog)
        if "POST" in rule.methods:
            for path in paths:
                if rule.rule.startswith("/api/"):
                    bodies = ["[" * 5000 + "]" * 5000, '{"note": "\\ud800", "version": 1}',
                              json.dumps({"note": "x", "version": 2**31}), json.dumps({"note": "x", "version": 2**64})]
                    for body in bodies:
                        _check(client.post(path, data=body, content_type="application/json", headers=headers),
                               f"POST {path} {body[:20]}", caplog)
                    continue
                for name in ("a\x00b.pdf", "x" * 300 + ".pdf"):
                    form = {"csrf_token": csrf, "note": LONG_WIDE, "title": "Step\nwith a line break",
                            "version": "2147483648", "status": "withdrawn", "reason": LONG_WIDE,
                            "board_decision": LONG_WIDE, "text": LONG_WIDE,
                            "evidence": (io.BytesIO(b"%PDF-1.4\n%%EOF\n"), name),
                            "report": (io.BytesIO(b"Recommendations\n1. x"), name)}
                    _check(client.post(path, data=form, content_type="multipart/form-data"),
                           f"POST {path} file {name[:10]}", caplog)
                _check(client.post(path, data={"csrf_token": csrf, "version": "²", "page": "²"}),
                       f"POST {path} version ²", caplog)
