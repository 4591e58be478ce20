"""Samples: inserts, latest values, database-side buckets vs Python, rollups and retention."""

from __future__ import annotations

import logging
import random
from dataclasses import fields
from datetime import datetime, timedelta

import pytest
from sqlalchemy import select

from bot.clock import ManualClock
from bot.storage import Battery, Sample, SampleBucket, Storage
from bot.storage.tables import sample_rollups
from bot.storage.types import to_us
from tests.storage.conftest import T0, make_samples

MAX_GAP_S = 120.0


def _reference(
    data: list[Sample], start: datetime, end: datetime, bucket_s: int
) -> list[SampleBucket]:
    """The specification, in plain Python: what ``bucketed`` must return."""
    ordered = sorted(data, key=lambda sample: sample.at)
    groups: dict[int, list[tuple[Sample, float]]] = {}
    previous: Sample | None = None
    for sample in ordered:
        held_s = MAX_GAP_S
        if previous is not None:
            held_s = min((sample.at - previous.at).total_seconds(), MAX_GAP_S)
        previous = sample
        if start <= sample.at < end:
            key = to_us(sample.at) // (bucket_s * 1_000_000)
            groups.setdefault(key, []).append((sample, held_s))
    result = []
    for key, members in sorted(groups.items()):
        socs = [sample.soc_pct for sample, _ in members]
        powers = [sample.ac_power_w for sample, _ in members]
        metered = [
            (sample.grid_power_w, held)
            for sample, held in members
            if sample.grid_power_w is not None
        ]
        result.append(
            SampleBucket(
                start=datetime.fromtimestamp(key * bucket_s, tz=T0.tzinfo),
                duration_s=bucket_s,
                n_samples=len(members),
                soc_min_pct=min(socs),
                soc_avg_pct=sum(socs) / len(socs),
                soc_max_pct=max(socs),
                ac_power_min_w=min(powers),
                ac_power_avg_w=sum(powers) / len(powers),
                ac_power_max_w=max(powers),
                charged_wh=sum(max(-s.ac_power_w, 0) * h for s, h in members) / 3600,
                discharged_wh=sum(max(s.ac_power_w, 0) * h for s, h in members) / 3600,
                grid_import_wh=sum(max(g, 0) * h for g, h in metered) / 3600 if metered else None,
                grid_export_wh=sum(max(-g, 0) * h for g, h in metered) / 3600 if metered else None,
            )
        )
    return result


def _assert_same(found: list[SampleBucket], expected: list[SampleBucket]) -> None:
    assert [bucket.start for bucket in found] == [bucket.start for bucket in expected]
    for got, want in zip(found, expected, strict=True):
        for field in fields(SampleBucket):
            value, reference = getattr(got, field.name), getattr(want, field.name)
            if isinstance(reference, float):
                assert value == pytest.approx(reference, rel=1e-9, abs=1e-9), field.name
            else:
                assert value == reference, field.name


def _irregular(battery_id: int, seed: int) -> list[Sample]:
    """Six hours of jittery 30 s polls with missed polls, a 20-minute outage and a sparse meter."""
    rng = random.Random(seed)
    data: list[Sample] = []
    at = T0 + timedelta(seconds=rng.uniform(0, 30))
    while at < T0 + timedelta(hours=6):
        outage = T0 + timedelta(hours=2) <= at < T0 + timedelta(hours=2, minutes=20)
        if not outage and rng.random() > 0.05:
            data.append(
                Sample(
                    battery_id=battery_id,
                    at=at,
                    soc_pct=float(rng.randint(10, 100)),
                    ac_power_w=float(rng.choice([-2500, -800, 0, 350, 1200]) + rng.randint(-9, 9)),
                    grid_power_w=float(rng.randint(-1500, 3000)) if rng.random() < 0.6 else None,
                    temperature_c=20.0,
                )
            )
        at += timedelta(seconds=30 + rng.uniform(-2, 2), microseconds=rng.randint(0, 999))
    return data


@pytest.fixture
async def two_batteries(storage: Storage) -> tuple[Battery, Battery]:
    first = await storage.batteries.upsert(
        ble_mac="aa0000000001", name="A", host="127.0.0.1", port=30000
    )
    second = await storage.batteries.upsert(
        ble_mac="aa0000000002", name="B", host="127.0.0.2", port=30000
    )
    return first, second


