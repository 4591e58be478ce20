"""UDP transport shared by every battery: sockets, request ids, pacing and reply matching.

One :class:`MarstekTransport` serves the whole fleet. It owns one socket per local port (by
default the battery's API port, because some firmware only answers there), matches replies on
``(source IP, id)`` and drops everything else (late replies after a timeout, strangers). Each
battery is treated as single-threaded: one request in flight and a configurable gap between two
datagrams to the same IP; different batteries proceed in parallel.

All waiting (gaps and timeouts) uses the injected :class:`~bot.marstek.clock.Clock`, so a
simulator on a fast clock and tests on a manual clock see the same behaviour as production.
"""

from __future__ import annotations

import asyncio
import itertools
import logging
import socket
from collections.abc import Iterator, Mapping
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Final, cast

from bot.marstek.clock import Clock
from bot.marstek.errors import (
    MarstekConnectionError,
    MarstekResponseError,
    MarstekTimeoutError,
    MarstekUsageError,
    TransportClosedError,
)
from bot.marstek.protocol import (
    DISCOVERY_ID,
    MAX_REQUEST_ID,
    Reply,
    decode_reply,
    encode_request,
)

_LOGGER = logging.getLogger(__name__)

ALL_INTERFACES: Final = "0.0.0.0"  # noqa: S104 - replies and broadcasts arrive on the LAN side
_RECEIVE_BUFFER_BYTES: Final = 1 << 18


@dataclass(frozen=True, slots=True, kw_only=True)
class TransportOptions:
    """How the transport binds and paces."""

    local_host: str = ALL_INTERFACES
    local_port: int | None = None
    """None: bind the battery's API port (fall back to an ephemeral one); 0: always ephemeral."""
    request_gap_s: float = 5.0
    """Minimum time between two datagrams to the same battery (≥ 2 s on real units)."""

    def __post_init__(self) -> None:
        if self.local_port is not None and not 0 <= self.local_port <= 65535:
            raise MarstekUsageError(f"local port {self.local_port} is outside 0..65535")
        if self.request_gap_s < 0:
            raise MarstekUsageError("the request gap cannot be negative")


@dataclass(slots=True)
class _Pace:
    """Per-battery state: one request in flight, and when the last datagram left."""

    lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    last_sent_at: datetime | None = None


class _Endpoint(asyncio.DatagramProtocol):
    """One bound socket; hands every datagram to the transport."""

    def __init__(self, owner: MarstekTransport, sock: socket.socket) -> None:
        self._owner = owner
        self.sock = sock
        self.transport: asyncio.DatagramTransport | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        """Keep the datagram transport."""
        # The selector loop's datagram transport does not subclass DatagramTransport on 3.11.
        self.transport = cast(asyncio.DatagramTransport, transport)

    def datagram_received(self, data: bytes, addr: tuple[str | Any, int]) -> None:
        """Route a datagram to whoever waits for it."""
        self._owner._dispatch(data, str(addr[0]))

    def error_received(self, exc: Exception) -> None:
        """Log ICMP-level errors: the request concerned will simply time out."""
        _LOGGER.debug("UDP error reported by the OS: %s", exc)

    def connection_lost(self, exc: Exception | None) -> None:
        """Forget this socket so that the next request opens a fresh one."""
        if exc is not None:
            _LOGGER.warning("UDP socket lost: %s", exc)
        self._owner._forget(self)


