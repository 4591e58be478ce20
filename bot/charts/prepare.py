"""Pure series preparation: everything a chart draws, computed without matplotlib.

Tempo day boundaries and HC windows come from :mod:`bot.tempo.calendar` (06:00 → 06:00 local,
HC 22:00–06:00, DST-exact); this module only groups and clips them. Lines are returned as
*segments*: a gap in the data ends one segment and starts the next, so the renderer never
draws a line across missing data.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from itertools import accumulate, groupby
from typing import TypeVar
from zoneinfo import ZoneInfo

from bot.charts.model import (
    BatteryHistory,
    BatteryPlan,
    HistoryPoint,
    Lang,
    PlanSeries,
    PlanStep,
    SavingsDay,
    TempoColors,
)
from bot.charts.texts import short_date, weekday_short
from bot.tempo.calendar import (
    PARIS,
    iter_tariff_periods,
    local_date,
    local_instant,
    require_aware,
)
from bot.tempo.model import TariffPeriod, TempoColor

T = TypeVar("T")
V = TypeVar("V")
Point = tuple[datetime, float]
Segment = tuple[Point, ...]
RangePoint = tuple[datetime, float, float]

# Buckets are aligned, but a point stamped a little late must not open a false gap.
_GAP_TOLERANCE = 1.5


@dataclass(frozen=True, slots=True, kw_only=True)
class TempoBand:
    """The background band of one Tempo day, clipped to the chart's range."""

    start_utc: datetime
    end_utc: datetime
    tempo_day: date
    color: TempoColor | None


@dataclass(frozen=True, slots=True, kw_only=True)
class TimeWindow:
    """A ``[start_utc, end_utc)`` stretch of time (an HC night, clipped to the chart's range)."""

    start_utc: datetime
    end_utc: datetime


@dataclass(frozen=True, slots=True, kw_only=True)
class TimeTick:
    """A labelled tick of a time axis."""

    at_utc: datetime
    label: str


@dataclass(frozen=True, slots=True, kw_only=True)
class CalendarCell:
    """One day of a month grid: ``row`` is the week within the month, ``col`` 0 = Monday."""

    day: date
    row: int
    col: int
    color: TempoColor | None
    is_today: bool


def tempo_bands(
    start: datetime, end: datetime, colors: TempoColors, tz: ZoneInfo = PARIS
) -> list[TempoBand]:
    """Return one band per Tempo day overlapping ``[start, end)``, at the exact 06:00 boundaries."""
    slices = iter_tariff_periods(start, end, tz)
    bands = []
    for day, group in groupby(slices, key=lambda piece: piece.tempo_day):
        parts = list(group)
        bands.append(
            TempoBand(
                start_utc=parts[0].start,
                end_utc=parts[-1].end,
                tempo_day=day,
                color=colors.get(day),
            )
        )
    return bands


def hc_windows(start: datetime, end: datetime, tz: ZoneInfo = PARIS) -> list[TimeWindow]:
    """Return the HC (22:00–06:00 local) windows overlapping ``[start, end)``, clipped."""
    return [
        TimeWindow(start_utc=piece.start, end_utc=piece.end)
        for piece in iter_tariff_periods(start, end, tz)
        if piece.period is TariffPeriod.HC
    ]


def split_runs(
    items: Iterable[T],
    *,
    value: Callable[[T], V | None],
    joined: Callable[[T, T], bool],
) -> list[list[tuple[T, V]]]:
    """Split ``items`` into runs of ``(item, value)``: value present, each item joining the last."""
    runs: list[list[tuple[T, V]]] = []
    current: list[tuple[T, V]] = []
    for item in items:
        item_value = value(item)
        if item_value is None:
            current = []
            continue
        if not current or not joined(current[-1][0], item):
            current = []
            runs.append(current)
        current.append((item, item_value))
    return runs


