"""In-process timings of the oversight comparison (issue 14), not the gunicorn load test.

Times `services.oversight.comparison()` and a full GET of /oversight through Flask's test
client, signed in as the oversight user, with the page cache off and on. Reads only: the
session is made directly (no sign-in is written), and the kept pages live in a SimpleCache.

    DATABASE_URL=sqlite:///instance/oversight-bench/national.sqlite3 python bench/oversight_inprocess.py
    DATABASE_URL=postgresql://postgres@127.0.0.1:5432/bench_national python bench/oversight_inprocess.py
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import func, select  # noqa: E402

from tracker import clock, create_app  # noqa: E402
from tracker.extensions import db  # noqa: E402
from tracker.models import Action, Organisation, User  # noqa: E402
from tracker.services import oversight  # noqa: E402
from tracker.services.queries import ActionFilters  # noqa: E402

RUNS = int(os.environ.get("RUNS", "15"))


def _timed(function, runs: int = RUNS) -> tuple[float, float]:
    function()  # warm up
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        function()
        times.append((time.perf_counter() - start) * 1000)
    times.sort()
    return statistics.median(times), times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]


def main() -> None:
    results = {}
    for cached in (False, True):
        app = create_app(
            "development", CACHE_TYPE="SimpleCache" if cached else "NullCache", SESSION_PROTECTION=None
        )  # the session is made here, not by signing in
        with app.app_context():
            if not cached:
                organisations = db.session.scalar(select(func.count(Organisation.id)))
                actions = db.session.scalar(select(func.count(Action.id)))
                print(
                    f"{app.config['SQLALCHEMY_DATABASE_URI'].split('://')[0]}: "
                    f"{organisations} organisations, {actions} actions"
                )
                today = clock.today()
                results["comparison()"] = _timed(
                    lambda today=today: (oversight.comparison(None, ActionFilters(), today), db.session.rollback())
                )
                filtered = ActionFilters(inspectorate="probation")  # every seeded report: the worst case
                results["comparison(inspectorate=probation)"] = _timed(
                    lambda filtered=filtered, today=today: (
                        oversight.comparison(None, filtered, today),
                        db.session.rollback(),
                    )
                )
            user = db.session.scalar(select(User).where(User.email == "oversight@yjb.example"))
            session_id = f"{user.id}:{user.session_token}"
            db.session.rollback()
        client = app.test_client()
        with client.session_transaction() as session:
            session.update({"_user_id": session_id, "_fresh": True, "signed_in_at": int(time.time())})
            session.permanent = True

        def visit(path: str, client=client) -> None:
            response = client.get(path)
            assert response.status_code == 200, (path, response.status_code)

        label = "with the page cache" if cached else "no page cache"
        for path in ("/oversight", "/oversight/organisations.csv"):
            results[f"GET {path} ({label})"] = _timed(lambda path=path: visit(path))
    for name, (median, p95) in results.items():
        print(f"{name:55} median {median:7.1f} ms   p95 {p95:7.1f} ms")


if __name__ == "__main__":
    main()
