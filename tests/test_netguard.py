"""The loopback guard refuses non-loopback traffic, so the rest of the suite can rely on it."""

from __future__ import annotations

import socket

import pytest

from tests.netguard import NonLoopbackTrafficError, is_loopback


@pytest.mark.parametrize(
    ("host", "expected"),
    [
        ("127.0.0.1", True),
        ("127.0.0.42", True),
        ("127.255.255.255", True),
        ("::1", True),
        ("localhost", True),
        ("255.255.255.255", False),
        ("192.168.1.255", False),
        ("10.0.0.7", False),
        ("8.8.8.8", False),
        ("www.api-couleur-tempo.fr", False),
    ],
)
def test_is_loopback(host: str, expected: bool) -> None:
    assert is_loopback(host) is expected


@pytest.mark.parametrize("target", ["255.255.255.255", "192.168.1.255", "10.1.2.3"])
def test_udp_send_outside_loopback_is_refused(target: str) -> None:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_BROADCAST, 1)
        with pytest.raises(NonLoopbackTrafficError):
            sock.sendto(b"{}", (target, 30000))


def test_tcp_connect_outside_loopback_is_refused() -> None:
    with (
        socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock,
        pytest.raises(NonLoopbackTrafficError),
    ):
        sock.connect(("93.184.216.34", 443))


def test_loopback_udp_is_allowed() -> None:
    with (
        socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as rx,
        socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as tx,
    ):
        rx.bind(("127.0.0.1", 0))
        rx.settimeout(2)
        tx.sendto(b"ping", rx.getsockname())
        assert rx.recv(16) == b"ping"


def test_subprocess_guard_stays_installed() -> None:
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[1]
    code = "import gc; gc.collect(); from tests.netguard import is_guarded; print(is_guarded())"
    env = {"PYTHONPATH": f"{root / 'tests' / 'netguard_site'}:{root}", "PATH": "/usr/bin:/bin"}
    out = subprocess.run(  # noqa: S603
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == "True"
