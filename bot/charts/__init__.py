"""Charts sent as Telegram photos: pure functions turning frozen dataclasses into PNG bytes.

Every ``render_*`` function is CPU-bound and thread-safe (matplotlib's object API with an Agg
canvas, never ``pyplot``): call it with ``await asyncio.to_thread(render_…, …)``.
"""

from __future__ import annotations

from bot.charts.history import render_battery_history
from bot.charts.model import (
    BatteryHistory,
    BatteryPlan,
    HistoryPoint,
    HistorySeries,
    Lang,
    PlanSeries,
    PlanStep,
    SavingsDay,
    TempoColors,
)
from bot.charts.plan import render_plan
from bot.charts.savings import render_savings
from bot.charts.season import render_season_calendar

__all__ = [
    "BatteryHistory",
    "BatteryPlan",
    "HistoryPoint",
    "HistorySeries",
    "Lang",
    "PlanSeries",
    "PlanStep",
    "SavingsDay",
    "TempoColors",
    "render_battery_history",
    "render_plan",
    "render_savings",
    "render_season_calendar",
]
