"""The JSON API, /api/v1. Bearer tokens only (see permissions.api_token_required)."""

from flask import Blueprint, abort, jsonify, request
from flask_login import current_user
from sqlalchemy import select
from werkzeug.exceptions import HTTPException

from .. import clock, permissions
from ..extensions import csrf, db
from ..inputs import MAX_ID, storable, whole_number
from ..models import Action, Organisation, Report, Status
from ..page_cache import cached_page
from ..permissions import Capability, api_token_required
from ..services import ServiceError, queries
from ..services import actions as action_service
from ..services.actions import StaleVersion
from ..services.asked_before import links as asked_before
from ..services.queries import ActionFilters
from ..services.rag import is_overdue, rag_for

bp = Blueprint("api", __name__, url_prefix="/api/v1")
csrf.exempt(bp)  # no cookies are accepted here, so there is nothing for a forged request to ride on

MAX_PER_PAGE = 100


@bp.errorhandler(HTTPException)
def json_error(error: HTTPException):
    response = jsonify(error=error.name.lower().replace(" ", "_"), message=error.description)
    response.status_code = error.code or 500
    return response


def _error(status: int, message: str, **extra):
    response = jsonify(
        error={400: "bad_request", 409: "conflict", 422: "unprocessable"}.get(status, "error"), message=message, **extra
    )
    response.status_code = status
    return response


def _action_json(action: Action, today, *, detail: bool = False) -> dict:
    rag = rag_for(action, today)
    data = {
        "id": action.id,
        "organisation": action.organisation.slug,
        "report_id": action.recommendation.report_id,
        "recommendation_number": action.recommendation.number,
        "title": action.description,
        "owners": [
            {"role": role.name, "lead": owner.is_lead, "holder": role.holder.email if role.holder else None}
            for owner in action.owners
            for role in [owner.role]
        ],
        "status": action.status.value,
        "flag": action.flag.value if action.flag else None,
        "flag_reason": action.flag_reason,
        "due_on": action.due_on.isoformat(),
        "original_due_on": action.original_due_on.isoformat(),
        "overdue": is_overdue(action, today),
        "rag": rag.colour,
        "rag_reason": rag.reason,
        "version": action.version,
    }
    if detail:
        data["updates"] = [
            {
                "id": update.id,
                "created_at": update.created_at.isoformat(),
                "author": update.author_name,
                "note": update.note,
                "status_before": update.status_before.value,
                "status_after": update.status_after.value,
                "links": update.links,
                "evidence": [{"id": item.id, "filename": item.filename} for item in update.evidence],
            }
            for update in action.updates
        ]
        data["asked_before"] = asked_before.as_json(action.recommendation)
    return data


def _visible_ids(slug: str | None) -> list[int] | None:
    visible = permissions.visible_organisation_ids()
    if not slug:
        return visible
    organisation_id = db.session.scalar(select(Organisation.id).filter_by(slug=slug))
    if organisation_id is None or (visible is not None and organisation_id not in visible):
        abort(404, f"No organisation {slug!r} that you can see.")
    return [organisation_id]


def _int(name: str, default: int, minimum: int, maximum: int) -> int:
    value = request.args.get(name)
    if value is None:
        return default
    number = whole_number(value)
    if number is None:
        abort(400, f"{name} must be a whole number.")
    return min(max(number, minimum), maximum)


@bp.get("/actions")
@api_token_required
@cached_page(scope=permissions.visible_organisation_ids)
def list_actions():
    status = request.args.get("status")
    if status is not None and Status.named(status) is None:
        abort(400, f"status must be one of {', '.join(s.value for s in Status)}.")
    owner = request.args.get("owner")
    owner_id = whole_number(owner)
    if owner is not None and (owner_id is None or owner_id > MAX_ID):
        abort(400, "owner must be a role id.")
    filters = ActionFilters(
        status=Status(status) if status else None,
        owner=owner_id,
        overdue=request.args.get("overdue") in {"1", "true", "yes"},
    )
    today = clock.today()
    page = queries.action_page(
        _visible_ids(request.args.get("organisation")),
        filters,
        today,
        page=_int("page", 1, 1, 1_000_000),
        per_page=_int("per_page", 25, 1, MAX_PER_PAGE),
    )
    return jsonify(
        actions=[_action_json(action, today) for action in page.items],
        page=page.page,
        per_page=page.per_page,
        total=page.total,
        pages=page.pages,
    )


