from flask import Blueprint, render_template, request

from .. import clock
from ..page_cache import cached_page
from ..permissions import signed_in, visible_organisation_ids
from ..services import queries
from ..services.reminders import unheard

bp = Blueprint("dashboard", __name__)


@bp.get("/")
@signed_in
@cached_page(scope=visible_organisation_ids)
def index():
    today = clock.today()
    return render_template(
        "dashboard/index.html",
        organisations=queries.visible_organisations(),
        lists=queries.dashboard(today, due_within=30, repeats_only=request.args.get("repeats") == "1"),
        nobody_reminded=unheard.unheard_counts_by_organisation(visible_organisation_ids()),
    )
