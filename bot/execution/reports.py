"""What tonight holds (the evening message) and how the night went (the morning report)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from bot.planning.model import ActionKind, Plan, ReasonCode
from bot.tempo import hc_window
from bot.tempo.calendar import PARIS

PRECHARGE_REASONS = frozenset(
    {
        ReasonCode.PRECHARGE_RED,
        ReasonCode.PRECHARGE_WHITE,
        ReasonCode.PRECHARGE_UNKNOWN,
        ReasonCode.PRECHARGE_ECONOMIC,
        ReasonCode.CONTRACT_LIMIT,
    }
)


@dataclass(frozen=True, slots=True, kw_only=True)
class Tonight:
    """The charging planned in the HC night of ``day`` (22:00 ``day`` → 06:00 the next day)."""

    day: date
    start: datetime | None
    end: datetime | None
    mean_power_w: float
    target_soc_pct: float | None
    batteries: int
    reason: ReasonCode | None


def tonight(plan: Plan, day: date, tz: ZoneInfo = PARIS) -> Tonight:
    """Summarise the CHARGE intervals of every battery inside the HC night of ``day``."""
    night_start, night_end = hc_window(day, tz)
    start: datetime | None = None
    end: datetime | None = None
    energy_wh = 0.0
    seconds = 0.0
    targets: list[float] = []
    charging: set[str] = set()
    reason: ReasonCode | None = None
    for battery in plan.batteries:
        for interval in battery.intervals:
            if interval.action.kind is not ActionKind.CHARGE:
                continue
            a, b = max(interval.start, night_start), min(interval.end, night_end)
            if a >= b:
                continue
            charging.add(battery.battery)
            start = a if start is None else min(start, a)
            end = b if end is None else max(end, b)
            duration = (b - a).total_seconds()
            energy_wh += abs(interval.action.power_w or 0) * duration / 3600
            seconds += duration
            if interval.action.target_soc_pct is not None:
                targets.append(interval.action.target_soc_pct)
            reason = reason or interval.reason
    mean = energy_wh / (seconds / 3600) if seconds else 0.0
    return Tonight(
        day=day,
        start=start,
        end=end,
        mean_power_w=mean,
        target_soc_pct=max(targets) if targets else None,
        batteries=len(charging),
        reason=reason,
    )
