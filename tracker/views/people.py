"""An organisation's People page, for its administrators: who has access, invite, change
access, remove (handing roles over). The single sign-on domains are shown, but only a system
administrator sets them (views/system_admin.py)."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user

from ..extensions import db
from ..forms.people import ChangeLevelForm, InviteForm
from ..inputs import whole_number
from ..models import AccessLevel, Organisation
from ..permissions import Capability, for_organisation
from ..services import ServiceError, outbox
from ..services.people import invitations
from ..services.people import members as people
from .shared import or_404, submit

bp = Blueprint("people", __name__, url_prefix="/organisations")


def _person(organisation: Organisation, user_id: int) -> people.Person:
    return or_404(next((person for person in people.people_in(organisation) if person.user.id == user_id), None))


@bp.get("/<slug>/people")
@for_organisation(Capability.MANAGE_PEOPLE)
def index(organisation: Organisation):
    return render_template("people/index.html", organisation=organisation, people=people.people_in(organisation))


@bp.route("/<slug>/people/invite", methods=["GET", "POST"])
@for_organisation(Capability.MANAGE_PEOPLE)
def invite(organisation: Organisation):
    form = InviteForm()

    def change() -> tuple[str, AccessLevel, int]:
        actor = current_user._get_current_object()
        try:
            level = people.parse_level(form.level.data)
        except ServiceError as error:
            raise ServiceError(str(error), field="level") from error
        user = people.invite(organisation, form.email.data, name=form.name.data or "", level=level, actor=actor)
        notification_id = invitations.queue_invitation(user, organisation, invited_by=actor, access_label=level.label)
        return user.email, level, notification_id

    return submit(
        form,
        change,
        error_field=form.email,
        success=_invited,
        then=url_for("people.index", slug=organisation.slug),
        page=lambda: render_template("people/invite.html", organisation=organisation, form=form),
    )


def _invited(done: tuple[str, AccessLevel, int]) -> str:
    """Sends the invitation (the change is committed by now) and says how that went."""
    email, level, notification_id = done
    result = outbox.send_now([notification_id])
    sent = "sent" if result.sent else "queued: it will be sent as soon as the mail server answers"
    return f"{email} has been invited as {level.label.lower()}. The invitation email was {sent}."


@bp.route("/<slug>/people/<int:user_id>/access", methods=["GET", "POST"])
@for_organisation(Capability.MANAGE_PEOPLE)
def change_access(organisation: Organisation, user_id: int):
    person = _person(organisation, user_id)
    form = ChangeLevelForm(
        formdata=request.form if request.method == "POST" else None, level=person.membership.access_level.value
    )

    def change() -> AccessLevel:
        level = people.parse_level(form.level.data)
        people.change_level(organisation, person.membership, level, actor=current_user._get_current_object())
        return level

    return submit(
        form,
        change,
        error_field=form.level,
        success=lambda level: (
            f"{person.user.email} now has {level.label.lower()} access. They have been told by email."
        ),
        then=url_for("people.index", slug=organisation.slug),
        page=lambda: render_template("people/change_access.html", organisation=organisation, person=person, form=form),
    )


@bp.route("/<slug>/people/<int:user_id>/remove", methods=["GET", "POST"])
@for_organisation(Capability.MANAGE_PEOPLE)
def remove(organisation: Organisation, user_id: int):
    person = _person(organisation, user_id)
    others = [other for other in people.people_in(organisation) if other.user.id != user_id]
    errors: dict[str, str] = {}
    if request.method == "POST":
        # CSRFProtect has already checked the token (it guards every POST).
        handovers: dict[int, int | None] = {}
        for role in person.roles:
            choice = request.form.get(f"role-{role.id}", "")
            if choice == "unheld":
                handovers[role.id] = None
            elif whole_number(choice) is not None and any(other.user.id == whole_number(choice) for other in others):
                handovers[role.id] = whole_number(choice)
            else:
                errors[f"role-{role.id}"] = f"Choose who takes over {role.name}, or leave it unheld"
        if not errors:
            try:
                welcomes = people.remove(
                    organisation, person.membership, handovers, actor=current_user._get_current_object()
                )
            except ServiceError as error:
                db.session.rollback()
                errors["remove"] = str(error)
            else:
                db.session.commit()
                flash(
                    " ".join([f"{person.user.email} no longer has access to {organisation.name}.", *welcomes]),
                    "success",
                )
                return redirect(url_for("people.index", slug=organisation.slug))
    return render_template(
        "people/remove.html",
        organisation=organisation,
        person=person,
        others=others,
        errors=errors,
        chosen=request.form,
    ), 400 if errors else 200
