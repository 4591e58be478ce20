"""The fetch timetable, back-off and alerts, on a manual clock (no real waiting)."""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta

import httpx

from bot.alerts.model import Alert, AlertKind, Severity
from bot.clock import ManualClock
from bot.tempo.errors import SourceUnavailableError
from bot.tempo.history import load_history
from bot.tempo.model import TempoColor
from bot.tempo.schedule import FetchScheduleConfig, TempoFetchScheduler
from bot.tempo.service import TempoService
from bot.tempo.sources import CouleurTempoSource
from bot.tempo.sources.base import SourceDay, TempoSource
from bot.tempo.store import InMemoryTempoDayStore
from tests.fakes.tempo_servers import CouleurTempoServer, Reply
from tests.tempo.conftest import TIMEOUT_S, TODAY, paris

BLUE, WHITE, RED = TempoColor.BLUE, TempoColor.WHITE, TempoColor.RED
TOMORROW = TODAY + timedelta(days=1)
SEASON_SO_FAR = {d: c for d, c in load_history().items() if date(2025, 9, 1) <= d <= TODAY}


class StubSource:
    """An in-process source with programmable days and failures; records every call."""

    def __init__(self, days: dict[date, TempoColor] | None = None) -> None:
        self.days: dict[date, TempoColor] = dict(days or {})
        self.failing = False
        self.calls: list[tuple[str, date]] = []

    @property
    def name(self) -> str:
        return "stub"

    async def fetch_day(self, day: date, *, now: datetime) -> SourceDay:
        self.calls.append(("day", day))
        if self.failing:
            raise SourceUnavailableError(self.name, "down")
        color = self.days.get(day)
        return SourceDay(day=day, color=color, final=color is not None)

    async def fetch_range(self, first: date, last: date, *, now: datetime) -> list[SourceDay]:
        self.calls.append(("range", first))
        if self.failing:
            raise SourceUnavailableError(self.name, "down")
        return [
            SourceDay(day=day, color=color, final=True)
            for day, color in sorted(self.days.items())
            if first <= day <= last
        ]


class ListSink:
    """An AlertSink that keeps alerts in a list."""

    def __init__(self) -> None:
        self.alerts: list[Alert] = []

    async def raise_alert(self, alert: Alert) -> None:
        self.alerts.append(alert)

    def of(self, kind: AlertKind) -> list[Alert]:
        return [alert for alert in self.alerts if alert.kind is kind]


def build(
    source: TempoSource, start: datetime, *, store: InMemoryTempoDayStore | None = None
) -> tuple[TempoFetchScheduler, ManualClock, ListSink]:
    clock = ManualClock(start)
    sink = ListSink()
    service = TempoService(sources=[source], store=store or InMemoryTempoDayStore())
    scheduler = TempoFetchScheduler(service=service, alerts=sink, clock=clock, rng=random.Random(7))
    return scheduler, clock, sink


def between(value: datetime, low: datetime, high: datetime) -> bool:
    return low <= value <= high


async def test_a_normal_day_backfill_then_1040_then_1100_then_polls() -> None:
    source = StubSource(SEASON_SO_FAR)
    scheduler, clock, sink = build(source, paris(TODAY, 8, 0))
    next_run = await scheduler.run()
    assert between(next_run, paris(TODAY, 10, 40), paris(TODAY, 10, 42))
    assert source.calls == [("range", date(2025, 9, 1))]  # back-fill; today came with it
    assert ("day", TOMORROW) not in source.calls  # nothing asked about tomorrow before 10:40

    await clock.advance_to(next_run)
    next_run = await scheduler.run()
    assert source.calls[-1] == ("day", TOMORROW)
    assert between(next_run, paris(TODAY, 11, 0), paris(TODAY, 11, 2))

    await clock.advance_to(next_run)
    next_run = await scheduler.run()
    assert timedelta(minutes=28) <= next_run - clock.now() <= timedelta(minutes=32)
    assert sink.alerts == []

    source.days[TOMORROW] = RED
    await clock.advance_to(next_run)
    next_run = await scheduler.run()
    (announcement,) = sink.alerts
    assert announcement.kind is AlertKind.TEMPO_ANNOUNCEMENT
    assert announcement.params == {
        "day": "2026-01-15",
        "color": "RED",
        "confirmed": True,
        "source": "stub",
    }
    assert announcement.dedup_key == "tempo_announcement:2026-01-15:RED"
    assert between(next_run, paris(TOMORROW, 10, 40), paris(TOMORROW, 10, 42))
    assert scheduler.consecutive_failures == 0


async def test_confirmation_check_at_1100_catches_a_change() -> None:
    source = StubSource(SEASON_SO_FAR | {TOMORROW: WHITE})
    scheduler, clock, sink = build(source, paris(TODAY, 10, 41))
    next_run = await scheduler.run()
    assert [a.params["color"] for a in sink.alerts] == ["WHITE"]
    assert between(next_run, paris(TODAY, 11, 0), paris(TODAY, 11, 2))

    source.days[TOMORROW] = RED
    await clock.advance_to(next_run)
    next_run = await scheduler.run()
    assert [a.params["color"] for a in sink.alerts] == ["WHITE", "RED"]
    assert between(next_run, paris(TOMORROW, 10, 40), paris(TOMORROW, 10, 42))


async def test_confirmation_check_without_change_announces_once() -> None:
    source = StubSource(SEASON_SO_FAR | {TOMORROW: WHITE})
    scheduler, clock, sink = build(source, paris(TODAY, 10, 41))
    await clock.advance_to(await scheduler.run())
    next_run = await scheduler.run()
    assert len(sink.alerts) == 1
    assert source.calls.count(("day", TOMORROW)) == 2  # 10:41 fetch + 11:00 check
    await clock.advance_to(next_run - timedelta(hours=1))  # 09:40 next day: nothing to fetch
    await scheduler.run()
    assert source.calls.count(("day", TOMORROW)) == 2