async def test_insert_batch_counts_new_rows_and_skips_duplicates(
    storage: Storage, battery: Battery
) -> None:
    batch = make_samples(battery.id, T0, 10)
    assert await storage.samples.insert_batch(batch) == 10
    assert (
        await storage.samples.insert_batch(
            batch[5:] + make_samples(battery.id, T0 + timedelta(minutes=5), 3)
        )
        == 3
    )
    assert await storage.samples.insert_batch([]) == 0
    stored = await storage.samples.between(battery.id, T0, T0 + timedelta(hours=1))
    assert len(stored) == 13
    assert stored[0] == batch[0]


async def test_naive_sample_time_is_refused(storage: Storage, battery: Battery) -> None:
    naive = Sample(battery_id=battery.id, at=T0.replace(tzinfo=None), soc_pct=1.0, ac_power_w=0.0)
    with pytest.raises(ValueError, match="timezone-aware"):
        await storage.samples.insert_batch([naive])


async def test_latest_gives_the_newest_sample_of_each_battery(
    storage: Storage, two_batteries: tuple[Battery, Battery]
) -> None:
    first, second = two_batteries
    assert await storage.samples.latest() == {}
    await storage.samples.insert_batch(make_samples(first.id, T0, 20))
    await storage.samples.insert_batch(make_samples(second.id, T0, 5))
    latest = await storage.samples.latest()
    assert set(latest) == {first.id, second.id}
    assert latest[first.id].at == T0 + timedelta(seconds=30 * 19)
    assert latest[second.id].at == T0 + timedelta(seconds=30 * 4)
    assert latest[first.id].mode == "Auto"


@pytest.mark.parametrize("bucket_s", [60, 300, 900, 3600, 7200])
async def test_buckets_from_raw_samples_match_python(
    storage: Storage, two_batteries: tuple[Battery, Battery], bucket_s: int
) -> None:
    first, second = two_batteries
    data = _irregular(first.id, seed=bucket_s)
    await storage.samples.insert_batch(data)
    await storage.samples.insert_batch(_irregular(second.id, seed=99))  # must not leak in
    start, end = T0 + timedelta(minutes=47, seconds=13), T0 + timedelta(hours=5, minutes=2)
    found = await storage.samples.bucketed(first.id, start, end, bucket_s)
    assert len(found) > 1
    _assert_same(found, _reference(data, start, end, bucket_s))


@pytest.mark.parametrize("bucket_s", [900, 1800, 3600])
async def test_buckets_agree_before_rollup_after_rollup_and_after_pruning(
    storage: Storage, battery: Battery, bucket_s: int
) -> None:
    data = _irregular(battery.id, seed=7)
    await storage.samples.insert_batch(data)
    start, end = T0, T0 + timedelta(hours=6)
    expected = _reference(data, start, end, bucket_s)
    _assert_same(await storage.samples.bucketed(battery.id, start, end, bucket_s), expected)

    # Half rolled up: rollups for the first part, raw samples for the rest, merged per bucket.
    assert await storage.samples.rollup(T0 + timedelta(hours=3, minutes=20)) > 0
    _assert_same(await storage.samples.bucketed(battery.id, start, end, bucket_s), expected)

    await storage.samples.rollup(T0 + timedelta(hours=7))
    assert await storage.samples.prune(T0 + timedelta(days=60), 30) == len(data)
    assert await storage.samples.between(battery.id, start, end) == []
    _assert_same(await storage.samples.bucketed(battery.id, start, end, bucket_s), expected)


async def test_rollup_covers_only_complete_buckets_and_is_idempotent(
    storage: Storage, battery: Battery
) -> None:
    await storage.samples.insert_batch(make_samples(battery.id, T0, 100))  # 00:00 → 00:49:30
    now = T0 + timedelta(minutes=40)
    assert await storage.samples.rollup(now) == 2  # 00:00 and 00:15; 00:30 is not complete
    first_pass = await _rollup_rows(storage)
    assert await storage.samples.rollup(now) == 0
    assert await _rollup_rows(storage) == first_pass
    assert await storage.samples.rollup(T0 + timedelta(hours=1)) == 2  # 00:30 and 00:45
    assert [row["n_samples"] for row in await _rollup_rows(storage)] == [30, 30, 30, 10]


async def _rollup_rows(storage: Storage) -> list[dict[str, object]]:
    async with storage.db.session(write=False) as session:
        result = await session.execute(
            select(sample_rollups).order_by(sample_rollups.c.bucket_start)
        )
        return [dict(row) for row in result.mappings()]


