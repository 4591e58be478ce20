"""Temporary orders from the household (pause, force a charge or a discharge), stored.

An override wins over everything else in the plan until it ends; ended overrides disappear by
themselves. They live in the settings table, so a restart keeps them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from bot.planning.model import Action, Override
from bot.storage.settings_store import SettingsStore

KEY = "plan.overrides"
KINDS = ("pause", "charge", "discharge")


@dataclass(frozen=True, slots=True, kw_only=True)
class StoredOverride:
    """One order: ``kind`` on ``battery`` (None = all) from ``start`` to ``end``."""

    kind: str
    start: datetime
    end: datetime
    power_w: int | None = None
    battery: str | None = None
    by: str = "?"

    def to_json(self) -> dict[str, Any]:
        """JSON form."""
        return {
            "kind": self.kind,
            "start": self.start.isoformat(),
            "end": self.end.isoformat(),
            "power_w": self.power_w,
            "battery": self.battery,
            "by": self.by,
        }

    @classmethod
    def from_json(cls, value: object) -> StoredOverride | None:
        """Parse the JSON form; None if it is not valid."""
        if not isinstance(value, dict) or value.get("kind") not in KINDS:
            return None
        try:
            return cls(
                kind=str(value["kind"]),
                start=datetime.fromisoformat(str(value["start"])),
                end=datetime.fromisoformat(str(value["end"])),
                power_w=int(value["power_w"]) if value.get("power_w") is not None else None,
                battery=str(value["battery"]) if value.get("battery") else None,
                by=str(value.get("by", "?")),
            )
        except (KeyError, TypeError, ValueError):
            return None

    def to_planner(self) -> Override:
        """The planner's view of this order."""
        if self.kind == "charge":
            action = Action.charge(abs(self.power_w or 0), 100.0)
        elif self.kind == "discharge":
            action = Action.discharge(abs(self.power_w or 0))
        else:
            action = Action.hold()
        return Override(
            action=action, start=self.start, end=self.end, battery=self.battery, label=self.kind
        )


class OverrideStore:
    """Add, list and end overrides."""

    def __init__(self, store: SettingsStore) -> None:
        self._store = store

    async def active(self, now: datetime) -> list[StoredOverride]:
        """Overrides not yet ended, oldest first."""
        raw = await self._store.get(KEY, [])
        items = [StoredOverride.from_json(v) for v in raw] if isinstance(raw, list) else []
        return [o for o in items if o is not None and o.end > now]

    async def add(self, override: StoredOverride, now: datetime) -> None:
        """Add an order (ended ones are dropped at the same time)."""
        kept = [o.to_json() for o in await self.active(now)]
        await self._store.set(KEY, [*kept, override.to_json()], by=override.by)

    async def clear(self, now: datetime, *, by: str) -> int:
        """End every order now (resume the automation); return how many were active."""
        active = await self.active(now)
        await self._store.set(KEY, [], by=by)
        return len(active)
