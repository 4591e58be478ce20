"""Fixtures of the battery-library tests: a manual clock, a loopback transport, scripted fakes."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import UTC, datetime

import pytest

from bot.clock import ManualClock
from bot.marstek.client import ClientOptions, MarstekClient
from bot.marstek.transport import MarstekTransport, TransportOptions
from tests.marstek.fake_battery import Driver, FakeBattery

START = datetime(2026, 1, 15, 5, 0, tzinfo=UTC)
FakeFactory = Callable[..., Awaitable[FakeBattery]]


@pytest.fixture
def clock() -> ManualClock:
    """Virtual time that moves only when a test (or the driver) advances it."""
    return ManualClock(START)


@pytest.fixture
async def transport(clock: ManualClock) -> AsyncIterator[MarstekTransport]:
    """A loopback transport with the production pace (5 s gap) on virtual time."""
    options = TransportOptions(local_host="127.0.0.1", local_port=0, request_gap_s=5.0)
    async with MarstekTransport(clock=clock, options=options) as opened:
        yield opened


@pytest.fixture
def fakes() -> list[FakeBattery]:
    """Every fake started by the test (closed at teardown)."""
    return []


@pytest.fixture
async def make_fake(clock: ManualClock, fakes: list[FakeBattery]) -> AsyncIterator[FakeFactory]:
    """Start a scripted unit on a given 127.0.0.x address."""

    async def factory(ip: str = "127.0.0.2", port: int = 0, **kwargs: object) -> FakeBattery:
        listen = bool(kwargs.pop("listen_broadcast", False))
        fake = FakeBattery(ip, clock, **kwargs)  # type: ignore[arg-type]
        fakes.append(fake)
        return await fake.start(port, listen_broadcast=listen)

    yield factory
    for fake in fakes:
        fake.close()


@pytest.fixture
def driver(clock: ManualClock, transport: MarstekTransport, fakes: list[FakeBattery]) -> Driver:
    """Runs client calls to completion, advancing virtual time only when loopback is quiet."""
    return Driver(clock=clock, transport=transport, fakes=fakes)


@pytest.fixture
async def fake(make_fake: FakeFactory) -> FakeBattery:
    """One Venus E 3.0 (firmware 155) on 127.0.0.2."""
    return await make_fake()


@pytest.fixture
def client(transport: MarstekTransport, fake: FakeBattery) -> MarstekClient:
    """A client for ``fake`` with the production retry policy."""
    return MarstekClient(transport, fake.ip, port=fake.port, name="garage", options=ClientOptions())
