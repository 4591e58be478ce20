"""The log of every command sent (or simulated) to a battery, with its outcome."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from sqlalchemy import insert, select

from bot.storage.database import Database
from bot.storage.models import CommandRecord, CommandResult
from bot.storage.tables import commands
from bot.storage.types import JsonValue, require_utc


def _record(row: Mapping[Any, Any]) -> CommandRecord:
    return CommandRecord(
        id=row["id"],
        at=row["at"],
        battery_id=row["battery_id"],
        requested_by=row["requested_by"],
        action=row["action"],
        params=dict(row["params"] or {}),
        result=CommandResult(row["result"]),
        detail=row["detail"],
    )


class CommandLog:
    """Append-only journal of commands; ``requested_by`` is a Telegram user id or ``planner``."""

    def __init__(self, db: Database) -> None:
        self._db = db

    async def record(
        self,
        *,
        at: datetime,
        battery_id: int | None,
        requested_by: str | int,
        action: str,
        params: Mapping[str, JsonValue],
        result: CommandResult,
        detail: str | None = None,
    ) -> CommandRecord:
        """Append one command and its outcome; return it as stored."""
        values = {
            "at": require_utc(at, name="at"),
            "battery_id": battery_id,
            "requested_by": str(requested_by),
            "action": action,
            "params": dict(params),
            "result": CommandResult(result).value,
            "detail": detail,
        }
        async with self._db.session() as session:
            inserted = await session.execute(insert(commands).values(**values))
            command_id = int(inserted.inserted_primary_key[0])  # type: ignore[attr-defined]
        return _record({"id": command_id, **values})

    async def recent(
        self, *, limit: int = 20, battery_id: int | None = None
    ) -> list[CommandRecord]:
        """Return the latest commands (of one battery, if given), newest first."""
        query = select(commands).order_by(commands.c.at.desc(), commands.c.id.desc()).limit(limit)
        if battery_id is not None:
            query = query.where(commands.c.battery_id == battery_id)
        async with self._db.session(write=False) as session:
            rows = (await session.execute(query)).mappings().all()
        return [_record(row) for row in rows]
