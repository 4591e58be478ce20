"""The plan, executed on three simulated batteries over UDP, through blue → red → red → blue.

The services (monitoring, Tempo, storage, control) and the executor run exactly as in the bot,
on one clock 2,000× faster than real time: 34 virtual hours pass in about a minute. Timeouts
are virtual too, which is why they are generous here.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from bot.alerts import AlertKind
from bot.clock import ScaledClock
from bot.execution.executor import PlanExecutor, start_executor
from bot.marstek.simulator import Simulator
from bot.services import Services, open_services
from bot.settings import Settings, load_settings
from bot.tempo import tempo_day_at
from tests.fakes.tempo_servers import CouleurTempoServer

PARIS = ZoneInfo("Europe/Paris")
SPEED = 2000.0
TRANSITION_SPEED = 30.0
CONTRACT_KVA = 9.0
DAYS = {
    date(2026, 1, 13): "BLUE",  # Tuesday
    date(2026, 1, 14): "RED",
    date(2026, 1, 15): "RED",
    date(2026, 1, 16): "BLUE",
}


def paris(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), PARIS).astimezone(UTC)


@dataclass
class Trace:
    """What the batteries did, sampled every few virtual seconds."""

    at: list[datetime] = field(default_factory=list)
    soc: list[list[float]] = field(default_factory=list)
    power: list[list[float]] = field(default_factory=list)
    grid: list[float] = field(default_factory=list)
    modes: list[list[str]] = field(default_factory=list)

    def soc_before(self, instant: datetime) -> list[float]:
        index = max(i for i, at in enumerate(self.at) if at <= instant)
        return self.soc[index]

    def between(self, start: datetime, end: datetime) -> list[int]:
        return [i for i, at in enumerate(self.at) if start <= at < end]


async def _record(
    services: Services, tempo: CouleurTempoServer, trace: Trace, stop: asyncio.Event
) -> None:
    units = services.simulator.units  # type: ignore[union-attr]
    while not stop.is_set():
        tempo.today = tempo_day_at(services.clock.now())  # the public API's own "today"
        trace.at.append(services.clock.now())
        trace.soc.append([u.soc_pct for u in units])
        trace.power.append([u.ac_power_w for u in units])
        trace.grid.append(sum(u.grid_power_w for u in units))
        trace.modes.append([u.mode for u in units])
        await asyncio.sleep(0.005)


@dataclass
class Planned:
    services: Services
    tempo: CouleurTempoServer


@asynccontextmanager
async def planned(
    tmp_path: Path, start: datetime, speed: float, soc_pct: float, **extra: Any
) -> AsyncIterator[Planned]:
    """Services + executor on three simulated units, at ``speed``, from ``start``."""
    apply_delay = extra.pop("apply_delay_s", (2.0, 8.0))
    clock = ScaledClock(start, speed=speed)
    with CouleurTempoServer(DAYS, today=tempo_day_at(start)) as tempo:
        settings = load_settings(
            data_dir=tmp_path,
            tempo_sources=["api-couleur-tempo"],
            tempo_api_couleur_tempo_url=tempo.base_url,
            contract_power_kva=CONTRACT_KVA,
            **extra,
        )
        services = await open_services(
            settings, clock=clock, simulate=3, simulated_apply_delay_s=apply_delay
        )
        for unit in services.simulator.units:  # type: ignore[union-attr]
            unit.set_soc(soc_pct)
        start_executor(services)
        try:
            yield Planned(services=services, tempo=tempo)
        finally:
            await services.close()


@pytest.fixture
async def setup(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[Planned]:
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    async with planned(
        tmp_path,
        paris(date(2026, 1, 13), 21, 0),
        SPEED,
        40.0,
        tempo_request_timeout_s=5.0,
        poll_interval_s=120.0,
        request_timeout_s=60.0,
    ) as started:
        yield started


async def _until(services: Services, instant: datetime) -> None:
    await services.clock.sleep((instant - services.clock.now()).total_seconds())


@pytest.mark.slow
async def test_blue_red_red_blue_is_followed_on_the_batteries(setup: Planned) -> None:
    planned = setup.services
    trace, stop = Trace(), asyncio.Event()
    recorder = asyncio.create_task(_record(planned, setup.tempo, trace, stop))
    wed, thu = date(2026, 1, 14), date(2026, 1, 15)
    await _until(planned, paris(thu, 7, 0))
    stop.set()
    await recorder

    # Full at 06:00 before each red day.
    for red_day in (wed, thu):
        socs = trace.soc_before(paris(red_day, 6, 0))
        assert min(socs) >= 95.0, (red_day, socs)
    # Self-consumption during red peak hours (Auto, after the first minutes of the transition).
    peak = trace.between(paris(wed, 6, 10), paris(wed, 22, 0))
    in_auto = sum(all(m == "Auto" for m in trace.modes[i]) for i in peak) / len(peak)
    assert in_auto >= 0.95
    assert trace.soc[peak[-1]][0] < trace.soc[peak[0]][0] - 20  # the bank fed the house
    # The meter never above the contract power, and never charge while another discharges.
    assert max(trace.grid) <= CONTRACT_KVA * 1000
    for powers in trace.power:
        assert not (min(powers) < -50 and max(powers) > 50), powers
    # One evening message for each evening that knew tomorrow's colour, one morning report for
    # each precharge night: re-planning every few minutes never raises them again.
    raised = [a.alert for a in await planned.storage.alerts.recent(limit=200)]
    evenings = sorted(a.dedup_key for a in raised if a.kind is AlertKind.PLAN_TONIGHT)
    mornings = sorted(a.dedup_key for a in raised if a.kind is AlertKind.PRECHARGE_REPORT)
    assert evenings == ["plan_tonight:2026-01-13", "plan_tonight:2026-01-14"]
    assert mornings == ["precharge_report:2026-01-13", "precharge_report:2026-01-14"]
    # (At 2,000× every real millisecond costs two virtual seconds, so transition delays are
    # measured at a realistic pace in the test below.)
    assert planned.executor.stats.transition_delays_s  # type: ignore[union-attr]


@pytest.fixture
async def evening(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[Planned]:
    """21:50 the evening before a red day, batteries half full, devices taking 5–30 s to obey."""
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    async with planned(
        tmp_path,
        paris(date(2026, 1, 13), 21, 50),
        TRANSITION_SPEED,
        50.0,
        poll_interval_s=30.0,
        apply_delay_s=(5.0, 30.0),
    ) as started:
        yield started


async def test_the_22h_transition_is_applied_within_a_minute(evening: Planned) -> None:
    services = evening.services
    await _until(services, paris(date(2026, 1, 13), 22, 4))
    delays = services.executor.stats.transition_delays_s  # type: ignore[union-attr]
    units = services.simulator.units  # type: ignore[union-attr]
    assert [u.mode for u in units] == ["Passive"] * 3
    assert all(u.ac_power_w < -100 for u in units)  # charging for tomorrow's red day
    print(f"transition delays (virtual s): {[round(d, 1) for d in delays]}")
    assert len(delays) == 3
    assert max(delays) <= 60.0, delays


async def _bot(settings: Settings, clock: ScaledClock) -> tuple[Services, PlanExecutor]:
    services = await open_services(settings, clock=clock)
    return services, start_executor(services)


async def test_killed_mid_precharge_batteries_stop_within_an_hour_and_restart_reconverges(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    tuesday = date(2026, 1, 13)
    clock = ScaledClock(paris(tuesday, 22, 40), speed=60.0)
    async with Simulator(3, clock=clock, apply_delay_s=(5.0, 30.0)) as sim:
        for unit in sim.units:
            unit.set_soc(30.0)
        with CouleurTempoServer(DAYS, today=tuesday) as tempo:
            settings = load_settings(
                data_dir=tmp_path,
                batteries=[f"b{i}@{u.host}:{sim.port}" for i, u in enumerate(sim.units)],
                request_gap_s=0.2,
                local_port=0,
                tempo_sources=["api-couleur-tempo"],
                tempo_api_couleur_tempo_url=tempo.base_url,
                contract_power_kva=CONTRACT_KVA,
            )
            first, _ = await _bot(settings, clock)
            await _until(first, paris(tuesday, 23, 0))
            assert all(u.mode == "Passive" and u.ac_power_w < -100 for u in sim.units)
            writes_before = [u.writes_received for u in sim.units]
            # kill -9: no goodbye to the batteries, tasks just vanish.
            await first.close()
            clock.jump(timedelta(minutes=61))
            await asyncio.sleep(0.2)
            assert all(abs(u.ac_power_w) < 50 for u in sim.units), [u.ac_power_w for u in sim.units]
            assert [u.writes_received for u in sim.units] == writes_before

            restart_at = clock.now()
            second, executor = await _bot(settings, clock)
            try:
                await _until(second, restart_at + timedelta(seconds=settings.plan_check_interval_s))
                assert all(u.mode == "Passive" and u.ac_power_w < -100 for u in sim.units)
                sent = [
                    r
                    for r in await second.storage.commands.recent(limit=50)
                    if r.at >= restart_at and r.result.value == "applied"
                ]
                assert sorted(r.battery_id for r in sent) == [1, 2, 3]  # one command each
                assert executor.stats.checks >= 1
            finally:
                await second.close()
