"""Settings changed at run time (from Telegram), stored as JSON with who changed them."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import delete, insert, select, update

from bot.clock import Clock
from bot.storage.database import Database
from bot.storage.models import StoredSetting
from bot.storage.tables import settings
from bot.storage.types import JsonValue


def _setting(row: Mapping[Any, Any]) -> StoredSetting:
    return StoredSetting(
        key=row["key"],
        value=row["value"],
        updated_by=row["updated_by"],
        updated_at=row["updated_at"],
    )


class SettingsStore:
    """A key → JSON value store; ``by`` is a Telegram user id or ``planner``."""

    def __init__(self, db: Database, clock: Clock) -> None:
        self._db = db
        self._clock = clock

    async def get(self, key: str, default: JsonValue = None) -> JsonValue:
        """Return the value of ``key``, or ``default`` when it was never set."""
        entry = await self.get_entry(key)
        return default if entry is None else entry.value

    async def get_entry(self, key: str) -> StoredSetting | None:
        """Return ``key`` with who set it and when, if it was set."""
        async with self._db.session(write=False) as session:
            row = (
                (await session.execute(select(settings).where(settings.c.key == key)))
                .mappings()
                .first()
            )
        return None if row is None else _setting(row)

    async def set(self, key: str, value: JsonValue, *, by: str | int) -> StoredSetting:
        """Set ``key`` to ``value`` (any JSON value); return the stored entry."""
        if not 1 <= len(key) <= 100:
            raise ValueError("a setting key has 1 to 100 characters")
        values = {"value": value, "updated_by": str(by), "updated_at": self._clock.now()}
        async with self._db.session() as session:
            changed = await session.execute(
                update(settings).where(settings.c.key == key).values(**values)
            )
            if not changed.rowcount:  # type: ignore[attr-defined]
                await session.execute(insert(settings).values(key=key, **values))
        return _setting({"key": key, **values})

    async def delete(self, key: str) -> bool:
        """Forget ``key`` (back to the default); False if it was not set."""
        async with self._db.session() as session:
            result = await session.execute(delete(settings).where(settings.c.key == key))
        return bool(result.rowcount)  # type: ignore[attr-defined]

    async def all(self) -> dict[str, StoredSetting]:
        """Return every stored setting by key."""
        async with self._db.session(write=False) as session:
            rows = (await session.execute(select(settings).order_by(settings.c.key))).mappings()
            return {row["key"]: _setting(row) for row in rows.all()}
