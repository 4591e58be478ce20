"""The backtest on the household's stored history, over a real SQLite database."""

from __future__ import annotations

import sys
from collections.abc import AsyncIterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import numpy as np
import pytest
from sqlalchemy import delete

from bot.backtest import StrategyKey, format_report, render_chart
from bot.backtest.data import STEP
from bot.backtest.household import (
    HistoryTooShortError,
    StoredHistory,
    household_options,
    household_season,
    read_history,
    run_household,
)
from bot.backtest.physics import BankSpec
from bot.backtest.report import compact_table
from bot.settings import Settings
from bot.storage import Storage
from bot.storage.tables import samples as samples_table
from bot.tempo.calendar import PARIS, tempo_day_bounds
from bot.tempo.model import TempoColor
from bot.tempo.prices import PriceTable, load_price_table, price_at
from tests.backtest.household_helpers import half_hour, house_w, samples, store_colors
from tests.storage.conftest import opened_storage

B, W, R = TempoColor.BLUE, TempoColor.WHITE, TempoColor.RED
PRICES = load_price_table()


@pytest.fixture
async def storage(tmp_path: Path) -> AsyncIterator[Storage]:
    async with opened_storage(tmp_path / "h.db", datetime(2026, 2, 3, 12, tzinfo=UTC)) as opened:
        yield opened


async def _batteries(storage: Storage, count: int) -> list[int]:
    ids = []
    for unit in range(count):
        battery = await storage.batteries.upsert(
            ble_mac=f"0c587b17df0{unit}", name=f"Venus {unit + 1}", host="127.0.0.1", port=1
        )
        ids.append(battery.id)
    return ids


async def _fill(
    storage: Storage, ids: list[int], first: date, last: date, *, meter: bool = True
) -> None:
    """Samples of Tempo days ``first`` → ``last``: the meter on the first battery only."""
    start, end = tempo_day_bounds(first)[0], tempo_day_bounds(last)[1]
    for unit, battery_id in enumerate(ids):
        await storage.samples.insert_batch(
            samples(battery_id, unit, start, end, meter=meter and unit == 0)
        )


def _days(first: date, count: int) -> list[date]:
    return [first + timedelta(days=offset) for offset in range(count)]


async def _history(storage: Storage, now: datetime, days: int) -> StoredHistory:
    return await read_history(storage, now=now, days=days, tz=PARIS)


async def test_grid_is_the_stored_load_colours_and_prices_across_1_february(
    storage: Storage,
) -> None:
    ids = await _batteries(storage, 2)
    # A day of warm-up (27 Jan), then 28 Jan → 2 Feb; 3 Feb is today (incomplete, not used).
    await _fill(storage, ids, date(2026, 1, 27), date(2026, 2, 3))
    colors = dict(zip(_days(date(2026, 1, 26), 9), [B, W, B, R, R, W, B, B, B], strict=True))
    await store_colors(storage, colors, datetime(2026, 2, 3, tzinfo=UTC))
    now = datetime(2026, 2, 3, 12, tzinfo=UTC)

    data = household_season(await _history(storage, now, 6), PRICES)

    assert (data.first_day, data.last_day) == (date(2026, 1, 28), date(2026, 2, 2))
    assert data.steps == 6 * 48
    assert data.warmup == 48  # the one stored day before the window
    instants = [data.start + STEP * (i - data.warmup) for i in range(data.warmup + data.steps)]
    expected = [house_w(half_hour(instant), (0, 1)) for instant in instants]
    assert data.load_w.tolist() == pytest.approx(expected)
    for index in range(data.steps):
        instant = data.instant(index)
        assert data.price[index] == price_at(instant, colors, PRICES), instant
        assert data.colors[data.tempo_day[index]] is colors[data.tempo_day[index]]
    # The HC night of Tempo day 31 Jan: the old prices until midnight, the new ones after.
    midnight = datetime(2026, 2, 1, tzinfo=PARIS).astimezone(UTC)
    cut = round((midnight - data.start) / STEP)
    assert data.tempo_day[cut - 1] == data.tempo_day[cut] == date(2026, 1, 31)
    assert data.price[cut - 1] == PRICES.rows[1].white_hc_eur_per_kwh  # row of 2025-08-01
    assert data.price[cut] == PRICES.rows[2].white_hc_eur_per_kwh  # row of 2026-02-01
    assert data.history is not None
    assert data.history.price_dates == (date(2025, 8, 1), date(2026, 2, 1))
    assert data.history.batteries == 2
    assert data.history.metered_pct == pytest.approx(100.0)
    assert data.prices is PRICES  # the real table, not one fixed row
    assert data.price_row.effective_from == date(2026, 2, 1)


