""" "Asked before": the matching on true repeat pairs judged by hand in real reports, and the
rules for links (nothing linked without a person; never to itself or another organisation;
every change audited)."""

from datetime import date
from itertools import pairwise
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from tests.factories import make_action, make_organisation, make_report, make_user
from tracker.extensions import db
from tracker.models import AccessLevel, AuditEvent, RepeatLink, RepeatState, Status, utc_now
from tracker.services.asked_before import links as asked_before
from tracker.services.asked_before.links import LinkRefused
from tracker.services.asked_before.matching import THRESHOLD, best_matches, score
from tracker.services.asked_before.measure import load_cases, measure, rapidfuzz_top
from tracker.services.asked_before.review import CONFIRM, DISMISS, field_name, for_items, record_decisions
from tracker.services.audit_sentences import sentence

LONDON = ZoneInfo("Europe/London")


# --- The matching, measured on the hand-written pairs --------------------------------------


def test_the_pairs_hold_repeats_with_changed_wording_and_items_asked_for_the_first_time():
    cases = load_cases()
    repeats = [case for case in cases if case.truth]
    assert len(repeats) >= 25 and len(cases) - len(repeats) >= 80
    # Some pairs share few words: the wording changed, the intent did not.
    reworded = [
        case
        for case in repeats
        if max(score(case.text, text) for file, index, text in case.earlier if (file, index) in case.truth) < 0.6
    ]
    assert len(reworded) >= 8


def test_the_top_suggestion_at_the_threshold_is_mostly_right_and_finds_about_half_the_repeats():
    """Measured: precision 0.87, recall 0.45 at 0.56 (docs/asked-before.md). The floors leave a
    little room, not enough to hide a matching that got worse."""
    result = measure(load_cases(), rapidfuzz_top(THRESHOLD))
    assert result.precision >= 0.8
    assert result.recall >= 0.4


def test_a_lower_threshold_finds_more_repeats_and_more_wrong_suggestions():
    cases = load_cases()
    strict, loose = measure(cases, rapidfuzz_top(0.6), 0.6), measure(cases, rapidfuzz_top(0.5), 0.5)
    assert loose.recall > strict.recall
    assert loose.false_positives > strict.false_positives


def test_scores_run_from_0_to_1_and_ignore_case_spacing_and_framework_references():
    assert (
        score("The quality of pathway plans.", "the QUALITY of   pathway plans (outcome 4, national framework)") == 1.0
    )
    assert score("Management oversight", "") == 0.0
    assert 0 < score("Management oversight and supervision", "Supervision of staff") < 1


def test_best_matches_are_best_first_and_none_below_the_threshold():
    earlier = [
        "Improve the quality of pathway plans for care leavers.",
        "Recruit more foster carers.",
        "Pathway plans for care leavers are of good quality.",
    ]
    found = best_matches("The quality of pathway plans for care leavers.", earlier)
    assert {match.index for match in found} == {0, 2}  # the same words, in any order
    assert all(a.score >= b.score for a, b in pairwise(found))
    assert 1 not in [match.index for match in found]
    assert best_matches("Anything at all", []) == []


# --- Links ----------------------------------------------------------------------------------


@pytest.fixture
def two_inspections(app):
    organisation = make_organisation("Wigan YOS")
    manager = make_user(organisation, AccessLevel.MANAGER)
    first = make_report(organisation, title="2022 inspection", published=date(2022, 7, 1))
    earlier = make_action(
        organisation,
        report=first,
        text="Consistently robust management oversight and social work supervision.",
        status=Status.VERIFIED,
    )
    earlier.verified_at = utc_now()
    other = make_action(organisation, report=first, text="Life-story work for all children in care.")
    second = make_report(organisation, title="2024 visit", published=date(2024, 11, 1))
    new = make_action(organisation, report=second, text="Management oversight and quality of supervision.")
    db.session.commit()
    return organisation, manager, earlier.recommendation, other.recommendation, new.recommendation


