from flask import Blueprint, render_template

from ..permissions import public

bp = Blueprint("pages", __name__)


@bp.get("/accessibility")
@public
def accessibility():
    return render_template("pages/accessibility.html")
