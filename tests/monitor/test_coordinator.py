"""The fleet coordinator against three simulated units over UDP, with real SQLite storage.

Bot and simulator share one accelerated clock (60× real time), so minutes of polling pass in
seconds. Timeouts are virtual too, which is why they are a few virtual seconds here.
"""

from __future__ import annotations

import asyncio
import itertools
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.alerts import Alert, AlertKind
from bot.clock import ScaledClock
from bot.marstek import ClientOptions, MarstekTransport, TransportOptions
from bot.marstek.simulator import Simulator
from bot.monitor.availability import Availability
from bot.monitor.coordinator import BatteryTarget, FleetCoordinator, MonitorOptions
from bot.monitor.recorder import SampleRecorder
from bot.monitor.registry import database_registrar
from bot.storage import Database, Storage

START = datetime(2026, 1, 15, 9, 0, tzinfo=UTC)
SPEED = 60.0


@dataclass
class Rig:
    clock: ScaledClock
    sim: Simulator
    storage: Storage
    alerts: list[Alert]


class _ListSink:
    def __init__(self, storage: Storage, seen: list[Alert]) -> None:
        self._storage = storage
        self._seen = seen

    async def raise_alert(self, alert: Alert) -> None:
        self._seen.append(alert)
        await self._storage.alerts.raise_alert(alert)


@pytest.fixture
async def rig(tmp_path: Path) -> AsyncIterator[Rig]:
    clock = ScaledClock(START, speed=SPEED)
    db = Database(f"sqlite+aiosqlite:///{tmp_path / 'bot.db'}", clock=clock)
    await db.start()
    async with Simulator(3, clock=clock, seed=7) as sim:
        yield Rig(clock=clock, sim=sim, storage=Storage(db, clock), alerts=[])
    await db.close()


def _coordinator(rig: Rig, transport: MarstekTransport, **options: object) -> FleetCoordinator:
    targets = [
        BatteryTarget(name=f"bat{i}", host=u.host, port=rig.sim.port)
        for i, u in enumerate(rig.sim.units)
    ]
    return FleetCoordinator(
        transport=transport,
        targets=targets,
        clock=rig.clock,
        alerts=_ListSink(rig.storage, rig.alerts),
        recorder=SampleRecorder(rig.storage.samples, batch_size=6),
        register=database_registrar(rig.storage.batteries),
        options=MonitorOptions(
            poll_interval_s=30,
            unreachable_after=3,
            api_silence=timedelta(minutes=4),
            **options,  # type: ignore[arg-type]
        ),
        client_options=ClientOptions(timeout_s=6.0, tries=2, write_backoff_s=1.0),
    )


def _transport(rig: Rig) -> MarstekTransport:
    return MarstekTransport(
        clock=rig.clock,
        options=TransportOptions(local_host="127.0.0.1", local_port=0, request_gap_s=1.0),
    )


async def _until(predicate: Callable[[], bool], *, within_s: float = 20.0) -> None:
    deadline = asyncio.get_running_loop().time() + within_s
    while not predicate():
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError("condition not reached in time")
        await asyncio.sleep(0.02)


async def _sample_counts(storage: Storage) -> dict[int, int]:
    counts = {}
    for battery in await storage.batteries.list_all():
        rows = await storage.samples.between(battery.id, START, START + timedelta(days=2))
        counts[battery.id] = len(rows)
    return counts


async def test_first_polls_register_batteries_and_write_samples(rig: Rig) -> None:
    async with _transport(rig) as transport:
        coordinator = _coordinator(rig, transport)
        await coordinator.start()
        await _until(lambda: all(s.status is not None for s in coordinator.snapshots()))
        await rig.clock.sleep(95)
        await coordinator.stop()
    batteries = await rig.storage.batteries.list_all()
    assert sorted(b.ble_mac for b in batteries) == sorted(u.config.ble_mac for u in rig.sim.units)
    counts = await _sample_counts(rig.storage)
    assert all(n >= 3 for n in counts.values()), counts
    snap = coordinator.snapshot("bat0")
    assert snap.availability is Availability.AVAILABLE
    assert snap.device is not None
    assert snap.mode is not None
    assert snap.soc_pct == pytest.approx(rig.sim.units[0].soc_pct, abs=1.5)
    assert rig.alerts == []


