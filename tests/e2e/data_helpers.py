"""Helpers of the charts / batteries / export / backup end-to-end tests.

History is written straight through the storage layer (the simulated batteries only record
the few minutes a test lasts); a restart stops the runtime and starts a new one on the same
settings, data directory and fake servers, with a clock that goes on from where it was.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

import pytest

from bot.app import BotRuntime
from bot.clock import ScaledClock
from bot.storage.models import Sample
from tests.e2e.conftest import SPEED, Bot


async def registered(bot: Bot, within_s: float = 10.0) -> dict[str, int]:
    """Wait until every watched battery has a database id; return them by name."""

    def ids() -> dict[str, int] | None:
        snaps = bot.services.fleet.snapshots()
        if not snaps or any(snap.battery_id is None for snap in snaps):
            return None
        return {snap.name: snap.battery_id for snap in snaps if snap.battery_id is not None}

    return await bot.telegram.wait_until(ids, timeout_s=within_s, what="battery ids")


def hourly_soc(battery_index: int, hour_index: int) -> float:
    """The SoC every sample of one hour carries (so an hour's average is known exactly)."""
    return float(10 + (hour_index * 7 + battery_index * 13) % 85)


def hourly_power(battery_index: int, hour_index: int) -> float:
    """The AC power every sample of one hour carries (+ = discharging)."""
    return float(((hour_index + battery_index) % 5 - 2) * 400)


def history(
    battery_id: int, battery_index: int, *, start: datetime, hours: int, every_s: int = 300
) -> list[Sample]:
    """Samples every ``every_s`` for ``hours`` hours from ``start`` (an hour boundary)."""
    samples = []
    for hour_index in range(hours):
        for step in range(3600 // every_s):
            samples.append(
                Sample(
                    battery_id=battery_id,
                    at=start + timedelta(hours=hour_index, seconds=step * every_s),
                    soc_pct=hourly_soc(battery_index, hour_index),
                    ac_power_w=hourly_power(battery_index, hour_index),
                    battery_power_w=hourly_power(battery_index, hour_index) * 1.05,
                    grid_power_w=250.0,
                    mode="Auto",
                    temperature_c=21.5,
                    grid_in_wh=1000.0 + hour_index,
                    grid_out_wh=2000.0 + hour_index,
                )
            )
    return samples


def human_pause(bot: Bot) -> None:
    """Let ten seconds pass on the bot's clock, as between two things a person types (so a
    long list of inputs is not refused as a flood by the rate limiter)."""
    bot.clock.jump(timedelta(seconds=10))


async def restart(bot: Bot) -> None:
    """Stop the bot and start a new one on the same data, fakes and (continuing) clock."""
    now = bot.clock.now()
    await bot.runtime.stop()
    clock = ScaledClock(now, speed=SPEED)
    runtime = BotRuntime(bot.settings, clock=clock, simulate=3)
    bot.runtime, bot.clock = runtime, clock
    await runtime.start()


def assert_no_bot_errors(caplog: pytest.LogCaptureFixture) -> None:
    """No ERROR record from the bot's own loggers (a handler crash logs one)."""
    errors = [
        record
        for record in caplog.records
        if record.levelno >= logging.ERROR and record.name.startswith("bot")
    ]
    assert errors == [], [record.getMessage() for record in errors]
