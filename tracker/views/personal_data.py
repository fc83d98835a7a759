"""Personal data pages: redacting an update or removing an evidence file (managers and
admins), a person's data downloaded or the person forgotten (admins, from the People page),
and the privacy notice (anyone may read it; admins edit their organisation's)."""

from __future__ import annotations

import json

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select

from ..extensions import db
from ..forms.personal_data import PrivacyNoticeForm, RedactForm
from ..inputs import whole_number
from ..models import Evidence, Membership, Organisation, Update
from ..permissions import Capability, for_evidence, for_organisation, for_update, public
from ..services import ServiceError, audit
from ..services.people import members as people
from ..services.privacy import forgetting, redaction
from ..services.privacy.person_data import person_data
from .shared import or_404, submit

bp = Blueprint("personal_data", __name__)


@bp.route("/updates/<int:update_id>/redact", methods=["GET", "POST"])
@for_update(Capability.REDACT)
def redact_update(update: Update):
    form = RedactForm()
    return _removal_page(
        form,
        update.action,
        already=f"This update was already redacted: {update.note}" if update.redacted_at else None,
        change=lambda: redaction.redact_update(update, by=_signed_in(), reason=form.reason.data),
        success="The update's text has been removed. The history says who removed it and why.",
        update=update,
    )


@bp.route("/evidence/<int:evidence_id>/remove", methods=["GET", "POST"])
@for_evidence(Capability.REDACT)
def remove_evidence(evidence: Evidence):
    form = RedactForm()
    return _removal_page(
        form,
        evidence.update.action,
        already=f"This file was already removed: {evidence.filename}" if evidence.removed_at else None,
        change=lambda: redaction.remove_evidence(
            evidence, by=current_user._get_current_object(), reason=form.reason.data
        ),
        success="The file has been removed. The history says who removed it and why.",
        evidence=evidence,
    )


def _signed_in():
    return current_user._get_current_object()


def _removal_page(form: RedactForm, action, *, already: str | None, change, success: str, **shown):
    """The page that removes an update's text or an evidence file, asking why; back to the
    action's history once done, or at once if it was done already."""
    history = url_for("actions.show", action_id=action.id) + "#history"
    if already is not None and request.method == "GET":
        flash(already, "error")
        return redirect(history)
    return submit(
        form,
        change,
        error_field=form.reason,
        success=success,
        then=history,
        page=lambda: render_template(
            "personal_data/remove.html",
            action=action,
            organisation=action.organisation,
            form=form,
            **{"update": None, "evidence": None, **shown},
        ),
    )


def _person(organisation: Organisation, user_id: int) -> people.Person:
    return or_404(next((person for person in people.people_in(organisation) if person.user.id == user_id), None))


@bp.get("/organisations/<slug>/people/<int:user_id>/personal-data.json")
@for_organisation(Capability.MANAGE_PERSONAL_DATA)
def download(organisation: Organisation, user_id: int):
    """Everything this organisation holds about the person (a subject access request)."""
    person = _person(organisation, user_id)
    data = person_data(person.user, organisation)
    audit.record(
        "person_data.exported",
        person.user,
        actor=current_user._get_current_object(),
        organisation_id=organisation.id,
        after={"person": person.user.email},
    )
    db.session.commit()
    response = Response(json.dumps(data, indent=2, ensure_ascii=False), mimetype="application/json")
    response.headers["Content-Disposition"] = f'attachment; filename="person-{user_id}-{organisation.slug}.json"'
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/organisations/<slug>/people/<int:user_id>/forget", methods=["GET", "POST"])
@for_organisation(Capability.MANAGE_PERSONAL_DATA)
def forget(organisation: Organisation, user_id: int):
    person = _person(organisation, user_id)
    others = [other for other in people.people_in(organisation) if other.user.id != user_id]
    actor = current_user._get_current_object()
    errors: dict[str, str] = {}
    refusal = forgetting.refusal(person.user, actor=actor, organisation=organisation)
    if refusal:
        errors["forget"] = refusal
    if request.method == "POST" and not errors:
        # CSRFProtect has already checked the token (it guards every POST).
        handovers: dict[int, int | None] = {}
        for role in person.roles:
            choice = request.form.get(f"role-{role.id}", "")
            if choice == "unheld":
                handovers[role.id] = None
            elif (chosen := whole_number(choice)) is not None and any(other.user.id == chosen for other in others):
                handovers[role.id] = chosen
            else:
                errors[f"role-{role.id}"] = f"Choose who takes over {role.name}, or leave it unheld"
        if not errors:
            name = person.user.name
            try:
                label = forgetting.forget(person.user, actor=actor, organisation=organisation, handovers=handovers)
            except ServiceError as error:
                db.session.rollback()
                errors["forget"] = str(error)
            else:
                db.session.commit()
                flash(f"{name} has been forgotten. Their updates and history now say \u201c{label}\u201d.", "success")
                return redirect(url_for("people.index", slug=organisation.slug))
    status = 400 if errors and request.method == "POST" else 200
    return render_template(
        "personal_data/forget.html",
        organisation=organisation,
        person=person,
        others=others,
        errors=errors,
        chosen=request.form,
    ), status


@bp.route("/organisations/<slug>/privacy-notice", methods=["GET", "POST"])
@for_organisation(Capability.MANAGE_PERSONAL_DATA)
def edit_privacy_notice(organisation: Organisation):
    form = PrivacyNoticeForm(
        formdata=request.form if request.method == "POST" else None, notice=organisation.privacy_notice or ""
    )

    def change() -> None:
        notice = (form.notice.data or "").strip() or None
        if notice == organisation.privacy_notice:
            raise ServiceError("Nothing was changed.", field="notice")
        organisation.privacy_notice = notice
        audit.record(
            "organisation.privacy_notice_changed",
            organisation,
            actor=current_user._get_current_object(),
            organisation_id=organisation.id,
            after={"notice": bool(notice)},
        )

    return submit(
        form,
        change,
        error_field=form.notice,
        success="The privacy notice has been saved.",
        then=url_for("personal_data.privacy", slug=organisation.slug),
        page=lambda: render_template("personal_data/edit_privacy_notice.html", organisation=organisation, form=form),
    )


@bp.get("/privacy")
@public
def privacy_for_visitor():
    """The signed-in person's organisation's notice (the first by name if several); for anyone
    else the default notice, which says where each organisation's own notice is."""
    organisation = None
    if current_user.is_authenticated:
        organisation = db.session.scalar(
            select(Organisation)
            .join(Membership)
            .where(Membership.user_id == current_user.id)
            .order_by(Organisation.name)
            .limit(1)
        )
    return render_template("personal_data/privacy.html", organisation=organisation)


@bp.get("/privacy/<slug>")
@public
def privacy(slug: str):
    """An organisation's privacy notice is public, like any privacy notice: it can be linked
    from the organisation's own website and emails."""
    organisation = db.session.scalar(select(Organisation).filter_by(slug=slug))
    if organisation is None:
        abort(404)
    return render_template("personal_data/privacy.html", organisation=organisation)
