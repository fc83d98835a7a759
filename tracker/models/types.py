"""Column types shared by the models."""

from __future__ import annotations

import enum
from datetime import UTC, datetime

from sqlalchemy import DateTime, Enum
from sqlalchemy.types import TypeDecorator


class UTCDateTime(TypeDecorator[datetime]):
    """A timestamp stored as UTC and always returned timezone-aware.

    SQLite has no time zones, so values are stored naive-in-UTC everywhere and the zone is
    put back on the way out; that way SQLite and PostgreSQL behave the same.
    """

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("timestamps must be timezone-aware")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC)


def utc_now() -> datetime:
    return datetime.now(UTC)


def string_enum(enum_class: type[enum.StrEnum], length: int = 16) -> Enum:
    """An enum stored as its value in a plain string column (no database enum type to migrate)."""
    return Enum(
        enum_class,
        native_enum=False,
        length=length,
        validate_strings=True,
        values_callable=lambda members: [member.value for member in members],
    )


# Where a row's changes show, for the change counters (tracker/data_versions.py). A model says
# so with `__shown_in__`: the name of a column holding an organisation id ("organisation_id"),
# or of a foreign key column whose row says where it shows ("action_id"), or one of these two.
# A model that says nothing shows in its `organisation_id` if it has one, otherwise everywhere.
SHOWN_EVERYWHERE = "*"
SHOWN_NOWHERE = ""
