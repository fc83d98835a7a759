"""The action list's filters, read from the query string: shared by the list page, its exports and
bulk changes. Anything unrecognised is ignored rather than an error: a filter link is often
typed, cut short or years old."""

from datetime import date

from flask import request

from ..inputs import MAX_ID, whole_number
from ..models import Status
from ..services import queries
from ..services.queries import ActionFilters
from ..services.rag import RAG_COLOURS


def int_arg(name: str, minimum: int = 0, maximum: int = 10_000) -> int | None:
    value = whole_number(request.args.get(name))
    if value is None:
        return None
    return min(max(value, minimum), maximum)


def filters_from_request() -> ActionFilters:
    """Filters from the query string; anything unrecognised is ignored rather than an error."""
    status = request.args.get("status", "")
    rag = request.args.get("rag", "")
    return ActionFilters(
        status=Status.named(status),
        owner=int_arg("owner", 1, MAX_ID),
        report=int_arg("report", 1, MAX_ID),
        overdue=request.args.get("overdue") in {"1", "yes", "true"},
        due_within=int_arg("due_within", 0, 3650),
        rag=rag if rag in RAG_COLOURS else None,
        search=request.args.get("q", "")[:200],
        open_only=request.args.get("open") in {"1", "yes", "true"},
        flag=request.args["flag"] if request.args.get("flag") in queries.FLAG_FILTERS else None,
        inspectorate=request.args.get("inspectorate", "").strip()[:200],
        published_from=date_arg("published_from"),
        published_to=date_arg("published_to"),
        repeats=request.args.get("repeats") in {"1", "yes", "true"},
        unheard=request.args.get("unheard") in {"1", "yes", "true"},
    )


def date_arg(name: str):
    """A YYYY-MM-DD query argument, or None when missing or not a real date."""
    try:
        return date.fromisoformat(request.args.get(name, "").strip()[:10])
    except ValueError:
        return None
