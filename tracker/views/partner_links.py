"""Managers send, resend and (in views/actions.py) revoke the links partners use to update an action."""

from __future__ import annotations

from collections.abc import Callable

from flask import Blueprint, flash, redirect, request, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from ..extensions import db
from ..inputs import whole_number
from ..models import Action, PartnerLink
from ..permissions import Capability, for_action
from ..services import outbox
from ..services.people import partner_links
from .shared import or_404

bp = Blueprint("partner_links", __name__)


def _sent(result, email: str) -> str:
    if result.sent:
        return f"An update link has been emailed to {email}."
    return f"An update link for {email} is in the outbox: it will be sent as soon as the mail server answers."


def link_of(action: Action, link_id: int) -> PartnerLink:
    """The action's own link, or 404 Not Found."""
    link = db.session.get(PartnerLink, link_id)
    return or_404(link if link is not None and link.action_id == action.id else None)


def _send(action: Action, queue: Callable[[], tuple[str, int]]) -> Response:
    """`queue` stores the link's email and returns (address, notification id); once that is
    committed the email goes out, and the manager is told how that went, or why nothing was sent."""
    try:
        email, notification_id = queue()
    except partner_links.PartnerLinkInvalid as error:
        db.session.rollback()
        flash(f"No link was sent: {error}.", "error")
    else:
        db.session.commit()
        flash(_sent(outbox.send_now([notification_id]), email), "success")
    return redirect(url_for("actions.show", action_id=action.id) + "#partner-links")


@bp.post("/actions/<int:action_id>/partner-links")
@for_action(Capability.MANAGE_ACTIONS)
def send(action: Action):
    def queue() -> tuple[str, int]:
        contact_id = whole_number(request.form.get("contact"))
        if contact_id is None:
            raise partner_links.PartnerLinkInvalid("Choose who to send the link to")
        link, notification_id = partner_links.send_link(action, contact_id, by=current_user._get_current_object())
        return link.contact.email, notification_id

    return _send(action, queue)


@bp.post("/actions/<int:action_id>/partner-links/<int:link_id>/resend")
@for_action(Capability.MANAGE_ACTIONS)
def resend(action: Action, link_id: int):
    link = link_of(action, link_id)
    return _send(
        action, lambda: (link.contact.email, partner_links.resend(link, by=current_user._get_current_object()))
    )