async def test_a_dst_day_and_rolled_up_history(storage: Storage) -> None:
    ids = await _batteries(storage, 1)
    await _fill(storage, ids, date(2025, 10, 24), date(2025, 10, 27))
    colors = dict(zip(_days(date(2025, 10, 24), 4), [B, B, W, B], strict=True))
    await store_colors(storage, colors, datetime(2025, 10, 28, tzinfo=UTC))
    now = datetime(2025, 10, 28, 12, tzinfo=UTC)
    await storage.samples.rollup(datetime(2025, 10, 26, 12, tzinfo=UTC))  # half read back rolled

    data = household_season(await _history(storage, now, 4), PRICES)

    assert (data.first_day, data.last_day, data.warmup) == (
        date(2025, 10, 24),
        date(2025, 10, 27),
        0,
    )
    # Saturday 25 Oct holds the night the clocks go back: 25 hours, 50 half-hours.
    assert data.tempo_day.count(date(2025, 10, 25)) == 50
    assert data.steps == 4 * 48 + 2
    expected = [house_w(half_hour(data.instant(i)), (0,)) for i in range(data.steps)]
    assert data.season_load().tolist() == pytest.approx(expected)
    assert np.all(data.price == [price_at(data.instant(i), colors, PRICES) for i in range(194)])


async def test_too_little_history_is_one_clear_reason(storage: Storage) -> None:
    now = datetime(2026, 2, 3, 12, tzinfo=UTC)
    with pytest.raises(HistoryTooShortError) as nothing:
        household_season(await _history(storage, now, 5), PRICES)
    assert (nothing.value.code, nothing.value.found_days, nothing.value.needed_days) == (
        "no_history",
        0,
        3,
    )
    ids = await _batteries(storage, 1)
    await _fill(storage, ids, date(2026, 1, 29), date(2026, 2, 2), meter=False)
    await store_colors(storage, dict.fromkeys(_days(date(2026, 1, 29), 5), B), now)
    with pytest.raises(HistoryTooShortError) as no_meter:
        household_season(await _history(storage, now, 5), PRICES)
    assert no_meter.value.code == "no_meter"

    # A second battery, which sees the meter, from 1 Feb on.
    second = (await _batteries(storage, 2))[1]
    await storage.samples.insert_batch(
        samples(second, 1, tempo_day_bounds(date(2026, 2, 1))[0], now, meter=True)
    )
    with pytest.raises(HistoryTooShortError) as short:
        household_season(await _history(storage, now, 5), PRICES)
    assert (short.value.code, short.value.found_days) == ("too_short", 2)
    assert "2 complete day(s)" in str(short.value)
    # Two days are enough if the caller asks for two.
    data = household_season(await _history(storage, now, 5), PRICES, min_days=2)
    assert (data.first_day, data.last_day) == (date(2026, 2, 1), date(2026, 2, 2))


