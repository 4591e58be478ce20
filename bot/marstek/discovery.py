"""Find batteries on the LAN: broadcast ``Marstek.GetDevice`` and collect who answers.

Units answer late, so the broadcast repeats every ~2 s over a ~9 s window. Answers are
de-duplicated by BLE MAC (IPs change with DHCP, ``wifi_mac`` was seen shared, and one unit can
answer from a Wi-Fi and an Ethernet address).

Without explicit addresses, discovery broadcasts to 255.255.255.255 and to the subnet broadcast
of every IPv4 interface (some routers and hosts drop the global broadcast); the interfaces are
read with the standard library only, and only when the caller gives no addresses.
"""

from __future__ import annotations

import ipaddress
import logging
import socket
import struct
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Final

from bot.marstek.device import DeviceInfo, parse_device_info
from bot.marstek.errors import MarstekResponseError, MarstekUsageError
from bot.marstek.protocol import (
    DEFAULT_PORT,
    DISCOVERY_ID,
    METHOD_GET_DEVICE,
    Reply,
    encode_request,
)
from bot.marstek.transport import MarstekTransport

_LOGGER = logging.getLogger(__name__)

GLOBAL_BROADCAST: Final = "255.255.255.255"
DEFAULT_WINDOW_S: Final = 9.0
DEFAULT_REPEAT_S: Final = 2.0

# Linux ioctl requests (linux/sockios.h) and the layout of struct ifreq: a 16-byte interface
# name, then a struct sockaddr_in whose IPv4 address sits at bytes 20..24 of the request.
_SIOCGIFADDR: Final = 0x8915
_SIOCGIFNETMASK: Final = 0x891B
_IFNAMSIZ: Final = 16
_IFREQ_BYTES: Final = 40
_IFREQ_ADDRESS: Final = slice(20, 24)


@dataclass(frozen=True, slots=True, kw_only=True)
class DiscoveredDevice:
    """One battery that answered the discovery broadcast."""

    info: DeviceInfo
    addresses: tuple[str, ...]
    """Source IPs it answered from, first answer first (use ``addresses[0]`` to talk to it)."""
    port: int

    @property
    def host(self) -> str:
        """The address to configure for this battery."""
        return self.addresses[0]


@dataclass(frozen=True, slots=True, kw_only=True)
class InterfaceAddress:
    """The IPv4 address and netmask of one local network interface."""

    name: str
    address: str
    netmask: str


InterfaceLister = Callable[[], Iterable[InterfaceAddress]]


def subnet_broadcast(interface: InterfaceAddress) -> str | None:
    """Return the interface's subnet broadcast; None for loopback, /31, /32 or bad values."""
    try:
        network = ipaddress.IPv4Interface(f"{interface.address}/{interface.netmask}").network
    except ValueError:
        return None
    if network.is_loopback or network.prefixlen >= 31:
        return None  # loopback reaches no battery; /31 and /32 links have no broadcast address
    return str(network.broadcast_address)


def default_broadcast_addresses(
    list_interfaces: InterfaceLister | None = None,
) -> tuple[str, ...]:
    """Return 255.255.255.255 plus each IPv4 interface's subnet broadcast (real-LAN default).

    ``list_interfaces`` defaults to :func:`ipv4_interfaces`; if it fails, only the global
    broadcast is returned.
    """
    lister = list_interfaces if list_interfaces is not None else ipv4_interfaces
    try:
        interfaces = tuple(lister())
    except (OSError, ValueError) as err:
        _LOGGER.info(
            "cannot list the network interfaces (%s); using %s only", err, GLOBAL_BROADCAST
        )
        return (GLOBAL_BROADCAST,)
    addresses = [GLOBAL_BROADCAST]
    for interface in interfaces:
        broadcast = subnet_broadcast(interface)
        if broadcast is not None and broadcast not in addresses:
            addresses.append(broadcast)
    return tuple(addresses)


def ipv4_interfaces() -> list[InterfaceAddress]:
    """List the interfaces that have an IPv4 address (Linux; elsewhere an empty list)."""
    if sys.platform != "linux":
        return []
    import fcntl

    found: list[InterfaceAddress] = []
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        for _, name in socket.if_nameindex():
            request = struct.pack(f"{_IFREQ_BYTES}s", name.encode()[: _IFNAMSIZ - 1])
            try:
                address = fcntl.ioctl(sock.fileno(), _SIOCGIFADDR, request)
                netmask = fcntl.ioctl(sock.fileno(), _SIOCGIFNETMASK, request)
            except OSError:
                continue  # the interface has no IPv4 address (or vanished meanwhile)
            found.append(
                InterfaceAddress(
                    name=name,
                    address=socket.inet_ntoa(address[_IFREQ_ADDRESS]),
                    netmask=socket.inet_ntoa(netmask[_IFREQ_ADDRESS]),
                )
            )
    return found


def discovery_request() -> bytes:
    """The broadcast datagram (id 0 is reserved for discovery)."""
    return encode_request(DISCOVERY_ID, METHOD_GET_DEVICE, {"ble_mac": "0"})


async def discover(
    transport: MarstekTransport,
    *,
    port: int = DEFAULT_PORT,
    broadcast_addresses: Iterable[str] | None = None,
    window_s: float = DEFAULT_WINDOW_S,
    repeat_s: float = DEFAULT_REPEAT_S,
) -> list[DiscoveredDevice]:
    """Broadcast on ``port`` every ``repeat_s`` for ``window_s`` and return the batteries found.

    ``broadcast_addresses`` None means :func:`default_broadcast_addresses` (the real LAN).
    """
    targets = (
        default_broadcast_addresses() if broadcast_addresses is None else tuple(broadcast_addresses)
    )
    if not targets:
        raise MarstekUsageError("discovery needs at least one broadcast address")
    if window_s <= 0 or repeat_s <= 0:
        raise MarstekUsageError("discovery window and repeat interval must be positive")
    clock = transport.clock
    payload = discovery_request()
    with transport.listen_discovery() as replies:
        elapsed = 0.0
        while elapsed < window_s:
            for address in targets:
                await transport.send_datagram(address, port, payload)
            step = min(repeat_s, window_s - elapsed)
            await clock.sleep(step)
            elapsed += step
        answers = list(replies)
    return _merge(answers, port)


def _merge(answers: Iterable[tuple[Reply, str]], port: int) -> list[DiscoveredDevice]:
    found: dict[str, tuple[DeviceInfo, list[str]]] = {}
    for reply, source_ip in answers:
        info = _device_from(reply, source_ip)
        if info is None:
            continue
        known = found.setdefault(info.ble_mac, (info, []))
        if source_ip not in known[1]:
            known[1].append(source_ip)
    return [
        DiscoveredDevice(info=info, addresses=tuple(addresses), port=port)
        for info, addresses in found.values()
    ]


def _device_from(reply: Reply, source_ip: str) -> DeviceInfo | None:
    if reply.result is None:
        return None  # error replies (e.g. -32700 parse error) also carry id 0
    try:
        return parse_device_info(reply.result, reply.src)
    except MarstekResponseError as err:
        _LOGGER.debug("ignored a discovery answer from %s: %s", source_ip, err)
        return None
