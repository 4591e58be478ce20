"""Chart data from a real database: windows, buckets, rollups, and Tempo days across DST."""

from __future__ import annotations

import warnings
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from bot.charts import render_battery_history
from bot.charts.prepare import hc_windows, tempo_bands
from bot.storage.models import SampleBucket
from bot.telegram_ui.charts_ui.flow import resolve_target
from bot.telegram_ui.charts_ui.periods import PERIODS, chart_window
from bot.telegram_ui.charts_ui.series import (
    ChartBattery,
    build_series,
    chart_label,
    load_history,
    load_season,
)
from bot.tempo.model import TempoColor
from tests.charts.helpers import assert_sensible_png
from tests.telegram_ui.charts_ui.storage import (
    FixedColors,
    add_battery,
    open_storage,
    regular_samples,
)


def utc(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


@pytest.mark.parametrize(
    ("code", "start", "end"),
    [
        ("24h", utc(2026, 1, 13, 9, 15), utc(2026, 1, 14, 9, 15)),
        ("7d", utc(2026, 1, 7, 9, 0), utc(2026, 1, 14, 9, 15)),
        ("30d", utc(2025, 12, 15, 9, 0), utc(2026, 1, 14, 9, 15)),
    ],
)
def test_window_ends_at_next_quarter_and_starts_on_a_bucket(
    code: str, start: datetime, end: datetime
) -> None:
    now = utc(2026, 1, 14, 9, 7) + timedelta(seconds=30)
    assert chart_window(now, PERIODS[code]) == (start, end)


def test_buckets_are_multiples_of_a_quarter_so_rollups_serve_them() -> None:
    assert [p.bucket for p in PERIODS.values()] == [
        timedelta(minutes=15),
        timedelta(hours=1),
        timedelta(hours=3),
    ]


def test_a_window_already_on_a_quarter_ends_there() -> None:
    assert chart_window(utc(2026, 1, 14, 9, 15), PERIODS["24h"])[1] == utc(2026, 1, 14, 9, 15)


async def test_march_dst_week_hands_hourly_points_and_a_23_hour_tempo_day(tmp_path: Path) -> None:
    now = utc(2026, 3, 31, 10, 0)
    colors = FixedColors(
        {date(2026, 3, 24) + timedelta(days=i): TempoColor.BLUE for i in range(9)}
        | {date(2026, 3, 28): TempoColor.WHITE}
    )
    async with open_storage(tmp_path, now) as storage:
        battery_id = await add_battery(storage, 1)
        await storage.samples.insert_batch(
            regular_samples(
                battery_id, utc(2026, 3, 27), utc(2026, 3, 31, 9), every=timedelta(minutes=5)
            )
        )
        series = await load_history(
            storage.samples,
            colors,
            [ChartBattery(battery_id=battery_id, name="Venus 1")],
            now=now,
            period=PERIODS["7d"],
        )
    assert (series.start_utc, series.end_utc) == (utc(2026, 3, 24, 10), now)
    assert colors.asked == [(date(2026, 3, 24), date(2026, 3, 31))]
    points = series.batteries[0].points
    # Hourly UTC buckets run straight through the switch: no hole, no duplicate.
    assert [p.bucket_start_utc for p in points] == [
        utc(2026, 3, 27) + timedelta(hours=h) for h in range(24 * 4 + 9)
    ]
    assert points[30].soc_avg_pct == pytest.approx(30.0)
    assert points[30].power_avg_w == pytest.approx(100.0 * (30 % 7) - 300)

    bands = {
        band.tempo_day: band
        for band in tempo_bands(series.start_utc, series.end_utc, series.tempo_colors)
    }
    # Clocks go forward at 02:00 on Sunday 29 March: Tempo day 28 March lasts 23 hours.
    switch_day = bands[date(2026, 3, 28)]
    assert switch_day.start_utc == utc(2026, 3, 28, 5)  # 06:00 CET
    assert switch_day.end_utc == utc(2026, 3, 29, 4)  # 06:00 CEST
    assert switch_day.color is TempoColor.WHITE
    assert bands[date(2026, 3, 30)].end_utc - bands[date(2026, 3, 30)].start_utc == timedelta(
        hours=24
    )
    nights = hc_windows(series.start_utc, series.end_utc)
    switch_night = next(n for n in nights if n.start_utc == utc(2026, 3, 28, 21))
    assert switch_night.end_utc == utc(2026, 3, 29, 4)  # 7 h of HC that night


async def test_october_dst_day_lasts_25_hours_and_buckets_stay_regular(tmp_path: Path) -> None:
    now = utc(2026, 10, 25, 12, 0)
    colors = FixedColors(
        {date(2026, 10, 24): TempoColor.BLUE, date(2026, 10, 25): TempoColor.WHITE}
    )
    async with open_storage(tmp_path, now) as storage:
        battery_id = await add_battery(storage, 1)
        await storage.samples.insert_batch(
            regular_samples(battery_id, utc(2026, 10, 24, 12), now, every=timedelta(minutes=5))
        )
        series = await load_history(
            storage.samples,
            colors,
            [ChartBattery(battery_id=battery_id, name="Venus 1")],
            now=now,
            period=PERIODS["24h"],
        )
    assert series.bucket == timedelta(minutes=15)
    starts = [p.bucket_start_utc for p in series.batteries[0].points]
    assert starts == [utc(2026, 10, 24, 12) + timedelta(minutes=15 * i) for i in range(96)]
    bands = {
        band.tempo_day: band
        for band in tempo_bands(series.start_utc, series.end_utc, series.tempo_colors)
    }
    # Clocks go back at 03:00 on Sunday 25 October: Tempo day 24 October lasts 25 hours.
    assert bands[date(2026, 10, 24)].end_utc == utc(2026, 10, 25, 5)  # 06:00 CET
    assert bands[date(2026, 10, 25)].color is TempoColor.WHITE
    full_day = tempo_bands(utc(2026, 10, 24, 0), utc(2026, 10, 26, 0), series.tempo_colors)[1]
    assert full_day.tempo_day == date(2026, 10, 24)
    assert full_day.end_utc - full_day.start_utc == timedelta(hours=25)


async def test_pruned_history_still_charted_from_rollups(tmp_path: Path) -> None:
    now = utc(2026, 1, 14, 12, 0)
    async with open_storage(tmp_path, now) as storage:
        battery_id = await add_battery(storage, 1)
        await storage.samples.insert_batch(
            regular_samples(battery_id, utc(2026, 1, 6), now, every=timedelta(minutes=1))
        )
        result = await storage.housekeeping(now, retention_days=2)
        assert result.samples_deleted > 0
        series = await load_history(
            storage.samples,
            FixedColors({}),
            [ChartBattery(battery_id=battery_id, name="Venus 1")],
            now=now,
            period=PERIODS["7d"],
        )
    starts = [p.bucket_start_utc for p in series.batteries[0].points]
    assert starts[0] == series.start_utc
    assert starts == [series.start_utc + timedelta(hours=h) for h in range(len(starts))]
    assert series.batteries[0].points[0].soc_avg_pct == pytest.approx(
        int((series.start_utc - utc(2026, 1, 6)) / timedelta(hours=1)) % 100
    )


async def test_season_view_asks_the_whole_season(tmp_path: Path) -> None:
    colors = FixedColors({date(2026, 1, 13): TempoColor.RED, date(2025, 8, 31): TempoColor.BLUE})
    view = await load_season(colors, now=utc(2026, 1, 14, 4, 0))  # 05:00 Paris: still the 13th
    assert view.today == date(2026, 1, 13)
    assert view.season.start_year == 2025
    assert colors.asked == [(date(2025, 9, 1), date(2026, 8, 31))]
    assert view.colors == {date(2026, 1, 13): TempoColor.RED}


def test_names_that_would_break_the_renderer_are_drawn_literally() -> None:
    assert chart_label("Salon 🔋") == "Salon ?"
    assert chart_label("Батарея") == "Батарея"
    assert chart_label(r"$\frac$") == r"\$\frac\$"
    bucket = SampleBucket(
        start=utc(2026, 1, 14, 8),
        duration_s=900,
        n_samples=3,
        soc_min_pct=40,
        soc_avg_pct=45,
        soc_max_pct=50,
        ac_power_min_w=-100,
        ac_power_avg_w=0,
        ac_power_max_w=100,
        charged_wh=1,
        discharged_wh=1,
        grid_import_wh=None,
        grid_export_wh=None,
    )
    series = build_series(
        start=utc(2026, 1, 13, 9),
        end=utc(2026, 1, 14, 9),
        period=PERIODS["24h"],
        histories=[("Salon 🔋", [bucket]), (r"$\frac$", [bucket]), ("電池 <b>", [bucket])],
        colors={},
    )
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert_sensible_png(render_battery_history(series))


def test_targets_accept_only_watched_ids_or_all() -> None:
    registered = [(3, "Venus 1"), (7, "Venus 2")]
    everything = resolve_target("*", registered)
    assert everything is not None
    assert everything.batteries == tuple(registered)
    one = resolve_target("7", registered)
    assert one is not None
    assert one.batteries == ((7, "Venus 2"),)
    for forged in ("4", "-3", "03x", "", "1" * 10, "٣"):
        assert resolve_target(forged, registered) is None
