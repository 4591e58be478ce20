"""Command log, schedule rules, run-time settings and plans."""

from __future__ import annotations

from dataclasses import replace
from datetime import time, timedelta
from typing import Any

import pytest

from bot.clock import ManualClock
from bot.storage import ALL_DAYS, PLANNER, Battery, CommandResult, NotFoundError, Storage
from tests.storage.conftest import T0


async def test_command_log_keeps_outcomes_newest_first(storage: Storage, battery: Battery) -> None:
    first = await storage.commands.record(
        at=T0,
        battery_id=battery.id,
        requested_by=PLANNER,
        action="set_mode",
        params={"mode": "Passive", "power_w": -1500, "cd_time_s": 3600},
        result=CommandResult.APPLIED,
    )
    await storage.commands.record(
        at=T0 + timedelta(minutes=1),
        battery_id=None,
        requested_by=123456789,
        action="set_mode",
        params={"mode": "Auto"},
        result=CommandResult.NOT_CONFIRMED,
        detail="mode read back as Manual",
    )
    recent = await storage.commands.recent()
    assert [c.result for c in recent] == [CommandResult.NOT_CONFIRMED, CommandResult.APPLIED]
    assert recent[0].requested_by == "123456789"
    assert recent[1] == first
    assert await storage.commands.recent(battery_id=battery.id) == [first]
    assert len(await storage.commands.recent(limit=1)) == 1


async def test_schedule_rules_crud(storage: Storage, battery: Battery, clock: ManualClock) -> None:
    rule = await storage.rules.add(
        days_mask=0b0011111, start=time(22), end=time(6), mode="charge", power_w=1500, created_by=42
    )
    assert (rule.enabled, rule.battery_id, rule.created_by) == (True, None, "42")
    assert await storage.rules.get(rule.id) == rule
    other = await storage.rules.add(
        days_mask=ALL_DAYS,
        start=time(6),
        end=time(22),
        mode="auto",
        battery_id=battery.id,
        created_by=PLANNER,
    )

    await clock.advance(timedelta(minutes=5))
    changed = await storage.rules.update(replace(rule, end=time(5, 30), power_w=None))
    assert changed.updated_at == clock.now()
    assert await storage.rules.get(rule.id) == changed
    off = await storage.rules.set_enabled(rule.id, False)
    assert off.enabled is False
    assert await storage.rules.list_all(enabled_only=True) == [other]
    assert [r.id for r in await storage.rules.list_all()] == [rule.id, other.id]

    assert await storage.rules.delete(rule.id)
    assert not await storage.rules.delete(rule.id)
    with pytest.raises(NotFoundError):
        await storage.rules.update(rule)
    with pytest.raises(NotFoundError):
        await storage.rules.set_enabled(rule.id, True)


@pytest.mark.parametrize(
    ("rule", "message"),
    [
        ({"days_mask": 0, "start": time(1), "end": time(2), "mode": "x"}, "at least one day"),
        ({"days_mask": 128, "start": time(1), "end": time(2), "mode": "x"}, "at least one day"),
        ({"days_mask": 1, "start": time(1), "end": time(1), "mode": "x"}, "different times"),
        ({"days_mask": 1, "start": time(1), "end": time(2), "mode": ""}, "needs a mode"),
    ],
)
async def test_schedule_rules_are_checked(
    storage: Storage, rule: dict[str, Any], message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        await storage.rules.add(created_by=1, **rule)


async def test_settings_store_json_with_who_and_when(storage: Storage, clock: ManualClock) -> None:
    assert await storage.settings.get("precharge", {"target_soc_pct": 100}) == {
        "target_soc_pct": 100
    }
    entry = await storage.settings.set("precharge", {"target_soc_pct": 90, "days": ["RED"]}, by=42)
    assert (entry.updated_by, entry.updated_at) == ("42", clock.now())
    await clock.advance(timedelta(minutes=1))
    await storage.settings.set("precharge", [1, 2.5, None, True], by=PLANNER)
    await storage.settings.set("dry_run", None, by=42)
    stored = await storage.settings.get_entry("precharge")
    assert stored is not None
    assert (stored.value, stored.updated_by, stored.updated_at) == (
        [1, 2.5, None, True],
        PLANNER,
        clock.now(),
    )
    assert set(await storage.settings.all()) == {"dry_run", "precharge"}
    assert await storage.settings.get("dry_run", "default") is None  # JSON null is a value
    assert await storage.settings.delete("dry_run")
    assert not await storage.settings.delete("dry_run")
    with pytest.raises(ValueError, match="1 to 100"):
        await storage.settings.set("", 1, by=1)


async def test_plans_latest_and_prune_keeps_the_current_one(storage: Storage) -> None:
    assert await storage.plans.latest() is None
    assert await storage.plans.prune(T0) == 0
    saved = []
    for day in range(3):
        created = T0 + timedelta(days=day)
        saved.append(
            await storage.plans.save(
                created_at=created,
                horizon_start=created,
                horizon_end=created + timedelta(days=1),
                payload={"day": day, "slots": []},
                reason="tomorrow is RED" if day == 2 else "routine",
            )
        )
    assert await storage.plans.latest() == saved[-1]
    assert await storage.plans.recent(limit=2) == [saved[2], saved[1]]
    assert await storage.plans.prune(T0 + timedelta(days=10)) == 2
    assert await storage.plans.recent() == [saved[-1]]
    with pytest.raises(ValueError, match="end after"):
        await storage.plans.save(
            created_at=T0, horizon_start=T0, horizon_end=T0, payload={}, reason="x"
        )
