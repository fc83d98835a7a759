from flask import Blueprint, abort, flash, redirect, render_template, request, send_file, url_for
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from .. import clock
from ..extensions import db
from ..forms.actions import (
    DeadlineChangeForm,
    DecisionForm,
    EditUpdateForm,
    OwnersForm,
    PlanStepForm,
    ReassignForm,
    UpdateForm,
    VerifyForm,
    WithdrawForm,
    role_choices,
)
from ..inputs import whole_numbers
from ..models import (
    Action,
    DeadlineChange,
    DeadlineChangeStatus,
    Evidence,
    Organisation,
    Recommendation,
    Role,
    Status,
    Update,
)
from ..page_cache import cached_page
from ..permissions import (
    Capability,
    can,
    for_action,
    for_deadline_change,
    for_evidence,
    for_organisation,
    for_recommendation,
    for_update,
)
from ..services import actions as action_service
from ..services import evidence as evidence_service
from ..services import queries
from ..services.asked_before import panel as asked_before_panel
from ..services.evidence import EvidenceFile
from ..services.people import partner_links
from .filters import filters_from_request, int_arg
from .partner_links import link_of
from .shared import audit_download, submit, submit_button

bp = Blueprint("actions", __name__)


def _roles_for(organisation):
    return queries.organisation_roles(organisation)


def _render_action(action: Action, status: int = 200, **forms):
    """The action page, with the forms this user may use (a submitted form keeps its errors)."""
    action = queries.action_for_page(action.id)
    organisation_id = action.organisation_id
    version = {"version": action.version}
    final = action.status in Status.FINISHED
    if can(Capability.POST_UPDATE, organisation_id, action) and not final:
        forms.setdefault("update_form", UpdateForm(formdata=None, **version))
        forms["update_form"].offer_statuses_for(action)
    pending = next((c for c in action.deadline_changes if c.status is DeadlineChangeStatus.PENDING), None)
    if (
        can(Capability.REQUEST_DEADLINE_CHANGE, organisation_id, action)
        and not action.status.is_closed
        and pending is None
    ):
        forms.setdefault("deadline_form", DeadlineChangeForm(formdata=None))
    if can(Capability.DECIDE, organisation_id):
        if pending is not None:
            forms.setdefault("decision_form", DecisionForm(formdata=None, **version))
        if action.status is Status.COMPLETED:
            forms.setdefault("verify_form", VerifyForm(formdata=None, **version))
    if can(Capability.WITHDRAW, organisation_id) and not final:
        forms.setdefault("withdraw_form", WithdrawForm(formdata=None, **version))
    manage = can(Capability.MANAGE_ACTIONS, organisation_id)
    return render_template(
        "actions/show.html",
        action=action,
        organisation=action.organisation,
        pending_change=pending,
        history=queries.action_history(action),
        progress=action_service.recommendation_progress(action.recommendation),
        recommendation_due_on=action_service.recommendation_due_on(action.recommendation),
        show_audit_link=can(Capability.VIEW_AUDIT, organisation_id),
        partner_links=partner_links.active_links(action) if manage else None,
        can_manage=manage,
        forms=forms,
        asked_before=asked_before_panel.panel(action, can_link=manage),
    ), status


@bp.get("/organisations/<slug>/actions")
@for_organisation(Capability.VIEW)
@cached_page(scope=lambda organisation: [organisation.id])
def index(organisation: Organisation):
    filters = filters_from_request()
    sort = request.args.get("sort", "deadline")
    page = queries.action_page(
        [organisation.id], filters, clock.today(), page=int_arg("page", 1, 100_000) or 1, sort=sort
    )
    roles = queries.organisation_roles(organisation)
    reassign = None
    if can(Capability.MANAGE_ACTIONS, organisation.id) and page.items:
        reassign = ReassignForm(formdata=None)
        _reassign_choices(reassign, roles, page.items)
    return render_template(
        "actions/index.html",
        organisation=organisation,
        page=page,
        filters=filters,
        roles=roles,
        reports=queries.organisation_reports(organisation),
        statuses=list(Status),
        reassign_form=reassign,
        sorts=queries.SORTS,
        sort=sort if sort in queries.SORTS else "deadline",
        query_args={key: value for key, value in request.args.items() if key != "page"},
    )


def _reassign_choices(form: ReassignForm, roles: list[Role], actions) -> None:
    form.from_role.choices = form.to_role.choices = role_choices(roles)
    form.action_ids.choices = [
        SelectChoice(str(action.id), f"{action.recommendation.number}. {action.description[:80]}") for action in actions
    ]


