from flask import Blueprint, render_template

from .. import clock
from ..permissions import signed_in
from ..services import queries

bp = Blueprint("dashboard", __name__)


@bp.get("/")
@signed_in
def index():
    today = clock.today()
    return render_template(
        "dashboard/index.html",
        organisations=queries.visible_organisations(),
        lists=queries.dashboard(today, due_within=30),
    )
