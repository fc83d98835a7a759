"""A check that runs under every test: a request that changes data a page may show also moves
the change counter (`data_versions`) in the same transaction.

Kept pages (tracker/page_cache.py) are keyed on those counters, and the counters move with
audit events. A route that changed shown data without recording an audit event would leave a
stale page in the cache; this check turns that into a failing test instead, wherever in the
suite the route is exercised.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from flask import has_request_context, request
from sqlalchemy import event
from sqlalchemy.engine import Engine

# Tables no kept page shows: the outbox, sign-in counters and sessions, tokens and feeds,
# per-person reminder settings, scheduler runs, the themes classifier's own cache. (Audit
# events are inserted together with the counter by construction; one without an organisation,
# such as a sign-in, is shown on no organisation's pages.)
UNSHOWN = frozenset({
    "notifications", "sign_in_attempts", "users", "api_tokens", "calendar_feeds", "notification_preferences",
    "scheduler_runs", "recommendation_themes", "audit_events", "data_versions", "alembic_version",
})
_WRITE = re.compile(r"^\s*(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+\"?(\w+)\"?", re.IGNORECASE)


@dataclass
class ChangeGuard:
    problems: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._written, self._counted = f"shown_tables_written_{id(self)}", f"change_counted_{id(self)}"

    def attach(self, engine: Engine) -> None:
        event.listen(engine, "before_cursor_execute", self._statement)
        event.listen(engine, "commit", self._commit)
        event.listen(engine, "rollback", self._forget)

    def detach(self, engine: Engine) -> None:
        event.remove(engine, "before_cursor_execute", self._statement)
        event.remove(engine, "commit", self._commit)
        event.remove(engine, "rollback", self._forget)

    def _statement(self, connection, cursor, statement, parameters, context, executemany) -> None:
        written = _WRITE.match(statement)
        if written is None:
            return
        table = written.group(1).lower()
        if table == "data_versions":
            connection.info[self._counted] = True
        elif table not in UNSHOWN and has_request_context():
            connection.info.setdefault(self._written, set()).add(table)

    def _commit(self, connection) -> None:
        written = connection.info.pop(self._written, None)
        counted = connection.info.pop(self._counted, False)
        if written and not counted:
            where = f"{request.method} {request.path}" if has_request_context() else "outside a request"
            self.problems.append(f"{where} changed {', '.join(sorted(written))} without moving the change "
                                 "counter (record an audit event with the organisation)")

    def _forget(self, connection) -> None:
        connection.info.pop(self._written, None)
        connection.info.pop(self._counted, None)
