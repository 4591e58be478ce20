"""Savings benchmark: what `/economies` costs on a database holding a year of history.

Takes a database made by ``bench/bench_storage.py --db PATH`` (one year of 3 batteries every
30 s, with the default retention), stores the real Tempo colours of that year, then times the
four figures `/economies` shows (today, this month, this season, since installation) the way the
chat asks for them, without and with the cache of settled days.

    python -m bench.bench_storage --db /tmp/year.db   # once, a few minutes
    python -m bench.bench_savings --db /tmp/year.db
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import time
from datetime import date, timedelta
from pathlib import Path

from bench.bench_storage import START
from bot.clock import ManualClock
from bot.savings.service import SavingsService, SettledDays
from bot.storage import Database, Storage
from bot.tempo.calendar import PARIS, tempo_day_at
from bot.tempo.history import load_history
from bot.tempo.model import TempoColor, TempoDayRecord
from bot.tempo.prices import load_price_table
from bot.tempo.seasons import Season
from bot.tempo.service import TempoService

RUNS = 5


async def _store_colors(storage: Storage, first: date, last: date) -> int:
    history = load_history()
    stored = 0
    day = first
    while day <= last:
        # The shipped history may end before the database: later (summer) days are blue.
        color = history.get(day, TempoColor.BLUE)
        await storage.tempo_days.put_day(
            TempoDayRecord(day=day, color=color, confirmed=True, source="history", fetched_at=START)
        )
        stored += 1
        day += timedelta(days=1)
    return stored


async def _economies(savings: SavingsService, today: date) -> None:
    """The four figures of the `/economies` screen."""
    await savings.day(today)
    await savings.month(today.year, today.month, until=today)
    await savings.season(Season.of(today), until=today)
    await savings.total(until=today)


async def run(path: Path) -> None:
    """Time the `/economies` figures on ``path``."""
    db = Database(f"sqlite+aiosqlite:///{path.as_posix()}", clock=ManualClock(START))
    await db.start()
    try:
        storage = Storage(db, ManualClock(START))
        latest = await storage.samples.latest()
        end = max(sample.at for sample in latest.values()) if latest else START
        today = tempo_day_at(end - timedelta(hours=1), PARIS)
        colors = await _store_colors(storage, START.date(), today)
        tempo = TempoService(sources=[], store=storage.tempo_days, tz=PARIS)
        prices = load_price_table(None)
        uncached = SavingsService(storage, tempo, prices, PARIS)
        cached = SavingsService(storage, tempo, prices, PARIS, settled=SettledDays(), now=end)
        print(f"history               {START.date()} → {today} ({colors} Tempo colours stored)")
        for label, savings in (("uncached", uncached), ("settled days cached", cached)):
            durations = []
            for _ in range(RUNS):
                began = time.perf_counter()
                await _economies(savings, today)
                durations.append(time.perf_counter() - began)
            print(
                f"/economies figures    {label}: first {durations[0] * 1000:,.0f} ms, "
                f"then median {statistics.median(durations[1:]) * 1000:,.0f} ms"
            )
        total = (await uncached.total(until=today)).savings_eur
        same = (await cached.total(until=today)).savings_eur
        print(f"saved since install   {total:,.2f} € (from the cache: {same:,.2f} €)")
    finally:
        await db.close()


def main() -> None:
    """Parse arguments and run the benchmark."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--db", type=Path, required=True, help="a database from bench_storage")
    args = parser.parse_args()
    asyncio.run(run(args.db))


if __name__ == "__main__":
    main()
