"""Fixtures of the integration tests: the client library against the simulator over real UDP.

Clients bind 127.0.0.1 (ephemeral port) and the simulated units live on 127.0.0.2 and up, all on
one API port, with 127.255.255.255 as their broadcast address. Deterministic tests share one
:class:`ManualClock` between the simulator and the client and run through :class:`SimDriver`,
which moves virtual time only while no datagram is crossing loopback.
"""

from __future__ import annotations

import json
import socket
from collections import Counter
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from dataclasses import dataclass, field
from typing import Any, TypeVar

import pytest

from bot.clock import ManualClock
from bot.marstek.client import ClientOptions, MarstekClient
from bot.marstek.simulator import SimulatedBattery, Simulator
from bot.marstek.transport import MarstekTransport
from tests.marstek.fake_battery import ClockDriver

T = TypeVar("T")
Address = tuple[str, int]
LOOPBACK_BROADCAST = "127.255.255.255"
SimFactory = Callable[..., Awaitable[Simulator]]


@dataclass
class Wire:
    """Open API datagrams that left a socket of this test (counted once actually sent)."""

    requests_to: Counter[Address] = field(default_factory=Counter)
    """Requests per destination (unicast or broadcast address, port)."""
    last_request_id: dict[Address, int] = field(default_factory=dict)
    replies_from: Counter[tuple[str, int]] = field(default_factory=Counter)
    """Replies per (source IP, id)."""
    stale_replies: int = 0
    """Replies a unit sent after a newer request had been sent to it (late replies)."""

    def note(self, sock: socket.socket, data: bytes, address: Address) -> None:
        """Record one datagram that was sent."""
        try:
            message = json.loads(bytes(data))
        except ValueError:
            return
        if not isinstance(message, dict):
            return
        if "method" in message:
            destination = (str(address[0]), int(address[1]))
            self.requests_to[destination] += 1
            self.last_request_id[destination] = message.get("id", -1)
        elif "src" in message:
            host, port = sock.getsockname()[:2]
            self.replies_from[(str(host), message.get("id", -1))] += 1
            newest = self.last_request_id.get((str(host), int(port)))
            if message.get("id") not in (0, newest):
                self.stale_replies += 1


@pytest.fixture
def wire(_loopback_only: None) -> Iterator[Wire]:
    """Record every datagram sent during the test (installed over the loopback guard)."""
    recorded = Wire()
    guarded = socket.socket.sendto

    def sendto(self: socket.socket, data: Any, *args: Any) -> int:
        sent = guarded(self, data, *args)
        recorded.note(self, data, args[-1])
        return sent

    socket.socket.sendto = sendto  # type: ignore[assignment,method-assign]
    try:
        yield recorded
    finally:
        socket.socket.sendto = guarded  # type: ignore[method-assign]


@pytest.fixture
async def make_sim(clock: ManualClock) -> AsyncIterator[SimFactory]:
    """Start a simulated fleet on the test's manual clock (stopped at teardown)."""
    started: list[Simulator] = []

    async def factory(count: int = 3, **kwargs: Any) -> Simulator:
        kwargs.setdefault("seed", 11)
        simulator = Simulator(count, clock=clock, broadcast_address=LOOPBACK_BROADCAST, **kwargs)
        await simulator.start()
        started.append(simulator)
        return simulator

    yield factory
    for simulator in started:
        await simulator.stop()


def client_for(
    transport: MarstekTransport,
    sim: Simulator,
    unit: SimulatedBattery,
    options: ClientOptions | None = None,
) -> MarstekClient:
    """A client for one simulated unit, named after it."""
    return MarstekClient(
        transport, unit.host, port=sim.port, name=unit.config.name, options=options
    )


@dataclass(kw_only=True)
class SimDriver(ClockDriver):
    """The clock driver for simulated units, watching the wire for datagrams in flight."""

    wire: Wire
    units: list[SimulatedBattery] = field(default_factory=list)

    def watch(self, sim: Simulator) -> Simulator:
        """Include ``sim``'s units in the quiet check."""
        self.units.extend(sim.units)
        return sim

    def settled(self) -> bool:
        """True when every request reached its unit and every reply sent was consumed."""
        for unit in self.units:
            expected = self.wire.requests_to[(unit.host, unit.port)]
            if unit.broadcast_address is not None:
                expected += self.wire.requests_to[(unit.broadcast_address, unit.port)]
            if unit.requests_received < expected:
                return False  # a request is still on its way
        return not any(
            not future.done() and self.wire.replies_from[key]
            for key, future in self.transport._pending.items()
        )  # otherwise a reply is on its way back


@pytest.fixture
def sim_driver(clock: ManualClock, transport: MarstekTransport, wire: Wire) -> SimDriver:
    """A driver over the parent ``transport`` fixture (5 s gap, 127.0.0.1, manual clock)."""
    return SimDriver(clock=clock, transport=transport, wire=wire)
