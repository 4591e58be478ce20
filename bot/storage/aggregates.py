"""SQL that aggregates samples into time buckets inside the database (portable Core only).

Buckets are aligned on the Unix epoch: a bucket of ``b`` µs holding instant ``t`` starts at
``t / b * b`` (integer division, the same on SQLite and PostgreSQL). The bucket is computed in a
subquery and grouped on as a plain column, which PostgreSQL requires with bound parameters.

Energy: each sample stands for the interval since the previous sample of the same battery,
capped at ``max_gap_us`` (the first sample ever, or one after an outage, counts for the cap).
``LAG`` looks back ``max_gap_us`` before the range so a range boundary does not change the result:
the 15-minute rollups and a query on raw samples therefore agree exactly.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    BigInteger,
    Float,
    Insert,
    Integer,
    Select,
    case,
    func,
    insert,
    literal,
    select,
    type_coerce,
)
from sqlalchemy.engine import Row

from bot.storage.models import SampleBucket
from bot.storage.tables import sample_rollups, samples
from bot.storage.types import US_PER_S, from_us, to_us

ROLLUP_S = 900
ROLLUP_US = ROLLUP_S * US_PER_S
_US_PER_HOUR = 3600.0 * US_PER_S

sample_at_us = type_coerce(samples.c.at, BigInteger)
rollup_start_us = type_coerce(sample_rollups.c.bucket_start, BigInteger)

# The columns both aggregates produce, in order (named as in the rollup table).
AGGREGATE_COLUMNS = (
    "bucket_start",
    "n_samples",
    "soc_min_pct",
    "soc_avg_pct",
    "soc_max_pct",
    "ac_power_min_w",
    "ac_power_avg_w",
    "ac_power_max_w",
    "charged_wh",
    "discharged_wh",
    "grid_import_wh",
    "grid_export_wh",
)


def floor_us(value_us: int, step_us: int) -> int:
    """Round ``value_us`` down to a multiple of ``step_us``."""
    return value_us // step_us * step_us


def raw_aggregate(
    battery_id: int, start_us: int, end_us: int, bucket_us: int, max_gap_us: int
) -> Select[Any]:
    """Aggregate raw samples of ``[start_us, end_us)`` into buckets of ``bucket_us``."""
    gap = sample_at_us - func.lag(sample_at_us).over(order_by=sample_at_us)
    inner = (
        select(
            sample_at_us.label("at_us"),
            ((sample_at_us // bucket_us) * bucket_us).label("bucket_us"),
            samples.c.soc_pct,
            samples.c.ac_power_w,
            samples.c.grid_power_w,
            gap.label("gap_us"),
        )
        .where(
            samples.c.battery_id == battery_id,
            sample_at_us >= start_us - max_gap_us,
            sample_at_us < end_us,
        )
        .subquery()
    )
    cap = literal(max_gap_us, BigInteger)
    held_us = case(
        (inner.c.gap_us.is_(None), cap), (inner.c.gap_us > cap, cap), else_=inner.c.gap_us
    )
    ac = inner.c.ac_power_w
    grid = inner.c.grid_power_w
    zero = literal(0.0, Float)
    return (
        select(
            inner.c.bucket_us,
            func.count(),
            func.min(inner.c.soc_pct),
            func.avg(inner.c.soc_pct),
            func.max(inner.c.soc_pct),
            func.min(ac),
            func.avg(ac),
            func.max(ac),
            func.sum(case((ac < 0, -ac), else_=zero) * held_us) / _US_PER_HOUR,
            func.sum(case((ac > 0, ac), else_=zero) * held_us) / _US_PER_HOUR,
            # No ELSE: a sample without a meter reading adds NULL, which SUM skips.
            func.sum(case((grid > 0, grid), (grid <= 0, zero)) * held_us) / _US_PER_HOUR,
            func.sum(case((grid < 0, -grid), (grid >= 0, zero)) * held_us) / _US_PER_HOUR,
        )
        .where(inner.c.at_us >= start_us)
        .group_by(inner.c.bucket_us)
        .order_by(inner.c.bucket_us)
    )


def rollup_insert(battery_id: int, start_us: int, end_us: int, max_gap_us: int) -> Insert:
    """Return the INSERT … SELECT that writes the rollups of ``[start_us, end_us)``."""
    source = raw_aggregate(battery_id, start_us, end_us, ROLLUP_US, max_gap_us)
    source = source.add_columns(literal(battery_id, Integer))
    return insert(sample_rollups).from_select([*AGGREGATE_COLUMNS, "battery_id"], source)


def rollup_aggregate(battery_id: int, start_us: int, end_us: int, bucket_us: int) -> Select[Any]:
    """Merge the 15-minute rollups starting in ``[start_us, end_us)`` into ``bucket_us`` buckets."""
    r = sample_rollups.c
    inner = (
        select(
            ((rollup_start_us // bucket_us) * bucket_us).label("bucket_us"),
            r.n_samples,
            r.soc_min_pct,
            r.soc_avg_pct,
            r.soc_max_pct,
            r.ac_power_min_w,
            r.ac_power_avg_w,
            r.ac_power_max_w,
            r.charged_wh,
            r.discharged_wh,
            r.grid_import_wh,
            r.grid_export_wh,
        )
        .where(r.battery_id == battery_id, rollup_start_us >= start_us, rollup_start_us < end_us)
        .subquery()
    )
    c = inner.c
    n = func.sum(c.n_samples)
    return (
        select(
            c.bucket_us,
            n,
            func.min(c.soc_min_pct),
            func.sum(c.soc_avg_pct * c.n_samples) / n,
            func.max(c.soc_max_pct),
            func.min(c.ac_power_min_w),
            func.sum(c.ac_power_avg_w * c.n_samples) / n,
            func.max(c.ac_power_max_w),
            func.sum(c.charged_wh),
            func.sum(c.discharged_wh),
            func.sum(c.grid_import_wh),
            func.sum(c.grid_export_wh),
        )
        .group_by(c.bucket_us)
        .order_by(c.bucket_us)
    )


def to_bucket(row: Row[Any], duration_s: int) -> SampleBucket:
    """Turn one aggregate row into a :class:`SampleBucket`."""
    values: tuple[Any, ...] = tuple(row)
    return SampleBucket(
        start=from_us(int(values[0])),
        duration_s=duration_s,
        n_samples=int(values[1]),
        soc_min_pct=float(values[2]),
        soc_avg_pct=float(values[3]),
        soc_max_pct=float(values[4]),
        ac_power_min_w=float(values[5]),
        ac_power_avg_w=float(values[6]),
        ac_power_max_w=float(values[7]),
        charged_wh=float(values[8] or 0.0),
        discharged_wh=float(values[9] or 0.0),
        grid_import_wh=None if values[10] is None else float(values[10]),
        grid_export_wh=None if values[11] is None else float(values[11]),
    )


def merge(first: SampleBucket, second: SampleBucket) -> SampleBucket:
    """Combine two aggregates of the same bucket (rolled-up part and raw part)."""
    n = first.n_samples + second.n_samples
    return SampleBucket(
        start=first.start,
        duration_s=first.duration_s,
        n_samples=n,
        soc_min_pct=min(first.soc_min_pct, second.soc_min_pct),
        soc_avg_pct=(first.soc_avg_pct * first.n_samples + second.soc_avg_pct * second.n_samples)
        / n,
        soc_max_pct=max(first.soc_max_pct, second.soc_max_pct),
        ac_power_min_w=min(first.ac_power_min_w, second.ac_power_min_w),
        ac_power_avg_w=(
            first.ac_power_avg_w * first.n_samples + second.ac_power_avg_w * second.n_samples
        )
        / n,
        ac_power_max_w=max(first.ac_power_max_w, second.ac_power_max_w),
        charged_wh=first.charged_wh + second.charged_wh,
        discharged_wh=first.discharged_wh + second.discharged_wh,
        grid_import_wh=_add(first.grid_import_wh, second.grid_import_wh),
        grid_export_wh=_add(first.grid_export_wh, second.grid_export_wh),
    )


def _add(first: float | None, second: float | None) -> float | None:
    if first is None:
        return second
    if second is None:
        return first
    return first + second


def start_of(value: datetime) -> int:
    """Return the start (µs) of the 15-minute bucket holding ``value``."""
    return floor_us(to_us(value), ROLLUP_US)
