"""Find batteries on the LAN: broadcast ``Marstek.GetDevice`` and collect who answers.

Units answer late, so the broadcast repeats every ~2 s over a ~9 s window. Answers are
de-duplicated by BLE MAC (IPs change with DHCP, ``wifi_mac`` was seen shared, and one unit can
answer from a Wi-Fi and an Ethernet address).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass

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

DEFAULT_BROADCASTS = ("255.255.255.255",)
DEFAULT_WINDOW_S = 9.0
DEFAULT_REPEAT_S = 2.0


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


def discovery_request() -> bytes:
    """The broadcast datagram (id 0 is reserved for discovery)."""
    return encode_request(DISCOVERY_ID, METHOD_GET_DEVICE, {"ble_mac": "0"})


async def discover(
    transport: MarstekTransport,
    *,
    port: int = DEFAULT_PORT,
    broadcast_addresses: Iterable[str] = DEFAULT_BROADCASTS,
    window_s: float = DEFAULT_WINDOW_S,
    repeat_s: float = DEFAULT_REPEAT_S,
) -> list[DiscoveredDevice]:
    """Broadcast on ``port`` every ``repeat_s`` for ``window_s`` and return the batteries found."""
    targets = tuple(broadcast_addresses)
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
