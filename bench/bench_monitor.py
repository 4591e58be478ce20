"""Benchmark: memory of a bot process polling 3 simulated batteries, over 10,000 polls.

Run from the repository root: ``python -m bench.bench_monitor [--polls 10000]``.

Starts ``python -m bot run --simulate 3 --speed 50`` with a 1 s poll interval (so 3 units make
about 150 polls per real second), pointed at a fake Telegram server held by this script, and
samples the process's RSS while counting the samples it stores. Goals: peak RSS ≤ 120 MB and
flat (the last quarter's average within 5 % of the second quarter's).
"""

from __future__ import annotations

import argparse
import asyncio
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

from bench.bench_telegram import bot_env, rss_mb
from tests.fakes.telegram_api import FakeTelegramServer
from tests.fakes.tempo_servers import CouleurTempoServer


def stored_samples(db: Path) -> int:
    """How many samples the bot has written so far (read-only, WAL lets us read while it writes)."""
    if not db.exists():
        return 0
    try:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5) as conn:
            return int(conn.execute("SELECT count(*) FROM samples").fetchone()[0])
    except sqlite3.Error:
        return 0


async def measure(polls: int) -> None:
    """Run the bot until it stored ``polls`` samples; print the RSS curve."""
    today = date.today()
    with (
        CouleurTempoServer({today: "BLUE"}, today=today) as tempo,
        tempfile.TemporaryDirectory() as data,
    ):
        async with FakeTelegramServer() as telegram:
            env = bot_env(telegram, tempo, data)
            env.update({"MARSTEK_POLL_INTERVAL_S": "1", "MARSTEK_TELEGRAM_POLL_TIMEOUT_S": "1"})
            process = subprocess.Popen(
                [sys.executable, "-m", "bot", "run", "--simulate", "3", "--speed", "50"],
                env=env,
                cwd=data,
            )
            db = Path(data) / "marstek.db"
            curve: list[tuple[int, float]] = []
            started = time.monotonic()
            try:
                while (count := stored_samples(db)) < polls:
                    if process.poll() is not None:
                        raise SystemExit(f"the bot stopped (exit {process.returncode})")
                    curve.append((count, rss_mb(process.pid)))
                    await asyncio.sleep(1.0)
                curve.append((stored_samples(db), rss_mb(process.pid)))
            finally:
                process.terminate()
                process.wait(timeout=30)
    elapsed = time.monotonic() - started
    rss = [value for _, value in curve]
    quarter = max(1, len(rss) // 4)
    second, last = statistics.mean(rss[quarter : 2 * quarter]), statistics.mean(rss[-quarter:])
    for count, value in curve[:: max(1, len(curve) // 10)]:
        print(f"{count:>6} polls stored: RSS {value:.1f} MB")
    print(
        f"{curve[-1][0]} polls in {elapsed:.0f} s; peak RSS {max(rss):.1f} MB "
        f"(goal <= 120 MB); second quarter {second:.1f} MB, last quarter {last:.1f} MB "
        f"({(last - second) / second * 100:+.1f} %, goal flat within 5 %)"
    )


def main() -> None:
    """Parse arguments and run."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--polls", type=int, default=10_000)
    asyncio.run(measure(parser.parse_args().polls))


if __name__ == "__main__":
    main()
