"""A small scripted Open API unit for the client tests: a real UDP server on a loopback address.

It is deliberately not the simulator: every misbehaviour a test needs (lost datagrams, busy
refusals, a mode that shows late, a passive setpoint that needs re-sending, replies to the API
port only, late replies) is a plain attribute the test sets. Each fake lives on its own
127.0.0.x address, like real units on a LAN, so replies can be matched on (source IP, id).
"""

from __future__ import annotations

import asyncio
import json
import socket
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from bot.clock import Clock, ManualClock
from bot.marstek.transport import MarstekTransport

T = TypeVar("T")
Handler = Callable[[dict[str, Any]], dict[str, Any]]
LOOPBACK_BROADCAST = "127.255.255.255"


@dataclass
class Received:
    """One request as the fake saw it."""

    id: int
    method: str
    params: dict[str, Any]
    source: tuple[str, int]
    at_s: float
    """Clock time of arrival, in seconds since the clock's start."""


@dataclass
class FakeState:
    """What the fake unit is doing."""

    mode: str | int = "Auto"
    soc_pct: float = 50.0
    ac_power_w: float = 0.0
    pv_power_w: float = 0.0


class FakeBattery(asyncio.DatagramProtocol):
    """A scripted Marstek unit; start it with :meth:`start`, stop it with :meth:`close`."""

    def __init__(self, ip: str, clock: Clock, *, ble_mac: str = "0c587b17df4f") -> None:
        self.ip = ip
        self.port = 0
        self.clock = clock
        self._origin = clock.now()
        self.ble_mac = ble_mac
        self.src = f"VenusE 3.0-{ble_mac}"
        self.device: dict[str, Any] = {
            "device": "VenusE 3.0",
            "ver": 155,
            "ble_mac": ble_mac,
            "wifi_mac": "aabbccddeeff",
            "wifi_name": "home",
            "ip": ip,
        }
        self.state = FakeState()
        self.handlers: dict[str, Handler] = {}
        self.errors: dict[str, tuple[int, str]] = {}
        self.received: list[Received] = []
        self.answered: dict[int, tuple[str, int]] = {}
        """Request id → where its reply was sent."""
        self.drop_next = 0
        """Drop this many requests, whatever their method."""
        self.drop_methods: dict[str, int] = {}
        """Drop this many requests of the given method."""
        self.apply_dropped_set_mode = False
        """A dropped ES.SetMode still takes effect (only its reply is lost)."""
        self.refuse_set_mode = 0
        self.mode_lag_reads = 0
        """After a SetMode, ES.GetMode shows the old mode for this many reads."""
        self.ignore_passive_sends = 0
        """Acknowledge this many passive setpoints without applying their power."""
        self.reply_port: int | None = None
        self.hold_replies = False
        self.held: list[tuple[bytes, tuple[str, int]]] = []
        self.pretty = False
        self._lagging: tuple[str | int, int] | None = None
        self._transport: asyncio.DatagramTransport | None = None
        self._listener: asyncio.DatagramTransport | None = None

    async def start(self, port: int = 0, *, listen_broadcast: bool = False) -> FakeBattery:
        """Bind ``ip:port`` (ephemeral when 0) and, if asked, the loopback broadcast address."""
        loop = asyncio.get_running_loop()
        transport, _ = await loop.create_datagram_endpoint(lambda: self, local_addr=(self.ip, port))
        self._transport = transport
        self.port = int(transport.get_extra_info("sockname")[1])
        if listen_broadcast:
            sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            sock.bind((LOOPBACK_BROADCAST, self.port))
            self._listener, _ = await loop.create_datagram_endpoint(
                lambda: _BroadcastListener(self), sock=sock
            )
        return self

    def close(self) -> None:
        """Close the sockets."""
        for transport in (self._transport, self._listener):
            if transport is not None:
                transport.close()

    def methods(self, name: str) -> list[Received]:
        """The requests received for method ``name``."""
        return [r for r in self.received if r.method == name]

    def send_raw(self, data: bytes, addr: tuple[str, int]) -> None:
        """Send any datagram from this fake's address (stray or forged replies)."""
        assert self._transport is not None
        self._transport.sendto(data, addr)

    def release_held(self) -> None:
        """Send every reply held back by ``hold_replies``."""
        assert self._transport is not None
        for data, addr in self.held:
            self._transport.sendto(data, addr)
        self.held.clear()

    def datagram_received(self, data: bytes, addr: tuple[str | Any, int]) -> None:
        """Answer one request (or drop it, as scripted)."""
        request = json.loads(data)
        method, params = request["method"], request.get("params", {})
        seen_at = (self.clock.now() - self._origin).total_seconds()
        self.received.append(Received(request["id"], method, params, (addr[0], addr[1]), seen_at))
        if self._drop(method):
            if method == "ES.SetMode" and self.apply_dropped_set_mode:
                self._set_mode(params)
            return
        self._reply(request["id"], self._answer(method, params), (addr[0], addr[1]))

    def _drop(self, method: str) -> bool:
        if self.drop_next > 0:
            self.drop_next -= 1
            return True
        if self.drop_methods.get(method, 0) > 0:
            self.drop_methods[method] -= 1
            return True
        return False

    def _answer(self, method: str, params: dict[str, Any]) -> dict[str, Any]:
        if method in self.errors:
            code, message = self.errors[method]
            return {"error": {"code": code, "message": message, "data": 7}}
        if method in self.handlers:
            return {"result": self.handlers[method](params)}
        builtin = {
            "Marstek.GetDevice": lambda _: dict(self.device),
            "ES.GetStatus": lambda _: self._es_status(),
            "ES.GetMode": lambda _: self._es_mode(),
            "ES.SetMode": self._set_mode,
        }.get(method)
        if builtin is None:
            return {"error": {"code": -32601, "message": "Method not found"}}
        return {"result": {"id": 0, **builtin(params)}}

    def _reply(self, request_id: int, body: dict[str, Any], addr: tuple[str, int]) -> None:
        assert self._transport is not None
        message = {"id": request_id, "src": self.src, **body}
        data = json.dumps(message, indent="\t" if self.pretty else None).encode()
        target = (addr[0], self.reply_port) if self.reply_port is not None else addr
        self.answered[request_id] = target
        if self.hold_replies:
            self.held.append((data, target))
        else:
            self._transport.sendto(data, target)

    def _es_status(self) -> dict[str, Any]:
        s = self.state
        return {
            "bat_soc": s.soc_pct,
            "bat_cap": 5120,
            "pv_power": s.pv_power_w,
            "ongrid_power": s.ac_power_w,
            "offgrid_power": 0,
            "bat_power": s.pv_power_w - s.ac_power_w,
            "total_pv_energy": 0,
            "total_grid_output_energy": 2204,
            "total_grid_input_energy": 1787,
            "total_load_energy": 0,
        }

    def _es_mode(self) -> dict[str, Any]:
        mode = self.state.mode
        if self._lagging is not None:
            old_mode, reads_left = self._lagging
            mode = old_mode
            self._lagging = (old_mode, reads_left - 1) if reads_left > 1 else None
        return {
            "mode": mode,
            "ongrid_power": self.state.ac_power_w,
            "offgrid_power": 0,
            "bat_soc": self.state.soc_pct,
        }

    def _set_mode(self, params: dict[str, Any]) -> dict[str, Any]:
        if self.refuse_set_mode > 0:
            self.refuse_set_mode -= 1
            return {"set_result": False}
        config = params["config"]
        if self.mode_lag_reads:
            self._lagging = (self.state.mode, self.mode_lag_reads)
        self.state.mode = config["mode"]
        if config["mode"] == "Passive":
            if self.ignore_passive_sends > 0:
                self.ignore_passive_sends -= 1
                self.state.ac_power_w = 0
            else:
                self.state.ac_power_w = config["passive_cfg"]["power"]
        return {"set_result": True}


