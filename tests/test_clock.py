"""The injected clocks: manual time wakes sleepers in order; scaled time runs fast and jumps."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import pytest

from bot.clock import Clock, ManualClock, ScaledClock, SystemClock

START = datetime(2026, 1, 15, 5, 0, tzinfo=UTC)


async def test_manual_clock_wakes_sleepers_in_deadline_order() -> None:
    clock = ManualClock(START)
    woke: list[tuple[str, datetime]] = []

    async def sleeper(name: str, seconds: float) -> None:
        await clock.sleep(seconds)
        woke.append((name, clock.now()))

    tasks = [asyncio.create_task(sleeper(n, s)) for n, s in (("b", 20), ("a", 10), ("c", 3600))]
    await asyncio.sleep(0)
    await clock.advance(timedelta(seconds=30))
    assert woke == [("a", START + timedelta(seconds=10)), ("b", START + timedelta(seconds=20))]
    assert clock.now() == START + timedelta(seconds=30)
    await clock.advance_to(START + timedelta(hours=2))
    assert woke[-1] == ("c", START + timedelta(hours=1))
    await asyncio.gather(*tasks)


async def test_manual_clock_periodic_task_runs_at_each_instant() -> None:
    clock = ManualClock(START)
    ticks: list[datetime] = []

    async def every_minute() -> None:
        while True:
            ticks.append(clock.now())
            await clock.sleep(60)

    task = asyncio.create_task(every_minute())
    await asyncio.sleep(0)
    await clock.advance(timedelta(minutes=5))
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert ticks == [START + timedelta(minutes=m) for m in range(6)]


def test_manual_clock_refuses_naive_start_and_going_back() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        ManualClock(datetime(2026, 1, 1))  # noqa: DTZ001


async def test_manual_clock_never_goes_back() -> None:
    with pytest.raises(ValueError, match="backwards"):
        await ManualClock(START).advance(-1)


async def test_scaled_clock_runs_faster_and_jumps() -> None:
    clock = ScaledClock(START, speed=3600.0)
    before = clock.now()
    await clock.sleep(36)  # 36 virtual seconds = 10 ms real
    elapsed = clock.now() - before
    assert timedelta(seconds=36) <= elapsed < timedelta(minutes=30)
    clock.jump(timedelta(hours=5))
    assert clock.now() - before >= timedelta(hours=5, seconds=36)
    clock.jump_to(START)  # already past: nothing happens
    assert clock.now() > START + timedelta(hours=5)
    with pytest.raises(ValueError, match="backwards"):
        clock.jump(timedelta(seconds=-1))


def test_every_clock_satisfies_the_protocol() -> None:
    for clock in (SystemClock(), ScaledClock(START), ManualClock(START)):
        assert isinstance(clock, Clock)
        assert clock.now().tzinfo is not None


async def test_a_jump_wakes_scaled_sleepers_past_their_deadline() -> None:
    clock = ScaledClock(START, speed=1.0)
    woke = asyncio.Event()

    async def sleeper() -> None:
        await clock.sleep(3600)  # an hour, in real time at speed 1
        woke.set()

    task = asyncio.create_task(sleeper())
    await asyncio.sleep(0.01)
    assert not woke.is_set()
    clock.jump(timedelta(hours=1, seconds=1))
    await asyncio.wait_for(woke.wait(), timeout=2)
    await task
