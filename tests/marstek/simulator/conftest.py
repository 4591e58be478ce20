"""Fixtures for the simulator tests: a virtual clock, one in-process unit, a raw UDP client."""

from __future__ import annotations

import asyncio
import json
import socket
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime
from typing import Any

import pytest

from bot.clock import ManualClock
from bot.marstek.simulator import (
    PROFILES,
    FirmwareProfile,
    SimulatedBattery,
    Simulator,
    constant,
)
from bot.marstek.simulator.profiles import unit_config_for

EXTRA_WINDOW_S = 0.1
"""How long to keep listening for unexpected extra datagrams once the expected ones came."""
# Monday 6 January 2025, 00:00 in Paris (CET, UTC+1).
MONDAY_MIDNIGHT_PARIS = datetime(2025, 1, 5, 23, 0, tzinfo=UTC)


@pytest.fixture
def clock() -> ManualClock:
    """A clock that moves only when the test advances it."""
    return ManualClock(MONDAY_MIDNIGHT_PARIS)


def make_unit(
    clock: ManualClock,
    *,
    profile: FirmwareProfile = PROFILES["venus_e3_v153"],
    soc_pct: float = 50.0,
    load_w: float = 0.0,
    apply_delay_s: tuple[float, float] = (0.0, 0.0),
) -> SimulatedBattery:
    """A unit without sockets, on the manual clock, with a constant house load."""
    config = unit_config_for(0, profile, apply_delay_s=apply_delay_s)
    unit = SimulatedBattery(config, clock=clock, seed=1)
    unit.set_soc(soc_pct)
    unit.set_household(constant(load_w))
    return unit


async def wait_received(unit: SimulatedBattery, count: int, timeout_s: float = 2.0) -> None:
    """Wait until ``unit`` has seen ``count`` datagrams (its replies are then already queued)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout_s
    while unit.requests_received < count:
        assert loop.time() < deadline, f"{unit.host} saw {unit.requests_received}/{count}"
        await asyncio.sleep(0.005)


def result(reply: dict[str, Any]) -> dict[str, Any]:
    """Return the result of a reply, failing the test on an error reply."""
    assert "error" not in reply, reply
    body: dict[str, Any] = reply["result"]
    return body


class RawClient:
    """A plain UDP socket on 127.0.0.1 speaking the Open API by hand (not the client library)."""

    def __init__(self, port: int, *, bind_port: int = 0) -> None:
        self.port = port
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_BROADCAST, 1)
        self.sock.setblocking(False)
        self.sock.bind(("127.0.0.1", bind_port))

    def send(self, host: str, method: str, params: dict[str, Any], *, request_id: int = 1) -> None:
        """Send one request."""
        message = {"id": request_id, "method": method, "params": params}
        self.sock.sendto(json.dumps(message).encode(), (host, self.port))

    def send_raw(self, host: str, data: bytes) -> None:
        """Send bytes as they are."""
        self.sock.sendto(data, (host, self.port))

    async def receive(self, timeout_s: float = 2.0) -> tuple[bytes, tuple[str, int]]:
        """Wait for one datagram."""
        loop = asyncio.get_running_loop()
        data, addr = await asyncio.wait_for(loop.sock_recvfrom(self.sock, 65535), timeout_s)
        return data, addr

    async def receive_all(self, window_s: float) -> list[tuple[bytes, tuple[str, int]]]:
        """Collect every datagram arriving within ``window_s``."""
        received: list[tuple[bytes, tuple[str, int]]] = []
        loop = asyncio.get_running_loop()
        deadline = loop.time() + window_s
        while (left := deadline - loop.time()) > 0:
            try:
                received.append(await self.receive(left))
            except TimeoutError:
                break
        return received

    async def receive_n(
        self, count: int, timeout_s: float = 2.0
    ) -> list[tuple[bytes, tuple[str, int]]]:
        """Wait for ``count`` datagrams (failing on timeout), then drain any extra ones."""
        received = [await self.receive(timeout_s) for _ in range(count)]
        return received + await self.receive_all(EXTRA_WINDOW_S)

    async def call(
        self, host: str, method: str, params: dict[str, Any], *, request_id: int = 1
    ) -> dict[str, Any]:
        """Send a request and return the decoded reply."""
        self.send(host, method, params, request_id=request_id)
        data, _ = await self.receive()
        reply: dict[str, Any] = json.loads(data)
        return reply

    def close(self) -> None:
        """Close the socket."""
        self.sock.close()


@pytest.fixture
async def sim() -> AsyncIterator[Simulator]:
    """Three modern units on 127.0.0.2–4, real clock, seeded."""
    async with Simulator(3, seed=7) as simulator:
        yield simulator


@pytest.fixture
def raw(sim: Simulator) -> Iterator[RawClient]:
    """A raw client aimed at the fleet's port."""
    client = RawClient(sim.port)
    yield client
    client.close()
