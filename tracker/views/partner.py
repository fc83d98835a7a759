"""Pages for partners without accounts, reached from a signed link in their reminder email."""

from flask import Blueprint, flash, redirect, render_template, request

from ..extensions import db
from ..forms.actions import UpdateForm
from ..forms.errors import add_service_error
from ..models import PartnerLink
from ..permissions import for_partner_link
from ..services import ServiceError
from ..services import actions as action_service
from ..services import evidence as evidence_service
from ..services.evidence import EvidenceFile
from ..services.people import partner_links

bp = Blueprint("partner", __name__, url_prefix="/partner")


@bp.route("/actions/<int:action_id>/<token>", methods=["GET", "POST"])
@for_partner_link
def action(link: PartnerLink | None, refusal: str | None):
    if link is None:
        return render_template("partner/refused.html", refusal=refusal), 403
    action = link.action
    form = UpdateForm(formdata=request.form if request.method == "POST" else None, version=action.version)
    form.offer_statuses_for(action)
    if request.method == "POST" and form.validate_on_submit():
        files = [
            EvidenceFile(file.filename or "", file.read())
            for file in request.files.getlist("evidence")
            if file.filename
        ]
        try:
            checked = evidence_service.check_files(files)
            update = action_service.post_update(
                action,
                author_contact=link.contact,
                note=form.note.data or "",
                new_status=form.new_status,
                expected_version=form.expected_version,
                flag=form.new_flag,
                flag_reason=form.flag_reason.data or "",
                links=form.link_list,
                evidence_count=len(checked),
            )
            evidence_service.attach(update, checked)
            partner_links.record_use(link, "posted an update")
        except ServiceError as error:
            db.session.rollback()
            add_service_error(form, error, form.note)
        else:
            db.session.commit()
            flash("Thank you. Your update has been posted.", "success")
            return redirect(request.path)
    if request.method == "GET":
        partner_links.record_use(link, "opened the action")
        db.session.commit()
    form.version.data = action.version
    return render_template(
        "partner/action.html", link=link, action=action, organisation=action.organisation, form=form
    ), 400 if form.errors else 200