@bp.post("/organisations/<slug>/actions/reassign")
@for_organisation(Capability.MANAGE_ACTIONS)
def reassign(organisation: Organisation):
    roles = {str(role.id): role for role in queries.organisation_roles(organisation)}
    chosen = action_service.actions_by_ids(organisation.id, whole_numbers(request.form.getlist("action_ids")))
    form = ReassignForm()
    _reassign_choices(form, list(roles.values()), chosen)
    return submit_button(
        form,
        lambda: action_service.reassign_actions(
            chosen, from_role=roles[form.from_role.data], to_role=roles[form.to_role.data], by=current_user
        ),
        success=lambda moved: f"Moved {moved} action{'s' if moved != 1 else ''} to {roles[form.to_role.data].name}.",
        then=url_for("actions.index", slug=organisation.slug),
    )


@bp.get("/actions/<int:action_id>")
@for_action(Capability.VIEW)
@cached_page(scope=lambda action: [action.organisation_id])
def show(action: Action):
    return _render_action(action)


def _uploaded_files() -> list[EvidenceFile]:
    return [
        EvidenceFile(file.filename or "", file.read()) for file in request.files.getlist("evidence") if file.filename
    ]


def _submit_on_action_page(
    action: Action, form, form_name: str, change, *, error_field, success: str, anchor: str = ""
):
    """A form on the action page: on a refusal the form stays, with the reason, on the action page."""

    def page():
        if hasattr(form, "version"):
            form.version.data = action.version
        return _render_action(action, **{form_name: form})[0]

    return submit(
        form,
        change,
        error_field=error_field,
        success=success,
        then=url_for("actions.show", action_id=action.id) + anchor,
        page=page,
    )


@bp.post("/actions/<int:action_id>/updates")
@for_action(Capability.POST_UPDATE)
def post(action: Action):
    form = UpdateForm()
    form.offer_statuses_for(action)

    def post_with_evidence():
        checked = evidence_service.check_files(_uploaded_files())
        update = action_service.post_update(
            action,
            author=current_user,
            note=form.note.data or "",
            new_status=form.new_status,
            expected_version=form.expected_version,
            flag=form.new_flag,
            flag_reason=form.flag_reason.data or "",
            links=form.link_list,
            evidence_count=len(checked),
        )
        evidence_service.attach(update, checked)

    return _submit_on_action_page(
        action,
        form,
        "update_form",
        post_with_evidence,
        error_field=form.note,
        success="Your update has been posted.",
        anchor="#history",
    )


@bp.post("/actions/<int:action_id>/deadline-changes")
@for_action(Capability.REQUEST_DEADLINE_CHANGE)
def request_deadline_change(action: Action):
    form = DeadlineChangeForm()
    return _submit_on_action_page(
        action,
        form,
        "deadline_form",
        lambda: action_service.request_deadline_change(
            action,
            requested_by=current_user,
            new_due_on=form.new_due_on.data,
            reason=form.reason.data,
            today=clock.today(),
            move_recommendation=bool(form.move_recommendation.data),
        ),
        error_field=form.new_due_on,
        success="Your request has been sent to the board.",
    )


@bp.post("/deadline-changes/<int:change_id>/decision")
@for_deadline_change(Capability.DECIDE)
def decide_deadline_change(change: DeadlineChange):
    form = DecisionForm()
    approve = form.decision.data == "approve"
    return _submit_on_action_page(
        change.action,
        form,
        "decision_form",
        lambda: action_service.decide_deadline_change(
            change,
            decided_by=current_user,
            approve=approve,
            note=form.note.data or "",
            expected_version=form.expected_version,
        ),
        error_field=form.decision,
        success=f"Deadline change {'approved' if approve else 'refused'}.",
    )


@bp.post("/actions/<int:action_id>/verify")
@for_action(Capability.DECIDE)
def verify(action: Action):
    form = VerifyForm()
    return _submit_on_action_page(
        action,
        form,
        "verify_form",
        lambda: action_service.verify_action(
            action, board_member=current_user, note=form.note.data or "", expected_version=form.expected_version
        ),
        error_field=form.note,
        success="The action is signed off as verified.",
    )


@bp.post("/actions/<int:action_id>/withdraw")
@for_action(Capability.WITHDRAW)
def withdraw(action: Action):
    form = WithdrawForm()
    return _submit_on_action_page(
        action,
        form,
        "withdraw_form",
        lambda: action_service.withdraw_action(
            action,
            by=current_user,
            reason=form.reason.data,
            board_decision=form.board_decision.data,
            expected_version=form.expected_version,
        ),
        error_field=form.reason,
        success="The action has been withdrawn.",
    )


