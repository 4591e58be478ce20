"""Hand-made 15-minute buckets: a constant power held over a local wall-clock stretch."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.storage.models import SampleBucket
from bot.tempo.calendar import PARIS

QUARTER = timedelta(minutes=15)


def bucket(start: datetime, *, power_w: float, duration_s: int = 900) -> SampleBucket:
    """One bucket where ``power_w`` (+ = discharging) was held the whole time."""
    energy_wh = abs(power_w) * duration_s / 3600.0
    return SampleBucket(
        start=start.astimezone(UTC),
        duration_s=duration_s,
        n_samples=duration_s // 60,
        soc_min_pct=50.0,
        soc_avg_pct=50.0,
        soc_max_pct=50.0,
        ac_power_min_w=power_w,
        ac_power_avg_w=power_w,
        ac_power_max_w=power_w,
        charged_wh=energy_wh if power_w < 0 else 0.0,
        discharged_wh=energy_wh if power_w > 0 else 0.0,
        grid_import_wh=None,
        grid_export_wh=None,
    )


def local(year: int, month: int, day: int, hour: int) -> datetime:
    """A Paris wall-clock instant, in UTC."""
    return datetime(year, month, day, hour, tzinfo=PARIS).astimezone(UTC)


def held(start: datetime, end: datetime, power_w: float) -> list[SampleBucket]:
    """Quarter-hour buckets covering ``[start, end)`` at ``power_w``."""
    out, at = [], start
    while at < end:
        out.append(bucket(at, power_w=power_w))
        at += QUARTER
    return out
