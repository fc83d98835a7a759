"""Board decisions: the list of everything waiting (decided several at a time at a meeting),
sending a completed action back to its owner, and the banner that counts what is waiting."""

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user

from ..extensions import db
from ..forms.decisions import SendBackForm
from ..inputs import whole_number
from ..models import Action, Organisation, Status
from ..permissions import Capability, can, for_action, for_organisation
from ..services.board import decisions
from .shared import submit

bp = Blueprint("decisions", __name__)


@bp.app_context_processor
def decision_helpers() -> dict:
    def waiting_decisions(organisation: Organisation) -> tuple[int, int] | None:
        """(requests for more time, sign-offs) for people who may decide them, else None."""
        if not can(Capability.DECIDE, organisation.id):
            return None
        return decisions.waiting_counts(organisation)

    return {"waiting_decisions": waiting_decisions}


@bp.route("/organisations/<slug>/board/decisions", methods=["GET", "POST"])
@for_organisation(Capability.DECIDE)
def index(organisation: Organisation):
    errors: dict[str, str] = {}
    if request.method == "POST":
        choices = _choices_from(request.form)
        outcome = decisions.decide_from_list(organisation, choices, board_member=current_user)
        if outcome.errors:
            db.session.rollback()
            errors = outcome.errors
        else:
            db.session.commit()
            flash(f"{outcome.decided} decision{'s' if outcome.decided != 1 else ''} saved.", "success")
            return redirect(url_for("decisions.index", slug=organisation.slug))
    waiting = decisions.waiting(organisation)
    return render_template(
        "decisions/index.html",
        organisation=organisation,
        waiting=waiting,
        errors=errors,
        submitted=request.form if errors else {},
        deadline_choices=decisions.DEADLINE_CHOICES,
        sign_off_choices=decisions.SIGN_OFF_CHOICES,
    ), 400 if errors else 200


def _choices_from(form) -> list[decisions.ListDecision]:
    """Every item on the list sends `decision-<kind>-<id>`, `note-...` and `version-...`."""
    chosen = []
    for name, value in form.items():
        if not name.startswith("decision-"):
            continue
        kind, _, item_id = name.removeprefix("decision-").partition("-")
        if kind not in ("change", "action") or whole_number(item_id) is None:
            continue
        chosen.append(
            decisions.ListDecision(
                kind=kind,
                item_id=whole_number(item_id),
                choice=value.strip()[:20],
                note=form.get(f"note-{kind}-{item_id}", "")[:2000],
                version=whole_number(form.get(f"version-{kind}-{item_id}")),
            )
        )
    return chosen


@bp.route("/actions/<int:action_id>/send-back", methods=["GET", "POST"])
@for_action(Capability.DECIDE)
def send_back(action: Action):
    form = SendBackForm(version=action.version)
    if action.status is not Status.COMPLETED:
        flash("Only a completed action can be sent back to its owner.", "error")
        return redirect(url_for("actions.show", action_id=action.id))
    return submit(
        form,
        lambda: decisions.send_back(
            action, board_member=current_user, reason=form.reason.data, expected_version=form.expected_version
        ),
        error_field=form.reason,
        success="The action is back with its owner, who has been told why by email.",
        then=url_for("actions.show", action_id=action.id),
        page=lambda: render_template(
            "decisions/send_back.html", action=action, organisation=action.organisation, form=form
        ),
    )
