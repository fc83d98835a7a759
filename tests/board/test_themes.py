"""Recurring themes: a keyword classifier anyone can read, the same in Python and in SQL."""

from datetime import date

import pytest
from sqlalchemy import select

from tests.conftest import SHARED
from tests.factories import make_action, make_organisation, make_report, make_user
from tracker.extensions import db
from tracker.models import AccessLevel, Recommendation, Status
from tracker.models.board import RecommendationTheme
from tracker.services.board import theme_classifier
from tracker.services.board.themes import remember_themes, search_recommendations, theme_overview

HEALTH = theme_classifier.THEMES_BY_SLUG["health"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Ensure that children's health needs, including CAMHS, are met", {"health"}),
        ("Speech and language needs are assessed for every child", {"health", "assessment"}),
        ("The Board reviews governance and partner agency attendance at meetings", {"governance"}),
        ("Plans to keep other people safe are reviewed when circumstances change", {"planning", "risk-of-harm"}),
        ("Victims are contacted and their views inform the work", {"victims"}),
        ("Staff receive training in child sexual exploitation and safeguarding", {"workforce", "safeguarding"}),
        ("Education, training and employment provision is improved", {"education-training-employment"}),
        ("Information sharing with the police is timely", {"information-sharing"}),
        ("Managers provide effective oversight and quality assurance of case work", {"management-oversight"}),
        ("An explanation is given", {"other"}),  # "plan" must start a word: not "explanation"
        ("Plan the work", {"planning"}),  # ... and the first word counts
    ],
)
def test_the_classifier_names_its_themes(text, expected):
    assert {theme.slug for theme in theme_classifier.classify(text)} == expected


def test_the_classifier_says_which_keywords_matched():
    assert theme_classifier.matched_keywords("CAMHS and substance misuse workers") == {
        "health": ["camhs", "substance misuse"]
    }
    assert theme_classifier.matched_keywords("nothing relevant") == {}
    assert theme_classifier.classify("nothing relevant") == [theme_classifier.OTHER]


def _corpus() -> list[str]:
    """Awkward invented texts, and every recommendation in the shared real reports."""
    texts = [
        "Ensure that children's health needs, including CAMHS, are met",
        "PLANS are reviewed",
        "the explanation",
        "Risk of harm to others is managed; MAPPA is used",
        "Victim\u2019s views",
        "100% of staff",
        "under_score and % signs: 50%_plan",
        "",
    ]
    if (SHARED / "reports").is_dir():
        from tracker.importing import read_report

        for path in sorted((SHARED / "reports").glob("*.txt")):
            texts += [item.text for item in read_report(path.read_bytes(), path.name).recommendations]
    return texts


def test_the_kept_themes_are_the_classifiers_and_are_worked_out_again_when_keywords_change(app, monkeypatch):
    organisation = make_organisation()
    report = make_report(organisation)
    for position, text in enumerate(_corpus(), start=1):
        db.session.add(
            Recommendation(
                report=report, position=position, number=str(position), text=text, owner_phrases=[], owner_source="none"
            )
        )
    db.session.flush()
    recommendations = list(db.session.scalars(select(Recommendation)))
    assert remember_themes(None) == len(recommendations) >= 8

    def kept() -> dict[int, set[str]]:
        found: dict[int, set[str]] = {}
        for row in db.session.scalars(select(RecommendationTheme)):
            found.setdefault(row.recommendation_id, set()).add(row.theme)
        return found

    assert kept() == {r.id: {theme.slug for theme in theme_classifier.classify(r.text)} for r in recommendations}
    assert remember_themes(None) == 0  # nothing new: nothing written

    monkeypatch.setattr(theme_classifier, "FINGERPRINT", "new keywords")
    monkeypatch.setattr(theme_classifier, "THEMES", (theme_classifier.Theme("victims", "Victims", (" victim",)),))
    assert remember_themes(None) == len(recommendations)
    assert {theme for found in kept().values() for theme in found} == {"victims", "other"}
    assert set(db.session.scalars(select(RecommendationTheme.classifier))) == {"new keywords"}


@pytest.fixture
def two_inspections(app, travel):
    """Eastbrook inspected in 2022 and again in 2025; Westmoor once. Health recurs in Eastbrook."""
    travel("2026-03-01")
    eastbrook = make_organisation("Eastbrook YOS", slug="eastbrook")
    westmoor = make_organisation("Westmoor YOS", slug="westmoor")
    old = make_report(eastbrook, "Eastbrook 2022", date(2022, 5, 1))
    new = make_report(eastbrook, "Eastbrook 2025", date(2025, 6, 1))
    west = make_report(westmoor, "Westmoor 2024", date(2024, 2, 1))
    items = {
        "old health open": make_action(
            eastbrook, report=old, text="Health needs are assessed by a nurse", status=Status.IN_PROGRESS
        ),
        "old health done": make_action(
            eastbrook, report=old, text="CAMHS attend planning meetings", status=Status.VERIFIED
        ),
        "old victims done": make_action(eastbrook, report=old, text="Victims are contacted", status=Status.VERIFIED),
        "new health": make_action(eastbrook, report=new, text="Mental health support is in place"),
        "new board": make_action(eastbrook, report=new, text="The Board holds partners to account"),
        "west health": make_action(
            westmoor, report=west, text="Health workers share information", status=Status.COMPLETED
        ),
    }
    db.session.commit()
    return eastbrook, westmoor, items


