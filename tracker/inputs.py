"""Numbers and text from requests, read so that nothing a browser or API client sends can reach
the database as a value it refuses (a server error) instead of a clear answer."""

from __future__ import annotations

from werkzeug.routing import IntegerConverter

# The largest id or version an integer column holds on PostgreSQL (SQLite's limit, 2^63 - 1,
# is larger): anything above names nothing.
MAX_ID = 2**31 - 1


def whole_number(value: str | None, minimum: int = 0, maximum: int = MAX_ID) -> int | None:
    """The one reading of a number taken from a request (a form field, a query argument, part of
    a field's name): the digits 0-9 only, between `minimum` and `maximum`, else None, which the
    caller turns into a clear 400 or form error.

    Never `str.isdigit` and `int`: "²" and "①" pass `isdigit` and make `int` fail (a 500), and
    `int` reads the Arabic-Indic "١" as 1 (which once removed a role holder). The default range
    is what a PostgreSQL integer column holds: "2147483648" would fail there as out of range."""
    if value is None:
        return None
    value = value.strip()
    if not value or len(value) > 18 or not (value.isascii() and value.isdigit()):
        return None
    number = int(value)
    return number if minimum <= number <= maximum else None


def whole_numbers(values: list[str]) -> list[int]:
    """The values of a repeated field (`action_ids`) that are whole numbers; others are ignored."""
    return [number for value in values if (number := whole_number(value)) is not None]


def storable(text: str) -> bool:
    """Text a database can keep: no NUL character, no lone surrogate (which UTF-8 cannot encode)."""
    if "\x00" in text:
        return False
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def one_line(text: str) -> str:
    """Line breaks folded into spaces, for email subjects and other one-line headers."""
    return " ".join(text.splitlines()).strip()


class IdConverter(IntegerConverter):
    """`<int:...>` in every route: only ids a database column can hold match; a larger one is a
    plain 404 rather than an overflow in the database."""

    def __init__(
        self, map, fixed_digits: int = 0, min: int | None = None, max: int | None = None, signed: bool = False
    ) -> None:
        super().__init__(map, fixed_digits=fixed_digits, min=min, max=MAX_ID if max is None else max, signed=signed)