async def test_a_late_sample_updates_its_rollup(storage: Storage, battery: Battery) -> None:
    data = [s for s in make_samples(battery.id, T0, 60) if s.at.minute != 7]
    await storage.samples.insert_batch(data)
    await storage.samples.rollup(T0 + timedelta(hours=1))
    late = Sample(
        battery_id=battery.id, at=T0 + timedelta(minutes=7), soc_pct=99.0, ac_power_w=2000.0
    )
    assert await storage.samples.insert_batch([late]) == 1
    rows = await _rollup_rows(storage)
    assert rows[0]["n_samples"] == 29
    assert rows[0]["soc_max_pct"] == 99.0
    expected = _reference([*data, late], T0, T0 + timedelta(hours=1), 900)
    await storage.samples.prune(T0 + timedelta(days=40), 30)
    _assert_same(
        await storage.samples.bucketed(battery.id, T0, T0 + timedelta(hours=1), 900), expected
    )


async def test_a_late_sample_in_a_pruned_period_keeps_the_rollup(
    storage: Storage, battery: Battery, caplog: pytest.LogCaptureFixture
) -> None:
    await storage.samples.insert_batch(make_samples(battery.id, T0, 30))
    await storage.samples.rollup(T0 + timedelta(hours=1))
    await storage.samples.prune(T0 + timedelta(days=40), 30)
    before = await _rollup_rows(storage)
    late = Sample(
        battery_id=battery.id, at=T0 + timedelta(minutes=3, seconds=1), soc_pct=1.0, ac_power_w=0.0
    )
    with caplog.at_level(logging.WARNING, logger="bot.storage.samples"):
        await storage.samples.insert_batch([late])
    assert await _rollup_rows(storage) == before
    assert "already pruned" in caplog.text


async def test_prune_never_deletes_samples_that_are_not_rolled_up(
    storage: Storage, battery: Battery
) -> None:
    await storage.samples.insert_batch(make_samples(battery.id, T0, 120))  # one hour
    much_later = T0 + timedelta(days=45)
    assert await storage.samples.prune(much_later, 30) == 0
    await storage.samples.rollup(T0 + timedelta(minutes=30))
    assert await storage.samples.prune(much_later, 30) == 60  # only the rolled half hour
    remaining = await storage.samples.between(battery.id, T0, much_later)
    assert remaining[0].at == T0 + timedelta(minutes=30)


async def test_prune_keeps_the_retention_period(storage: Storage, battery: Battery) -> None:
    day_s = 86_400
    await storage.samples.insert_batch(make_samples(battery.id, T0, 40, step_s=day_s))
    now = T0 + timedelta(days=40)
    await storage.samples.rollup(now)
    assert await storage.samples.prune(now, 30) == 10
    kept = await storage.samples.between(battery.id, T0, now)
    assert kept[0].at == T0 + timedelta(days=10)
    assert len(kept) == 30


async def test_rollups_are_kept_forever(
    storage: Storage, battery: Battery, clock: ManualClock
) -> None:
    await storage.samples.insert_batch(make_samples(battery.id, T0, 120))
    result = await storage.housekeeping(T0 + timedelta(hours=2), retention_days=30)
    assert (result.rollups_written, result.samples_deleted) == (4, 0)
    result = await storage.housekeeping(T0 + timedelta(days=3650), retention_days=30)
    assert (result.rollups_written, result.samples_deleted) == (0, 120)
    assert len(await _rollup_rows(storage)) == 4
    (hour,) = await storage.samples.bucketed(battery.id, T0, T0 + timedelta(hours=1), 3600)
    assert hour.n_samples == 120
    assert hour.charged_wh == pytest.approx(1000 * (MAX_GAP_S + 119 * 30) / 3600)
    # Finer than 15 minutes only exists while raw samples are kept.
    assert await storage.samples.bucketed(battery.id, T0, T0 + timedelta(hours=1), 300) == []


async def test_bucketed_argument_checks(storage: Storage, battery: Battery) -> None:
    with pytest.raises(ValueError, match="positive"):
        await storage.samples.bucketed(battery.id, T0, T0 + timedelta(hours=1), 0)
    assert await storage.samples.bucketed(battery.id, T0, T0, 900) == []
    with pytest.raises(ValueError, match="at least 1"):
        await storage.samples.prune(T0, 0)
