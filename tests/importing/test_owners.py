"""Matching owner phrases to roles, and splitting several owners named together."""

from __future__ import annotations

import pytest

from tracker.importing import match_owner
from tracker.importing.owners import split_owner_list

ROLES = [
    ("board-chair", ["Chair of YOT Management Board", "Board chair"]),
    ("head-of-service", ["YOS Head of Service"]),
    ("dcs", ["Director of Children’s Services"]),
    ("police", ["Cambridgeshire Constabulary"]),
]


@pytest.mark.parametrize(
    ("phrase", "key"),
    [
        ("Chair of the YOS Management Board", "board-chair"),
        ("The Chair of the YOS Management Board", "board-chair"),
        ("the chair of the yot management board.", "board-chair"),
        ("Chair of  YJS Management Board", "board-chair"),
        ("Chair of Youth Offending Service Management Board", "board-chair"),
        ("The YOS Head of Service", "head-of-service"),
        ("The Director of Children's Services", "dcs"),
        ("Director of Children’s Services", "dcs"),
        ("cambridgeshire constabulary", "police"),
        ("Chair of the Safeguarding Board", None),
        ("YOS manager", None),
        ("", None),
    ],
)
def test_match_owner(phrase: str, key: str | None) -> None:
    assert match_owner(phrase, ROLES) == key


def test_match_owner_is_none_when_two_roles_match() -> None:
    roles = [(1, ["Head of Service"]), (2, ["The Head of Service"])]
    assert match_owner("head of service", roles) is None


def test_match_owner_accepts_any_hashable_key_and_generators() -> None:
    roles = ((key, (alias for alias in aliases)) for key, aliases in [(("org", 7), ["YOS manager"])])
    assert match_owner("The YOS Manager", roles) == ("org", 7)


@pytest.mark.parametrize(
    ("text", "owners"),
    [
        ("YOS manager", ["YOS manager"]),
        ("Cambridgeshire Constabulary and YOS manager", ["Cambridgeshire Constabulary", "YOS manager"]),
        (
            "Chief Executive of Cambridgeshire County Council and the YOS Management Board",
            ["Chief Executive of Cambridgeshire County Council", "the YOS Management Board"],
        ),
        ("YOS manager, Head of Education and the Police", ["YOS manager", "Head of Education", "the Police"]),
        ("YOS manager; Director of Public Health", ["YOS manager", "Director of Public Health"]),
        ("Barking and Dagenham YOS", ["Barking and Dagenham YOS"]),
        ("Health and Wellbeing Board and the YOS manager", ["Health and Wellbeing Board", "the YOS manager"]),
        (
            "YOS manager and Interim Director – children's social care",
            ["YOS manager", "Interim Director – children's social care"],
        ),
    ],
)
def test_split_owner_list(text: str, owners: list[str]) -> None:
    assert split_owner_list(text) == owners