async def test_backoff_grows_with_jitter_and_resets_on_success() -> None:
    source = StubSource(SEASON_SO_FAR)
    source.failing = True
    scheduler, clock, sink = build(source, paris(TODAY, 12, 0))
    ceilings_min = [2, 4, 8, 16, 30, 30]
    for number, ceiling in enumerate(ceilings_min, start=1):
        next_run = await scheduler.run()
        delay = next_run - clock.now()
        assert scheduler.consecutive_failures == number
        assert timedelta(minutes=ceiling / 2) <= delay <= timedelta(minutes=ceiling)
        await clock.advance_to(next_run)
    source.failing = False
    source.days[TOMORROW] = BLUE
    await scheduler.run()
    assert scheduler.consecutive_failures == 0
    assert [a.kind for a in sink.alerts] == [AlertKind.TEMPO_ANNOUNCEMENT]


async def test_unknown_at_20h_raises_one_alert_with_bounds() -> None:
    source = StubSource(SEASON_SO_FAR)
    scheduler, clock, sink = build(source, paris(TODAY, 19, 10))
    runs = 0
    while clock.now() < paris(TODAY, 22, 0):
        next_run = await scheduler.run()
        runs += 1
        if clock.now() < paris(TODAY, 20, 0):
            assert next_run <= paris(TODAY, 20, 0)  # the alert time is never skipped
        await clock.advance_to(next_run)
    (alert,) = sink.of(AlertKind.TEMPO_UNKNOWN)
    assert alert.created_at == paris(TODAY, 20, 0)
    assert alert.severity is Severity.WARNING
    assert alert.dedup_key == "tempo_unknown:2026-01-15"
    assert alert.params == {"day": "2026-01-15", "possible": "BLUE,WHITE,RED"}
    assert runs >= 5
    source.days[TOMORROW] = WHITE
    await scheduler.run()
    assert [a.kind for a in sink.alerts] == [AlertKind.TEMPO_UNKNOWN, AlertKind.TEMPO_ANNOUNCEMENT]


async def test_every_source_failing_at_20h_still_alerts_once() -> None:
    source = StubSource()
    source.failing = True
    scheduler, clock, sink = build(source, paris(TODAY, 19, 59))
    for _ in range(6):
        await clock.advance_to(await scheduler.run())
    assert len(sink.of(AlertKind.TEMPO_UNKNOWN)) == 1


async def test_night_restart_waits_for_the_next_publication_without_announcing() -> None:
    store = InMemoryTempoDayStore()
    service = TempoService(sources=[], store=store)
    await service.import_history({TOMORROW: BLUE}, paris(TODAY, 10, 45))
    source = StubSource(SEASON_SO_FAR | {TOMORROW: BLUE})
    scheduler, _, sink = build(source, paris(TOMORROW, 2, 0), store=store)
    next_run = await scheduler.run()
    # At 02:00 on the 15th, the Tempo day is the 14th and "tomorrow" (the 15th) is known.
    assert between(next_run, paris(TOMORROW, 10, 40), paris(TOMORROW, 10, 42))
    assert sink.alerts == []  # old news: nobody is woken up at 02:00 after a restart


async def test_colour_learned_elsewhere_between_runs_is_announced() -> None:
    store = InMemoryTempoDayStore()
    source = StubSource(SEASON_SO_FAR)
    scheduler, clock, sink = build(source, paris(TODAY, 8, 0), store=store)
    next_run = await scheduler.run()
    source.days[TOMORROW] = RED
    ui_service = TempoService(sources=[source], store=store)  # e.g. a "refresh" button
    await ui_service.refresh_day(TOMORROW, paris(TODAY, 9, 0))
    await clock.advance_to(next_run)
    await scheduler.run()
    assert [(a.params["color"], a.params["confirmed"]) for a in sink.alerts] == [("RED", True)]


async def test_custom_timetable_is_respected() -> None:
    config = FetchScheduleConfig(first_fetch=time(9, 0))
    source = StubSource(SEASON_SO_FAR)
    clock = ManualClock(paris(TODAY, 7, 0))
    service = TempoService(sources=[source], store=InMemoryTempoDayStore())
    scheduler = TempoFetchScheduler(
        service=service, alerts=ListSink(), clock=clock, config=config, rng=random.Random(1)
    )
    next_run = await scheduler.run()
    assert between(next_run, paris(TODAY, 9, 0), paris(TODAY, 9, 2))


async def test_day_over_a_real_server(
    http_client: httpx.AsyncClient, couleur_server: CouleurTempoServer
) -> None:
    couleur_server.days = {d: c.value for d, c in SEASON_SO_FAR.items()}
    couleur_server.push(Reply.json({}, status=500))  # the back-fill fails first
    source = CouleurTempoSource(http_client, base_url=couleur_server.base_url, timeout_s=TIMEOUT_S)
    scheduler, clock, sink = build(source, paris(TODAY, 10, 40))
    next_run = await scheduler.run()
    assert scheduler.consecutive_failures == 1
    assert next_run - clock.now() <= timedelta(minutes=2)
    await clock.advance_to(next_run)
    next_run = await scheduler.run()  # back-fill succeeds, tomorrow still codeJour 0
    assert scheduler.consecutive_failures == 0
    assert sink.alerts == []
    couleur_server.days[TOMORROW] = "RED"
    await clock.advance_to(next_run)
    await scheduler.run()
    assert [(a.kind, a.params["color"]) for a in sink.alerts] == [
        (AlertKind.TEMPO_ANNOUNCEMENT, "RED")
    ]
    assert "/api/joursTempo" in couleur_server.paths()
