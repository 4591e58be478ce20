"""Discovery's default addresses: the global broadcast plus every IPv4 subnet broadcast."""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Iterable

import pytest

from bot.clock import ManualClock
from bot.marstek import discovery
from bot.marstek.discovery import (
    GLOBAL_BROADCAST,
    InterfaceAddress,
    default_broadcast_addresses,
    discover,
    subnet_broadcast,
)
from bot.marstek.transport import MarstekTransport
from tests.marstek.fake_battery import LOOPBACK_BROADCAST
from tests.netguard import NonLoopbackTrafficError, is_loopback


def interface(name: str, address: str, netmask: str) -> InterfaceAddress:
    """A fake interface entry."""
    return InterfaceAddress(name=name, address=address, netmask=netmask)


FAKE_INTERFACES = [
    interface("lo", "127.0.0.1", "255.0.0.0"),
    interface("eth0", "192.168.1.23", "255.255.255.0"),
    interface("wlan0", "10.0.5.7", "255.255.0.0"),
    interface("eth1", "192.168.1.40", "255.255.255.0"),  # same subnet as eth0
    interface("tun0", "10.8.0.2", "255.255.255.255"),  # point-to-point: no broadcast
    interface("p2p", "100.64.0.0", "255.255.255.254"),  # /31: no broadcast either
    interface("odd", "192.168.7.1", "255.0.255.0"),  # not a contiguous mask
]


def test_subnet_broadcasts_of_the_interfaces_follow_the_global_one() -> None:
    assert default_broadcast_addresses(lambda: FAKE_INTERFACES) == (
        GLOBAL_BROADCAST,
        "192.168.1.255",
        "10.0.255.255",
    )


def test_without_interfaces_only_the_global_broadcast_is_used() -> None:
    assert default_broadcast_addresses(list) == (GLOBAL_BROADCAST,)


@pytest.mark.parametrize("error", [OSError("no ioctl here"), ValueError("bad name")])
def test_a_failing_interface_lookup_falls_back_to_the_global_broadcast(error: Exception) -> None:
    def failing() -> Iterable[InterfaceAddress]:
        raise error

    assert default_broadcast_addresses(failing) == (GLOBAL_BROADCAST,)


@pytest.mark.parametrize(
    ("address", "netmask", "expected"),
    [
        ("192.168.1.23", "255.255.255.0", "192.168.1.255"),
        ("172.16.4.9", "255.255.252.0", "172.16.7.255"),
        ("127.0.0.1", "255.0.0.0", None),
        ("10.8.0.2", "255.255.255.255", None),
        ("not-an-ip", "255.255.255.0", None),
    ],
)
def test_subnet_broadcast(address: str, netmask: str, expected: str | None) -> None:
    assert subnet_broadcast(interface("x", address, netmask)) == expected


@pytest.mark.skipif(sys.platform != "linux", reason="the interface lookup uses Linux ioctls")
def test_the_real_lookup_sees_the_loopback_interface_without_sending_anything() -> None:
    found = discovery.ipv4_interfaces()
    assert interface("lo", "127.0.0.1", "255.0.0.0") in found
    assert default_broadcast_addresses()[0] == GLOBAL_BROADCAST


async def test_default_discovery_would_leave_loopback_and_the_guard_stops_it(
    transport: MarstekTransport,
) -> None:
    defaults = default_broadcast_addresses()
    assert defaults[0] == GLOBAL_BROADCAST
    assert not any(is_loopback(address) for address in defaults)
    # The guard refuses the very first datagram before it is handed to the OS, so nothing left.
    with pytest.raises(NonLoopbackTrafficError, match=r"'255\.255\.255\.255', 30999"):
        await discover(transport, port=30999)


async def test_interfaces_are_looked_up_only_when_no_address_is_given(
    monkeypatch: pytest.MonkeyPatch, clock: ManualClock, transport: MarstekTransport
) -> None:
    lookups: list[str] = []

    def counted() -> list[InterfaceAddress]:
        lookups.append("lookup")
        return []

    monkeypatch.setattr(discovery, "ipv4_interfaces", counted)
    explicit = [LOOPBACK_BROADCAST]
    running = asyncio.ensure_future(
        discover(transport, port=30999, broadcast_addresses=explicit, window_s=1, repeat_s=1)
    )
    for _ in range(100):  # virtual time moves only once the broadcast is on its way
        await asyncio.sleep(0.001)
        if running.done():
            break
        await clock.advance(0.5)
    assert running.result() == []
    assert lookups == []

    with pytest.raises(NonLoopbackTrafficError):
        await discover(transport, port=30999)
    assert lookups == ["lookup"]