def _bucket_runs(
    points: Sequence[HistoryPoint], bucket: timedelta, value: Callable[[HistoryPoint], V | None]
) -> list[list[tuple[datetime, V]]]:
    limit = bucket * _GAP_TOLERANCE
    runs = split_runs(
        sorted(points, key=lambda point: point.bucket_start_utc),
        value=value,
        joined=lambda before, after: after.bucket_start_utc - before.bucket_start_utc <= limit,
    )
    return [[(point.bucket_start_utc, item) for point, item in run] for run in runs]


def soc_segments(battery: BatteryHistory, bucket: timedelta) -> list[Segment]:
    """Return the average-SoC line: bucket midpoints, split at gaps.

    A lone bucket becomes a flat segment across its bucket so it stays visible.
    """
    segments: list[Segment] = []
    for run in _bucket_runs(battery.points, bucket, lambda point: point.soc_avg_pct):
        if len(run) == 1:
            start, soc = run[0]
            segments.append(((start, soc), (start + bucket, soc)))
        else:
            segments.append(tuple((start + bucket / 2, soc) for start, soc in run))
    return segments


def _soc_min_max(point: HistoryPoint) -> tuple[float, float] | None:
    if point.soc_min_pct is None or point.soc_max_pct is None:
        return None
    return point.soc_min_pct, point.soc_max_pct


def soc_range_segments(battery: BatteryHistory, bucket: timedelta) -> list[tuple[RangePoint, ...]]:
    """Return the SoC min–max envelope at bucket midpoints, split at gaps."""
    return [
        tuple((start + bucket / 2, low, high) for start, (low, high) in run)
        for run in _bucket_runs(battery.points, bucket, _soc_min_max)
    ]


def power_step_segments(battery: BatteryHistory, bucket: timedelta) -> list[Segment]:
    """Return the average-power step line (value held over each bucket), split at gaps."""
    segments: list[Segment] = []
    for run in _bucket_runs(battery.points, bucket, lambda point: point.power_avg_w):
        last_start, last_power = run[-1]
        segments.append((*run, (last_start + bucket, last_power)))
    return segments


def _plan_runs(
    plan: BatteryPlan, value: Callable[[PlanStep], V | None]
) -> list[list[tuple[PlanStep, V]]]:
    return split_runs(
        sorted(plan.steps, key=lambda step: step.start_utc),
        value=value,
        joined=lambda before, after: before.end_utc == after.start_utc,
    )


def _soc_start_end(step: PlanStep) -> tuple[float, float] | None:
    if step.soc_start_pct is None or step.soc_end_pct is None:
        return None
    return step.soc_start_pct, step.soc_end_pct


def plan_soc_segments(plan: BatteryPlan) -> list[Segment]:
    """Return the planned SoC: linear within each step, split where steps or SoC are missing."""
    return [
        tuple(
            point
            for step, (soc_start, soc_end) in run
            for point in ((step.start_utc, soc_start), (step.end_utc, soc_end))
        )
        for run in _plan_runs(plan, _soc_start_end)
    ]


def plan_power_segments(plan: BatteryPlan) -> list[Segment]:
    """Return the planned power as a step line, split where consecutive steps do not touch."""
    segments: list[Segment] = []
    for run in _plan_runs(plan, lambda step: step.power_w):
        last_step, last_power = run[-1]
        steps = tuple((step.start_utc, power) for step, power in run)
        segments.append((*steps, (last_step.end_utc, last_power)))
    return segments


def reason_marks(plan: PlanSeries) -> list[tuple[datetime, str]]:
    """Return where a battery's planned reason changes, with the text to show there.

    A change shared by every battery is shown once; otherwise it names the batteries concerned.
    Changes before the chart's start are moved to the start.
    """
    names_at: dict[tuple[datetime, str], list[str]] = {}
    for battery in plan.batteries:
        previous: str | None = None
        for step in sorted(battery.steps, key=lambda item: item.start_utc):
            if step.label and step.label != previous:
                key = (max(step.start_utc, plan.start_utc), step.label)
                names_at.setdefault(key, []).append(battery.name)
            previous = step.label
    everyone = len(plan.batteries)
    return [
        (at, label if len(names) == everyone else f"{', '.join(names)} — {label}")
        for (at, label), names in sorted(names_at.items())
    ]


