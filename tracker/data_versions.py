"""Change counters that move on their own: one per organisation (`DataVersion`), raised in the
same transaction as any change to data a kept page may show (see tracker/page_cache.py).

Nothing has to remember to raise them. The ORM session's flush events (listened to once
`listen()` is called, which `create_app` does) look at every row
inserted, updated or deleted, find the organisations it shows in, and the counters of those
organisations go up just before the transaction commits. So a view, a command, the scheduler
or code not yet written changes data and the kept pages showing it render afresh on the next
request. (The audit log stays what it is for: who did what.)

Where a row shows is declared on its model with `__shown_in__` (tracker/models/types.py):
- a column holding an organisation id: `"organisation_id"` (the default when the model has
  one), or `"id"` for an organisation itself;
- a foreign key column, followed to the row it names: `"action_id"` for an update;
- `SHOWN_NOWHERE` for rows no page shows (the outbox, tokens, sign-in counters);
- `SHOWN_EVERYWHERE`, the default for a model with no `organisation_id`: a change raises
  every organisation's counter. A new model is therefore always safe; declaring where it
  shows only makes it cheaper.
`__unshown_columns__` lists columns whose changes show nowhere (a user's password hash).

Statements that bypass the unit of work are covered too: an ORM `insert(Model)` with rows is
resolved row by row; an ORM `update(Model)` or `delete(Model)` first selects, with its own
WHERE clause, where the rows it will touch show. Raw SQL text is not seen: write through the ORM.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from sqlalchemy import event, func, inspect, literal, select, true
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Mapper, ORMExecuteState, Session
from sqlalchemy.orm.attributes import get_history

from .extensions import db
from .models import DataVersion, Organisation
from .models.types import SHOWN_EVERYWHERE, SHOWN_NOWHERE

_CHANGED = "changed_organisations"
EVERY = 0  # stands for "every organisation" in the set of changed ones (ids start at 1)
_BATCH = 500


def note_change(organisation_id: int | None) -> None:
    """Mark an organisation's data as changed by the current transaction (rarely needed: the
    flush events do it for every ORM write)."""
    if organisation_id is not None:
        _changed(db.session).add(organisation_id)


def _changed(session: Session) -> set[int]:
    return session.info.setdefault(_CHANGED, set())


def rule_for(mapper: Mapper) -> str:
    """Where rows of this model show (see the module's docstring)."""
    declared = getattr(mapper.class_, "__shown_in__", None)
    if declared is not None:
        return declared
    return "organisation_id" if "organisation_id" in mapper.columns else SHOWN_EVERYWHERE


def _target(mapper: Mapper, column_key: str) -> Mapper | None:
    """The model a foreign key column points to, or None when the column holds an organisation id."""
    column = mapper.columns[column_key]
    if mapper.class_ is Organisation or any(
        key.target_fullname.startswith("organisations.") for key in column.foreign_keys
    ):
        return None
    (key,) = column.foreign_keys
    return next(m for m in mapper.registry.mappers if key.column.table in m.tables)


def organisations_of_rows(session: Session, mapper: Mapper, rows: Iterable[Mapping[str, Any]]) -> set[int]:
    """The organisations where rows (column key -> value) of this model show."""
    rule = rule_for(mapper)
    if rule == SHOWN_NOWHERE:
        return set()
    if rule == SHOWN_EVERYWHERE:
        return {EVERY}
    values = set()
    for row in rows:
        if rule not in row:
            return {EVERY}  # a row that does not say where it belongs: be safe
        values.add(row[rule])
    values.discard(None)
    target = _target(mapper, rule)
    return values if target is None else organisations_of_ids(session, target, values)


def organisations_of_ids(session: Session, mapper: Mapper, ids: set[Any]) -> set[int]:
    """The organisations where the rows of this model with these primary keys show."""
    rule = rule_for(mapper)
    if rule in (SHOWN_NOWHERE, SHOWN_EVERYWHERE) or not ids:
        return set() if rule == SHOWN_NOWHERE or not ids else {EVERY}
    (primary_key,) = mapper.primary_key
    if mapper.columns[rule] is primary_key:
        return set(ids)
    rows, missing = [], []
    for id_ in ids:  # rows already in the session cost no query
        found = session.identity_map.get(mapper.identity_key_from_primary_key([id_]))
        if found is not None and rule in inspect(found).dict:
            rows.append({rule: inspect(found).dict[rule]})
        else:
            missing.append(id_)
    column = mapper.columns[rule]
    for start in range(0, len(missing), _BATCH):
        rows.extend(
            {rule: value}
            for value in session.execute(
                select(column).where(primary_key.in_(missing[start : start + _BATCH]))
            ).scalars()
        )
    return organisations_of_rows(session, mapper, rows)


def _organisations_of_object(session: Session, instance: Any, *, with_old_values: bool) -> set[int]:
    mapper = inspect(instance).mapper
    rule = rule_for(mapper)
    if rule in (SHOWN_NOWHERE, SHOWN_EVERYWHERE):
        return organisations_of_rows(session, mapper, [])
    history = get_history(instance, rule)
    values = set(history.sum()) if with_old_values else set(history.non_deleted())
    if not values:
        values = {getattr(instance, rule)}
    return organisations_of_rows(session, mapper, [{rule: value} for value in values])


def _shown_change(session: Session, instance: Any) -> bool:
    """Whether an updated object changed a column some page shows."""
    if not session.is_modified(instance, include_collections=False):
        return False
    unshown = getattr(type(instance), "__unshown_columns__", frozenset())
    state = inspect(instance)
    columns = set(state.mapper.column_attrs.keys()) - set(unshown)
    return any(state.attrs[key].history.has_changes() for key in columns)


def _before_flush(session: Session, flush_context, instances) -> None:
    """Deleted rows are looked at while they are still in the database."""
    for instance in session.deleted:
        _changed(session).update(_organisations_of_object(session, instance, with_old_values=True))


def _after_flush(session: Session, flush_context) -> None:
    """New rows once their keys are known; updated rows with their old and new values."""
    for instance in session.new:
        _changed(session).update(_organisations_of_object(session, instance, with_old_values=False))
    for instance in session.dirty:
        if _shown_change(session, instance):
            _changed(session).update(_organisations_of_object(session, instance, with_old_values=True))


def _bulk_statement(state: ORMExecuteState) -> None:
    if not (state.is_insert or state.is_update or state.is_delete):
        return
    mapper = state.bind_mapper
    if mapper is None or mapper.class_ is DataVersion:
        return
    if state.is_insert:
        rows = state.parameters if isinstance(state.parameters, list) else [state.parameters or {}]
        if rows == [{}]:
            rows = _statement_rows(state.statement)
        _changed(state.session).update(organisations_of_rows(state.session, mapper, rows))
    else:
        _changed(state.session).update(_organisations_of_statement(state.session, mapper, state.statement))


def _organisations_of_statement(session: Session, mapper: Mapper, statement) -> set[int]:
    """The rows an ORM update or delete will touch, found with its own WHERE clause before it runs."""
    rule = rule_for(mapper)
    if rule in (SHOWN_NOWHERE, SHOWN_EVERYWHERE):
        return organisations_of_rows(session, mapper, [])
    if rule in _statement_rows(statement)[0]:
        return {EVERY}  # rows moving elsewhere: where to is not known before it runs
    found = select(mapper.columns[rule]).distinct()
    if statement.whereclause is not None:
        found = found.where(statement.whereclause)
    return organisations_of_rows(session, mapper, [{rule: value} for value in session.scalars(found)])


def _statement_rows(statement) -> list[dict[str, Any]]:
    """The rows of an `insert(...).values(...)`: one mapping, or a list of them."""

    def plain(values: Mapping) -> dict[str, Any]:
        return {getattr(key, "key", key): getattr(value, "value", value) for key, value in values.items()}

    if getattr(statement, "_multi_values", None):
        return [plain(row) for rows in statement._multi_values for row in rows]
    return [plain(getattr(statement, "_values", None) or {})]


def _count_changes(session: Session) -> None:
    """One statement per commit, locking the counters in id order so two transactions changing
    the same organisations cannot deadlock on them. (A transaction that rolls back keeps its
    marks until the session's next commit or its end: at worst one page renders afresh.)"""
    session.flush()  # the commit's own flush comes after this event; count its changes too
    changed = session.info.pop(_CHANGED, None)
    if not changed:
        return
    insert = {"postgresql": postgresql.insert, "sqlite": sqlite.insert}[session.get_bind().dialect.name]
    # Only organisations that still exist (one deleted in this transaction has no counter).
    which = true() if EVERY in changed else Organisation.id.in_(sorted(changed))
    statement = insert(DataVersion).from_select(
        ["organisation_id", "version"], select(Organisation.id, literal(1)).where(which).order_by(Organisation.id)
    )
    session.execute(
        statement.on_conflict_do_update(
            index_elements=[DataVersion.organisation_id], set_={"version": DataVersion.version + 1}
        )
    )


LISTENERS = (
    ("before_flush", _before_flush),
    ("after_flush", _after_flush),
    ("do_orm_execute", _bulk_statement),
    ("before_commit", _count_changes),
)


def listen() -> None:
    """Start watching every ORM session (the listeners above). `create_app` calls it; a second
    call changes nothing, so making several apps (as tests do) never counts a change twice."""
    for name, listener in LISTENERS:
        if not event.contains(Session, name, listener):
            event.listen(Session, name, listener)


def data_version(organisation_ids: list[int] | None) -> int:
    """A number that changes whenever the data of any of these organisations changes (None:
    every organisation). Counters only go up, so their sum does too."""
    statement = select(func.coalesce(func.sum(DataVersion.version), 0))
    if organisation_ids is not None:
        if not organisation_ids:
            return 0
        statement = statement.where(DataVersion.organisation_id.in_(organisation_ids))
    return db.session.scalar(statement)
