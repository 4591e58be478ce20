"""Fixtures for the storage tests: a fresh SQLite file per test and a manual clock."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.clock import ManualClock
from bot.storage import Battery, Database, Sample, Storage

T0 = datetime(2026, 1, 15, 0, 0, tzinfo=UTC)


def sqlite_url(path: Path) -> str:
    """Return the aiosqlite URL of a database file."""
    return f"sqlite+aiosqlite:///{path.as_posix()}"


def make_samples(
    battery_id: int,
    start: datetime,
    count: int,
    *,
    step_s: float = 30.0,
    ac_power_w: float = -1000.0,
) -> list[Sample]:
    """Return ``count`` regular samples from ``start``."""
    return [
        Sample(
            battery_id=battery_id,
            at=start + timedelta(seconds=step_s * index),
            soc_pct=float(20 + index % 60),
            ac_power_w=ac_power_w,
            grid_power_w=250.0,
            mode="Auto",
        )
        for index in range(count)
    ]


@asynccontextmanager
async def opened_storage(path: Path, now: datetime) -> AsyncIterator[Storage]:
    """Every repository over a fresh SQLite file, on a manual clock at ``now``."""
    clock = ManualClock(now)
    db = Database(sqlite_url(path), clock=clock)
    await db.start()
    try:
        yield Storage(db, clock, max_sample_gap_s=120.0)
    finally:
        await db.close()


@pytest.fixture
def clock() -> ManualClock:
    """A clock that moves only when the test says so."""
    return ManualClock(T0)


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    """Where the test database lives (in a folder that does not exist yet)."""
    return tmp_path / "data" / "marstek.db"


@pytest.fixture
async def db(db_path: Path, clock: ManualClock) -> AsyncIterator[Database]:
    """A started, migrated database, closed after the test."""
    database = Database(sqlite_url(db_path), clock=clock)
    await database.start()
    try:
        yield database
    finally:
        await database.close()


@pytest.fixture
def storage(db: Database, clock: ManualClock) -> Storage:
    """Every repository over the test database, alerts going to chats 101 and 202."""
    return Storage(db, clock, alert_recipients=[101, 202])


@pytest.fixture
async def battery(storage: Storage) -> Battery:
    """One registered battery."""
    return await storage.batteries.upsert(
        ble_mac="0c587b17df4f", name="Garage", host="127.0.0.1", port=30000, model="VenusE 3.0"
    )
