"""A guard that makes any test fail if the code under test sends traffic outside 127.0.0.0/8.

The workplace (and a user's neighbours) must never see test traffic: discovery broadcasts to
255.255.255.255 or a LAN subnet, HTTP calls to real Tempo or Telegram servers, all of it is refused
here with :class:`NonLoopbackTrafficError` before a single byte leaves the process.
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any


class NonLoopbackTrafficError(AssertionError):
    """Raised when code under test tries to reach a non-loopback address."""


def is_loopback(host: object) -> bool:
    """Tell whether ``host`` (an IP string, or a name resolving to loopback) is loopback."""
    if not isinstance(host, str):
        return False
    if host in ("localhost", ""):
        return host == "localhost"
    try:
        return ipaddress.ip_address(host.split("%")[0]).is_loopback
    except ValueError:
        return False


def _check(address: Any) -> None:
    if isinstance(address, tuple) and address and not is_loopback(address[0]):
        raise NonLoopbackTrafficError(f"test traffic to non-loopback address {address!r} refused")


@contextmanager
def loopback_only() -> Iterator[None]:
    """Patch the socket layer so that only loopback destinations can be reached."""
    original_sendto = socket.socket.sendto
    original_connect = socket.socket.connect
    original_connect_ex = socket.socket.connect_ex

    def sendto(self: socket.socket, data: Any, *args: Any) -> int:
        _check(args[-1])
        return original_sendto(self, data, *args)

    def connect(self: socket.socket, address: Any) -> None:
        _check(address)
        original_connect(self, address)

    def connect_ex(self: socket.socket, address: Any) -> int:
        _check(address)
        return original_connect_ex(self, address)

    socket.socket.sendto = sendto  # type: ignore[assignment,method-assign]
    socket.socket.connect = connect  # type: ignore[method-assign]
    socket.socket.connect_ex = connect_ex  # type: ignore[method-assign]
    try:
        yield
    finally:
        socket.socket.sendto = original_sendto  # type: ignore[method-assign]
        socket.socket.connect = original_connect  # type: ignore[method-assign]
        socket.socket.connect_ex = original_connect_ex  # type: ignore[method-assign]


_PERMANENT: list[object] = []


def install_loopback_only() -> None:
    """Guard the whole process for good (used by subprocesses of the tests)."""
    guard = loopback_only()
    guard.__enter__()
    _PERMANENT.append(guard)  # a dropped generator would run its finally and lift the guard


def is_guarded() -> bool:
    """Tell whether the socket layer is currently patched by the guard."""
    return socket.socket.sendto.__name__ == "sendto" and socket.socket.sendto.__module__ == __name__
