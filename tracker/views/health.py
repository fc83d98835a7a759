from flask import Blueprint
from sqlalchemy import text

from ..extensions import csrf, db
from ..permissions import public

bp = Blueprint("health", __name__)


@bp.get("/healthz")
@public
def healthz():
    """For load balancers, and the floor benchmarks compare pages with: one SELECT 1."""
    db.session.execute(text("SELECT 1"))
    return {"status": "ok"}


csrf.exempt(bp)