async def test_a_day_without_colour_or_readings_limits_the_window(storage: Storage) -> None:
    ids = await _batteries(storage, 1)
    await _fill(storage, ids, date(2026, 1, 20), date(2026, 2, 2))
    days = _days(date(2026, 1, 20), 14)
    colors = {day: B for day in days if day != date(2026, 1, 29)}
    await store_colors(storage, colors, datetime(2026, 2, 3, tzinfo=UTC))
    now = datetime(2026, 2, 3, 12, tzinfo=UTC)

    data = household_season(await _history(storage, now, 14), PRICES)
    assert (data.first_day, data.last_day) == (date(2026, 1, 30), date(2026, 2, 2))
    assert data.warmup == 7 * 48  # the load before the colourless day still warms the forecast

    # 1 Feb keeps only 20 of its 48 half-hours of meter readings: it breaks the run too, and
    # the latest run long enough (20 → 28 Jan) is used.
    start, _ = tempo_day_bounds(date(2026, 2, 1))
    async with storage.db.session() as session:
        await session.execute(
            delete(samples_table)
            .where(samples_table.c.at >= start + STEP * 20)
            .where(samples_table.c.at < start + STEP * 48)
        )
    data = household_season(await _history(storage, now, 14), PRICES)
    assert (data.first_day, data.last_day) == (date(2026, 1, 20), date(2026, 1, 28))


async def test_run_report_and_chart_on_the_household_history(
    storage: Storage, monkeypatch: pytest.MonkeyPatch
) -> None:
    ids = await _batteries(storage, 2)
    await _fill(storage, ids, date(2026, 1, 27), date(2026, 2, 2))
    colors = dict(zip(_days(date(2026, 1, 26), 9), [B, W, B, R, R, W, B, B, B], strict=True))
    await store_colors(storage, colors, datetime(2026, 2, 3, tzinfo=UTC))
    history = await _history(storage, datetime(2026, 2, 3, 12, tzinfo=UTC), 6)
    settings = Settings(
        contract_power_kva=6.0, precharge_target_soc_pct=90.0, wear_cost_eur_kwh=0.01
    )
    options = household_options(settings, BankSpec(count=2), "2025-2026")
    assert (options.contract_kva, options.wear_eur_kwh, options.bank.count) == (6.0, 0.01, 2)
    assert options.strategy is not None
    assert options.strategy.target_soc_pct == 90.0

    report = run_household(history, PRICES, options, min_days=3)

    assert [row.key for row in report.results] == list(StrategyKey)
    planner, optimum = report.result(StrategyKey.PLANNER), report.result(StrategyKey.OPTIMUM)
    assert planner is not None
    assert optimum is not None
    assert optimum.saved_eur > 0.0
    assert planner.saved_eur <= optimum.saved_eur + 1e-6
    first = half_hour(tempo_day_bounds(date(2026, 1, 28))[0])
    consumed = sum(house_w(first + i, (0, 1)) for i in range(6 * 48)) / 2000
    assert report.consumed_kwh == pytest.approx(consumed)
    french = format_report(report, "fr")
    assert "Votre historique : du 28/01/2026 au 02/02/2026 (6 jours)" in french
    assert "prix en vigueur chaque jour (grille du 01/08/2025 puis du 01/02/2026)" in french
    assert "CC BY-SA" not in french  # not the shipped curve
    english = format_report(report, "en")
    assert "Your history: 2026-01-28 to 2026-02-02 (6 days)" in english
    table = compact_table(report, "fr")
    assert max(len(line) for line in table.splitlines()) <= 34
    assert "planificateur" in table
    assert render_chart(report, "fr").startswith(b"\x89PNG\r\n\x1a\n")

    monkeypatch.setitem(sys.modules, "scipy", None)
    monkeypatch.setitem(sys.modules, "scipy.optimize", None)
    partial = run_household(history, PRICES, options, min_days=3)
    assert StrategyKey.OPTIMUM not in [row.key for row in partial.results]
    assert partial.optimum_missing_code == "scipy_missing"


def test_a_window_needs_a_price_row() -> None:
    history = StoredHistory(
        days=(date(2020, 1, 1),),
        start=datetime(2019, 12, 25, 5, tzinfo=UTC),
        per_battery=(),
        colors={date(2020, 1, 1): B},
        tz=PARIS,
    )
    with pytest.raises(HistoryTooShortError):
        household_season(history, PriceTable([]), min_days=1)
