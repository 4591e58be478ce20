"""Polling benchmark: 1, 10 and 50 simulated units polled through ONE client transport.

Each cycle asks every unit for ``ES.GetStatus`` at once and waits for every reply. The transport
keeps one request in flight per unit and a gap (0.2 s here) between two datagrams to the same
unit, and serves different units in parallel, so the cycle time should not grow with the fleet:
after the first cycle (nothing to wait for yet) each cycle lasts about one gap. The ratio of the
steady cycle times, 50 units / 1 unit, should stay ≤ 1.2.

    python bench/bench_polling.py                  # 1, 10 and 50 units, 6 cycles each
    python bench/bench_polling.py --cycles 10 --gap 0.5 --sizes 1 20 100

Everything runs on loopback: units on 127.0.0.2 and up, the client on 127.0.0.1.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run from anywhere

from bot.marstek import ClientOptions, MarstekClient, MarstekTransport, TransportOptions
from bot.marstek.clock import SystemClock
from bot.marstek.simulator import Simulator

GOAL_RATIO = 1.2


async def poll_cycles(units: int, cycles: int, gap_s: float) -> list[float]:
    """Start ``units`` simulated units and return the real duration of each polling cycle."""
    options = TransportOptions(local_host="127.0.0.1", local_port=0, request_gap_s=gap_s)
    async with (
        Simulator(units, seed=1) as sim,
        MarstekTransport(clock=SystemClock(), options=options) as transport,
    ):
        clients = [
            MarstekClient(transport, unit.host, port=sim.port, options=ClientOptions(timeout_s=2))
            for unit in sim.units
        ]
        durations: list[float] = []
        for _ in range(cycles):
            started = time.perf_counter()
            statuses = await asyncio.gather(*(client.get_energy_status() for client in clients))
            durations.append(time.perf_counter() - started)
            assert all(status.soc_pct is not None for status in statuses)
        assert all(unit.requests_received == cycles for unit in sim.units)
    return durations


def steady(durations: list[float]) -> float:
    """Median cycle time once the gap paces every unit (the first cycle has nothing to wait for)."""
    return statistics.median(durations[1:])


async def main(sizes: list[int], cycles: int, gap_s: float) -> int:
    """Run every fleet size, print the table and the ratio; exit status 1 if the goal is missed."""
    print(f"ES.GetStatus to every unit per cycle, one transport, gap {gap_s:g} s, {cycles} cycles")
    print(f"{'units':>5}  {'steady (s)':>10}  cycle times (s)")
    results: dict[int, float] = {}
    for size in sizes:
        durations = await poll_cycles(size, cycles, gap_s)
        results[size] = steady(durations)
        cells = " ".join(f"{duration:.3f}" for duration in durations)
        print(f"{size:>5}  {results[size]:>10.3f}  {cells}")
    smallest, largest = min(sizes), max(sizes)
    ratio = results[largest] / results[smallest]
    verdict = "OK" if ratio <= GOAL_RATIO else "MISSED"
    print(f"ratio {largest} units / {smallest} unit = {ratio:.3f} (goal ≤ {GOAL_RATIO}): {verdict}")
    return 0 if ratio <= GOAL_RATIO else 1


def parse_args() -> argparse.Namespace:
    """Command line options."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1, 10, 50])
    parser.add_argument("--cycles", type=int, default=6)
    parser.add_argument("--gap", type=float, default=0.2, help="request gap per unit, seconds")
    args = parser.parse_args()
    if args.cycles < 2:
        parser.error("at least 2 cycles: the first one is not paced")
    return args


if __name__ == "__main__":
    arguments = parse_args()
    sys.exit(asyncio.run(main(sorted(set(arguments.sizes)), arguments.cycles, arguments.gap)))
