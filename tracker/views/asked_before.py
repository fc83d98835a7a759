from flask import Blueprint, url_for
from flask_login import current_user

from ..extensions import db
from ..forms.asked_before import AskedBeforeForm
from ..inputs import MAX_ID, whole_number
from ..models import Action, Recommendation, RepeatState
from ..permissions import Capability, for_action
from ..services.asked_before import links as asked_before
from .shared import submit_button

bp = Blueprint("asked_before", __name__)


def _id(value: str | None) -> int | None:
    number = whole_number(value)
    return number if number is not None and 0 < number <= MAX_ID else None


@bp.post("/actions/<int:action_id>/asked-before")
@for_action(Capability.MANAGE_ACTIONS)
def change(action: Action):
    """Link an earlier recommendation, or confirm, dismiss or remove a link."""
    form = AskedBeforeForm()
    recommendation = action.recommendation

    def apply():
        if form.operation.data == "link":
            earlier_id = _id(form.earlier.data)
            earlier = db.session.get(Recommendation, earlier_id) if earlier_id else None
            return asked_before.link_by_hand(recommendation, earlier, current_user)
        link = asked_before.link_for(recommendation, _id(form.link.data))
        if form.operation.data == "confirm":
            return asked_before.decide(link, RepeatState.CONFIRMED, current_user)
        if form.operation.data == "remove" and link.state is not RepeatState.CONFIRMED:
            raise asked_before.LinkRefused("Only a confirmed link can be removed.")
        return asked_before.decide(link, RepeatState.DISMISSED, current_user)

    messages = {
        "link": "Linked to {}.",
        "confirm": "Confirmed: asked before as {}.",
        "dismiss": "Dismissed the suggestion {}.",
        "remove": "Removed the link to {}.",
    }
    return submit_button(
        form,
        apply,
        success=lambda link: messages[form.operation.data].format(link.earlier.full_name),
        then=url_for("actions.show", action_id=action.id) + "#asked-before",
    )
