"""TempoService over real local servers: fallback order, caching, provisional vs confirmed."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, timedelta

import httpx
import pytest

from bot.tempo.errors import SourceResponseError, SourceUnavailableError
from bot.tempo.history import load_history
from bot.tempo.model import TempoColor, TempoDayRecord
from bot.tempo.service import TempoService
from bot.tempo.sources import CouleurTempoSource, RtePublicSource, RteTempoSource
from bot.tempo.sources.base import TempoSource
from bot.tempo.store import InMemoryTempoDayStore, merge_day_records
from tests.fakes.tempo_servers import CouleurTempoServer, Reply, RtePublicServer, RteServer
from tests.tempo.conftest import TIMEOUT_S, TODAY, paris

BLUE, WHITE, RED = TempoColor.BLUE, TempoColor.WHITE, TempoColor.RED
ALL = frozenset(TempoColor)
TOMORROW = TODAY + timedelta(days=1)
NOW = paris(TODAY, 11, 0)


def make_service(
    sources: Sequence[TempoSource], store: InMemoryTempoDayStore | None = None
) -> tuple[TempoService, InMemoryTempoDayStore]:
    kept = store or InMemoryTempoDayStore()
    return TempoService(sources=sources, store=kept), kept


def couleur(client: httpx.AsyncClient, server: CouleurTempoServer) -> CouleurTempoSource:
    return CouleurTempoSource(client, base_url=server.base_url, timeout_s=TIMEOUT_S)


def public(client: httpx.AsyncClient, server: RtePublicServer) -> RtePublicSource:
    return RtePublicSource(client, base_url=server.base_url, timeout_s=TIMEOUT_S)


def record(day: date, color: TempoColor | None, *, confirmed: bool, at: datetime) -> TempoDayRecord:
    return TempoDayRecord(day=day, color=color, confirmed=confirmed, source="test", fetched_at=at)


async def test_failing_first_source_falls_back_to_the_next(
    http_client: httpx.AsyncClient,
    couleur_server: CouleurTempoServer,
    rte_public_server: RtePublicServer,
) -> None:
    couleur_server.always = Reply.json({"error": "down"}, status=500)
    rte_public_server.days = {TOMORROW: "RED"}
    service, store = make_service(
        [couleur(http_client, couleur_server), public(http_client, rte_public_server)]
    )
    result = await service.refresh_day(TOMORROW, NOW)
    assert result.record is not None
    assert (result.record.color, result.record.confirmed) == (RED, True)
    assert result.record.source == "rte-public"
    assert [f.source for f in result.failures] == ["api-couleur-tempo"]
    assert isinstance(result.failures[0].error, SourceUnavailableError)
    assert not result.all_failed
    assert await store.get_day(TOMORROW) == result.record


async def test_unknown_from_first_source_asks_the_next(
    http_client: httpx.AsyncClient, couleur_server: CouleurTempoServer, rte_server: RteServer
) -> None:
    rte_server.days = {TOMORROW: "WHITE"}
    rte = RteTempoSource(
        http_client,
        client_id=rte_server.client_id,
        client_secret=rte_server.client_secret,
        base_url=rte_server.base_url,
        timeout_s=TIMEOUT_S,
    )
    service, _ = make_service([couleur(http_client, couleur_server), rte])
    result = await service.refresh_day(TOMORROW, NOW)
    assert result.record is not None
    assert (result.record.color, result.record.source) == (WHITE, "rte")
    assert result.answered == ("api-couleur-tempo", "rte")


async def test_every_source_failing_gives_an_honest_unknown(
    http_client: httpx.AsyncClient,
    couleur_server: CouleurTempoServer,
    rte_public_server: RtePublicServer,
) -> None:
    couleur_server.always = Reply.raw("maintenance", status=503, content_type="text/plain")
    rte_public_server.always = Reply.raw("<tempo/>", content_type="application/xml")
    service, store = make_service(
        [couleur(http_client, couleur_server), public(http_client, rte_public_server)]
    )
    result = await service.refresh_day(TOMORROW, NOW)
    assert result.all_failed
    assert result.record is None
    assert len(store) == 0
    outlook = await service.tomorrow_outlook(NOW)
    assert (outlook.day, outlook.color, outlook.known) == (TOMORROW, None, False)
    assert outlook.possible == ALL


async def test_all_sources_unknown_is_not_a_failure(
    http_client: httpx.AsyncClient,
    couleur_server: CouleurTempoServer,
    rte_public_server: RtePublicServer,
) -> None:
    service, store = make_service(
        [couleur(http_client, couleur_server), public(http_client, rte_public_server)]
    )
    result = await service.refresh_day(TOMORROW, NOW)
    assert not result.all_failed
    assert result.record is not None
    assert result.record.color is None
    assert (await store.get_day(TOMORROW)) == result.record


async def test_impossible_colour_is_never_shown(
    http_client: httpx.AsyncClient,
    couleur_server: CouleurTempoServer,
    rte_public_server: RtePublicServer,
) -> None:
    saturday = date(2026, 1, 17)
    friday_noon = paris(date(2026, 1, 16), 12)
    couleur_server.days = {saturday: "RED"}
    rte_public_server.days = {saturday: "WHITE"}
    first = couleur(http_client, couleur_server)
    service, _ = make_service([first, public(http_client, rte_public_server)])
    result = await service.refresh_day(saturday, friday_noon)
    assert result.record is not None
    assert result.record.color is WHITE
    assert isinstance(result.failures[0].error, SourceResponseError)

    alone, _ = make_service([first])
    lonely = await alone.refresh_day(saturday, friday_noon)
    assert lonely.record is None
    assert lonely.all_failed
    assert (await alone.outlook(saturday)).possible == {BLUE, WHITE}


async def test_exhausted_stock_rejects_a_colour_and_bounds_the_outlook(
    http_client: httpx.AsyncClient, couleur_server: CouleurTempoServer
) -> None:
    june_monday = date(2026, 6, 15)
    sunday_noon = paris(date(2026, 6, 14), 12)
    couleur_server.today = date(2026, 6, 14)
    couleur_server.days = {june_monday: "WHITE"}  # 43 whites already used this season
    service, _ = make_service([couleur(http_client, couleur_server)])
    await service.import_history(load_history(), sunday_noon)
    result = await service.refresh_day(june_monday, sunday_noon)
    assert result.record is None
    outlook = await service.tomorrow_outlook(sunday_noon)
    assert (outlook.day, outlook.possible) == (june_monday, frozenset({BLUE}))
    counters = await service.season_counters(sunday_noon)
    assert counters.remaining(RED) == counters.remaining(WHITE) == 0
    assert counters.used.red == 22
    assert counters.unknown_days == 1  # 14 June: the history ends on the 13th


async def test_colour_before_10_40_is_provisional_then_confirmed(
    http_client: httpx.AsyncClient, couleur_server: CouleurTempoServer
) -> None:
    couleur_server.days = {TOMORROW: "RED"}
    service, _ = make_service([couleur(http_client, couleur_server)])
    early = await service.refresh_day(TOMORROW, paris(TODAY, 9, 0))
    assert early.record is not None
    assert (early.record.color, early.record.confirmed) == (RED, False)
    outlook = await service.tomorrow_outlook(paris(TODAY, 9, 0))
    assert (outlook.color, outlook.confirmed) == (RED, False)
    later = await service.refresh_day(TOMORROW, paris(TODAY, 10, 40))
    assert later.record is not None
    assert later.record.confirmed
    # Once confirmed, the cache answers and no request is sent.
    sent = len(couleur_server.requests)
    cached = await service.refresh_day(TOMORROW, paris(TODAY, 12, 0))
    assert not cached.fetched
    assert len(couleur_server.requests) == sent


async def test_known_colour_never_becomes_unknown_again(
    http_client: httpx.AsyncClient, couleur_server: CouleurTempoServer
) -> None:
    store = InMemoryTempoDayStore([record(TOMORROW, RED, confirmed=False, at=NOW)])
    service, _ = make_service([couleur(http_client, couleur_server)], store)
    result = await service.refresh_day(TOMORROW, NOW, force=True)  # server says codeJour 0
    assert result.record is not None
    assert result.record.color is RED
    couleur_server.always = Reply.json({}, status=500)
    failed = await service.refresh_day(TOMORROW, NOW, force=True)
    assert failed.all_failed
    assert (await service.tomorrow_outlook(NOW)).color is RED


def test_merge_rule_never_downgrades() -> None:
    confirmed = record(TOMORROW, RED, confirmed=True, at=NOW)
    provisional = record(TOMORROW, WHITE, confirmed=False, at=NOW)
    unknown = record(TOMORROW, None, confirmed=False, at=NOW)
    corrected = record(TOMORROW, WHITE, confirmed=True, at=NOW + timedelta(minutes=20))
    assert merge_day_records(None, unknown) is unknown
    assert merge_day_records(unknown, provisional) is provisional
    assert merge_day_records(provisional, unknown) is provisional
    assert merge_day_records(confirmed, provisional) is confirmed
    assert merge_day_records(confirmed, unknown) is confirmed
    assert merge_day_records(provisional, confirmed) is confirmed
    assert merge_day_records(confirmed, corrected) is corrected


async def test_in_memory_store_returns_ranges_in_order() -> None:
    days = [TODAY + timedelta(days=n) for n in (3, 0, 2, 1)]
    store = InMemoryTempoDayStore([record(day, BLUE, confirmed=True, at=NOW) for day in days])
    got = await store.get_days(TODAY + timedelta(days=1), TODAY + timedelta(days=2))
    assert [r.day for r in got] == [TODAY + timedelta(days=1), TODAY + timedelta(days=2)]


async def test_backfill_falls_back_and_fills_the_season(
    http_client: httpx.AsyncClient,
    couleur_server: CouleurTempoServer,
    rte_public_server: RtePublicServer,
) -> None:
    history = load_history()
    season_days = {
        day: color.value for day, color in history.items() if date(2025, 9, 1) <= day <= TODAY
    }
    couleur_server.always = Reply.json({}, status=503)
    rte_public_server.days = season_days | {date(2025, 9, 7): "RED"}  # a red Sunday: refused
    service, _ = make_service(
        [couleur(http_client, couleur_server), public(http_client, rte_public_server)]
    )
    result = await service.backfill_season(NOW)
    assert result.sources_used == ("rte-public",)
    assert [f.source for f in result.failures] == ["api-couleur-tempo"]
    assert result.missing_days == 1  # the refused Sunday
    assert result.stored_days == len(season_days) - 1
    known = await service.known_colors(date(2025, 9, 1), TODAY)
    assert all(known[day] is history[day] for day in known)
    assert date(2025, 9, 7) not in known


async def test_backfill_asks_nobody_when_nothing_is_missing(
    http_client: httpx.AsyncClient, couleur_server: CouleurTempoServer
) -> None:
    service, _ = make_service([couleur(http_client, couleur_server)])
    await service.import_history(load_history(), NOW)
    await service.import_history({TODAY: BLUE}, NOW)
    result = await service.backfill_season(paris(date(2026, 6, 13), 12))
    assert (result.stored_days, result.missing_days) == (0, 0)
    assert couleur_server.requests == []


@pytest.mark.parametrize(
    ("hour", "today", "tomorrow"),
    [(2, date(2026, 1, 13), TODAY), (5, date(2026, 1, 13), TODAY), (6, TODAY, TOMORROW)],
)
async def test_outlooks_follow_the_tempo_day_not_the_calendar(
    hour: int, today: date, tomorrow: date
) -> None:
    service, _ = make_service([])
    now = paris(TODAY, hour)
    assert (await service.today_outlook(now)).day == today
    assert (await service.tomorrow_outlook(now)).day == tomorrow