def test_a_saved_report_gets_suggestions_but_no_link_until_a_person_confirms(two_inspections):
    organisation, manager, earlier, other, new = two_inspections
    links = asked_before.suggest_for_report(new.report, manager)
    assert [(link.earlier_recommendation_id, link.state) for link in links] == [(earlier.id, RepeatState.SUGGESTED)]
    assert db.session.scalar(select(asked_before.repeated_recommendation_ids().subquery())) is None
    asked_before.decide(links[0], RepeatState.CONFIRMED, manager)
    db.session.commit()
    assert list(db.session.scalars(asked_before.repeated_recommendation_ids())) == [new.id]
    assert links[0].decided_by_id == manager.id and links[0].decided_at is not None
    event = db.session.scalar(select(AuditEvent).filter_by(event="repeat_link.confirmed"))
    assert sentence(event, LONDON) == (
        f"{manager.name} confirmed that {new.full_name} was asked before, as {earlier.full_name}: "
        f"\u201c{earlier.text}\u201d."
    )


def test_a_first_report_gets_no_suggestions_and_no_error(app):
    organisation = make_organisation()
    manager = make_user(organisation)
    action = make_action(organisation, text="Improve the quality of plans.")
    assert asked_before.suggest_for_report(action.recommendation.report, manager) == []
    assert for_items(organisation, ["Improve the quality of plans."], date(2025, 1, 1), {}) == [[]]


def test_linking_to_itself_or_the_same_report_is_refused_and_changes_nothing(two_inspections):
    organisation, manager, earlier, other, new = two_inspections
    with pytest.raises(LinkRefused, match="cannot be linked to itself"):
        asked_before.link_by_hand(new, new, manager)
    with pytest.raises(LinkRefused, match="earlier report"):
        asked_before.link_by_hand(earlier, other, manager)
    assert db.session.scalars(select(RepeatLink)).all() == []
    assert db.session.scalars(select(AuditEvent).where(AuditEvent.event.like("repeat_link.%"))).all() == []


def test_linking_to_another_organisations_recommendation_is_refused(two_inspections):
    organisation, manager, earlier, other, new = two_inspections
    stranger = make_action(make_organisation("Elsewhere YOS"), text=new.text).recommendation
    with pytest.raises(LinkRefused, match="this organisation's earlier recommendations"):
        asked_before.link_by_hand(new, stranger, manager)
    with pytest.raises(LinkRefused):
        asked_before.link_by_hand(new, None, manager)
    assert db.session.scalars(select(RepeatLink)).all() == []


def test_a_link_made_by_hand_is_confirmed_audited_and_can_be_removed(two_inspections):
    organisation, manager, earlier, other, new = two_inspections
    link = asked_before.link_by_hand(new, other, manager)
    assert link.state is RepeatState.CONFIRMED and link.score is None
    with pytest.raises(LinkRefused, match="already linked"):
        asked_before.link_by_hand(new, other, manager)
    asked_before.decide(link, RepeatState.DISMISSED, manager)
    db.session.commit()
    events = db.session.scalars(
        select(AuditEvent).where(AuditEvent.event.like("repeat_link.%")).order_by(AuditEvent.id)
    ).all()
    assert [event.event for event in events] == ["repeat_link.added", "repeat_link.removed"]
    assert sentence(events[1], LONDON).startswith(f"{manager.name} removed the link between {new.full_name} and ")
    assert asked_before.as_json(new) == []


def test_the_review_decisions_become_links_when_the_report_is_saved(two_inspections):
    organisation, manager, earlier, other, new = two_inspections
    third = make_report(organisation, title="2025 visit", published=date(2025, 5, 1))
    repeat = make_action(organisation, report=third, text=new.text).recommendation
    db.session.flush()
    shown = for_items(organisation, [repeat.text], date(2025, 5, 1), {})[0]
    assert [item.earlier.id for item in shown][:1] == [new.id]
    form = {field_name(repeat.text, shown[0].earlier): CONFIRM}
    if len(shown) > 1:
        form[field_name(repeat.text, shown[1].earlier)] = DISMISS
    form[f"asked-before-x-{other.id}"] = CONFIRM  # not a suggestion: never linked
    confirmed, dismissed = record_decisions(third, form, manager)
    assert (confirmed, dismissed) == (1, len(shown) - 1)
    states = {link.earlier_recommendation_id: link.state for link in asked_before.links_of(repeat)}
    assert states[new.id] is RepeatState.CONFIRMED and other.id not in states
    assert [item["recommendation_id"] for item in asked_before.as_json(repeat) if item["confirmed"]] == [new.id]