def test_the_overview_counts_themes_where_they_are_outstanding_and_where_they_recur(two_inspections):
    eastbrook, westmoor, _ = two_inspections
    overview = {count.theme.slug: count for count in theme_overview(None)}
    health = overview["health"]
    assert (health.recommendations, health.outstanding) == (4, 3)  # the verified CAMHS one is not outstanding
    assert [(organisation.slug, number) for organisation, number in health.organisations] == [
        ("eastbrook", 2),
        ("westmoor", 1),
    ]
    assert [organisation.slug for organisation in health.recurring_in] == ["eastbrook"]
    assert overview["victims"].outstanding == 0 and overview["victims"].recurring_in == []
    assert overview["governance"].recommendations == 1
    only_westmoor = {count.theme.slug: count for count in theme_overview([westmoor.id])}
    assert only_westmoor["health"].recommendations == 1 and only_westmoor["governance"].recommendations == 0


def test_earlier_recommendations_not_yet_verified_are_shown_beside_the_latest(two_inspections):
    eastbrook, westmoor, items = two_inspections
    found = search_recommendations(None, theme=HEALTH)
    groups = {group.organisation.slug: group for group in found.groups}
    assert [item.recommendation.id for item in groups["eastbrook"].latest] == [items["new health"].recommendation_id]
    assert [item.recommendation.id for item in groups["eastbrook"].earlier_outstanding] == [
        items["old health open"].recommendation_id
    ]  # the verified one from 2022 is done with
    assert groups["eastbrook"].latest_report.title == "Eastbrook 2025"
    assert [item.recommendation.id for item in groups["westmoor"].latest] == [items["west health"].recommendation_id]
    assert found.found == found.shown == 3
    assert groups["eastbrook"].latest[0].themes == {"health": ["health", "mental"]}

    text = search_recommendations([eastbrook.id], text="BOARD")
    assert [item.recommendation.text for group in text.groups for item in group.latest] == [
        "The Board holds partners to account"
    ]
    assert search_recommendations([eastbrook.id], text="100%").found == 0  # % is searched for, not a wildcard


def test_a_manager_sees_only_their_organisations_an_oversight_user_sees_all(client_request, two_inspections):
    eastbrook, westmoor, items = two_inspections
    manager = make_user(eastbrook, AccessLevel.MANAGER)
    viewer = make_user(make_organisation("Youth Justice Board"), AccessLevel.OVERSIGHT)
    db.session.commit()

    client_request.login(manager)
    page = client_request.get("themes.index")
    assert page.select_one("title").text.startswith("Recurring themes")
    health = page.select_one("tr[data-theme=health]")
    assert health.select_one("[data-count=recommendations]").text == "3"
    assert "Westmoor" not in page.text
    theme_page = client_request.get("themes.show", theme_slug="health")
    assert [section["data-organisation"] for section in theme_page.select("section[data-organisation]")] == [
        "eastbrook"
    ]
    assert "Earlier inspections, not yet verified" in theme_page.text
    search = client_request.get("themes.search", q="health workers")
    assert "0 recommendations found" in search.select_one("#result-count").text
    client_request.get("themes.show", theme_slug="no-such-theme", _expected_status=404)

    client_request.login(viewer)
    theme_page = client_request.get("themes.show", theme_slug="health", q="health")
    assert [section["data-organisation"] for section in theme_page.select("section[data-organisation]")] == [
        "eastbrook",
        "westmoor",
    ]
    search = client_request.get("themes.search", q="health workers")
    assert search.select_one("#result-count").text.startswith("1 recommendation found")


def test_the_themes_page_keeps_what_it_worked_out(client_request, two_inspections):
    eastbrook, _, _ = two_inspections
    manager = make_user(eastbrook, AccessLevel.MANAGER)
    db.session.commit()
    client_request.login(manager)
    client_request.get("themes.index")
    db.session.expire_all()
    assert db.session.query(RecommendationTheme).count() >= 5  # committed by the request, not rolled back


def test_odd_search_text_is_not_an_error(client_request, two_inspections):
    eastbrook, _, _ = two_inspections
    manager = make_user(eastbrook, AccessLevel.MANAGER)
    db.session.commit()
    client_request.login(manager)
    for text in ("%", "_", "/", "a" * 5000, "Ünïcode “quotes”"):
        client_request.get("themes.search", q=text)
        client_request.get("themes.show", theme_slug="health", q=text)
    for endpoint, values in (("themes.search", {}), ("themes.show", {"theme_slug": "health"})):
        response = client_request.client.get(client_request.url(endpoint, q="a\x00b", **values))
        assert response.status_code in (200, 400)  # the app may refuse NUL outright; never a server error
