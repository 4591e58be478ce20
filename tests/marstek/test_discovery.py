"""Discovery: repeated broadcasts on loopback, answers merged by BLE MAC."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable
from typing import TypeVar

import pytest

from bot.clock import ManualClock
from bot.marstek.discovery import discover, discovery_request
from bot.marstek.errors import MarstekUsageError
from bot.marstek.transport import MarstekTransport
from tests.marstek.conftest import FakeFactory
from tests.marstek.fake_battery import LOOPBACK_BROADCAST, FakeBattery

T = TypeVar("T")


async def run_with_time(clock: ManualClock, awaitable: Awaitable[T]) -> T:
    """Advance virtual time in small steps, giving loopback datagrams real time to cross."""
    task = asyncio.ensure_future(awaitable)
    for _ in range(400):
        await asyncio.sleep(0.005)
        if task.done():
            return task.result()
        await clock.advance(0.5)
    task.cancel()
    raise AssertionError("discovery did not finish")


async def wait_for(condition: object, seconds: float = 2.0) -> None:
    for _ in range(int(seconds / 0.005)):
        if condition():  # type: ignore[operator]
            return
        await asyncio.sleep(0.005)


def test_discovery_datagram_uses_the_reserved_id() -> None:
    assert discovery_request() == (
        b'{"id":0,"method":"Marstek.GetDevice","params":{"ble_mac":"0"}}'
    )


async def test_units_are_found_and_merged_by_ble_mac(
    clock: ManualClock, transport: MarstekTransport, make_fake: FakeFactory
) -> None:
    first = await make_fake("127.0.0.2", listen_broadcast=True)
    port = first.port
    second = await make_fake("127.0.0.3", port, listen_broadcast=True, ble_mac="acd9297a11b2")
    # The first unit again, through its Ethernet address.
    wired = await make_fake("127.0.0.4", port, listen_broadcast=True)
    del second.device["ble_mac"]  # some firmware omits it: taken from src
    second.device["ip"] = "127.000.000.003"
    second.drop_next = 1  # answers only from the second broadcast on

    found = await run_with_time(
        clock,
        discover(
            transport,
            port=port,
            broadcast_addresses=[LOOPBACK_BROADCAST],
            window_s=9.0,
            repeat_s=2.0,
        ),
    )

    by_mac = {device.info.ble_mac: device for device in found}
    assert set(by_mac) == {"0c587b17df4f", "acd9297a11b2"}
    assert set(by_mac["0c587b17df4f"].addresses) == {first.ip, wired.ip}
    assert by_mac["acd9297a11b2"].addresses == (second.ip,)
    assert by_mac["acd9297a11b2"].host == second.ip
    assert by_mac["acd9297a11b2"].info.ip == "127.0.0.3"
    assert by_mac["acd9297a11b2"].port == port
    await wait_for(lambda: len(first.received) == 5)
    assert [r.id for r in first.received] == [0] * 5  # 0, 2, 4, 6, 8 s
    assert {r.params["ble_mac"] for r in first.received} == {"0"}


async def test_error_answers_and_silent_units_are_not_devices(
    clock: ManualClock, transport: MarstekTransport, make_fake: FakeFactory
) -> None:
    broken: FakeBattery = await make_fake("127.0.0.2", listen_broadcast=True)
    broken.errors["Marstek.GetDevice"] = (-32700, "Parse error")
    silent = await make_fake("127.0.0.3", broken.port, listen_broadcast=True)
    silent.drop_next = 99
    found = await run_with_time(
        clock,
        discover(transport, port=broken.port, broadcast_addresses=[LOOPBACK_BROADCAST], window_s=3),
    )
    assert found == []
    assert broken.received


async def test_discovery_arguments(transport: MarstekTransport) -> None:
    with pytest.raises(MarstekUsageError):
        await discover(transport, broadcast_addresses=[])
    with pytest.raises(MarstekUsageError):
        await discover(transport, broadcast_addresses=[LOOPBACK_BROADCAST], window_s=0)
