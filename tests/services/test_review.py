"""The import review's rules, without HTTP: split, merge, bulk changes, deadlines, role matching, checks."""

from dataclasses import dataclass, replace
from datetime import date

import pytest

from tracker.services import ServiceError
from tracker.services.imports.review import (
    ReviewChoices,
    apply_operation,
    ascii_number,
    item_from_row,
    row_for,
    split_parts,
    suggest_role,
)
from tracker.services.imports.review_steps import blocking_problems, problems_to_confirm
from tracker.services.imports.staging import ImportItem


@dataclass(frozen=True)
class FakeRole:
    """Only what matching reads from a role: its name and aliases (a real Role has both)."""

    name: str
    aliases: tuple[str, ...] = ()

    @property
    def names(self):
        return [self.name, *self.aliases]


def _item(number, text, owners=(), **changes):
    return replace(
        ImportItem(
            number=number, text=text, owners=tuple(owners), owner_source="heading", reported_owners=tuple(owners)
        ),
        **changes,
    )


PUBLISHED = ReviewChoices(publication_date=date(2025, 3, 14))


def test_split_at_each_bullet_keeps_wrapped_lines_with_their_bullet():
    text = (
        "The partnership should make sure that:\n\uf0a7 plans are reviewed\nevery three months\n"
        "\u25aa children are seen alone"
    )
    assert split_parts(text, by_sentence=False) == [
        "The partnership should make sure that:",
        "plans are reviewed every three months",
        "children are seen alone",
    ]  # the bullets go: an item is never saved with a leading glyph
    assert split_parts("One. Two (a) things; Three.", by_sentence=True) == ["One.", "Two (a) things;", "Three."]


def test_split_numbers_the_pieces_and_merge_keeps_the_break_so_it_splits_again():
    items = [_item("1", "Plans are reviewed. Children are seen alone. Staff are trained."), _item("2", "Other")]
    split = apply_operation(items, "split-sentences:0", PUBLISHED)
    assert [(item.number, item.text) for item in split] == [
        ("1", "Plans are reviewed."),
        ("1b", "Children are seen alone."),
        ("1c", "Staff are trained."),
        ("2", "Other"),
    ]
    merged = apply_operation(split, "merge:0", PUBLISHED)
    assert merged[0].text == "Plans are reviewed.\nChildren are seen alone."
    assert [item.text for item in apply_operation(merged, "split:0", PUBLISHED)][:2] == [
        "Plans are reviewed.",
        "Children are seen alone.",
    ]
    with pytest.raises(ServiceError, match="only one line"):
        apply_operation(items, "split:1", PUBLISHED)


def test_a_merged_item_split_again_gets_its_numbers_and_sources_back():
    items = [_item("3", "Plans are reviewed.", origin=(2,)), _item("4", "Staff are trained.", origin=(3,))]
    choices = replace(PUBLISHED, parsed_numbers=("1", "2", "3", "4"))
    merged = apply_operation(items, "merge:0", choices)
    assert merged[0].origin == (2, 3)
    again = apply_operation(merged, "split:0", choices)
    assert [(item.number, item.text, item.origin) for item in again] == [
        ("3", "Plans are reviewed.", (2,)),
        ("4", "Staff are trained.", (3,)),
    ]


@pytest.mark.parametrize("operation", ["split:\u00b2", "merge:9", "delete:-1", "split:", "frobnicate", "use-role:x"])
def test_an_operation_on_no_item_is_a_clear_error(operation):
    with pytest.raises(ServiceError):
        apply_operation([_item("1", "Text")], operation, PUBLISHED)


