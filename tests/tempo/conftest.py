"""Fixtures for the Tempo tests: an HTTP client, the three fake source servers, helpers."""

from __future__ import annotations

import ssl
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

import httpx
import pytest

from tests.fakes.tempo_servers import CouleurTempoServer, RtePublicServer, RteServer

PARIS = ZoneInfo("Europe/Paris")
# A Wednesday in the red window: tomorrow (Thu 15 Jan 2026) may be any colour.
TODAY = date(2026, 1, 14)
TIMEOUT_S = 0.25


def paris(day: date, hour: int, minute: int = 0) -> datetime:
    """Return the UTC instant of a Paris wall time."""
    return datetime.combine(day, time(hour, minute), tzinfo=PARIS).astimezone(UTC)


@pytest.fixture(scope="session")
def ssl_context() -> ssl.SSLContext:
    """One TLS context for every client (building one per client costs ~40 ms; unused on http)."""
    return ssl.create_default_context()


@pytest.fixture
async def http_client(ssl_context: ssl.SSLContext) -> AsyncIterator[httpx.AsyncClient]:
    """An AsyncClient that ignores proxy settings (traffic stays on 127.0.0.1)."""
    async with httpx.AsyncClient(trust_env=False, verify=ssl_context) as client:
        yield client


@pytest.fixture
def couleur_server() -> Iterator[CouleurTempoServer]:
    """api-couleur-tempo.fr on 127.0.0.1."""
    with CouleurTempoServer(today=TODAY) as server:
        yield server


@pytest.fixture
def rte_server() -> Iterator[RteServer]:
    """RTE's OAuth + calendar API on 127.0.0.1."""
    with RteServer() as server:
        yield server


@pytest.fixture
def rte_public_server() -> Iterator[RtePublicServer]:
    """RTE's public site JSON on 127.0.0.1."""
    with RtePublicServer() as server:
        yield server
