"""SavingsService over a real SQLite database: samples → buckets → € per day/month/season/total."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from bot.savings import SavingsService
from bot.savings.service import SettledDays
from bot.storage import Sample, Storage
from bot.storage.models import SampleBucket
from bot.tempo.calendar import PARIS
from bot.tempo.model import TempoColor, TempoDayRecord
from bot.tempo.prices import load_price_table
from bot.tempo.seasons import Season
from bot.tempo.service import TempoService
from tests.savings.helpers import local
from tests.storage.conftest import opened_storage

NOW = datetime(2026, 1, 20, 12, tzinfo=UTC)


@pytest.fixture
async def storage(tmp_path: Path) -> AsyncIterator[Storage]:
    async with opened_storage(tmp_path / "m.db", NOW) as opened:
        yield opened


async def _battery(storage: Storage, mac: str) -> int:
    battery = await storage.batteries.upsert(ble_mac=mac, name=mac[-4:], host="127.0.0.1", port=1)
    return battery.id


def _every_minute(battery_id: int, start: datetime, end: datetime, power_w: float) -> list[Sample]:
    count = int((end - start).total_seconds() // 60)
    return [
        Sample(
            battery_id=battery_id,
            at=start + timedelta(minutes=i),
            soc_pct=50.0,
            ac_power_w=power_w,
            # Lifetime counters that glitch (jump back to 0): they must not matter.
            grid_in_wh=float(1000 - i) if i % 7 else 0.0,
        )
        for i in range(count)
    ]


async def _colors(storage: Storage, colors: dict[date, TempoColor]) -> None:
    for day, color in colors.items():
        await storage.tempo_days.put_day(
            TempoDayRecord(day=day, color=color, confirmed=True, source="test", fetched_at=NOW)
        )


def _service(storage: Storage) -> SavingsService:
    tempo = TempoService(sources=[], store=storage.tempo_days, tz=PARIS)
    return SavingsService(storage, tempo, load_price_table(), PARIS)


async def test_samples_with_a_gap_are_valued_per_period(storage: Storage) -> None:
    one = await _battery(storage, "0c587b17df01")
    two = await _battery(storage, "0c587b17df02")
    # Battery one: 1 kW delivered 07:00–09:00 on red 15 Jan, then silent (outage) until 20:00,
    # then 1 kW 20:00–21:00; 2 kW bought 23:00–01:00 that night.
    await storage.samples.insert_batch(
        _every_minute(one, local(2026, 1, 15, 7), local(2026, 1, 15, 9), 1000.0)
        + _every_minute(one, local(2026, 1, 15, 20), local(2026, 1, 15, 21), 1000.0)
        + _every_minute(one, local(2026, 1, 15, 23), local(2026, 1, 16, 1), -2000.0)
    )
    await storage.samples.insert_batch(
        _every_minute(two, local(2026, 1, 16, 8), local(2026, 1, 16, 9), 600.0)
    )
    await storage.samples.rollup(NOW)  # part of the history is read back from the rollups
    await _colors(storage, {date(2026, 1, 15): TempoColor.RED, date(2026, 1, 16): TempoColor.WHITE})
    service = _service(storage)

    red = await service.day(date(2026, 1, 15))
    # Each sample holds the minute before it; the first one of a run (after nothing, or after an
    # 11-hour outage) holds only the 2-minute cap: one extra minute per run, not 11 hours.
    assert red.discharged_wh == pytest.approx(3000.0 + 2 * 1000 / 60)
    assert red.charged_wh == pytest.approx(4000.0 + 2000 / 60)
    assert red.savings_eur == pytest.approx(
        red.discharged_wh / 1000 * 0.6468 - red.charged_wh / 1000 * 0.1460
    )
    white = await service.day(date(2026, 1, 16))
    assert white.discharged_wh == pytest.approx(600.0 + 600 / 60)
    assert white.value_eur == pytest.approx(white.discharged_wh / 1000 * 0.1730)

    month = await service.month(2026, 1, until=date(2026, 1, 20))
    assert month.last == date(2026, 1, 20)
    assert month.savings_eur == pytest.approx(red.savings_eur + white.savings_eur)
    season = await service.season(Season(start_year=2025), until=date(2026, 1, 20))
    assert season.savings_eur == pytest.approx(month.savings_eur)
    assert await service.installed_on() == date(2026, 1, 15)
    total = await service.total(until=date(2026, 1, 20))
    assert total.first == date(2026, 1, 15)
    assert total.savings_eur == pytest.approx(month.savings_eur)
    assert (await service.total(until=date(2026, 1, 20), since=date(2026, 1, 16))).savings_eur == (
        pytest.approx(white.savings_eur)
    )


async def test_nothing_stored_is_zero(storage: Storage) -> None:
    service = _service(storage)
    assert await service.installed_on() is None
    total = await service.total(until=date(2026, 1, 20))
    assert len(total.days) == 1
    assert total.savings_eur == 0.0
    assert await service.days(date(2026, 1, 2), date(2026, 1, 1)) == []


async def test_settled_days_are_accounted_once_and_days_in_progress_each_time(
    storage: Storage, monkeypatch: pytest.MonkeyPatch
) -> None:
    one = await _battery(storage, "0c587b17df01")
    await storage.samples.insert_batch(
        _every_minute(one, local(2026, 1, 15, 7), local(2026, 1, 15, 9), 1000.0)
        + _every_minute(one, local(2026, 1, 16, 7), local(2026, 1, 16, 8), 500.0)
    )
    await _colors(storage, {date(2026, 1, 15): TempoColor.RED})  # 16 Jan: colour not known yet
    tempo = TempoService(sources=[], store=storage.tempo_days, tz=PARIS)
    prices = load_price_table()
    settled = SettledDays()
    reads: list[tuple[datetime, datetime]] = []
    original = storage.samples.bucketed

    async def counting(
        battery_id: int, start: datetime, end: datetime, bucket_s: int
    ) -> list[SampleBucket]:
        reads.append((start, end))
        return await original(battery_id, start, end, bucket_s)

    monkeypatch.setattr(storage.samples, "bucketed", counting)
    # 17 Jan 07:30: the 15th and the 16th are settled, but only the 15th has its colour.
    now = local(2026, 1, 17, 7) + timedelta(minutes=30)
    first = await SavingsService(storage, tempo, prices, PARIS, settled=settled, now=now).days(
        date(2026, 1, 14), date(2026, 1, 17)
    )
    assert [d.day for d in first] == [date(2026, 1, 14 + i) for i in range(4)]
    assert settled.get(date(2026, 1, 15)) == first[1]
    assert settled.get(date(2026, 1, 14)) is None  # no colour stored for it either
    assert settled.get(date(2026, 1, 16)) is None  # no colour yet: it may still be valued
    assert settled.get(date(2026, 1, 17)) is None  # in progress
    # New samples for the day in progress and the colour of the 16th arrive.
    await storage.samples.insert_batch(
        _every_minute(one, local(2026, 1, 17, 8), local(2026, 1, 17, 9), 800.0)
    )
    await _colors(storage, {date(2026, 1, 16): TempoColor.WHITE})
    reads.clear()
    again = await SavingsService(storage, tempo, prices, PARIS, settled=settled, now=now).days(
        date(2026, 1, 14), date(2026, 1, 17)
    )
    # The 15th came from the cache: storage was read only for the 14th and the 16th–17th.
    assert reads == [
        (local(2026, 1, 14, 6), local(2026, 1, 15, 6)),
        (local(2026, 1, 16, 6), local(2026, 1, 18, 6)),
    ]
    assert again[1] == first[1]
    assert again[2].color is TempoColor.WHITE
    assert again[2].value_eur > 0
    assert again[3].discharged_wh > first[3].discharged_wh
    # Same figures as an uncached service.
    fresh = await SavingsService(storage, tempo, prices, PARIS).days(
        date(2026, 1, 14), date(2026, 1, 17)
    )
    assert again == fresh
