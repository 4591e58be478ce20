"""Suite-wide fixtures: no traffic may leave loopback, ever."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.netguard import loopback_only


@pytest.fixture(autouse=True)
def _loopback_only() -> Iterator[None]:
    """Fail any test whose code would send a datagram or open a connection off 127.0.0.0/8."""
    with loopback_only():
        yield
