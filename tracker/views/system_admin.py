"""The system administrators' page: oversight grants (give, withdraw) and which organisation
each single sign-on domain belongs to. Nobody else sees it, not even an organisation's admin."""

from __future__ import annotations

from flask import Blueprint, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select
from wtforms.fields.choices import SelectChoice

from ..extensions import db
from ..forms.system_admin import LISTED, GrantOversightForm, SsoDomainsForm, WithdrawOversightForm
from ..models import Organisation, OversightGrant
from ..permissions import system_admin_only
from ..services import ServiceError
from ..services.people import oversight_grants, sso_domains
from ..services.people.organisations import user_by_email
from .shared import or_404, submit, submit_button

bp = Blueprint("system_admin", __name__, url_prefix="/system")


def _organisations() -> list[Organisation]:
    return list(db.session.scalars(select(Organisation).order_by(Organisation.name)))


@bp.get("")
@system_admin_only
def index():
    return render_template(
        "system_admin/index.html",
        grants=oversight_grants.every_grant(),
        organisations=_organisations(),
        withdraw_form=WithdrawOversightForm(),
    )


@bp.route("/oversight-grants/new", methods=["GET", "POST"])
@system_admin_only
def grant():
    organisations = _organisations()
    form = GrantOversightForm()
    form.organisations.choices = [SelectChoice(organisation.slug, organisation.name) for organisation in organisations]

    def change() -> OversightGrant:
        user = user_by_email(form.email.data or "")
        if user is None:
            raise ServiceError(
                f"There is no account for {form.email.data}. Invite them to an organisation first, or "
                "give oversight from the command line (flask tracker grant-oversight), which creates "
                "the account.",
                field="email",
            )
        chosen = None
        if form.scope.data == LISTED:
            by_slug = {organisation.slug: organisation for organisation in organisations}
            chosen = [by_slug[slug] for slug in form.organisations.data or [] if slug in by_slug]
            if len(chosen) != len(set(form.organisations.data or [])):
                raise ServiceError("Choose organisations from the list", field="organisations")
        return oversight_grants.grant(
            user, body=form.body.data, organisations=chosen, actor=current_user._get_current_object()
        )

    return submit(
        form,
        change,
        error_field=form.email,
        success=lambda made: f"{made.user.email} may now read {made.scope_text} for {made.body_name}.",
        then=url_for("system_admin.index"),
        page=lambda: render_template("system_admin/grant.html", form=form),
    )


@bp.post("/oversight-grants/<int:grant_id>/withdraw")
@system_admin_only
def withdraw(grant_id: int):
    target = or_404(db.session.get(OversightGrant, grant_id))
    return submit_button(
        WithdrawOversightForm(),
        lambda: oversight_grants.withdraw(target, actor=current_user._get_current_object()),
        success=f"{target.user.email} no longer reads anything for {target.body_name}.",
        then=url_for("system_admin.index"),
    )


@bp.route("/organisations/<slug>/sso-domains", methods=["GET", "POST"])
@system_admin_only
def sso(slug: str):
    organisation = or_404(db.session.scalar(select(Organisation).filter_by(slug=slug)))
    form = SsoDomainsForm(
        formdata=request.form if request.method == "POST" else None, domains=" ".join(organisation.sso_domain_names)
    )

    def change() -> None:
        sso_domains.set_domains(
            organisation, sso_domains.parse_domains(form.domains.data or ""), actor=current_user._get_current_object()
        )

    return submit(
        form,
        change,
        error_field=form.domains,
        success=f"The single sign-on domains of {organisation.name} have been saved.",
        then=url_for("system_admin.index") + "#sso",
        page=lambda: render_template("system_admin/sso_domains.html", organisation=organisation, form=form),
    )
