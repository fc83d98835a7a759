from flask import Blueprint, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select

from ..extensions import db
from ..forms.roles import RoleHolderForm
from ..models import Organisation, Role
from ..permissions import Capability, for_organisation
from .. import clock
from ..services import handoff_emails, queries
from .shared import audit_download, or_404, submit
from ..services import organisations as organisation_service

bp = Blueprint("organisations", __name__, url_prefix="/organisations")


@bp.get("/<slug>")
@for_organisation(Capability.VIEW)
def show(organisation: Organisation):
    return redirect(url_for("reports.index", slug=organisation.slug))


@bp.get("/<slug>/audit")
@for_organisation(Capability.VIEW_AUDIT)
def audit(organisation: Organisation):
    return render_template("organisations/audit.html", organisation=organisation,
                           events=queries.audit_events(organisation))


@bp.get("/<slug>/audit.json")
@for_organisation(Capability.DOWNLOAD_AUDIT_RECORD)
def audit_record(organisation: Organisation):
    """The latest events as stored (UTC, before and after values), for an administrator."""
    return audit_download(queries.audit_events(organisation), f"{organisation.slug}-audit.json",
                          organisation=organisation.slug)


@bp.get("/<slug>/roles")
@for_organisation(Capability.VIEW)
def roles(organisation: Organisation):
    return render_template("organisations/roles.html", organisation=organisation,
                           roles=queries.organisation_roles(organisation))


@bp.route("/<slug>/roles/<int:role_id>", methods=["GET", "POST"])
@for_organisation(Capability.MANAGE_ROLES)
def edit_role(organisation: Organisation, role_id: int):
    role = or_404(db.session.scalar(select(Role).filter_by(id=role_id, organisation_id=organisation.id)))
    form = RoleHolderForm(formdata=request.form if request.method == "POST" else None,
                          email=role.holder.email if role.holder else None,
                          name=role.holder.name if role.holder else None,
                          deputy_email=role.deputy.email if role.deputy else None)

    def save() -> str:
        previous = role.holder_id
        organisation_service.set_role_holder(organisation, role.name, form.email.data, name=form.name.data or None,
                                             actor=current_user)
        organisation_service.set_role_deputy(organisation, role, form.deputy_email.data or None, actor=current_user)
        welcome = None
        if role.holder_id != previous:
            welcome = handoff_emails.welcome_role_holder(role, given_by=current_user.name, today=clock.today())
        return welcome.sentence(role) if welcome else ""

    return submit(
        form, save, error_field=form.email,
        success=lambda welcomed: f"Saved. Actions owned by {role.name} now go to {role.holder.name}. {welcomed}".strip(),
        then=url_for("organisations.roles", slug=organisation.slug),
        page=lambda: render_template("organisations/edit_role.html", organisation=organisation, role=role, form=form))
