"""Time the battery history chart: 3 batteries, 7 days at 15 min and 30 days at 1 h.

Run from the repository root: ``.venv/bin/python -m bench.bench_charts``. Goal: ≤ 500 ms for
the 7-day chart (it is rendered in a worker thread, but a phone user is waiting for it).
"""

from __future__ import annotations

import functools
import statistics
import time
from collections.abc import Callable
from datetime import timedelta

from bot.charts import render_battery_history
from tests.charts.helpers import synthetic_history, utc

GOAL_7_DAYS_MS = 500.0
REPEATS = 7


def _time_ms(render: Callable[[], bytes]) -> tuple[float, float, int]:
    render()  # warm-up: font cache and first-use imports are not what we measure
    timings = []
    size = 0
    for _ in range(REPEATS):
        started = time.perf_counter()
        size = len(render())
        timings.append((time.perf_counter() - started) * 1000)
    return min(timings), statistics.median(timings), size


def main() -> None:
    """Print min/median render times and PNG sizes."""
    end = utc(2026, 1, 16, 9)
    cases = {
        "7 d / 15 min": synthetic_history(end=end, days=7, bucket=timedelta(minutes=15)),
        "30 d / 1 h": synthetic_history(end=end, days=30, bucket=timedelta(hours=1)),
    }
    results = {}
    for name, series in cases.items():
        points = sum(len(battery.points) for battery in series.batteries)
        best, median, size = _time_ms(functools.partial(render_battery_history, series))
        results[name] = median
        print(
            f"{name:>13}: {points:5d} points  min {best:6.1f} ms  median {median:6.1f} ms  "
            f"{size / 1024:6.1f} KiB"
        )
    verdict = "OK" if results["7 d / 15 min"] <= GOAL_7_DAYS_MS else "TOO SLOW"
    print(f"7-day goal ≤ {GOAL_7_DAYS_MS:.0f} ms: {verdict}")


if __name__ == "__main__":
    main()
