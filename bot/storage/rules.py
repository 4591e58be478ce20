"""The user's schedule rules (e.g. "weekdays 22:00–06:00: charge at 1500 W")."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from datetime import time
from typing import Any

from sqlalchemy import delete, insert, select, update

from bot.clock import Clock
from bot.storage.database import Database
from bot.storage.errors import NotFoundError
from bot.storage.models import ScheduleRule
from bot.storage.tables import schedule_rules

ALL_DAYS = 0b111_1111


def _rule(row: Mapping[Any, Any]) -> ScheduleRule:
    return ScheduleRule(
        id=row["id"],
        days_mask=row["days_mask"],
        start=row["start_time"],
        end=row["end_time"],
        mode=row["mode"],
        power_w=row["power_w"],
        enabled=bool(row["enabled"]),
        battery_id=row["battery_id"],
        created_by=row["created_by"],
        created_at=row["created_at"],
        updated_at=row["updated_at"],
    )


def _check(*, days_mask: int, start: time, end: time, mode: str) -> None:
    if not 1 <= days_mask <= ALL_DAYS:
        raise ValueError("days_mask must select at least one day (bits 0 = Monday … 6 = Sunday)")
    if start.tzinfo is not None or end.tzinfo is not None:
        raise ValueError("rule times are wall-clock times of the household, without a zone")
    if start == end:
        raise ValueError("a rule must start and end at different times")
    if not mode:
        raise ValueError("a rule needs a mode")


class ScheduleRules:
    """Create, read, change and delete schedule rules."""

    def __init__(self, db: Database, clock: Clock) -> None:
        self._db = db
        self._clock = clock

    async def add(
        self,
        *,
        days_mask: int,
        start: time,
        end: time,
        mode: str,
        created_by: str | int,
        power_w: float | None = None,
        battery_id: int | None = None,
        enabled: bool = True,
    ) -> ScheduleRule:
        """Create a rule; return it with its id."""
        _check(days_mask=days_mask, start=start, end=end, mode=mode)
        now = self._clock.now()
        values = {
            "days_mask": days_mask,
            "start_time": start,
            "end_time": end,
            "mode": mode,
            "power_w": power_w,
            "enabled": enabled,
            "battery_id": battery_id,
            "created_by": str(created_by),
            "created_at": now,
            "updated_at": now,
        }
        async with self._db.session() as session:
            inserted = await session.execute(insert(schedule_rules).values(**values))
            rule_id = int(inserted.inserted_primary_key[0])  # type: ignore[attr-defined]
        return _rule({"id": rule_id, **values})

    async def get(self, rule_id: int) -> ScheduleRule | None:
        """Return one rule, if it exists."""
        query = select(schedule_rules).where(schedule_rules.c.id == rule_id)
        async with self._db.session(write=False) as session:
            row = (await session.execute(query)).mappings().first()
        return None if row is None else _rule(row)

    async def list_all(self, *, enabled_only: bool = False) -> list[ScheduleRule]:
        """Return the rules in creation order."""
        query = select(schedule_rules).order_by(schedule_rules.c.id)
        if enabled_only:
            query = query.where(schedule_rules.c.enabled.is_(True))
        async with self._db.session(write=False) as session:
            rows = (await session.execute(query)).mappings().all()
        return [_rule(row) for row in rows]

    async def update(self, rule: ScheduleRule) -> ScheduleRule:
        """Save every editable field of ``rule`` (use ``dataclasses.replace`` to build it)."""
        _check(days_mask=rule.days_mask, start=rule.start, end=rule.end, mode=rule.mode)
        now = self._clock.now()
        values = {
            "days_mask": rule.days_mask,
            "start_time": rule.start,
            "end_time": rule.end,
            "mode": rule.mode,
            "power_w": rule.power_w,
            "enabled": rule.enabled,
            "battery_id": rule.battery_id,
            "updated_at": now,
        }
        async with self._db.session() as session:
            changed = await session.execute(
                update(schedule_rules).where(schedule_rules.c.id == rule.id).values(**values)
            )
            if not changed.rowcount:  # type: ignore[attr-defined]
                raise NotFoundError(f"no schedule rule with id {rule.id}")
        return replace(rule, updated_at=now)

    async def set_enabled(self, rule_id: int, enabled: bool) -> ScheduleRule:
        """Switch a rule on or off."""
        rule = await self.get(rule_id)
        if rule is None:
            raise NotFoundError(f"no schedule rule with id {rule_id}")
        return await self.update(replace(rule, enabled=enabled))

    async def delete(self, rule_id: int) -> bool:
        """Delete a rule; False if it did not exist."""
        async with self._db.session() as session:
            result = await session.execute(
                delete(schedule_rules).where(schedule_rules.c.id == rule_id)
            )
        return bool(result.rowcount)  # type: ignore[attr-defined]
