"""Plans produced by the planner, kept as JSON with the reason they were made."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from sqlalchemy import delete, func, insert, select

from bot.storage.database import Database
from bot.storage.models import StoredPlan
from bot.storage.tables import plans
from bot.storage.types import JsonValue, require_utc


def _plan(row: Mapping[Any, Any]) -> StoredPlan:
    return StoredPlan(
        id=row["id"],
        created_at=row["created_at"],
        horizon_start=row["horizon_start"],
        horizon_end=row["horizon_end"],
        payload=dict(row["payload"]),
        reason=row["reason"],
    )


class PlanStore:
    """Save plans and read back the current one."""

    def __init__(self, db: Database) -> None:
        self._db = db

    async def save(
        self,
        *,
        created_at: datetime,
        horizon_start: datetime,
        horizon_end: datetime,
        payload: Mapping[str, JsonValue],
        reason: str,
    ) -> StoredPlan:
        """Store a plan covering ``[horizon_start, horizon_end)``; return it as stored."""
        start = require_utc(horizon_start, name="horizon_start")
        end = require_utc(horizon_end, name="horizon_end")
        if end <= start:
            raise ValueError("a plan's horizon must end after it starts")
        values = {
            "created_at": require_utc(created_at, name="created_at"),
            "horizon_start": start,
            "horizon_end": end,
            "payload": dict(payload),
            "reason": reason,
        }
        async with self._db.session() as session:
            inserted = await session.execute(insert(plans).values(**values))
            plan_id = int(inserted.inserted_primary_key[0])  # type: ignore[attr-defined]
        return _plan({"id": plan_id, **values})

    async def latest(self) -> StoredPlan | None:
        """Return the most recently created plan, if any."""
        query = select(plans).order_by(plans.c.created_at.desc(), plans.c.id.desc()).limit(1)
        async with self._db.session(write=False) as session:
            row = (await session.execute(query)).mappings().first()
        return None if row is None else _plan(row)

    async def recent(self, *, limit: int = 10) -> list[StoredPlan]:
        """Return the latest plans, newest first."""
        query = select(plans).order_by(plans.c.created_at.desc(), plans.c.id.desc()).limit(limit)
        async with self._db.session(write=False) as session:
            rows = (await session.execute(query)).mappings().all()
        return [_plan(row) for row in rows]

    async def prune(self, before: datetime) -> int:
        """Delete plans created before ``before``, always keeping the latest; return how many."""
        async with self._db.session() as session:
            newest = await session.scalar(select(func.max(plans.c.id)))
            if newest is None:
                return 0
            result = await session.execute(
                delete(plans).where(
                    plans.c.created_at < require_utc(before, name="before"), plans.c.id != newest
                )
            )
        return int(result.rowcount)  # type: ignore[attr-defined]
