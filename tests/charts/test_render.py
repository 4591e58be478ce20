"""Every chart renders a valid, phone-sized PNG, in French and English, off the event loop."""

from __future__ import annotations

import asyncio
import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path

import pytest

from bot.charts import (
    BatteryPlan,
    HistorySeries,
    Lang,
    PlanSeries,
    PlanStep,
    SavingsDay,
    render_battery_history,
    render_plan,
    render_savings,
    render_season_calendar,
)
from bot.tempo.model import TempoColor
from bot.tempo.seasons import Season, season_counters
from tests.charts.helpers import assert_sensible_png, cycling_colors, synthetic_history, utc

REPO_ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(
    ("days", "bucket", "lang"),
    [
        (1, timedelta(minutes=5), "fr"),
        (7, timedelta(minutes=15), "en"),
        (30, timedelta(hours=1), "fr"),
    ],
)
def test_history_renders_at_every_span(days: int, bucket: timedelta, lang: Lang) -> None:
    series = synthetic_history(end=utc(2026, 1, 16, 9), days=days, bucket=bucket)
    width, height = assert_sensible_png(render_battery_history(series, lang))
    assert (width, height) == (1200, 800)


def test_history_renders_across_both_dst_switches() -> None:
    for end in (utc(2026, 4, 1, 9), utc(2026, 10, 28, 9)):
        series = synthetic_history(end=end, days=7, bucket=timedelta(minutes=15))
        assert_sensible_png(render_battery_history(series))


def test_history_without_any_data_still_renders() -> None:
    empty = HistorySeries(
        start_utc=utc(2026, 1, 15, 9),
        end_utc=utc(2026, 1, 16, 9),
        bucket=timedelta(minutes=5),
        batteries=(),
    )
    assert_sensible_png(render_battery_history(empty))


def _plan(batteries: int) -> PlanSeries:
    start = utc(2026, 1, 15, 13)
    schedule = [  # (hours, power_w, soc_start_pct, soc_end_pct, label)
        (8, 400.0, 50.0, 35.0, "autoconsommation"),
        (8, -1100.0, 35.0, 100.0, "précharge avant jour rouge"),
        (16, 600.0, 100.0, 25.0, "autoconsommation"),
        (16, 0.0, 25.0, 25.0, "pause"),
    ]
    plans = []
    for index in range(batteries):
        steps, cursor = [], start
        for hours, power_w, soc_start, soc_end, label in schedule:
            end = cursor + timedelta(hours=hours)
            steps.append(
                PlanStep(
                    start_utc=cursor,
                    end_utc=end,
                    power_w=power_w * (1 + index / 4),
                    soc_start_pct=soc_start,
                    soc_end_pct=soc_end,
                    label=label,
                )
            )
            cursor = end
        plans.append(BatteryPlan(name=f"Venus {index + 1}", steps=tuple(steps)))
    return PlanSeries(
        start_utc=start,
        end_utc=start + timedelta(hours=48),
        batteries=tuple(plans),
        tempo_colors={date(2026, 1, 15): TempoColor.WHITE, date(2026, 1, 16): TempoColor.RED},
    )


def test_plan_renders_in_both_languages_and_when_empty() -> None:
    assert assert_sensible_png(render_plan(_plan(3), "fr")) == (1200, 800)
    assert_sensible_png(render_plan(_plan(1), "en"))
    assert_sensible_png(render_plan(_plan(0)))


def _savings(days: int, *, start: date = date(2025, 12, 20)) -> list[SavingsDay]:
    colors = cycling_colors(start, days)
    amounts = {TempoColor.BLUE: -0.04, TempoColor.WHITE: 0.08, TempoColor.RED: 3.1, None: 0.0}
    return [
        SavingsDay(day=day, color=color, savings_eur=amounts[color])
        for day, color in colors.items()
    ]


def test_savings_renders_a_month_a_week_and_nothing() -> None:
    assert assert_sensible_png(render_savings(_savings(30))) == (1200, 800)
    assert_sensible_png(render_savings(_savings(7), "en"))
    assert_sensible_png(render_savings([]))
    losses = [
        SavingsDay(day=date(2026, 5, d), color=TempoColor.BLUE, savings_eur=-0.1)
        for d in range(1, 8)
    ]
    assert_sensible_png(render_savings(losses))


def test_season_calendar_renders_a_leap_season_and_a_running_one() -> None:
    leap = dict.fromkeys(Season(start_year=2023).days(), TempoColor.BLUE)
    assert_sensible_png(render_season_calendar(2023, leap, date(2024, 9, 1), "en"))
    running = cycling_colors(date(2025, 9, 1), 120)
    counters = season_counters(
        Season(start_year=2025), {d: c for d, c in running.items() if c is not None}
    )
    png = render_season_calendar(2025, running, date(2025, 12, 29), "fr", counters=counters)
    width, height = assert_sensible_png(png)
    assert height > width  # portrait: twelve month grids read best on a phone held upright


async def test_renders_run_concurrently_in_threads_and_stay_deterministic() -> None:
    series = synthetic_history(end=utc(2026, 1, 16, 9), days=7, bucket=timedelta(minutes=15))
    alone = render_battery_history(series)
    together = await asyncio.gather(
        asyncio.to_thread(render_battery_history, series),
        asyncio.to_thread(render_savings, _savings(30)),
        asyncio.to_thread(render_battery_history, series),
    )
    assert together[0] == alone
    assert together[2] == alone
    assert_sensible_png(together[1])


def test_rendering_never_imports_pyplot() -> None:
    code = (
        "import sys, datetime as d\n"
        "from bot.charts import render_savings\n"
        "render_savings([])\n"
        "assert 'matplotlib.pyplot' not in sys.modules, 'pyplot was imported'\n"
    )
    result = subprocess.run(  # noqa: S603 - fixed arguments, our own interpreter
        [sys.executable, "-c", code], cwd=REPO_ROOT, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
