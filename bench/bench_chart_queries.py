"""Time a chart as the bot makes it: query the database, then render, for 7 and 30 days.

One year of 3 batteries polled every 30 s is written through the storage layer (day by day,
with the bot's housekeeping: 15-minute rollups kept forever, raw samples pruned after 30
days), then the 7-day (1-hour buckets) and 30-day (3-hour buckets) history charts are built
exactly as ``/graphiques`` builds them (``load_history`` then ``render_battery_history``).
Goal: ≤ 500 ms for the 7-day chart, query and rendering together.

    python -m bench.bench_chart_queries                    # full year (a few minutes to fill)
    python -m bench.bench_chart_queries --days 60          # quicker
    python -m bench.bench_chart_queries --db /tmp/year.db  # keep (or reuse) the database
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

from bench.bench_storage import START, file_mb, fill
from bot.charts import HistorySeries, render_battery_history
from bot.clock import ManualClock
from bot.storage import Database, Storage
from bot.telegram_ui.charts_ui.periods import PERIODS
from bot.telegram_ui.charts_ui.series import ChartBattery, load_history
from bot.tempo.model import TempoColor

GOAL_7_DAYS_MS = 500.0
RUNS = 7


class CycleColors:
    """Tempo colours for every day (blue, white, red in turn), as the store would answer."""

    async def known_colors(self, first: date, last: date) -> dict[date, TempoColor]:
        """Known colours of ``[first, last]``."""
        cycle = (TempoColor.BLUE, TempoColor.BLUE, TempoColor.WHITE, TempoColor.RED)
        days = (last - first).days + 1
        return {first + timedelta(days=i): cycle[i % len(cycle)] for i in range(days)}


async def _batteries(store: Storage, count: int) -> list[ChartBattery]:
    known = await store.batteries.list_all()
    if len(known) < count:
        for n in range(len(known), count):
            await store.batteries.upsert(
                ble_mac=f"aa00000000{n:02x}", name=f"Venus {n + 1}", host="127.0.0.1", port=30000
            )
        known = await store.batteries.list_all()
    return [ChartBattery(battery_id=b.id, name=b.name) for b in known[:count]]


async def _time_chart(
    store: Storage, batteries: list[ChartBattery], code: str, days: int
) -> tuple[float, float, int, int]:
    """Median query ms, median render ms, points, PNG bytes."""
    now = START + timedelta(days=days)
    queries, renders = [], []
    series: HistorySeries | None = None
    png = b""
    for run in range(RUNS + 1):
        began = time.perf_counter()
        series = await load_history(
            store.samples, CycleColors(), batteries, now=now, period=PERIODS[code]
        )
        queried = time.perf_counter()
        png = await asyncio.to_thread(render_battery_history, series, "fr")
        rendered = time.perf_counter()
        if run:  # the first run warms caches and fonts: not what a user waits for twice
            queries.append((queried - began) * 1000)
            renders.append((rendered - queried) * 1000)
    assert series is not None
    points = sum(len(battery.points) for battery in series.batteries)
    return statistics.median(queries), statistics.median(renders), points, len(png)


async def run(path: Path, days: int, batteries: int, interval_s: int) -> None:
    """Fill the database unless it already holds data, then time both charts."""
    clock = ManualClock(START + timedelta(days=days))
    db = Database(f"sqlite+aiosqlite:///{path.as_posix()}", clock=clock)
    await db.start()
    try:
        store = Storage(db, clock)
        chosen = await _batteries(store, batteries)
        if not await store.samples.latest():
            print(f"filling {days} days × {batteries} batteries, a sample every {interval_s} s …")
            began = time.perf_counter()
            ids = [battery.battery_id for battery in chosen]
            await fill(store, ids, days=days, interval_s=interval_s, retention_days=30)
            print(f"filled in {time.perf_counter() - began:.0f} s")
        print(f"database {file_mb(path):.1f} MB; {len(chosen)} batteries")
        print("chart        query ms  render ms  total ms  points   PNG KiB")
        totals = {}
        for code in ("7d", "30d"):
            query_ms, render_ms, points, size = await _time_chart(store, chosen, code, days)
            totals[code] = query_ms + render_ms
            print(
                f"{code:>5} {query_ms:13.1f} {render_ms:10.1f} {query_ms + render_ms:9.1f} "
                f"{points:7d} {size / 1024:9.1f}"
            )
        verdict = "OK" if totals["7d"] <= GOAL_7_DAYS_MS else "TOO SLOW"
        print(f"7-day goal ≤ {GOAL_7_DAYS_MS:.0f} ms (query + render): {verdict}")
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
    parser.add_argument("--db", type=Path, help="database file to fill, or to reuse if filled")
    args = parser.parse_args()
    if args.db is not None:
        asyncio.run(run(args.db, args.days, args.batteries, args.interval))
        return
    with tempfile.TemporaryDirectory() as folder:
        asyncio.run(run(Path(folder) / "bench.db", args.days, args.batteries, args.interval))


if __name__ == "__main__":
    main()
