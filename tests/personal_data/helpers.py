"""What the personal-data tests share: a search of every text value the database holds."""

from __future__ import annotations

from sqlalchemy import JSON, String, Text

from tracker.extensions import db


def rows_holding(text: str) -> list[tuple[str, str]]:
    """(table, column) of every row whose text or JSON value holds `text`, in any case."""
    found = []
    needle = text.lower()
    for table in db.metadata.sorted_tables:
        columns = [column for column in table.columns if isinstance(column.type, (String, Text, JSON))]
        for row in db.session.execute(table.select()).mappings():
            for column in columns:
                if needle in str(row[column.name]).lower():
                    found.append((table.name, column.name))
    return found