def test_bulk_owners_and_deadline_rules_change_only_the_selected_items():
    items = [_item("1", "A", selected=True), _item("2", "B"), _item("3", "C", selected=True)]
    changed = apply_operation(items, "bulk", ReviewChoices(bulk_owners="Head of Service; Police", bulk_deadline="3"))
    assert [item.owners for item in changed] == [("Head of Service", "Police"), (), ("Head of Service", "Police")]
    assert [item.deadline_months for item in changed] == [3, None, 3]
    assert changed[0].deadline_rule == "3 months from publication" and changed[0].owner_source == "review"
    dated = apply_operation(items, "bulk", ReviewChoices(bulk_deadline="date", bulk_due_on=date(2026, 1, 31)))
    assert [item.due_on for item in dated] == [date(2026, 1, 31), None, date(2026, 1, 31)]
    custom = apply_operation(items, "bulk", ReviewChoices(bulk_deadline="months", bulk_months=6))
    assert custom[2].deadline_rule == "6 months from publication"
    for choices, message in [
        (ReviewChoices(bulk_deadline="months"), "number of months"),
        (ReviewChoices(bulk_deadline="date"), "date"),
        (ReviewChoices(), "Enter owners"),
    ]:
        with pytest.raises(ServiceError, match=message):
            apply_operation(items, "bulk", choices)
    with pytest.raises(ServiceError, match="Select the items"):
        apply_operation([_item("1", "A")], "bulk", ReviewChoices(bulk_deadline="12"))


def test_an_existing_role_is_offered_for_a_shorter_or_misspelt_name_but_never_a_guess():
    roles = [
        FakeRole("YOS Head of Service"),
        FakeRole("Chair of the YOS Management Board", ("Board chair",)),
        FakeRole("Director of Children's Services"),
    ]
    assert suggest_role("Head of Service", roles) == (roles[0], False)
    assert suggest_role("the chair of the YOT management board", roles) == (roles[1], True)
    assert suggest_role("Director of Childrens Servics", roles) == (roles[2], False)
    assert suggest_role("Cambridgeshire Constabulary", roles) is None
    assert suggest_role("Service", roles) is None  # one word is too little to go on
    two_heads = [*roles, FakeRole("Head of Service for Early Help")]
    assert suggest_role("Head of Service", two_heads) is None
    items = [_item("1", "A", ["Head of Service", "Police"]), _item("2", "B", ["Head of Service"])]
    used = apply_operation(items, "use-roles", PUBLISHED, roles)
    assert [item.owners for item in used] == [("YOS Head of Service", "Police"), ("YOS Head of Service",)]


def test_checks_before_saving_name_the_field_of_each_problem():
    roles = [FakeRole("YOS Head of Service")]
    items = [_item("1", "A", ["Head of Service"]), _item("2", "B"), _item("", "")]
    # An item with no number is saved by its place in the list (unnumbered bullets get no invented
    # number), so only the missing text blocks saving.
    assert [(p.position, p.field) for p in blocking_problems(items)] == [(2, "text")]
    problems = problems_to_confirm(items[:2], PUBLISHED, roles, today=date(2026, 4, 1))
    assert [(p.position, p.field) for p in problems] == [(0, "owners"), (0, "due_on"), (1, "owners"), (1, "due_on")]
    assert "looks like your role “YOS Head of Service”" in problems[0].message
    assert "14 March 2026, has already passed" in problems[1].message
    assert problems_to_confirm(items[:1], PUBLISHED, [FakeRole("Head of Service")], today=date(2025, 4, 1)) == []


def test_past_deadlines_can_be_counted_from_another_date():
    items = [_item("1", "A"), _item("2", "B", deadline_months=3), _item("3", "C", due_on=date(2027, 1, 1))]
    choices = replace(PUBLISHED, count_from=date(2026, 4, 1))
    counted = apply_operation(items, "count-from", choices, today=date(2026, 4, 1))
    assert [item.due_on for item in counted] == [date(2027, 4, 1), date(2026, 7, 1), date(2027, 1, 1)]
    with pytest.raises(ServiceError, match="date to count"):
        apply_operation(items, "count-from", PUBLISHED, today=date(2026, 4, 1))


def test_form_rows_round_trip_and_unicode_digits_are_not_numbers():
    item = _item("4", "Text", ["A", "B"], deadline_months=3, origin=(2, 3), selected=True, due_on=date(2026, 1, 2))
    assert item_from_row(row_for(item)) == item
    assert ascii_number("\u00b2") is None and ascii_number("12") == 12 and ascii_number("9" * 40) is None
    assert item_from_row({**row_for(item), "deadline_months": "\u00b2", "origin": "1,\u00b2"}).origin == (1,)
    added = apply_operation([item], "add-text", ReviewChoices(new_item_text="  Selected\n text "))
    assert (added[1].number, added[1].text, added[1].owners) == ("5", "Selected text", ())
