"""UDP side of one unit: its sockets, and the faults between the wire and the device."""

from __future__ import annotations

import asyncio
import logging
import random
import socket
from collections.abc import Callable
from typing import Protocol

from bot.marstek.simulator.faults import Faults

_LOGGER = logging.getLogger(__name__)
Address = tuple[str, int]


class Responder(Protocol):
    """The device behind a :class:`UnitServer`."""

    def note_datagram(self, data: bytes, source: Address, *, via_broadcast: bool) -> None:
        """Count a datagram that reached the unit's sockets (before any fault)."""
        ...

    def respond(self, data: bytes, *, via_broadcast: bool) -> bytes | None:
        """Handle a datagram that got through; return the reply, or None for no reply."""
        ...


def bind_udp(host: str, port: int) -> socket.socket:
    """Return a non-blocking UDP socket bound to (host, port) with SO_REUSEADDR."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.setblocking(False)
        sock.bind((host, port))
    except OSError:
        sock.close()
        raise
    return sock


class _Endpoint(asyncio.DatagramProtocol):
    def __init__(self, on_datagram: Callable[[bytes, Address], None]) -> None:
        self._on_datagram = on_datagram

    def datagram_received(self, data: bytes, addr: Address) -> None:
        try:
            self._on_datagram(data, addr)
        except Exception:
            # A simulator bug must not kill the socket: log it like a device would reboot.
            _LOGGER.exception("simulated unit failed on a datagram from %s", addr)

    def error_received(self, exc: Exception) -> None:
        _LOGGER.debug("simulated unit socket error: %s", exc)


class UnitServer:
    """Unicast (and optional broadcast) sockets of one unit, applying its :class:`Faults`."""

    def __init__(
        self,
        *,
        host: str,
        port: int,
        broadcast_address: str | None,
        responder: Responder,
        faults: Callable[[], Faults],
        rng: random.Random,
    ) -> None:
        self.host = host
        self.port = port
        self._broadcast_address = broadcast_address
        self._responder = responder
        self._faults = faults
        self._rng = rng
        self._unicast: asyncio.DatagramTransport | None = None
        self._broadcast: asyncio.DatagramTransport | None = None
        self._timers: set[asyncio.TimerHandle] = set()

    async def start(self) -> None:
        """Bind the sockets and start answering."""
        loop = asyncio.get_running_loop()
        unicast_sock = bind_udp(self.host, self.port)
        self._unicast, _ = await loop.create_datagram_endpoint(
            lambda: _Endpoint(self._on_unicast), sock=unicast_sock
        )
        if self._broadcast_address is not None:
            try:
                broadcast_sock = bind_udp(self._broadcast_address, self.port)
            except OSError:
                await self.close()
                raise
            self._broadcast, _ = await loop.create_datagram_endpoint(
                lambda: _Endpoint(self._on_broadcast), sock=broadcast_sock
            )

    async def close(self) -> None:
        """Cancel pending replies and close the sockets."""
        for timer in self._timers:
            timer.cancel()
        self._timers.clear()
        for transport in (self._unicast, self._broadcast):
            if transport is not None:
                transport.close()
        self._unicast = self._broadcast = None
        # Let connection_lost run so no transport is left half-closed (pytest -W error).
        await asyncio.sleep(0)

    def _on_unicast(self, data: bytes, addr: Address) -> None:
        self._handle(data, addr, via_broadcast=False)

    def _on_broadcast(self, data: bytes, addr: Address) -> None:
        self._handle(data, addr, via_broadcast=True)

    def _handle(self, data: bytes, addr: Address, *, via_broadcast: bool) -> None:
        self._responder.note_datagram(data, addr, via_broadcast=via_broadcast)
        faults = self._faults()
        # Draw every random number on every datagram so a seed replays the same story
        # whatever knobs are changed in between.
        drop_request = self._rng.random() < faults.loss_rate
        drop_reply = self._rng.random() < faults.loss_rate
        late = self._rng.random() < faults.late_rate
        duplicate = self._rng.random() < faults.duplicate_rate
        low, high = faults.latency_s
        delay_s = self._rng.uniform(low, high) if high > 0 else 0.0
        if not data:
            _LOGGER.warning("empty datagram from %s ignored", addr)
            return
        if faults.silent or drop_request:
            return
        reply = self._responder.respond(data, via_broadcast=via_broadcast)
        if reply is None or drop_reply:
            return
        if late:
            delay_s += faults.late_delay_s
        target = (addr[0], self.port) if faults.reply_to_api_port else addr
        for _ in range(2 if duplicate else 1):
            self._send_after(delay_s, reply, target)

    def _send_after(self, delay_s: float, payload: bytes, target: Address) -> None:
        if delay_s <= 0:
            self._send(payload, target)
            return
        loop = asyncio.get_running_loop()
        timer: asyncio.TimerHandle | None = None

        def fire() -> None:
            if timer is not None:
                self._timers.discard(timer)
            self._send(payload, target)

        timer = loop.call_later(delay_s, fire)
        self._timers.add(timer)

    def _send(self, payload: bytes, target: Address) -> None:
        # Always from the unicast socket, so a broadcast answer comes from the unit's own IP.
        if self._unicast is not None and not self._unicast.is_closing():
            self._unicast.sendto(payload, target)
