"""Storage benchmark: one year of 3 batteries polled every 30 s, with the default retention.

Inserts the year day by day through the real repository (one transaction per simulated day,
3 × 2880 rows), running rollup + prune after each day as the bot's housekeeping would, then
prints the database size, the insert throughput and the time of bucketed queries.

    python bench/bench_storage.py                 # full year (~3.15 M samples), a few minutes
    python bench/bench_storage.py --days 60       # quicker
    python bench/bench_storage.py --db /tmp/x.db  # keep the database afterwards
"""

from __future__ import annotations

import argparse
import asyncio
import math
import random
import statistics
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import text

from bot.clock import ManualClock
from bot.storage import Database, Sample, Storage

START = datetime(2025, 9, 1, tzinfo=UTC)
GOAL_SIZE_MB = 50.0
GOAL_QUERY_MS = 100.0


def file_mb(path: Path) -> float:
    """Return the size of a file in MB (0 when it does not exist)."""
    return path.stat().st_size / 1e6 if path.exists() else 0.0


def day_of_samples(
    battery_id: int, day: datetime, interval_s: int, rng: random.Random
) -> list[Sample]:
    """One day of plausible samples: charge at night, discharge in the evening, idle otherwise."""
    rows: list[Sample] = []
    soc = 50.0
    counter_in = counter_out = 1_000_000.0 + battery_id
    for index in range(86_400 // interval_s):
        at = day + timedelta(seconds=index * interval_s)
        hour = at.hour
        if hour >= 22 or hour < 6:
            ac = -1500.0 + rng.randint(-20, 20)
        elif 17 <= hour < 21:
            ac = 800.0 + rng.randint(-300, 300)
        else:
            ac = float(rng.randint(-5, 5))
        soc = min(100.0, max(12.0, soc - ac * interval_s / 3600 / 51.2))
        counter_in += max(-ac, 0) * interval_s / 3600
        counter_out += max(ac, 0) * interval_s / 3600
        rows.append(
            Sample(
                battery_id=battery_id,
                at=at,
                soc_pct=float(round(soc)),
                ac_power_w=ac,
                battery_power_w=-ac * 0.95,
                pv_power_w=0.0,
                grid_power_w=float(rng.randint(-800, 4000)),
                mode="Manual" if ac < -100 else "Auto",
                temperature_c=round(18 + 6 * math.sin(index / 500) + rng.random(), 1),
                grid_in_wh=float(round(counter_in)),
                grid_out_wh=float(round(counter_out)),
            )
        )
    return rows


async def timed_queries(
    store: Storage, battery_id: int, *, end: datetime, days: int, bucket_s: int, runs: int
) -> list[float]:
    """Run one bucketed query ``runs`` times; return the durations in ms."""
    start = end - timedelta(days=days)
    durations = []
    for _ in range(runs):
        began = time.perf_counter()
        buckets = await store.samples.bucketed(battery_id, start, end, bucket_s)
        durations.append((time.perf_counter() - began) * 1000)
    assert buckets, "the benchmark query returned nothing"
    return durations


async def fill(
    store: Storage, ids: list[int], *, days: int, interval_s: int, retention_days: int
) -> dict[str, float]:
    """Insert ``days`` of samples day by day, with housekeeping after each day; return timings."""
    rng = random.Random(1)
    timings = {"insert_s": 0.0, "housekeeping_s": 0.0, "generate_s": 0.0, "rows": 0.0}
    for day_index in range(days):
        day = START + timedelta(days=day_index)
        began = time.perf_counter()
        batch = [
            sample
            for battery_id in ids
            for sample in day_of_samples(battery_id, day, interval_s, rng)
        ]
        timings["generate_s"] += time.perf_counter() - began
        began = time.perf_counter()
        timings["rows"] += await store.samples.insert_batch(batch)
        timings["insert_s"] += time.perf_counter() - began
        began = time.perf_counter()
        await store.housekeeping(day + timedelta(days=1), retention_days=retention_days)
        timings["housekeeping_s"] += time.perf_counter() - began
        if (day_index + 1) % 30 == 0:
            rate = timings["rows"] / timings["insert_s"]
            print(f"  … {day_index + 1} days, {timings['rows']:,.0f} samples, {rate:,.0f} rows/s")
    return timings


async def print_size(db: Database, path: Path, retention_days: int) -> None:
    """Checkpoint the WAL, then print what is kept and how big the file is."""
    async with db.engine.connect() as opened:
        connection = await opened.execution_options(isolation_level="AUTOCOMMIT")
        await connection.execute(text("PRAGMA wal_checkpoint(TRUNCATE)"))
        pages = (await connection.execute(text("PRAGMA page_count"))).scalar_one()
        free = (await connection.execute(text("PRAGMA freelist_count"))).scalar_one()
        raw = (await connection.execute(text("SELECT count(*) FROM samples"))).scalar_one()
        rolled = (
            await connection.execute(text("SELECT count(*) FROM sample_rollups"))
        ).scalar_one()
    print(f"rows kept             {raw:,} raw samples (last {retention_days} days)")
    print(f"                      + {rolled:,} rollups (kept forever)")
    size_mb, wal_mb = file_mb(path), file_mb(Path(f"{path}-wal"))
    verdict = "ok" if size_mb <= GOAL_SIZE_MB else "OVER GOAL"
    print(
        f"database size         {size_mb:.1f} MB (+ WAL {wal_mb:.1f} MB), "
        f"{free:,} free pages of {pages:,}  [goal ≤ {GOAL_SIZE_MB:.0f} MB: {verdict}]"
    )


async def print_queries(store: Storage, battery_id: int, *, end: datetime, days: int) -> None:
    """Time bucketed queries of one battery ending at ``end``."""
    print("bucketed query (one battery, ending now)   median    max   buckets source")
    # Buckets that are multiples of 15 minutes read the rollups (cost follows buckets); finer
    # buckets can only come from raw samples (cost follows rows), so the goal is checked on the
    # former: a 30-day chart has no use for more than 2880 points.
    cases = [
        (30, 3600, "rollups + raw tail", True),
        (30, 900, "rollups + raw tail", True),
        (30, 300, "raw samples only", False),
        (1, 60, "raw samples only", False),
        (min(days, 365), 86_400, "rollups + raw tail", False),
    ]
    for span_days, bucket_s, source, checked in cases:
        durations = await timed_queries(
            store, battery_id, end=end, days=span_days, bucket_s=bucket_s, runs=7
        )
        median, worst = statistics.median(durations), max(durations)
        mark = ""
        if checked:
            verdict = "ok" if median <= GOAL_QUERY_MS else "OVER GOAL"
            mark = f"  [goal ≤ {GOAL_QUERY_MS:.0f} ms: {verdict}]"
        print(
            f"  {span_days:>3} days in {bucket_s:>5} s buckets          "
            f"{median:6.1f} ms {worst:6.1f} ms {span_days * 86_400 // bucket_s:>6}  {source}{mark}"
        )


async def run(path: Path, days: int, batteries: int, interval_s: int, retention_days: int) -> None:
    """Fill the database and print the numbers."""
    clock = ManualClock(START)
    db = Database(f"sqlite+aiosqlite:///{path.as_posix()}", clock=clock)
    await db.start()
    try:
        store = Storage(db, clock)
        ids = [
            (
                await store.batteries.upsert(
                    ble_mac=f"aa00000000{n:02x}", name=f"B{n}", host="127.0.0.1", port=30000
                )
            ).id
            for n in range(batteries)
        ]
        t = await fill(store, ids, days=days, interval_s=interval_s, retention_days=retention_days)
        print()
        print(f"samples inserted      {t['rows']:,.0f}")
        print(f"                      ({batteries} batteries × {days} days, every {interval_s} s)")
        rate = t["rows"] / t["insert_s"]
        print(f"insert throughput     {rate:,.0f} rows/s (SampleRepository.insert_batch)")
        print(
            f"                      ({t['insert_s']:.1f} s inserting, "
            f"{t['housekeeping_s']:.1f} s rollup+prune, {t['generate_s']:.1f} s generating)"
        )
        await print_size(db, path, retention_days)
        print()
        await print_queries(store, ids[0], end=START + timedelta(days=days), days=days)
    finally:
        await db.close()


def main() -> None:
    """Parse arguments and run the benchmark."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--days", type=int, default=365)
    parser.add_argument("--batteries", type=int, default=3)
    parser.add_argument("--interval", type=int, default=30, help="seconds between samples")
    parser.add_argument("--retention", type=int, default=30, help="raw retention in days")
    parser.add_argument(
        "--db", type=Path, help="database file to create (default: a temporary one)"
    )
    args = parser.parse_args()
    if args.db is not None:
        if args.db.exists():
            parser.error(f"{args.db} exists; give a new path")
        asyncio.run(run(args.db, args.days, args.batteries, args.interval, args.retention))
        return
    with tempfile.TemporaryDirectory() as folder:
        asyncio.run(
            run(Path(folder) / "bench.db", args.days, args.batteries, args.interval, args.retention)
        )


if __name__ == "__main__":
    main()
