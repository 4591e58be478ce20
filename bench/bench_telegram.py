"""Benchmark: /status latency through the Bot API, and bot memory after 1,000 commands.

Run from the repository root: ``python -m bench.bench_telegram [--commands 1000]``.

The bot runs as its own process (``python -m bot run --simulate 3``), exactly as a user starts
it, pointed at a fake Telegram Bot API server and a fake Tempo server held by this script on
127.0.0.1. Latency = from the user's message entering the fake server's update queue to the
bot's reply arriving there (long polling is already waiting, so this is the bot's own
overhead plus two loopback HTTP exchanges). Goal: p50/p95 ≤ 30 ms.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

from tests.fakes.telegram_api import FakeTelegramServer
from tests.fakes.telegram_user import FakeUser
from tests.fakes.tempo_servers import CouleurTempoServer

ROOT = Path(__file__).resolve().parents[1]
ADMIN = 1001


def rss_mb(pid: int) -> float:
    """Resident memory of a process in MB (Linux)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def bot_env(
    telegram: FakeTelegramServer, tempo: CouleurTempoServer, data_dir: str
) -> dict[str, str]:
    """Environment of the bot process."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("MARSTEK_")}
    env.update(
        {
            "PYTHONPATH": os.pathsep.join([str(ROOT / "tests" / "netguard_site"), str(ROOT)]),
            "NO_PROXY": "127.0.0.1,localhost",
            "MARSTEK_TELEGRAM_TOKEN": telegram.token,
            "MARSTEK_TELEGRAM_BASE_URL": telegram.base_url,
            "MARSTEK_TELEGRAM_BASE_FILE_URL": telegram.base_file_url,
            "MARSTEK_ADMINS": str(ADMIN),
            "MARSTEK_DATA_DIR": data_dir,
            "MARSTEK_TEMPO_SOURCES": "api-couleur-tempo",
            "MARSTEK_TEMPO_API_COULEUR_TEMPO_URL": tempo.base_url,
            "MARSTEK_TELEGRAM_POLL_TIMEOUT_S": "1",
            "MARSTEK_RATE_LIMIT_BURST": "10000",
            "MARSTEK_RATE_LIMIT_PER_MINUTE": "100000",
            "MARSTEK_LOG_LEVEL": "WARNING",
        }
    )
    return env


async def measure(commands: int) -> None:
    """Start the bot, send ``commands`` /status, print latencies and memory."""
    today = date.today()
    days = {today: "BLUE", today + timedelta(days=1): "WHITE"}
    with CouleurTempoServer(days, today=today) as tempo, tempfile.TemporaryDirectory() as data:
        async with FakeTelegramServer() as telegram:
            process = subprocess.Popen(
                [sys.executable, "-m", "bot", "run", "--simulate", "3"],
                env=bot_env(telegram, tempo, data),
                cwd=data,
            )
            try:
                await telegram.wait_for_call("getUpdates", timeout_s=60)
                alice = FakeUser(telegram, ADMIN, "Alice")
                await alice.send("/status")  # warm-up
                await alice.next_message(timeout=30)
                start_rss = rss_mb(process.pid)
                latencies: list[float] = []
                for _ in range(commands):
                    sent = time.perf_counter()
                    await alice.send("/status")
                    await alice.next_message(timeout=30)
                    latencies.append((time.perf_counter() - sent) * 1000)
                end_rss = rss_mb(process.pid)
            finally:
                process.terminate()
                process.wait(timeout=30)
    latencies.sort()
    p50 = statistics.median(latencies)
    p95 = latencies[int(0.95 * (len(latencies) - 1))]
    print(f"/status x{commands}: p50 {p50:.1f} ms, p95 {p95:.1f} ms, max {latencies[-1]:.1f} ms")
    print(
        f"bot process RSS: {start_rss:.1f} MB after warm-up, "
        f"{end_rss:.1f} MB after {commands} commands"
    )
    print(f"goal p50/p95 <= 30 ms: {'met' if p95 <= 30 else 'NOT met'}")


def main() -> None:
    """Parse arguments and run."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--commands", type=int, default=1000)
    asyncio.run(measure(parser.parse_args().commands))


if __name__ == "__main__":
    main()
