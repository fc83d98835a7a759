"""Rendered pages kept between requests, keyed on the data they show.

The busiest pages (the dashboard, an organisation's action list, an action page, the API's
action list, a board's next-meeting page, the themes page, and the oversight comparison with its
CSV and Excel downloads) are read far more
often than the data behind them changes, and most of their cost is Python turning rows into
HTML or JSON. So a page is kept once rendered, under a key made of:

- its address (path and query string);
- who is asking: their user id, their access level in each organisation and what their oversight
  grants read (permissions.access_fingerprint), so a page never
  reaches someone who would see it differently (the permission check still runs first, every time);
- today's date, because overdue, due soon and RAG ratings change with it;
- the change counters (`DataVersion`) of the organisations the page shows.

Every change to data a page may show adds one to its organisation's counter in the same
transaction, on its own (tracker/data_versions.py: the ORM's flush events), so the first request
after a change finds
no page under the new key and renders afresh. Nothing is ever invalidated by hand; pages no one
asks for again age out (CACHE_DEFAULT_TIMEOUT, CACHE_THRESHOLD).

Never kept: anything but a GET answered 200, and a page shown while flash messages wait (they
are shown once). The parts of a page that belong to one request, the CSRF token and the CSP
nonce, are kept as placeholders and filled in for each request, so one session's token never
reaches another's page.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from functools import wraps
from typing import Any

from flask import current_app, g, request, session
from flask_login import current_user
from flask_wtf.csrf import generate_csrf

from . import clock
from .data_versions import data_version
from .extensions import cache, db
from .permissions import access_fingerprint

# Placeholders for the per-request parts. A NUL character never comes from data: every request
# carrying one is refused, and PostgreSQL cannot store one.
_CSRF_TOKEN = "\x00csrf-token\x00"
_CSP_NONCE = "\x00csp-nonce\x00"
# Headers a view sets that a kept copy must carry too (the rest come from the app's after-request hooks).
_KEPT_HEADERS = ("Content-Disposition", "Cache-Control")


def _key(organisation_ids: list[int] | None) -> str:
    parts = (request.full_path, access_fingerprint(), clock.today().isoformat(), data_version(organisation_ids))
    return "page:" + hashlib.sha256(repr(parts).encode()).hexdigest()


def cached_page(scope: Callable[..., list[int] | None]) -> Callable:
    """Serve the view's page from the cache while nothing it shows has changed.

    Goes inside the permission decorator, so the check runs on every request. `scope` receives
    the view's arguments and names the organisations whose data the page shows (None: all).
    """

    def decorator(view: Callable[..., Any]) -> Callable[..., Any]:
        @wraps(view)
        def wrapped(**kwargs: Any) -> Any:
            if request.method != "GET" or "_flashes" in session or current_user.is_anonymous:
                return view(**kwargs)
            key = _key(scope(**kwargs))
            kept = cache.get(key)
            if kept is not None and len(kept) == 3:  # (a shared cache may hold older two-part pages)
                body, mimetype, headers = kept
                return current_app.response_class(
                    _fill_in(body) if isinstance(body, str) else body, mimetype=mimetype, headers=headers
                )
            # Objects loaded before the counters were read (by the permission check) may be older
            # than them; reload everything so the page is at least as new as its key.
            db.session.expire_all()
            response = current_app.make_response(view(**kwargs))
            if response.status_code == 200 and not response.direct_passthrough:
                # A page's text has per-request parts to blank out; a download (CSV, Excel) is kept
                # as it is, with the headers that make it one.
                body = (
                    _blank_out(response.get_data(as_text=True))
                    if response.mimetype == "text/html"
                    else response.get_data()
                )
                headers = {name: response.headers[name] for name in _KEPT_HEADERS if name in response.headers}
                cache.set(key, (body, response.mimetype, headers))
            return response

        return wrapped

    return decorator


def _blank_out(body: str) -> str:
    if token := g.get(current_app.config["WTF_CSRF_FIELD_NAME"]):
        body = body.replace(token, _CSRF_TOKEN)
    if nonce := g.get("csp_nonce"):
        body = body.replace(nonce, _CSP_NONCE)
    return body


def _fill_in(body: str) -> str:
    if _CSRF_TOKEN in body:
        body = body.replace(_CSRF_TOKEN, generate_csrf())
    return body.replace(_CSP_NONCE, g.csp_nonce)
