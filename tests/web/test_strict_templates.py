"""Templates are strict where a mistake would otherwise pass silently (tracker.TestableStrictUndefined)."""

from __future__ import annotations

import pytest
from jinja2 import UndefinedError


@pytest.mark.parametrize(
    "source",
    [
        "{% if organisaton %}shown{% endif %}",  # a misspelt name tested
        "{% for action in actons %}{{ action }}{% endfor %}",  # a misspelt name looped over
        "{% if organisation.nmae %}shown{% endif %}",  # a misspelt attribute of an object
        "{{ organisaton }}",  # printed
        "{{ params.classes }}",  # a missing key printed
        "{{ actons | length }}",
    ],
)
def test_a_misspelt_name_fails_the_render(app, source):
    with app.test_request_context(), pytest.raises(UndefinedError):
        app.jinja_env.from_string(source).render(
            organisation=type("Organisation", (), {"name": "Northfield"})(), params={}
        )


@pytest.mark.parametrize(
    "source, expected",
    [
        ("{% if params.classes %}x{% else %}none{% endif %}", "none"),  # GOV.UK macros' optional params
        ("{{ params.attributes.id | default('dflt') }}", "dflt"),
        ("{% for item in params.rows %}{{ item }}{% endfor %}done", "done"),
        ("{% if organisaton is defined %}x{% else %}undefined{% endif %}", "undefined"),
        ("{{ organisaton | default('none') }}", "none"),
    ],
)
def test_optional_parameters_may_still_be_tested_and_defaulted(app, source, expected):
    with app.test_request_context():
        assert app.jinja_env.from_string(source).render(params={}) == expected
