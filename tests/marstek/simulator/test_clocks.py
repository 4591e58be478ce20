"""The simulator runs on any clock with now()/sleep(): ScaledClock jumps, real clock, serving."""

from __future__ import annotations

import asyncio
import contextlib
import socket
from datetime import UTC, datetime, timedelta

import pytest

from bot.clock import ScaledClock, SystemClock
from bot.marstek.simulator import Clock, RealClock, Simulator, serve_forever
from tests.marstek.simulator.conftest import RawClient

PASSIVE_CHARGE = {
    "id": 0,
    "config": {"mode": "Passive", "passive_cfg": {"power": -2500, "cd_time": 3600}},
}


def test_bot_clocks_satisfy_the_simulator_clock_protocol() -> None:
    start = datetime(2025, 1, 6, tzinfo=UTC)
    for clock in (ScaledClock(start), SystemClock(), RealClock()):
        assert isinstance(clock, Clock)
    assert RealClock().now().tzinfo is UTC


async def test_scaled_clock_jump_integrates_the_skipped_hour() -> None:
    clock = ScaledClock(datetime(2025, 1, 6, 12, tzinfo=UTC), speed=1.0)
    async with Simulator(1, clock=clock, seed=2, broadcast_address=None) as sim:
        unit = sim.units[0]
        unit.set_soc(50)
        client = RawClient(sim.port)
        try:
            reply = await client.call(unit.host, "ES.SetMode", PASSIVE_CHARGE)
            assert reply["result"]["set_result"] is True
            clock.jump(timedelta(hours=1))
            status = (await client.call(unit.host, "ES.GetStatus", {"id": 0}))["result"]
        finally:
            client.close()
    # Up to a second or two of real time may have run on top of the jump.
    assert status["bat_soc"] == 96
    assert unit.soc_pct == pytest.approx(50 + 2500 * 0.95 / 5120 * 100, abs=0.1)


async def test_serve_forever_answers_until_cancelled_then_frees_the_port() -> None:
    sim = Simulator(1, broadcast_address=None)
    task = asyncio.create_task(serve_forever(sim))
    client = RawClient(sim.port)
    try:
        answered = False
        for _ in range(50):  # the sockets are bound a few loop turns after the task starts
            client.send("127.0.0.2", "ES.GetMode", {"id": 0})
            with contextlib.suppress(TimeoutError):
                await client.receive(0.05)
                answered = True
                break
        assert answered, "the served simulator never answered"
    finally:
        client.close()
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
    probe = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    try:
        probe.bind(("127.0.0.2", sim.port))  # free again: the sockets were closed
    finally:
        probe.close()