class MarstekTransport:
    """The fleet's UDP endpoint(s) for the Open API."""

    def __init__(self, *, clock: Clock, options: TransportOptions | None = None) -> None:
        self._clock = clock
        self._options = options or TransportOptions()
        self._endpoints: dict[int, _Endpoint] = {}
        self._endpoint_lock = asyncio.Lock()
        self._pending: dict[tuple[str, int], asyncio.Future[Reply]] = {}
        self._paces: dict[str, _Pace] = {}
        self._listeners: list[list[tuple[Reply, str]]] = []
        self._ids = itertools.count(1)
        self._closed = False

    @property
    def clock(self) -> Clock:
        """The clock every wait of this transport uses."""
        return self._clock

    @property
    def options(self) -> TransportOptions:
        """The binding and pacing options."""
        return self._options

    async def __aenter__(self) -> MarstekTransport:
        """Use the transport as an async context manager; closes on exit."""
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        """Close the transport."""
        await self.close()

    async def close(self) -> None:
        """Close every socket and fail every pending request with :class:`TransportClosedError`."""
        self._closed = True
        for future in self._pending.values():
            if not future.done():
                future.set_exception(TransportClosedError("the transport was closed"))
        self._pending.clear()
        for endpoint in self._endpoints.values():
            if endpoint.transport is not None:
                endpoint.transport.close()
        self._endpoints.clear()
        await asyncio.sleep(0)  # let the event loop finish closing the sockets

    def local_address(self, api_port: int) -> tuple[str, int] | None:
        """Return the local address used for ``api_port`` once its socket is open (logs, tests)."""
        endpoint = self._endpoints.get(self._endpoint_key(api_port))
        if endpoint is None or endpoint.transport is None:
            return None
        host, port = endpoint.transport.get_extra_info("sockname")[:2]
        return str(host), int(port)

    async def exchange(
        self, ip: str, port: int, method: str, params: Mapping[str, Any], *, timeout_s: float
    ) -> Reply:
        """Send one request to ``ip:port`` and return its reply, paced per battery.

        Raises :class:`MarstekTimeoutError` when nothing matching came back within ``timeout_s``.
        """
        endpoint = await self._endpoint_for(port)
        pace = self._paces.setdefault(ip, _Pace())
        async with pace.lock:
            await self._wait_for_gap(pace)
            request_id = self._next_id(ip)
            key = (ip, request_id)
            future: asyncio.Future[Reply] = asyncio.get_running_loop().create_future()
            self._pending[key] = future
            try:
                self._send(endpoint, encode_request(request_id, method, params), (ip, port))
                pace.last_sent_at = self._clock.now()
                return await self._wait_reply(future, timeout_s, f"{method} to {ip}:{port}")
            finally:
                if self._pending.get(key) is future:
                    del self._pending[key]

    async def send_datagram(self, address: str, port: int, payload: bytes) -> None:
        """Send one unpaced datagram (discovery broadcasts) from the socket used for ``port``."""
        endpoint = await self._endpoint_for(port)
        self._send(endpoint, payload, (address, port))

    @contextmanager
    def listen_discovery(self) -> Iterator[list[tuple[Reply, str]]]:
        """Collect every id-0 reply, with its source IP, while the block runs."""
        replies: list[tuple[Reply, str]] = []
        self._listeners.append(replies)
        try:
            yield replies
        finally:
            self._listeners.remove(replies)

    def _forget(self, endpoint: _Endpoint) -> None:
        for key, known in list(self._endpoints.items()):
            if known is endpoint:
                del self._endpoints[key]

    def _dispatch(self, data: bytes, source_ip: str) -> None:
        try:
            reply = decode_reply(data)
        except MarstekResponseError as err:
            _LOGGER.debug("dropped an unreadable datagram from %s: %s", source_ip, err)
            return
        if reply.id == DISCOVERY_ID and self._listeners:
            for replies in self._listeners:
                replies.append((reply, source_ip))
            return
        future = self._pending.get((source_ip, reply.id))
        if future is None or future.done():
            # A reply that arrives after its request timed out, or one we never asked for.
            _LOGGER.debug("dropped a late or unknown reply id=%s from %s", reply.id, source_ip)
            return
        future.set_result(reply)

    def _send(self, endpoint: _Endpoint, payload: bytes, address: tuple[str, int]) -> None:
        if endpoint.transport is None or endpoint.transport.is_closing():
            raise TransportClosedError("the transport was closed")
        if not payload:
            raise MarstekUsageError("never send an empty datagram: it can freeze the Open API")
        # Sent on the socket here rather than through asyncio, which would hand an unexpected
        # failure to the loop's exception handler and close the socket instead of raising it
        # to the caller. UDP keeps no order, so bypassing asyncio's queue is harmless.
        try:
            endpoint.sock.sendto(payload, address)
        except (BlockingIOError, InterruptedError):
            endpoint.transport.sendto(payload, address)  # buffer full: let asyncio queue it
        except OSError as err:
            # As asyncio would: the datagram is lost and the request concerned times out.
            _LOGGER.debug("cannot send to %s:%s: %s", address[0], address[1], err)

    async def _wait_for_gap(self, pace: _Pace) -> None:
        if pace.last_sent_at is None:
            return
        elapsed = (self._clock.now() - pace.last_sent_at).total_seconds()
        remaining = self._options.request_gap_s - elapsed
        if remaining > 0:
            await self._clock.sleep(remaining)

    def _next_id(self, ip: str) -> int:
        # Ids are 16-bit on the device and 0 is reserved for discovery.
        while True:
            candidate = (next(self._ids) - 1) % MAX_REQUEST_ID + 1
            if (ip, candidate) not in self._pending:
                return candidate

    async def _wait_reply(
        self, future: asyncio.Future[Reply], timeout_s: float, what: str
    ) -> Reply:
        timer: asyncio.Future[None] = asyncio.ensure_future(self._clock.sleep(timeout_s))
        try:
            await asyncio.wait((future, timer), return_when=asyncio.FIRST_COMPLETED)
        finally:
            timer.cancel()
        if future.done():
            return future.result()
        raise MarstekTimeoutError(f"no reply to {what} within {timeout_s:g} s")

    def _endpoint_key(self, api_port: int) -> int:
        return api_port if self._options.local_port is None else self._options.local_port

    async def _endpoint_for(self, api_port: int) -> _Endpoint:
        if self._closed:
            raise TransportClosedError("the transport was closed")
        key = self._endpoint_key(api_port)
        async with self._endpoint_lock:
            endpoint = self._endpoints.get(key)
            if endpoint is None:
                endpoint = await self._open(key)
                self._endpoints[key] = endpoint
            return endpoint

    async def _open(self, port: int) -> _Endpoint:
        host = self._options.local_host
        try:
            sock = _bound_socket(host, port)
        except OSError as err:
            if self._options.local_port is not None:
                raise MarstekConnectionError(f"cannot bind UDP {host}:{port}: {err}") from err
            _LOGGER.info("UDP port %s is taken (%s); using an ephemeral local port", port, err)
            try:
                sock = _bound_socket(host, 0)
            except OSError as err2:
                raise MarstekConnectionError(f"cannot bind UDP on {host}: {err2}") from err2
        loop = asyncio.get_running_loop()
        _, protocol = await loop.create_datagram_endpoint(lambda: _Endpoint(self, sock), sock=sock)
        return protocol


def _bound_socket(host: str, port: int) -> socket.socket:
    """Return a non-blocking UDP socket bound to ``host:port``, able to broadcast."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_BROADCAST, 1)
        with suppress(OSError):
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, _RECEIVE_BUFFER_BYTES)
        sock.bind((host, port))
        sock.setblocking(False)
    except OSError:
        sock.close()
        raise
    return sock