def _visible_action(action_id: int) -> Action:
    action = db.session.get(Action, action_id)
    if action is None or permissions.access_level(action.organisation_id) is None:
        abort(404, "No such action.")
    return action


@bp.get("/actions/<int:action_id>")
@api_token_required
def get_action(action_id: int):
    return jsonify(_action_json(_visible_action(action_id), clock.today(), detail=True))


@bp.post("/actions/<int:action_id>/updates")
@api_token_required
def post_update(action_id: int):
    action = _visible_action(action_id)
    if not permissions.can(Capability.POST_UPDATE, action.organisation_id, action):
        abort(403, "You may not post updates on this action.")
    try:
        body = request.get_json(silent=True)
    except RecursionError:
        return _error(400, "The JSON is nested too deeply.")
    if not isinstance(body, dict):
        return _error(400, "Send a JSON object with note, status and version.")
    version, note, status = body.get("version"), body.get("note", ""), body.get("status")
    if not isinstance(version, int) or isinstance(version, bool) or not 0 <= version <= MAX_ID:
        return _error(400, "version must be the action's version number, as last read.")
    if not isinstance(note, str) or len(note) > 10_000 or not storable(note):
        return _error(400, "note must be text of at most 10,000 characters, without NUL characters or lone surrogates.")
    if status is not None and Status.named(status) is None:
        return _error(400, f"status must be one of {', '.join(s.value for s in Status)}.")
    try:
        update = action_service.post_update(
            action,
            author=current_user,
            note=note,
            new_status=Status(status) if status else None,
            expected_version=version,
        )
    except StaleVersion as error:
        db.session.rollback()
        return _error(409, str(error), current_version=db.session.get(Action, action_id).version)
    except ServiceError as error:
        db.session.rollback()
        return _error(422, str(error))
    db.session.commit()
    response = jsonify(update_id=update.id, action=_action_json(action, clock.today()))
    response.status_code = 201
    return response


def _report_json(report: Report, *, detail: bool = False) -> dict:
    data = {
        "id": report.id,
        "organisation": report.organisation.slug,
        "title": report.title,
        "inspectorate": report.inspectorate,
        "inspection_type": report.inspection_type,
        "publication_date": report.publication_date.isoformat() if report.publication_date else None,
        "publication_date_confirmed": report.publication_date_confirmed,
        "overall_rating": report.overall_rating,
        "ratings": report.ratings,
    }
    if detail:
        data["recommendations"] = [
            {
                "id": item.id,
                "number": item.number,
                "text": item.text,
                "owners": item.owner_phrases,
                "action_ids": [action.id for action in item.actions],
            }
            for item in report.recommendations
        ]
    return data


@bp.get("/reports")
@api_token_required
def list_reports():
    from sqlalchemy.orm import selectinload

    statement = select(Report).options(selectinload(Report.organisation)).order_by(Report.id)
    visible = _visible_ids(request.args.get("organisation"))
    if visible is not None:
        statement = statement.where(Report.organisation_id.in_(visible))
    per_page, page = _int("per_page", 25, 1, MAX_PER_PAGE), _int("page", 1, 1, 1_000_000)
    reports = db.session.scalars(statement.limit(per_page).offset((page - 1) * per_page)).all()
    return jsonify(reports=[_report_json(report) for report in reports], page=page, per_page=per_page)


@bp.get("/reports/<int:report_id>")
@api_token_required
def get_report(report_id: int):
    report = db.session.get(Report, report_id)
    if report is None or permissions.access_level(report.organisation_id) is None:
        abort(404, "No such report.")
    return jsonify(_report_json(report, detail=True))
