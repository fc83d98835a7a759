from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select

from .. import clock
from ..extensions import db
from ..forms.roles import MergeRoleForm, RoleHolderForm
from ..models import Organisation, Role
from ..permissions import Capability, for_organisation
from ..services import handoff_emails, queries, role_merge
from ..services.people import organisations as organisation_service
from .shared import audit_download, or_404, submit

bp = Blueprint("organisations", __name__, url_prefix="/organisations")


@bp.get("/<slug>")
@for_organisation(Capability.VIEW)
def show(organisation: Organisation):
    return redirect(url_for("reports.index", slug=organisation.slug))


@bp.get("/<slug>/audit")
@for_organisation(Capability.VIEW_AUDIT)
def audit(organisation: Organisation):
    return render_template(
        "organisations/audit.html", organisation=organisation, events=queries.audit_events(organisation)
    )


@bp.get("/<slug>/audit.json")
@for_organisation(Capability.DOWNLOAD_AUDIT_RECORD)
def audit_record(organisation: Organisation):
    """The latest events as stored (UTC, before and after values), for an administrator."""
    return audit_download(
        queries.audit_events(organisation), f"{organisation.slug}-audit.json", organisation=organisation.slug
    )


@bp.get("/<slug>/roles")
@for_organisation(Capability.VIEW)
def roles(organisation: Organisation):
    return render_template(
        "organisations/roles.html", organisation=organisation, roles=queries.organisation_roles(organisation)
    )


@bp.route("/<slug>/roles/<int:role_id>", methods=["GET", "POST"])
@for_organisation(Capability.MANAGE_ROLES)
def edit_role(organisation: Organisation, role_id: int):
    role = or_404(db.session.scalar(select(Role).filter_by(id=role_id, organisation_id=organisation.id)))
    form = RoleHolderForm(
        formdata=request.form if request.method == "POST" else None,
        email=role.holder.email if role.holder else None,
        name=role.holder.name if role.holder else None,
        deputy_email=role.deputy.email if role.deputy else None,
    )

    def save() -> str:
        previous = role.holder_id
        organisation_service.set_role_holder(
            organisation, role.name, form.email.data, name=form.name.data or None, actor=current_user
        )
        organisation_service.set_role_deputy(organisation, role, form.deputy_email.data or None, actor=current_user)
        welcome = None
        if role.holder_id != previous:
            welcome = handoff_emails.welcome_role_holder(role, given_by=current_user.name, today=clock.today())
        return welcome.sentence(role) if welcome else ""

    return submit(
        form,
        save,
        error_field=form.email,
        success=lambda welcomed: (
            f"Saved. Actions owned by {role.name} now go to {role.holder.name}. {welcomed}"
        ).strip(),
        then=url_for("organisations.roles", slug=organisation.slug),
        page=lambda: render_template("organisations/edit_role.html", organisation=organisation, role=role, form=form),
    )


@bp.route("/<slug>/roles/<int:role_id>/merge", methods=["GET", "POST"])
@for_organisation(Capability.MANAGE_ROLES)
def merge_role(organisation: Organisation, role_id: int):
    """Merge a role into another of the same organisation: choose, then confirm."""
    role = or_404(db.session.scalar(select(Role).filter_by(id=role_id, organisation_id=organisation.id)))
    others = [other for other in queries.organisation_roles(organisation) if other.id != role.id]
    form = MergeRoleForm()
    form.into.choices = [("", "Choose a role")] + [(str(other.id), other.name) for other in others]
    if not form.validate_on_submit():
        return render_template(
            "organisations/merge_role.html", organisation=organisation, role=role, form=form, has_others=bool(others)
        ), 400 if form.errors else 200
    target = next((other for other in others if str(other.id) == form.into.data), None)
    if target is None:  # another organisation's role, or this one: never reached by changing an id
        form.into.errors = ["Choose one of this organisation's other roles"]
        return render_template(
            "organisations/merge_role.html", organisation=organisation, role=role, form=form, has_others=bool(others)
        ), 400
    if form.confirmed.data != "yes":
        plan = role_merge.merge_plan(role, target)
        form.confirmed.data = "yes"
        return render_template("organisations/merge_role_confirm.html", organisation=organisation, plan=plan, form=form)
    name, plan = role.name, role_merge.merge_roles(role, target, actor=current_user)
    db.session.commit()
    flash(
        f"Merged {name} into {target.name}: {plan.actions} action{'s' if plan.actions != 1 else ''} moved. "
        f"{name} is now another name for {target.name}.",
        "success",
    )
    return redirect(url_for("organisations.roles", slug=organisation.slug))
