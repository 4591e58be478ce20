"""1,000 requests over a lossy link: no reply may ever be handed to the wrong request or unit.

The simulator drops 30 % of requests and, independently, 30 % of replies, sends 20 % of the
replies late (after the client gave up, while its next request is pending) and duplicates 20 %.
Requests go out without a gap, alternating methods whose replies differ in shape, so a reply
matched to the wrong request shows. Correctness here does not depend on timing: a slow machine
only turns more tries into timeouts.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import pytest

from bot.clock import ScaledClock
from bot.marstek.client import ClientOptions, MarstekClient
from bot.marstek.errors import MarstekTimeoutError
from bot.marstek.protocol import Reply
from bot.marstek.simulator import Faults, SimulatedBattery, Simulator
from bot.marstek.transport import MarstekTransport, TransportOptions
from tests.marstek.integration.conftest import LOOPBACK_BROADCAST, Wire

REQUESTS = 1000
SPEED = 400.0
"""Virtual seconds per real second: the 2 s client timeout lasts 5 ms of real time."""
TIMEOUT_S = 2.0
LATE_DELAY_REAL_S = 1.5 * TIMEOUT_S / SPEED
"""Real time (the simulator's latency is real): 1.5 timeouts, so during the next try."""
METHODS = ("ES.GetStatus", "ES.GetMode", "Marstek.GetDevice", "Wifi.GetStatus")
PARAMS: Mapping[str, Mapping[str, Any]] = {"Marstek.GetDevice": {"ble_mac": "0"}}
DROP_LOG = "dropped a late or unknown reply"


@dataclass(frozen=True, slots=True, kw_only=True)
class Returned:
    """A reply the transport handed back, with what it had been asked."""

    ip: str
    method: str
    sent_id: int
    reply: Reply


class SpyTransport(MarstekTransport):
    """Keeps every reply returned by :meth:`exchange`, with the id of the datagram it answered."""

    def __init__(self, wire: Wire, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.wire = wire
        self.returned: list[Returned] = []

    async def exchange(
        self, ip: str, port: int, method: str, params: Mapping[str, Any], *, timeout_s: float
    ) -> Reply:
        """Exchange as usual and remember the outcome."""
        reply = await super().exchange(ip, port, method, params, timeout_s=timeout_s)
        # Nothing ran since the exchange ended: the last id sent to ip is this request's.
        sent_id = self.wire.last_request_id[(ip, port)]
        self.returned.append(Returned(ip=ip, method=method, sent_id=sent_id, reply=reply))
        return reply


def mismatch(unit: SimulatedBattery, returned: Returned) -> str | None:
    """Describe why ``returned`` is not the reply to its request from ``unit``; None if it is."""
    reply, result = returned.reply, returned.reply.result or {}
    if reply.id != returned.sent_id:
        return f"id {reply.id} answered request {returned.sent_id}"
    if reply.src != unit.src:
        return f"{reply.src} answered a request to {unit.src}"
    expected_shape = {
        "ES.GetStatus": "bat_cap" in result and "mode" not in result,
        "ES.GetMode": "mode" in result and "bat_cap" not in result,
        "Marstek.GetDevice": result.get("ble_mac") == unit.config.ble_mac
        and result.get("ip") == unit.host,
        "Wifi.GetStatus": result.get("sta_ip") == unit.host and "mode" not in result,
    }[returned.method]
    return None if expected_shape else f"{returned.method} got {sorted(result)}"


async def hammer(client: MarstekClient, count: int, *, offset: int) -> tuple[int, int]:
    """Send ``count`` requests one after the other; return (answered, timed out)."""
    answered = timed_out = 0
    for index in range(count):
        method = METHODS[(index + offset) % len(METHODS)]
        try:
            await client.request(method, PARAMS.get(method))
        except MarstekTimeoutError:
            timed_out += 1
        else:
            answered += 1
    return answered, timed_out


async def test_no_reply_is_ever_attributed_to_the_wrong_request_or_unit(
    wire: Wire, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG, logger="bot.marstek.transport")
    clock = ScaledClock(datetime(2026, 1, 15, 5, 0, tzinfo=UTC), speed=SPEED)
    options = TransportOptions(local_host="127.0.0.1", local_port=0, request_gap_s=0.0)
    transport = SpyTransport(wire, clock=clock, options=options)
    async with (
        Simulator(3, clock=clock, seed=5, broadcast_address=LOOPBACK_BROADCAST) as sim,
        transport,
    ):
        for unit in sim.units:
            unit.faults = Faults(
                loss_rate=0.3, late_rate=0.2, late_delay_s=LATE_DELAY_REAL_S, duplicate_rate=0.2
            )
        clients = [
            MarstekClient(
                transport, unit.host, port=sim.port, options=ClientOptions(timeout_s=TIMEOUT_S)
            )
            for unit in sim.units
        ]
        shares = [REQUESTS // 3 + (1 if i < REQUESTS % 3 else 0) for i in range(3)]  # 334+333+333
        outcomes = await asyncio.gather(
            *(hammer(client, shares[i], offset=i) for i, client in enumerate(clients))
        )
        pending_left = len(transport._pending)

    units = {unit.host: unit for unit in sim.units}
    problems = [
        problem
        for returned in transport.returned
        if (problem := mismatch(units[returned.ip], returned)) is not None
    ]
    answered = sum(a for a, _ in outcomes)
    timed_out = sum(t for _, t in outcomes)
    drops = sum(DROP_LOG in record.getMessage() for record in caplog.records)

    assert problems == []
    assert answered + timed_out == REQUESTS
    assert len(transport.returned) == answered
    assert answered >= REQUESTS // 2  # ≈ 78 % expected: 1 − (1 − 0.7 × 0.7 × 0.8)³
    assert timed_out > 0
    assert wire.stale_replies > 0  # late replies did arrive while newer requests were pending
    assert drops >= wire.stale_replies  # every stale and every duplicate reply was dropped
    assert pending_left == 0