def time_ticks(start: datetime, end: datetime, lang: Lang, tz: ZoneInfo = PARIS) -> list[TimeTick]:
    """Return readable local-time ticks for ``[start, end]``: hours, days or dates by span."""
    start_utc, end_utc = require_aware(start), require_aware(end)
    span = end_utc - start_utc
    if span <= timedelta(hours=50):
        hours = range(0, 24, 3 if span <= timedelta(hours=26) else 6)
        day_step = 1
    else:
        hours = range(1)
        day_step = max(1, math.ceil(span / timedelta(days=10)))
    ticks = []
    day = local_date(start_utc, tz)
    if local_instant(day, time(hours[-1]), tz) < start_utc:
        day += timedelta(days=1)  # so that every day_step-th date counts from the first tick
    last_day = local_date(end_utc, tz)
    while day <= last_day:
        for hour in hours:
            instant = local_instant(day, time(hour), tz)
            if start_utc <= instant <= end_utc:
                ticks.append(TimeTick(at_utc=instant, label=_tick_label(day, hour, span, lang)))
        day += timedelta(days=day_step)
    return ticks


def _tick_label(day: date, hour: int, span: timedelta, lang: Lang) -> str:
    day_name = f"{weekday_short(day.weekday(), lang)} {day.day}"
    if span <= timedelta(hours=50):
        clock = f"{hour:02d}h" if lang == "fr" else f"{hour:02d}:00"
        return f"{clock}\n{day_name}" if hour == 0 else clock
    return day_name if span <= timedelta(days=10) else short_date(day, lang)


def season_months(season_start_year: int) -> list[tuple[int, int]]:
    """Return the (year, month) pairs of a Tempo season: September → August."""
    return [(season_start_year, month) for month in range(9, 13)] + [
        (season_start_year + 1, month) for month in range(1, 9)
    ]


def month_cells(year: int, month: int, colors: TempoColors, today: date) -> list[CalendarCell]:
    """Return the cells of one month grid (weeks start on Monday), one per day of the month."""
    first = date(year, month, 1)
    next_first = date(year + month // 12, month % 12 + 1, 1)
    offset = first.weekday()
    cells = []
    for index in range((next_first - first).days):
        day = first + timedelta(days=index)
        row, col = divmod(offset + index, 7)
        cells.append(
            CalendarCell(day=day, row=row, col=col, color=colors.get(day), is_today=day == today)
        )
    return cells


def cumulative_savings(days: Sequence[SavingsDay]) -> list[tuple[SavingsDay, float]]:
    """Return the days in date order, each with the running total of savings up to it."""
    ordered = sorted(days, key=lambda item: item.day)
    totals = accumulate(item.savings_eur for item in ordered)
    return list(zip(ordered, totals, strict=True))


def zero_aligned_limits(
    first: tuple[float, float], second: tuple[float, float]
) -> tuple[tuple[float, float], tuple[float, float]]:
    """Widen two axes' ``(low, high)`` limits so that both include 0 at the same height."""
    limits = [(min(low, 0.0), max(high, 0.0)) for low, high in (first, second)]
    if any(high == low for low, high in limits):
        return limits[0], limits[1]
    zero_at = max(-low / (high - low) for low, high in limits)
    if zero_at < 1.0:
        # Keep each top and lower each bottom until 0 sits at the same fraction of both axes.
        ratio = zero_at / (1.0 - zero_at)
        widened = [(min(low, -ratio * high), high) for low, high in limits]
    else:
        # One axis is entirely negative: centre 0 on both.
        widened = [(-max(-low, high), max(-low, high)) for low, high in limits]
    return widened[0], widened[1]
