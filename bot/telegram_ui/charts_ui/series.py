"""What the charts show, gathered from storage: bucketed history and Tempo colours.

Pure functions plus two loaders that only read (samples and Tempo colours). Importing this
module imports matplotlib (through ``bot.charts``), so the chat flow loads it on first use.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Protocol
from zoneinfo import ZoneInfo

from bot.charts.model import BatteryHistory, HistoryPoint, HistorySeries, TempoColors
from bot.storage.models import SampleBucket
from bot.telegram_ui.charts_ui.periods import ChartPeriod, chart_window
from bot.tempo.calendar import PARIS, tempo_day_at
from bot.tempo.model import TempoColor
from bot.tempo.seasons import Season

UNDRAWABLE = "?"


class BucketSource(Protocol):
    """Where bucketed history comes from (``SampleRepository``)."""

    async def bucketed(
        self, battery_id: int, start: datetime, end: datetime, bucket_s: int
    ) -> list[SampleBucket]:
        """Aggregate one battery's samples into buckets of ``bucket_s``."""
        ...


class ColorSource(Protocol):
    """Where known Tempo colours come from (``TempoService``)."""

    async def known_colors(self, first: date, last: date) -> dict[date, TempoColor]:
        """Known colours of ``[first, last]``."""
        ...


@dataclass(frozen=True, slots=True, kw_only=True)
class ChartBattery:
    """A battery to draw: its database id and the name shown."""

    battery_id: int
    name: str


@dataclass(frozen=True, slots=True, kw_only=True)
class SeasonView:
    """What the season calendar shows."""

    season: Season
    colors: dict[date, TempoColor]
    today: date


def history_point(bucket: SampleBucket) -> HistoryPoint:
    """One chart point from one storage bucket (power keeps + = discharging)."""
    return HistoryPoint(
        bucket_start_utc=bucket.start,
        soc_avg_pct=bucket.soc_avg_pct,
        soc_min_pct=bucket.soc_min_pct,
        soc_max_pct=bucket.soc_max_pct,
        power_avg_w=bucket.ac_power_avg_w,
    )


def build_series(
    *,
    start: datetime,
    end: datetime,
    period: ChartPeriod,
    histories: Sequence[tuple[str, Sequence[SampleBucket]]],
    colors: TempoColors,
) -> HistorySeries:
    """The renderer's input from each battery's buckets and the Tempo colours."""
    return HistorySeries(
        start_utc=start,
        end_utc=end,
        bucket=period.bucket,
        batteries=tuple(
            BatteryHistory(name=chart_label(name), points=tuple(map(history_point, buckets)))
            for name, buckets in histories
        ),
        tempo_colors=dict(colors),
    )


async def load_history(
    samples: BucketSource,
    tempo: ColorSource,
    batteries: Sequence[ChartBattery],
    *,
    now: datetime,
    period: ChartPeriod,
    tz: ZoneInfo = PARIS,
) -> HistorySeries:
    """Read the buckets of ``batteries`` and the colours of the Tempo days the chart spans."""
    start, end = chart_window(now, period)
    bucket_s = int(period.bucket.total_seconds())
    histories = [
        (battery.name, await samples.bucketed(battery.battery_id, start, end, bucket_s))
        for battery in batteries
    ]
    colors = await tempo.known_colors(tempo_day_at(start, tz), tempo_day_at(end, tz))
    return build_series(start=start, end=end, period=period, histories=histories, colors=colors)


async def load_season(tempo: ColorSource, *, now: datetime, tz: ZoneInfo = PARIS) -> SeasonView:
    """The colours of the Tempo season in force at ``now``."""
    today = tempo_day_at(now, tz)
    season = Season.of(today)
    colors = await tempo.known_colors(season.first_day, season.last_day)
    return SeasonView(season=season, colors=colors, today=today)


def chart_label(name: str) -> str:
    """A battery name matplotlib draws as typed: ``$`` kept literal (no math mode), and
    characters the chart font lacks (emoji…) shown as ``?`` rather than warned about."""
    glyphs = _font_glyphs()
    drawable = "".join(ch if ord(ch) in glyphs else UNDRAWABLE for ch in name)
    return drawable.replace("$", r"\$")


@functools.cache
def _font_glyphs() -> frozenset[int]:
    from matplotlib import font_manager
    from matplotlib.ft2font import FT2Font

    path = font_manager.findfont(font_manager.FontProperties(), fallback_to_default=True)
    return frozenset(FT2Font(path).get_charmap())
