"""A real storage layer on a temporary SQLite file, for the chart and export data tests."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import date, datetime, timedelta
from pathlib import Path

from bot.clock import ManualClock
from bot.storage import Database, Sample, Storage
from bot.tempo.model import TempoColor


@asynccontextmanager
async def open_storage(folder: Path, now: datetime) -> AsyncIterator[Storage]:
    """A migrated database with its repositories; closed on exit."""
    clock = ManualClock(now)
    db = Database(f"sqlite+aiosqlite:///{(folder / 'marstek.db').as_posix()}", clock=clock)
    await db.start()
    try:
        yield Storage(db, clock)
    finally:
        await db.close()


async def add_battery(storage: Storage, number: int) -> int:
    """Register battery ``number``; return its id."""
    battery = await storage.batteries.upsert(
        ble_mac=f"aa00000000{number:02x}", name=f"Venus {number}", host="127.0.0.1", port=30000
    )
    return battery.id


def regular_samples(
    battery_id: int, start: datetime, end: datetime, *, every: timedelta
) -> list[Sample]:
    """Samples every ``every`` over ``[start, end)``; SoC = minutes since start mod 100."""
    samples = []
    at = start
    while at < end:
        minutes = int((at - start) / timedelta(minutes=1))
        samples.append(
            Sample(
                battery_id=battery_id,
                at=at,
                soc_pct=float(minutes // 60 % 100),
                ac_power_w=float(100 * (minutes // 60 % 7) - 300),
                grid_power_w=120.0,
                mode="Auto",
            )
        )
        at += every
    return samples


class FixedColors:
    """A colour source answering from a dict, remembering what it was asked."""

    def __init__(self, colors: dict[date, TempoColor]) -> None:
        self.colors = colors
        self.asked: list[tuple[date, date]] = []

    async def known_colors(self, first: date, last: date) -> dict[date, TempoColor]:
        """Known colours of ``[first, last]``."""
        self.asked.append((first, last))
        return {day: color for day, color in self.colors.items() if first <= day <= last}
