"""How many SQL statements each page runs, counted in-process against a given database: when
rendered afresh, and when served from the page cache (tracker/page_cache.py).

    DATABASE_URL=... python bench/query_counts.py EMAIL PASSWORD SLUG ACTION_ID TOKEN [OVERSIGHT_EMAIL]

The oversight pages are counted signed in as OVERSIGHT_EMAIL (same password), when given.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import event  # noqa: E402


def pages(slug: str, action_id: int) -> dict[str, str]:
    return {
        "dashboard": "/",
        "action list (filtered)": f"/organisations/{slug}/actions?status=in_progress&rag=red",
        "action page": f"/actions/{action_id}",
        "API actions": f"/api/v1/actions?organisation={slug}&status=in_progress",
        "next meeting": f"/organisations/{slug}/board/next-meeting",
        "themes": "/themes",
    }


def oversight_pages() -> dict[str, str]:
    return {"oversight comparison": "/oversight", "oversight CSV": "/oversight/organisations.csv"}


def count_queries(app, email: str, password: str, token: str | None, paths: dict[str, str]) -> dict[str, int]:
    from tracker.extensions import db

    with app.app_context():
        engine = db.engine
    counted: list[str] = []

    def count(conn, cursor, statement, parameters, context, executemany):
        counted.append(statement)

    client = app.test_client()
    page = client.get("/sign-in").get_data(as_text=True)
    csrf = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    response = client.post("/sign-in", data={"email": email, "password": password, "csrf_token": csrf})
    assert response.status_code == 302, response.status_code
    results = {}
    event.listen(engine, "before_cursor_execute", count)
    try:
        for name, path in paths.items():
            headers = {"Authorization": f"Bearer {token}"} if path.startswith("/api/") and token else {}
            client.get(path, headers=headers)  # warm: the first request loads per-process caches
            counted.clear()
            response = client.get(path, headers=headers)
            assert response.status_code == 200, (path, response.status_code)
            results[name] = len(counted)
    finally:
        event.remove(engine, "before_cursor_execute", count)
    return results


def main() -> None:
    """Statements per page rendered afresh (no page cache) and served from the page cache."""
    from tracker import create_app

    email, password, slug, action_id, token = sys.argv[1:6]
    oversight_email = sys.argv[6] if len(sys.argv) > 6 else None
    paths = pages(slug, int(action_id))
    results = {}
    for mode, app in (
        ("rendered", create_app("development", CACHE_TYPE="NullCache")),
        ("kept", create_app("development")),
    ):
        results[mode] = count_queries(app, email, password, token, paths)
        if oversight_email:
            results[mode].update(count_queries(app, oversight_email, password, None, oversight_pages()))
    print(json.dumps(results))


if __name__ == "__main__":
    main()
