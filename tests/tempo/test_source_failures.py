"""Every failure of every source, against real servers on 127.0.0.1, maps to a source error."""

from __future__ import annotations

import httpx
import pytest

from bot.tempo.errors import (
    SourceAuthError,
    SourceRateLimitedError,
    SourceResponseError,
    SourceTimeoutError,
    SourceUnavailableError,
    TempoSourceError,
)
from bot.tempo.model import TempoColor
from bot.tempo.sources import RtePublicSource, SourceEndpoints, build_sources
from bot.tempo.sources.base import TempoSource
from tests.fakes.tempo_servers import (
    CouleurTempoServer,
    FakeHttpServer,
    Reply,
    RtePublicServer,
    RteServer,
)
from tests.tempo.conftest import TIMEOUT_S, TODAY, paris
from tests.tempo.test_sources import couleur, rte

NOW = paris(TODAY, 11, 0)
BLUE = TempoColor.BLUE

# --- every failure, every source --------------------------------------------------------------

FAILURES: list[tuple[str, Reply, type[TempoSourceError]]] = [
    ("401", Reply.json({"error": "unauthorized"}, status=401), SourceAuthError),
    ("403", Reply.json({"error": "forbidden"}, status=403), SourceAuthError),
    (
        "429",
        Reply(status=429, body=b"{}", headers=(("Retry-After", "120"),)),
        SourceRateLimitedError,
    ),
    ("509", Reply.json({}, status=509), SourceRateLimitedError),
    ("500", Reply.json({"error": "COMMON_ERROR_T03"}, status=500), SourceUnavailableError),
    (
        "503",
        Reply.raw("<html>maintenance</html>", status=503, content_type="text/html"),
        SourceUnavailableError,
    ),
    ("418", Reply.json({}, status=418), SourceResponseError),
    ("malformed", Reply.raw('{"dateJour": "2026-01-14", "codeJour": '), SourceResponseError),
    (
        "xml",
        Reply.raw("<?xml version='1.0'?><jour/>", content_type="application/xml"),
        SourceResponseError,
    ),
    ("html-as-json", Reply.raw("<html></html>"), SourceResponseError),
    ("empty", Reply.raw(""), SourceResponseError),
    ("timeout", Reply.slow(TIMEOUT_S * 8), SourceTimeoutError),
]
SOURCE_KINDS = ["api-couleur-tempo", "rte", "rte-public"]


async def _source_for(kind: str, client: httpx.AsyncClient) -> tuple[FakeHttpServer, TempoSource]:
    if kind == "api-couleur-tempo":
        server: FakeHttpServer = CouleurTempoServer({TODAY: "BLUE"}, today=TODAY).start()
        return server, couleur(client, server)
    if kind == "rte":
        rte_fake = RteServer({TODAY: "BLUE"}).start()
        return rte_fake, rte(client, rte_fake)
    public = RtePublicServer({TODAY: "BLUE"}).start()
    return public, RtePublicSource(client, base_url=public.base_url, timeout_s=TIMEOUT_S)


@pytest.mark.parametrize("kind", SOURCE_KINDS)
@pytest.mark.parametrize(("label", "reply", "error"), FAILURES, ids=[f[0] for f in FAILURES])
async def test_every_failure_maps_to_a_source_error(
    http_client: httpx.AsyncClient,
    kind: str,
    label: str,
    reply: Reply,
    error: type[TempoSourceError],
) -> None:
    server, source = await _source_for(kind, http_client)
    try:
        assert (await source.fetch_day(TODAY, now=NOW)).color is BLUE  # warms RTE's token
        # RTE answers a 401 by fetching a new token: refuse that one too.
        server.push(*([reply, reply] if kind == "rte" and label == "401" else [reply]))
        with pytest.raises(error) as caught:
            await source.fetch_day(TODAY, now=NOW)
        assert caught.value.source == kind
        if label == "429":
            assert isinstance(caught.value, SourceRateLimitedError)
            assert caught.value.retry_after_s == 120
    finally:
        server.stop()


@pytest.mark.parametrize("kind", SOURCE_KINDS)
async def test_connection_refused_is_unavailable(http_client: httpx.AsyncClient, kind: str) -> None:
    server, source = await _source_for(kind, http_client)
    server.stop()
    with pytest.raises(SourceUnavailableError):
        await source.fetch_day(TODAY, now=NOW)


# --- factory ----------------------------------------------------------------------------------


async def test_build_sources_keeps_order_and_skips_rte_without_credentials(
    http_client: httpx.AsyncClient,
) -> None:
    names = ["rte-public", "rte", "api-couleur-tempo"]
    built = build_sources(names, http_client)
    assert [s.name for s in built] == ["rte-public", "api-couleur-tempo"]
    endpoints = SourceEndpoints(rte_url="http://127.0.0.1:1")
    with_rte = build_sources(
        names, http_client, rte_client_id="a", rte_client_secret="b", endpoints=endpoints
    )
    assert [s.name for s in with_rte] == names
    with pytest.raises(ValueError, match="unknown Tempo source"):
        build_sources(["edf"], http_client)
