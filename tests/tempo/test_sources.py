"""Each colour source against a real HTTP server on 127.0.0.1: answers, and every failure mapped."""

from __future__ import annotations

from datetime import date, timedelta

import httpx
import pytest

from bot.tempo.errors import (
    SourceAuthError,
    SourceRequestError,
    SourceResponseError,
)
from bot.tempo.model import TempoColor
from bot.tempo.sources import (
    CouleurTempoSource,
    RtePublicSource,
    RteTempoSource,
)
from bot.tempo.sources.base import SourceDay
from tests.fakes.tempo_servers import (
    CouleurTempoServer,
    FakeHttpServer,
    Reply,
    RtePublicServer,
    RteServer,
)
from tests.tempo.conftest import TIMEOUT_S, TODAY, paris

BLUE, WHITE, RED = TempoColor.BLUE, TempoColor.WHITE, TempoColor.RED
NOW = paris(TODAY, 11, 0)
TOMORROW = TODAY + timedelta(days=1)


def couleur(client: httpx.AsyncClient, server: FakeHttpServer) -> CouleurTempoSource:
    return CouleurTempoSource(client, base_url=server.base_url, timeout_s=TIMEOUT_S)


def rte(client: httpx.AsyncClient, server: RteServer, **kwargs: object) -> RteTempoSource:
    return RteTempoSource(
        client,
        client_id=server.client_id,
        client_secret=server.client_secret,
        base_url=server.base_url,
        timeout_s=TIMEOUT_S,
        **kwargs,  # type: ignore[arg-type]
    )


# --- api-couleur-tempo.fr ---------------------------------------------------------------------


async def test_couleur_today_tomorrow_and_dated_endpoints(
    http_client: httpx.AsyncClient, couleur_server: CouleurTempoServer
) -> None:
    couleur_server.days = {TODAY: "RED", date(2026, 1, 10): "WHITE"}
    source = couleur(http_client, couleur_server)
    assert await source.fetch_day(TODAY, now=NOW) == SourceDay(day=TODAY, color=RED, final=True)
    tomorrow = await source.fetch_day(TOMORROW, now=NOW)
    assert tomorrow == SourceDay(day=TOMORROW, color=None, final=False)  # codeJour 0
    assert (await source.fetch_day(date(2026, 1, 10), now=NOW)).color is WHITE
    assert couleur_server.paths() == [
        "/api/jourTempo/today",
        "/api/jourTempo/tomorrow",
        "/api/jourTempo/2026-01-10",
    ]


async def test_couleur_between_midnight_and_6_uses_calendar_dates(
    http_client: httpx.AsyncClient, couleur_server: CouleurTempoServer
) -> None:
    # At 02:00 on 15 Jan the Tempo day is still the 14th, but the server's "today" is the 15th.
    couleur_server.today = TOMORROW
    couleur_server.days = {TODAY: "WHITE", TOMORROW: "BLUE"}
    source = couleur(http_client, couleur_server)
    at_two = paris(TOMORROW, 2)
    assert (await source.fetch_day(TODAY, now=at_two)).color is WHITE
    assert (await source.fetch_day(TOMORROW, now=at_two)).color is BLUE
    assert couleur_server.paths() == ["/api/jourTempo/2026-01-14", "/api/jourTempo/today"]


async def test_couleur_unknown_date_404_is_unknown_not_error(
    http_client: httpx.AsyncClient, couleur_server: CouleurTempoServer
) -> None:
    answer = await couleur(http_client, couleur_server).fetch_day(date(2026, 1, 2), now=NOW)
    assert answer.color is None


async def test_couleur_wrong_date_is_refused(
    http_client: httpx.AsyncClient, couleur_server: CouleurTempoServer
) -> None:
    couleur_server.push(Reply.json(couleur_server.entry(TODAY) | {"codeJour": 3}))
    with pytest.raises(SourceResponseError, match="asked for 2026-01-15, got 2026-01-14"):
        await couleur(http_client, couleur_server).fetch_day(TOMORROW, now=NOW)


async def test_couleur_season_range(
    http_client: httpx.AsyncClient, couleur_server: CouleurTempoServer
) -> None:
    couleur_server.days = {
        date(2025, 8, 31): "BLUE",
        date(2025, 9, 1): "BLUE",
        date(2025, 12, 1): "WHITE",
        TODAY: "RED",
        TOMORROW: "",
    }
    answers = await couleur(http_client, couleur_server).fetch_range(
        date(2025, 9, 1), TOMORROW, now=NOW
    )
    assert [(a.day, a.color) for a in answers] == [
        (date(2025, 9, 1), BLUE),
        (date(2025, 12, 1), WHITE),
        (TODAY, RED),
        (TOMORROW, None),
    ]
    assert couleur_server.requests[0].query == {"periode": ["2025-2026"]}


