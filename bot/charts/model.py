"""Input values of the charts: what the caller hands to each ``render_*`` function.

Every instant is a timezone-aware datetime (UTC inside). Power follows the bot's single sign
convention: positive = the battery discharges to the house, negative = it charges.
``None`` means "no data", never zero.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Literal

from bot.tempo.model import TempoColor

Lang = Literal["fr", "en"]

TempoColors = Mapping[date, TempoColor | None]
"""Colour of each Tempo day (starting 06:00 on that date); absent or ``None`` = unknown."""


@dataclass(frozen=True, slots=True, kw_only=True)
class HistoryPoint:
    """One time bucket of one battery's history: ``[bucket_start_utc, + bucket)``."""

    bucket_start_utc: datetime
    soc_avg_pct: float | None
    soc_min_pct: float | None = None
    soc_max_pct: float | None = None
    power_avg_w: float | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class BatteryHistory:
    """The bucketed history of one battery, ascending by bucket start."""

    name: str
    points: tuple[HistoryPoint, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class HistorySeries:
    """Everything the battery history chart shows over ``[start_utc, end_utc)``.

    ``bucket`` is the width of one point (e.g. 5 min for 24 h, 15 min for 7 d, 1 h for 30 d); two
    points further apart than one bucket mean data are missing in between, and no line is drawn
    across the gap.
    """

    start_utc: datetime
    end_utc: datetime
    bucket: timedelta
    batteries: tuple[BatteryHistory, ...]
    tempo_colors: TempoColors = field(default_factory=dict)


@dataclass(frozen=True, slots=True, kw_only=True)
class PlanStep:
    """One planned interval of one battery: constant power, SoC moving linearly."""

    start_utc: datetime
    end_utc: datetime
    power_w: float
    soc_start_pct: float | None
    soc_end_pct: float | None
    label: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class BatteryPlan:
    """The planned steps of one battery, ascending by start."""

    name: str
    steps: tuple[PlanStep, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class PlanSeries:
    """Everything the plan chart shows over ``[start_utc, end_utc)`` (usually now → now + 48 h)."""

    start_utc: datetime
    end_utc: datetime
    batteries: tuple[BatteryPlan, ...]
    tempo_colors: TempoColors = field(default_factory=dict)


@dataclass(frozen=True, slots=True, kw_only=True)
class SavingsDay:
    """What the batteries saved on one Tempo day (negative when they cost money)."""

    day: date
    color: TempoColor | None
    savings_eur: float
