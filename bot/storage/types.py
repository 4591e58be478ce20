"""Column types shared by every table: UTC instants stored as integer microseconds.

Instants are stored as microseconds since the Unix epoch in a BIGINT: compact, exact, portable
(SQLite and PostgreSQL compare and divide integers the same way), and it lets the database group
samples into time buckets with plain integer arithmetic.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import BigInteger
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
US_PER_S = 1_000_000
_ONE_US = timedelta(microseconds=1)

JsonValue = None | bool | int | float | str | list[Any] | dict[str, Any]

# Deterministic constraint names on every backend, so a later migration can drop them by name.
NAMING_CONVENTION: dict[str, str] = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_N_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def require_utc(value: datetime, *, name: str = "datetime") -> datetime:
    """Return ``value`` converted to UTC; refuse a naive datetime."""
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"{name} must be timezone-aware, got naive {value.isoformat()}")
    return value.astimezone(UTC)


def to_us(value: datetime) -> int:
    """Return the microseconds since the epoch of an aware datetime."""
    return (require_utc(value) - EPOCH) // _ONE_US


def from_us(value: int) -> datetime:
    """Return the aware UTC datetime of a count of microseconds since the epoch."""
    return EPOCH + timedelta(microseconds=value)


class UtcDateTime(TypeDecorator[datetime]):
    """An instant: refuses naive datetimes on write, returns aware UTC datetimes on read."""

    impl = BigInteger
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> int | None:
        """Convert an aware datetime to epoch microseconds."""
        if value is None:
            return None
        if not isinstance(value, datetime):
            raise TypeError(f"expected a datetime, got {type(value).__name__}")
        return to_us(value)

    def process_result_value(self, value: Any | None, dialect: Dialect) -> datetime | None:
        """Convert epoch microseconds back to an aware UTC datetime."""
        if value is None:
            return None
        return from_us(int(value))

    def process_literal_param(self, value: datetime | None, dialect: Dialect) -> str:
        """Render an instant inline (used only when SQL is compiled with literal binds)."""
        return "NULL" if value is None else str(to_us(value))

    @property
    def python_type(self) -> type[datetime]:
        """The Python type of the values."""
        return datetime
