"""House load forecast: half-hourly mean power ahead of ``now``, built from past load only.

The planner asks a forecast for the energy and the peak power over a stretch, and for the
instant a battery's share of the load would have drawn a given energy. Outside the covered range
the forecast repeats its first or last value.
"""

from __future__ import annotations

import math
from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from itertools import accumulate

STEP = timedelta(minutes=30)
STEPS_PER_DAY = 48
DEFAULT_LOAD_W = 500.0
HISTORY_DAYS = 7
FORECAST_HORIZON = timedelta(hours=72)
# Yesterday tells most about tomorrow (cold spells last several days); older days smooth it.
DAY_WEIGHTS = (3.0, 2.0, 1.5, 1.0, 1.0, 1.0, 1.0)


@dataclass(frozen=True, slots=True)
class HalfHourForecast:
    """Mean house power (W) per 30-min step from ``start``; ``values_w[i]`` covers step ``i``."""

    start: datetime
    values_w: tuple[float, ...]
    _origin_s: float = field(init=False, repr=False, compare=False)
    _cumulative_wh: tuple[float, ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        if self.start.tzinfo is None:
            raise ValueError("forecast start must be timezone-aware")
        if not self.values_w:
            raise ValueError("a forecast needs at least one value")
        object.__setattr__(self, "_origin_s", self.start.timestamp())
        step_h = STEP.total_seconds() / 3600.0
        object.__setattr__(
            self,
            "_cumulative_wh",
            (0.0, *accumulate(value * step_h for value in self.values_w)),
        )

    @classmethod
    def constant(cls, start: datetime, power_w: float, *, hours: float = 72.0) -> HalfHourForecast:
        """Return a flat forecast of ``power_w`` from ``start``."""
        return cls(start, (power_w,) * max(1, math.ceil(hours * 2)))

    @property
    def end(self) -> datetime:
        """Return the end of the covered range."""
        return self.start + STEP * len(self.values_w)

    def _position(self, instant: datetime) -> float:
        return (instant.timestamp() - self._origin_s) / STEP.total_seconds()

    def _energy_to(self, position: float) -> float:
        """Return the energy (Wh) from ``start`` to ``position`` steps (negative before start)."""
        count = len(self.values_w)
        step_h = STEP.total_seconds() / 3600.0
        if position <= 0:
            return position * self.values_w[0] * step_h
        if position >= count:
            return self._cumulative_wh[-1] + (position - count) * self.values_w[-1] * step_h
        index = int(position)
        return self._cumulative_wh[index] + (position - index) * self.values_w[index] * step_h

    def energy_wh(self, start: datetime, end: datetime) -> float:
        """Return the forecast house energy over ``[start, end)``."""
        if end <= start:
            return 0.0
        return self._energy_to(self._position(end)) - self._energy_to(self._position(start))

    def peak_w(self, start: datetime, end: datetime) -> float:
        """Return the highest half-hour mean power touching ``[start, end)``."""
        last = len(self.values_w) - 1
        first_index = min(max(int(self._position(start)), 0), last)
        last_index = min(max(math.ceil(self._position(end)) - 1, first_index), last)
        return max(self.values_w[first_index : last_index + 1])

    def time_to_draw(self, start: datetime, energy_wh: float, share: float = 1.0) -> datetime:
        """Return when ``share`` of the load from ``start`` has drawn ``energy_wh`` in total."""
        if energy_wh <= 0:
            return start
        wanted = self._energy_to(self._position(start)) + energy_wh / max(share, 1e-9)
        count = len(self.values_w)
        step_h = STEP.total_seconds() / 3600.0
        if wanted >= self._cumulative_wh[-1]:
            tail = max(self.values_w[-1] * step_h, 1e-9)
            position = count + (wanted - self._cumulative_wh[-1]) / tail
        else:
            index = max(bisect_left(self._cumulative_wh, wanted) - 1, 0)
            rate = max(self.values_w[index] * step_h, 1e-9)
            position = index + (wanted - self._cumulative_wh[index]) / rate
        seconds = position * STEP.total_seconds()
        return datetime.fromtimestamp(self._origin_s + seconds, tz=UTC)


def forecast_from_history(
    recent_w: Sequence[float],
    *,
    now: datetime,
    horizon: timedelta = FORECAST_HORIZON,
    default_w: float = DEFAULT_LOAD_W,
) -> HalfHourForecast:
    """Forecast the next ``horizon`` from the half-hour means ending at ``now`` (newest last).

    Each future half-hour is the weighted mean of the same time of day over the last
    :data:`HISTORY_DAYS` days (yesterday weighs most). With less than a day of history it is the
    mean of what there is, or ``default_w`` with none. Only ``recent_w`` is read: the past.
    """
    steps = max(1, math.ceil(horizon / STEP))
    days = min(len(recent_w) // STEPS_PER_DAY, HISTORY_DAYS)
    if days == 0:
        level = sum(recent_w) / len(recent_w) if recent_w else default_w
        return HalfHourForecast(now, (level,) * steps)
    weights = DAY_WEIGHTS[:days]
    total_weight = sum(weights)
    size = len(recent_w)
    profile = [0.0] * STEPS_PER_DAY
    for age, weight in enumerate(weights):
        # Row ``age`` (0 = the last 24 h) holds each time of day, ``age`` days earlier.
        first = size - STEPS_PER_DAY * (age + 1)
        row = recent_w[first : first + STEPS_PER_DAY]
        profile = [acc + weight * value for acc, value in zip(profile, row, strict=True)]
    profile = [value / total_weight for value in profile]
    values = tuple(profile[index % STEPS_PER_DAY] for index in range(steps))
    return HalfHourForecast(now, values)