async def test_silent_unit_raises_one_unreachable_one_api_disabled_then_one_back(rig: Rig) -> None:
    async with _transport(rig) as transport:
        coordinator = _coordinator(rig, transport)
        await coordinator.start()
        await _until(lambda: all(s.battery_id for s in coordinator.snapshots()))
        before = await _sample_counts(rig.storage)

        rig.sim.units[1].faults.silent = True
        await _until(lambda: any(a.kind is AlertKind.API_DISABLED for a in rig.alerts))
        await rig.clock.sleep(120)  # more silent polls: still no new alert
        snap = coordinator.snapshot("bat1")
        assert snap.availability is Availability.UNREACHABLE
        assert snap.api_disabled_suspected
        assert snap.status is not None  # the last good values stay, with their age
        assert (snap.age(rig.clock.now()) or timedelta(0)) > timedelta(minutes=4)
        await coordinator.stop()  # flush what the healthy units wrote meanwhile
        during = await _sample_counts(rig.storage)
        await coordinator.start()

        rig.sim.units[1].faults.silent = False
        await _until(lambda: any(a.kind is AlertKind.BACK for a in rig.alerts))
        await rig.clock.sleep(60)
        await coordinator.stop()

    kinds = [(a.battery, a.kind) for a in rig.alerts]
    assert kinds == [
        ("bat1", AlertKind.UNREACHABLE),
        ("bat1", AlertKind.API_DISABLED),
        ("bat1", AlertKind.BACK),
    ]
    ids = {s.name: s.battery_id or 0 for s in coordinator.snapshots()}
    assert during[ids["bat0"]] > before[ids["bat0"]] + 5
    assert during[ids["bat2"]] > before[ids["bat2"]] + 5
    assert during[ids["bat1"]] <= before[ids["bat1"]] + 1
    stored = await rig.storage.alerts.pending()
    assert [s.alert.kind for s in stored] == [
        AlertKind.UNREACHABLE,
        AlertKind.API_DISABLED,
        AlertKind.BACK,
    ]


async def test_restart_continues_the_series_without_duplicates(rig: Rig) -> None:
    for _ in range(2):  # two "processes" on the same database, with a pause between them
        async with _transport(rig) as transport:
            coordinator = _coordinator(rig, transport)
            await coordinator.start()
            await _until(lambda c=coordinator: all(s.battery_id for s in c.snapshots()))  # type: ignore[misc]
            await rig.clock.sleep(150)
            await coordinator.stop()
        rig.clock.jump(timedelta(minutes=10))

    assert len(await rig.storage.batteries.list_all()) == 3  # same identities, not new rows
    for battery in await rig.storage.batteries.list_all():
        rows = await rig.storage.samples.between(battery.id, START, START + timedelta(days=1))
        instants = [r.at for r in rows]
        assert len(instants) == len(set(instants))
        gaps = [b - a for a, b in itertools.pairwise(instants)]
        long_gaps = [g for g in gaps if g > timedelta(seconds=75)]
        assert len(long_gaps) == 1  # the downtime, and only it
        assert timedelta(minutes=10) <= long_gaps[0] < timedelta(minutes=14)


async def test_refresh_polls_now_and_a_bug_in_a_listener_is_contained(rig: Rig) -> None:
    async with _transport(rig) as transport:
        coordinator = _coordinator(rig, transport)
        heard: list[str] = []

        def listener(snapshot: object) -> None:
            heard.append(getattr(snapshot, "name", "?"))
            raise RuntimeError("listener bug")

        coordinator.add_listener(listener)
        snaps = await coordinator.refresh()
        await coordinator.stop()
    assert [s.name for s in snaps] == ["bat0", "bat1", "bat2"]
    assert all(s.status is not None for s in snaps)
    assert sorted(heard) == ["bat0", "bat1", "bat2"]
