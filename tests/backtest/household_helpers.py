"""Synthetic stored history for the household backtest: samples whose half-hour means are known.

One sample every 2 minutes (the repository's gap cap), so each half-hour bucket holds exactly 30
minutes of energy. The values depend only on the half-hour (counted from the Unix epoch), so the
house load of any half-hour is known in advance: meter + what every battery delivered.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import UTC, date, datetime, timedelta

from bot.storage import Sample, Storage
from bot.tempo.model import TempoColor, TempoDayRecord

EVERY = timedelta(minutes=2)
HALF_HOUR_S = 1800


def half_hour(at: datetime) -> int:
    """The index of the half-hour holding ``at``, from the Unix epoch."""
    return int(at.timestamp()) // HALF_HOUR_S


def grid_w(k: int) -> float:
    """What the meter reads in half-hour ``k`` (W, always importing)."""
    return 700.0 + (k * 37) % 900


def delivered_w(k: int, unit: int) -> float:
    """What battery ``unit`` delivers in half-hour ``k`` (W, + = to the house, − = charging)."""
    return float(((k + 2 * unit) % 5 - 2) * 150)


def house_w(k: int, units: Iterable[int]) -> float:
    """The house load of half-hour ``k``: meter + every battery's delivery."""
    return grid_w(k) + sum(delivered_w(k, unit) for unit in units)


def samples(
    battery_id: int, unit: int, start: datetime, end: datetime, *, meter: bool
) -> list[Sample]:
    """Samples of ``[start, end)`` every 2 minutes; the meter only if ``meter``."""
    rows = []
    at = start.astimezone(UTC)
    while at < end:
        k = half_hour(at)
        rows.append(
            Sample(
                battery_id=battery_id,
                at=at,
                soc_pct=50.0,
                ac_power_w=delivered_w(k, unit),
                grid_power_w=grid_w(k) if meter else None,
            )
        )
        at += EVERY
    return rows


async def store_colors(storage: Storage, colors: Mapping[date, TempoColor], at: datetime) -> None:
    """Store confirmed Tempo colours."""
    for day, color in colors.items():
        await storage.tempo_days.put_day(
            TempoDayRecord(day=day, color=color, confirmed=True, source="test", fetched_at=at)
        )
