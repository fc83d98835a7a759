"""The GOV.UK error pattern, as a check any page test can use (the import review's tests too).

Every error summary entry links to the field it is about; that field is marked (its form group
has the error class and an error message saying the same thing); and every marked field is
listed in a summary. https://design-system.service.gov.uk/components/error-summary/
"""

from __future__ import annotations

from bs4 import BeautifulSoup

FIELD_ERROR_CLASSES = ("govuk-input--error", "govuk-textarea--error", "govuk-select--error", "govuk-file-upload--error")


def _text(element) -> str:
    return " ".join(element.get_text(" ").split())


def check_error_pattern(page: BeautifulSoup) -> dict[str, str]:
    """Assert the pattern holds on a parsed page; return {field id: message} from the summaries."""
    links = page.select(".govuk-error-summary__list a")
    assert links, "the page has no error summary entries"
    found: dict[str, str] = {}
    for link in links:
        href = link.get("href", "")
        assert href.startswith("#") and len(href) > 1, f"summary entry {_text(link)!r} does not link to a field"
        field = page.find(id=href[1:])
        assert field is not None, f"summary entry {_text(link)!r} links to {href}, which is not on the page"
        # A date's boxes each sit in a group of their own inside the date's group: take the outer one.
        group = field.find_parent(class_="govuk-form-group--error")
        assert group is not None, f"{href} is not marked in error"
        message = group.select_one(".govuk-error-message")
        assert message is not None and _text(link) in _text(message), f"{href} does not show {_text(link)!r}"
        if field.name in ("input", "textarea", "select") and field.get("type") not in ("radio", "checkbox"):
            assert set(field.get("class", [])) & set(FIELD_ERROR_CLASSES), f"{href} has no error border"
        found[href[1:]] = _text(link)
    linked = {link["href"][1:] for link in links}
    for group in page.select(".govuk-form-group--error"):
        ids = {element.get("id") for element in group.select("[id]")}
        assert ids & linked, f"a field in error is missing from the summary: {_text(group)[:80]}"
    return found