# --- RTE OAuth API ----------------------------------------------------------------------------


async def test_rte_token_is_fetched_once_and_sent_as_bearer(
    http_client: httpx.AsyncClient, rte_server: RteServer
) -> None:
    rte_server.days = {TODAY: "WHITE", TOMORROW: "RED"}
    source = rte(http_client, rte_server)
    assert (await source.fetch_day(TODAY, now=NOW)).color is WHITE
    assert await source.fetch_day(TOMORROW, now=NOW) == SourceDay(
        day=TOMORROW, color=RED, final=True
    )
    assert rte_server.state.token_requests == 1
    token_call, calendar_call = rte_server.requests[0], rte_server.requests[1]
    assert token_call.method == "POST"
    assert token_call.headers["authorization"].startswith("Basic ")
    assert token_call.body == b"grant_type=client_credentials"
    assert calendar_call.headers["authorization"] == "Bearer token-1"
    assert calendar_call.headers["accept"] == "application/json"
    assert calendar_call.query == {
        "start_date": ["2026-01-14T00:00:00+01:00"],
        "end_date": ["2026-01-15T00:00:00+01:00"],
    }
    assert "secret" not in repr(source)


async def test_rte_token_cached_until_expiry_minus_margin(
    http_client: httpx.AsyncClient, rte_server: RteServer
) -> None:
    rte_server.token_lifetime_s = 600
    rte_server.days = {TODAY: "BLUE"}
    source = rte(http_client, rte_server, token_margin=timedelta(minutes=5))
    await source.fetch_day(TODAY, now=NOW)
    await source.fetch_day(TODAY, now=NOW + timedelta(seconds=299))
    assert rte_server.state.token_requests == 1
    await source.fetch_day(TODAY, now=NOW + timedelta(seconds=300))
    assert rte_server.state.token_requests == 2


async def test_rte_401_refreshes_the_token_once(
    http_client: httpx.AsyncClient, rte_server: RteServer
) -> None:
    rte_server.days = {TODAY: "RED"}
    source = rte(http_client, rte_server)
    await source.fetch_day(TODAY, now=NOW)
    rte_server.revoke_tokens()
    assert (await source.fetch_day(TODAY, now=NOW)).color is RED
    assert rte_server.state.token_requests == 2


async def test_rte_401_twice_is_an_auth_error(
    http_client: httpx.AsyncClient, rte_server: RteServer
) -> None:
    source = rte(http_client, rte_server)
    rte_server.token_lifetime_s = 7200
    original = rte_server.route

    def always_revoked(request, path):  # type: ignore[no-untyped-def]
        reply = original(request, path)
        rte_server.revoke_tokens()
        return reply

    rte_server.route = always_revoked  # type: ignore[method-assign]
    with pytest.raises(SourceAuthError, match="twice"):
        await source.fetch_day(TODAY, now=NOW)
    assert rte_server.state.token_requests == 2
    assert [r.method for r in rte_server.requests] == ["POST", "GET", "POST", "GET"]


async def test_rte_bad_credentials_are_an_auth_error(
    http_client: httpx.AsyncClient, rte_server: RteServer
) -> None:
    source = RteTempoSource(
        http_client, client_id="id-123", client_secret="wrong", base_url=rte_server.base_url
    )
    with pytest.raises(SourceAuthError, match="token request refused"):
        await source.fetch_day(TODAY, now=NOW)


async def test_rte_fallback_flag_makes_a_colour_not_final(
    http_client: httpx.AsyncClient, rte_server: RteServer
) -> None:
    rte_server.days = {TOMORROW: "WHITE"}
    rte_server.fallback_days = {TOMORROW}
    answer = await rte(http_client, rte_server).fetch_day(TOMORROW, now=NOW)
    assert answer == SourceDay(day=TOMORROW, color=WHITE, final=False)


async def test_rte_unpublished_tomorrow_is_unknown(
    http_client: httpx.AsyncClient, rte_server: RteServer
) -> None:
    rte_server.days = {TODAY: "BLUE"}
    assert (await rte(http_client, rte_server).fetch_day(TOMORROW, now=NOW)).color is None


async def test_rte_day_after_tomorrow_is_unknown_without_a_request(
    http_client: httpx.AsyncClient, rte_server: RteServer
) -> None:
    answer = await rte(http_client, rte_server).fetch_day(TODAY + timedelta(days=2), now=NOW)
    assert answer.color is None
    assert rte_server.requests == []


