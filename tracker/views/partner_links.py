"""Managers send, resend and (in views/actions.py) revoke the links partners use to update an action."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, request, url_for
from flask_login import current_user

from ..extensions import db
from ..models import Action, PartnerLink
from ..permissions import Capability, for_action
from ..services import outgoing, partner_links

bp = Blueprint("partner_links", __name__)


def _sent(result, email: str) -> str:
    if result.sent:
        return f"An update link has been emailed to {email}."
    return f"An update link for {email} is in the outbox: it will be sent as soon as the mail server answers."


@bp.post("/actions/<int:action_id>/partner-links")
@for_action(Capability.MANAGE_ACTIONS)
def send(action: Action):
    contact_id = request.form.get("contact", "")
    try:
        if not contact_id.isdigit():
            raise partner_links.PartnerLinkInvalid("Choose who to send the link to")
        link, notification_id = partner_links.send_link(action, int(contact_id), by=current_user._get_current_object())
    except partner_links.PartnerLinkInvalid as error:
        db.session.rollback()
        flash(f"No link was sent: {error}.", "error")
    else:
        email = link.contact.email
        db.session.commit()
        flash(_sent(outgoing.send_now([notification_id]), email), "success")
    return redirect(url_for("actions.show", action_id=action.id) + "#partner-links")


@bp.post("/actions/<int:action_id>/partner-links/<int:link_id>/resend")
@for_action(Capability.MANAGE_ACTIONS)
def resend(action: Action, link_id: int):
    link = db.session.get(PartnerLink, link_id)
    if link is None or link.action_id != action.id:
        abort(404)
    try:
        notification_id = partner_links.resend(link, by=current_user._get_current_object())
    except partner_links.PartnerLinkInvalid as error:
        db.session.rollback()
        flash(f"No link was sent: {error}.", "error")
    else:
        email = link.contact.email
        db.session.commit()
        flash(_sent(outgoing.send_now([notification_id]), email), "success")
    return redirect(url_for("actions.show", action_id=action.id) + "#partner-links")