def _owner_form_choices(form, roles) -> dict:
    choices = role_choices(roles)
    form.owners.choices = choices
    form.lead.choices = choices
    return {str(role.id): role for role in roles}


@bp.route("/actions/<int:action_id>/owners", methods=["GET", "POST"])
@for_action(Capability.MANAGE_ACTIONS)
def owners(action: Action):
    form = OwnersForm(
        formdata=request.form if request.method == "POST" else None,
        version=action.version,
        owners=[str(role.id) for role in action.owner_roles],
        lead=str(action.lead_role.id) if action.lead_role else None,
    )
    roles = _owner_form_choices(form, _roles_for(action.organisation))
    return submit(
        form,
        lambda: action_service.set_owners(
            action,
            owners=[roles[id_] for id_ in form.owners.data],
            lead=roles.get(form.lead.data),
            by=current_user,
            expected_version=form.expected_version,
        ),
        error_field=form.owners,
        success="Owners saved.",
        then=url_for("actions.show", action_id=action.id),
        page=lambda: render_template("actions/owners.html", action=action, organisation=action.organisation, form=form),
    )


@bp.route("/recommendations/<int:recommendation_id>/steps/new", methods=["GET", "POST"])
@for_recommendation(Capability.MANAGE_ACTIONS)
def add_step(recommendation: Recommendation):
    organisation = recommendation.report.organisation
    form = PlanStepForm()
    roles = _owner_form_choices(form, _roles_for(organisation))
    return submit(
        form,
        lambda: action_service.add_plan_step(
            recommendation,
            title=form.title.data,
            owners=[roles[id_] for id_ in form.owners.data],
            lead=roles.get(form.lead.data),
            due_on=form.due_on.data,
            created_by=current_user,
        ),
        error_field=form.due_on,
        success="Step added to the improvement plan.",
        then=lambda step: url_for("actions.show", action_id=step.id),
        page=lambda: render_template(
            "actions/add_step.html",
            recommendation=recommendation,
            organisation=organisation,
            form=form,
            limit=action_service.recommendation_due_on(recommendation),
        ),
    )


@bp.route("/updates/<int:update_id>/edit", methods=["GET", "POST"])
@for_update(Capability.POST_UPDATE)
def edit_update(update: Update):
    if update.author_id != current_user.id or update.records_board_decision:
        abort(403)
    form = EditUpdateForm(
        formdata=request.form if request.method == "POST" else None, note=update.note, links="\n".join(update.links)
    )
    return submit(
        form,
        lambda: action_service.edit_update(
            update, editor=current_user, note=form.note.data or "", links=(form.links.data or "").split()
        ),
        error_field=form.note,
        success="Your update has been changed. The earlier wording is kept in its history.",
        then=url_for("actions.show", action_id=update.action_id) + "#history",
        page=lambda: render_template(
            "actions/edit_update.html",
            update=update,
            action=update.action,
            organisation=update.action.organisation,
            form=form,
        ),
    )


@bp.get("/evidence/<int:evidence_id>")
@for_evidence(Capability.VIEW)
def download_evidence(evidence: Evidence):
    path = evidence_service.path_of(evidence)
    if not path.is_file():
        abort(404)
    return send_file(
        path,
        mimetype=evidence.media_type,
        as_attachment=True,
        max_age=0,
        download_name=evidence_service.name_for_type(evidence.filename, evidence.media_type),
    )


@bp.post("/actions/<int:action_id>/partner-links/<int:link_id>/revoke")
@for_action(Capability.MANAGE_ACTIONS)
def revoke_partner_link(action: Action, link_id: int):
    link = link_of(action, link_id)
    partner_links.revoke(link, by=current_user)
    db.session.commit()
    flash(f"The link sent to {link.contact.email} no longer works.", "success")
    return redirect(url_for("actions.show", action_id=action.id))


@bp.get("/actions/<int:action_id>/audit")
@for_action(Capability.VIEW_AUDIT)
def audit(action: Action):
    return render_template(
        "actions/audit.html",
        action=action,
        organisation=action.organisation,
        events=queries.action_audit_events(action),
    )


@bp.get("/actions/<int:action_id>/audit.json")
@for_action(Capability.DOWNLOAD_AUDIT_RECORD)
def audit_record(action: Action):
    """Every stored value of the action's audit events, for an administrator to keep or inspect."""
    return audit_download(queries.action_audit_events(action), f"action-{action.id}-audit.json", action_id=action.id)