async def test_rte_range_is_split_into_366_day_windows_and_sorted(
    http_client: httpx.AsyncClient, rte_server: RteServer
) -> None:
    first = TODAY - timedelta(days=400)
    rte_server.days = {first: "BLUE", date(2025, 9, 1): "BLUE", TODAY: "RED", TOMORROW: "WHITE"}
    answers = await rte(http_client, rte_server).fetch_range(
        first, TOMORROW + timedelta(days=30), now=NOW
    )
    assert [a.day for a in answers] == [first, date(2025, 9, 1), TODAY, TOMORROW]
    windows = [r.query for r in rte_server.requests if r.method == "GET"]
    assert len(windows) == 2
    assert windows[-1]["end_date"] == ["2026-01-16T00:00:00+01:00"]  # clipped to D+2


@pytest.mark.parametrize(
    ("payload", "message"),
    [
        (
            {"tempo_like_calendars": {"values": [{"start_date": "2026-01-14T00:00:00+01:00"}]}},
            "lacks value",
        ),
        (
            {
                "tempo_like_calendars": {
                    "values": [{"start_date": "2026-01-10T00:00:00+01:00", "value": "RED"}]
                }
            },
            "got 2026-01-10",
        ),
        (
            {
                "tempo_like_calendars": {
                    "values": [{"start_date": "2026-01-14T00:00:00+01:00", "value": "PURPLE"}]
                }
            },
            "unknown colour",
        ),
        ({"tempo_like_calendars": {}}, "lacks tempo_like_calendars.values"),
        ([], "lacks tempo_like_calendars.values"),
    ],
)
async def test_rte_bad_payloads_are_response_errors(
    http_client: httpx.AsyncClient, rte_server: RteServer, payload: object, message: str
) -> None:
    source = rte(http_client, rte_server)
    await source.fetch_day(TODAY, now=NOW)  # warm the token so the script hits the calendar
    rte_server.push(Reply.json(payload))
    with pytest.raises(SourceResponseError, match=message):
        await source.fetch_day(TODAY, now=NOW)


async def test_rte_400_carries_the_error_code(
    http_client: httpx.AsyncClient, rte_server: RteServer
) -> None:
    source = rte(http_client, rte_server)
    await source.fetch_day(TODAY, now=NOW)
    rte_server.push(Reply.json({"error": "TMPLIKSUPCON_TMPLIKCAL_F04"}, status=400))
    with pytest.raises(SourceRequestError, match="F04"):
        await source.fetch_day(TODAY, now=NOW)


async def test_rte_needs_credentials(http_client: httpx.AsyncClient) -> None:
    with pytest.raises(ValueError, match="client id"):
        RteTempoSource(http_client, client_id="", client_secret="x")


# --- RTE public site --------------------------------------------------------------------------


@pytest.mark.parametrize("french", [False, True])
async def test_rte_public_reads_english_and_french_words(
    http_client: httpx.AsyncClient, rte_public_server: RtePublicServer, french: bool
) -> None:
    rte_public_server.french = french
    rte_public_server.days = {TODAY: "RED", date(2026, 1, 13): "WHITE"}
    source = RtePublicSource(http_client, base_url=rte_public_server.base_url, timeout_s=TIMEOUT_S)
    assert (await source.fetch_day(TODAY, now=NOW)).color is RED
    assert (await source.fetch_day(TOMORROW, now=NOW)).color is None
    assert rte_public_server.requests[0].query == {"season": ["2025-2026"]}


async def test_rte_public_range_spans_seasons(
    http_client: httpx.AsyncClient, rte_public_server: RtePublicServer
) -> None:
    rte_public_server.days = {date(2025, 8, 31): "BLUE", date(2025, 9, 1): "WHITE"}
    source = RtePublicSource(http_client, base_url=rte_public_server.base_url, timeout_s=TIMEOUT_S)
    answers = await source.fetch_range(date(2025, 8, 30), date(2025, 9, 2), now=NOW)
    assert [(a.day, a.color) for a in answers] == [
        (date(2025, 8, 31), BLUE),
        (date(2025, 9, 1), WHITE),
    ]
    assert [r.query["season"] for r in rte_public_server.requests] == [["2024-2025"], ["2025-2026"]]


@pytest.mark.parametrize(
    ("payload", "message"),
    [
        ({"values": {"2026-01-14": "PURPLE"}}, "unknown colour"),
        ({"values": {"2027-01-14": "BLUE"}}, "holds 2027-01-14"),
        ({"values": {"not a date": "BLUE"}}, "bad date"),
        ({"days": {}}, "values object"),
    ],
)
async def test_rte_public_bad_payloads(
    http_client: httpx.AsyncClient,
    rte_public_server: RtePublicServer,
    payload: object,
    message: str,
) -> None:
    rte_public_server.push(Reply.json(payload))
    source = RtePublicSource(http_client, base_url=rte_public_server.base_url, timeout_s=TIMEOUT_S)
    with pytest.raises(SourceResponseError, match=message):
        await source.fetch_day(TODAY, now=NOW)