class _BroadcastListener(asyncio.DatagramProtocol):
    """Receives broadcasts for a fake and answers from the fake's unicast socket."""

    def __init__(self, owner: FakeBattery) -> None:
        self._owner = owner

    def datagram_received(self, data: bytes, addr: tuple[str | Any, int]) -> None:
        self._owner.datagram_received(data, addr)


def settled(transport: MarstekTransport, fakes: list[FakeBattery]) -> bool:
    """True when no datagram is crossing loopback: every pending request reached its fake, and
    was dropped, held, answered to an address nobody listens on, or its reply was consumed."""
    by_ip = {fake.ip: fake for fake in fakes}
    listening = {
        tuple(endpoint.transport.get_extra_info("sockname")[:2])
        for endpoint in transport._endpoints.values()
        if endpoint.transport is not None
    }
    for (ip, request_id), future in transport._pending.items():
        fake = by_ip.get(ip)
        if future.done() or fake is None:
            continue
        if not any(r.id == request_id for r in fake.received):
            return False  # the request is still on its way
        target = fake.answered.get(request_id)
        if target is not None and not fake.hold_replies and target in listening:
            return False  # the reply is on its way back
    return True


@dataclass(kw_only=True)
class ClockDriver:
    """Runs a coroutine to completion on a :class:`ManualClock`, advancing virtual time only
    while no datagram is in flight, so timeouts are deterministic and tests take milliseconds.
    Subclasses say what "no datagram in flight" means (:meth:`settled`)."""

    clock: ManualClock
    transport: MarstekTransport
    step_s: float = 0.25
    """Must stay below the shortest timeout: a reply is processed between two steps."""
    limit_s: float = 3600.0

    def settled(self) -> bool:
        """True when nothing is on its way."""
        raise NotImplementedError

    async def run(self, awaitable: Awaitable[T]) -> T:
        """Await ``awaitable`` while driving the clock; fail if virtual time runs past the limit."""
        task = asyncio.ensure_future(awaitable)
        start = self.clock.now()
        try:
            while not task.done():
                await self._settle()
                if task.done():
                    break
                if (self.clock.now() - start).total_seconds() > self.limit_s:
                    raise AssertionError("the driven coroutine did not finish in virtual time")
                await self.clock.advance(self.step_s)
            return task.result()
        finally:
            if not task.done():
                task.cancel()
                await asyncio.gather(task, return_exceptions=True)

    async def _settle(self) -> None:
        for _ in range(2000):  # ≤ ~2 s of real time: a loopback datagram takes microseconds
            for _ in range(5):  # let woken tasks run up to their next await
                await asyncio.sleep(0)
            if self.settled():
                return
            await asyncio.sleep(0.001)
        raise AssertionError("a datagram never arrived on loopback")


@dataclass(kw_only=True)
class Driver(ClockDriver):
    """The driver for scripted fake batteries."""

    fakes: list[FakeBattery] = field(default_factory=list)

    def settled(self) -> bool:
        """True when every request reached its fake and every reply came back."""
        return settled(self.transport, self.fakes)
