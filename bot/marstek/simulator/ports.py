"""Find a UDP port that every simulated unit can bind on its own loopback address."""

from __future__ import annotations

import socket
from collections.abc import Sequence
from contextlib import ExitStack

_ATTEMPTS = 200


def _try_bind(stack: ExitStack, host: str, port: int) -> int | None:
    sock = stack.enter_context(socket.socket(socket.AF_INET, socket.SOCK_DGRAM))
    try:
        sock.bind((host, port))
    except OSError:
        return None
    bound: int = sock.getsockname()[1]
    return bound


def find_free_udp_port(hosts: Sequence[str]) -> int:
    """Return a UDP port that is bindable (without SO_REUSEADDR) on all these addresses."""
    if not hosts:
        raise ValueError("at least one host is needed")
    for _ in range(_ATTEMPTS):
        with ExitStack() as stack:
            port = _try_bind(stack, hosts[0], 0)
            if port is None:
                raise OSError(f"cannot bind a UDP socket on {hosts[0]}")
            # Hold every probe socket open together so one port really is free on all hosts.
            if all(_try_bind(stack, host, port) is not None for host in hosts[1:]):
                return port
    raise OSError(f"no UDP port free on all of {list(hosts)}")
