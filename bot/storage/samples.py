"""Battery status samples: raw rows for the retention period, 15-minute rollups forever.

Invariant kept by :meth:`SampleRepository.rollup` and :meth:`SampleRepository.insert_batch`:
every raw sample older than a battery's *rolled-until* mark (the end of its newest rollup) is
counted in a rollup. :meth:`SampleRepository.prune` deletes only below that mark, so pruning
never loses a sample that is not in a rollup.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import and_, delete, func, or_, select
from sqlalchemy.engine import Row, RowMapping
from sqlalchemy.ext.asyncio import AsyncSession

from bot.storage import aggregates as agg
from bot.storage.database import Database
from bot.storage.dialects import insert_ignoring_duplicates
from bot.storage.models import Sample, SampleBucket
from bot.storage.tables import batteries, sample_rollups, samples
from bot.storage.types import US_PER_S, from_us, require_utc, to_us

logger = logging.getLogger(__name__)

ROLLUP_S = agg.ROLLUP_S


def _sample(row: RowMapping) -> Sample:
    return Sample(**{name: row[name] for name in Sample.__slots__})


def _row(sample: Sample) -> dict[str, Any]:
    values = {name: getattr(sample, name) for name in Sample.__slots__}
    values["at"] = require_utc(sample.at, name="Sample.at")
    return values


class SampleRepository:
    """Store samples, aggregate them by time bucket, roll them up and prune them."""

    def __init__(self, db: Database, *, max_gap_s: float = 120.0) -> None:
        if not 0 < max_gap_s <= ROLLUP_S:
            raise ValueError(f"max_gap_s must be in (0, {ROLLUP_S}]")
        self._db = db
        self._max_gap_us = round(max_gap_s * US_PER_S)

    async def insert_batch(self, batch: Sequence[Sample]) -> int:
        """Insert samples in one transaction, skipping exact duplicates; return how many were new.

        A sample arriving after its 15-minute bucket was rolled up gets that rollup recomputed,
        unless the bucket's raw samples were already pruned (then it is kept raw only, and logged).
        """
        if not batch:
            return 0
        rows = [_row(sample) for sample in batch]
        async with self._db.session() as session:
            redo = await self._late_buckets(session, rows)
            statement = insert_ignoring_duplicates(samples, self._db.dialect_name)
            result = await session.execute(statement, rows)
            for battery_id, starts in redo.items():
                for start_us in sorted(starts):
                    await self._write_rollups(
                        session, battery_id, start_us, start_us + agg.ROLLUP_US
                    )
        return int(result.rowcount)  # type: ignore[attr-defined]

    async def latest(self) -> dict[int, Sample]:
        """Return the newest sample of every battery that has one, by battery id."""
        newest = (
            select(func.max(agg.sample_at_us))
            .where(samples.c.battery_id == batteries.c.id)
            .scalar_subquery()
        )
        async with self._db.session(write=False) as session:
            marks = (await session.execute(select(batteries.c.id, newest))).all()
            pairs = [(battery_id, at_us) for battery_id, at_us in marks if at_us is not None]
            if not pairs:
                return {}
            keys = [
                and_(samples.c.battery_id == battery_id, agg.sample_at_us == at_us)
                for battery_id, at_us in pairs
            ]
            rows = (await session.execute(select(samples).where(or_(*keys)))).mappings().all()
        return {row["battery_id"]: _sample(row) for row in rows}

    async def between(self, battery_id: int, start: datetime, end: datetime) -> list[Sample]:
        """Return the raw samples of ``[start, end)`` in time order (only within retention)."""
        query = (
            select(samples)
            .where(
                samples.c.battery_id == battery_id,
                agg.sample_at_us >= to_us(start),
                agg.sample_at_us < to_us(end),
            )
            .order_by(samples.c.at)
        )
        async with self._db.session(write=False) as session:
            rows = (await session.execute(query)).mappings().all()
        return [_sample(row) for row in rows]

    async def bucketed(
        self, battery_id: int, start: datetime, end: datetime, bucket_s: int
    ) -> list[SampleBucket]:
        """Aggregate ``[start, end)`` into epoch-aligned buckets of ``bucket_s``, in the database.

        When ``bucket_s`` is a multiple of 15 minutes the rolled-up part of the range is read from
        the rollups (the only source once raw samples are pruned, and 30× fewer rows) and the rest
        from raw samples; other bucket sizes read raw samples only, so they end at the retention.
        On the rolled-up part the range acts at 15-minute resolution (a rollup counts when it
        starts inside ``[start, end)``). Buckets without samples are absent.
        """
        if bucket_s <= 0:
            raise ValueError("bucket_s must be positive")
        start_us, end_us = to_us(start), to_us(end)
        if start_us >= end_us:
            return []
        bucket_us = bucket_s * US_PER_S
        async with self._db.session(write=False) as session:
            split = start_us
            if bucket_s % ROLLUP_S == 0:
                rolled_until = await self._rolled_until(session, battery_id)
                split = min(max(rolled_until or start_us, start_us), end_us)
            rolled: Sequence[Row[Any]] = ()
            if split > start_us:
                query = agg.rollup_aggregate(battery_id, start_us, split, bucket_us)
                rolled = (await session.execute(query)).all()
            raw: Sequence[Row[Any]] = ()
            if split < end_us:
                query = agg.raw_aggregate(battery_id, split, end_us, bucket_us, self._max_gap_us)
                raw = (await session.execute(query)).all()
        buckets: dict[datetime, SampleBucket] = {}
        for row in (*rolled, *raw):
            bucket = agg.to_bucket(row, bucket_s)
            known = buckets.get(bucket.start)
            buckets[bucket.start] = bucket if known is None else agg.merge(known, bucket)
        return [buckets[key] for key in sorted(buckets)]

    async def rollup(self, now: datetime) -> int:
        """Build the 15-minute rollups of every complete bucket not yet rolled; return how many.

        Idempotent: a second call with the same ``now`` writes nothing.
        """
        end_us = agg.start_of(now)
        written = 0
        async with self._db.session() as session:
            for battery_id in (await session.execute(select(batteries.c.id))).scalars():
                start_us = await self._rolled_until(session, battery_id)
                if start_us is None:
                    first = await session.scalar(
                        select(func.min(agg.sample_at_us)).where(samples.c.battery_id == battery_id)
                    )
                    if first is None:
                        continue
                    start_us = agg.floor_us(int(first), agg.ROLLUP_US)
                if start_us < end_us:
                    written += await self._write_rollups(session, battery_id, start_us, end_us)
        return written

    async def prune(self, now: datetime, retention_days: int) -> int:
        """Delete raw samples older than ``retention_days`` that are rolled up; return how many.

        Samples not yet covered by a rollup are kept whatever their age (run :meth:`rollup` first).
        """
        if retention_days < 1:
            raise ValueError("retention_days must be at least 1")
        cutoff_us = agg.start_of(now - timedelta(days=retention_days))
        deleted = 0
        async with self._db.session() as session:
            for battery_id in (await session.execute(select(batteries.c.id))).scalars():
                rolled_until = await self._rolled_until(session, battery_id)
                if rolled_until is None:
                    continue
                result = await session.execute(
                    delete(samples).where(
                        samples.c.battery_id == battery_id,
                        agg.sample_at_us < min(cutoff_us, rolled_until),
                    )
                )
                deleted += int(result.rowcount)  # type: ignore[attr-defined]
        return deleted

    async def _write_rollups(
        self, session: AsyncSession, battery_id: int, start_us: int, end_us: int
    ) -> int:
        """(Re)build the rollups of ``[start_us, end_us)`` from raw samples."""
        await session.execute(
            delete(sample_rollups).where(
                sample_rollups.c.battery_id == battery_id,
                agg.rollup_start_us >= start_us,
                agg.rollup_start_us < end_us,
            )
        )
        statement = agg.rollup_insert(battery_id, start_us, end_us, self._max_gap_us)
        result = await session.execute(statement)
        return int(result.rowcount)  # type: ignore[attr-defined]

    async def _rolled_until(self, session: AsyncSession, battery_id: int) -> int | None:
        """Return the end (µs) of the newest rollup of a battery, or None if it has none."""
        newest = await session.scalar(
            select(func.max(agg.rollup_start_us)).where(sample_rollups.c.battery_id == battery_id)
        )
        return None if newest is None else int(newest) + agg.ROLLUP_US

    async def _late_buckets(
        self, session: AsyncSession, rows: list[dict[str, Any]]
    ) -> dict[int, set[int]]:
        """Find the rolled-up buckets that rows about to be inserted make stale."""
        redo: dict[int, set[int]] = {}
        for battery_id in {row["battery_id"] for row in rows}:
            rolled_until = await self._rolled_until(session, battery_id)
            if rolled_until is None:
                continue
            candidates: set[int] = set()
            for row in rows:
                at_us = to_us(row["at"])
                if row["battery_id"] == battery_id and at_us < rolled_until:
                    bucket = agg.floor_us(at_us, agg.ROLLUP_US)
                    # The next sample's interval starts at this one: its bucket changes too.
                    candidates.update(
                        b for b in (bucket, bucket + agg.ROLLUP_US) if b < rolled_until
                    )
            for bucket in candidates:
                if await self._raw_is_complete(session, battery_id, bucket):
                    redo.setdefault(battery_id, set()).add(bucket)
                else:
                    logger.warning(
                        "Late sample(s) of battery %d at %s: raw data of that period is already "
                        "pruned, its rollup is kept as it is",
                        battery_id,
                        from_us(bucket).isoformat(),
                    )
        return redo

    async def _raw_is_complete(
        self, session: AsyncSession, battery_id: int, bucket_us: int
    ) -> bool:
        """Tell whether the raw samples of a bucket are all there (its rollup counts no more)."""
        raw = await session.scalar(
            select(func.count()).where(
                samples.c.battery_id == battery_id,
                agg.sample_at_us >= bucket_us,
                agg.sample_at_us < bucket_us + agg.ROLLUP_US,
            )
        )
        rolled = await session.scalar(
            select(sample_rollups.c.n_samples).where(
                sample_rollups.c.battery_id == battery_id,
                agg.rollup_start_us == bucket_us,
            )
        )
        return int(raw or 0) == int(rolled or 0)
