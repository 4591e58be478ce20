"""A task cancelled in the middle of a database call must not leave SQLite's write lock held."""

from __future__ import annotations

import asyncio
import random
from datetime import timedelta
from pathlib import Path

from bot.clock import ManualClock
from bot.storage import Database, Sample, Storage
from bot.storage.database import run_to_completion
from tests.storage.conftest import T0, make_samples, sqlite_url


async def test_a_cancelled_operation_finishes_then_the_cancellation_is_raised() -> None:
    finished = asyncio.Event()

    async def slow() -> int:
        await asyncio.sleep(0.05)
        finished.set()
        return 1

    caller = asyncio.create_task(run_to_completion(slow()))
    await asyncio.sleep(0.01)
    caller.cancel()
    done, _ = await asyncio.wait([caller])
    assert caller in done
    assert caller.cancelled()
    assert finished.is_set()  # the operation was not cut off half-way


async def test_writers_cancelled_at_random_moments_release_the_write_lock(
    tmp_path: Path, clock: ManualClock
) -> None:
    # Without run-to-completion sessions, about one round in ten left an orphaned connection
    # holding the lock: the next write failed with "database is locked" after the busy timeout.
    db = Database(sqlite_url(tmp_path / "cancel.db"), clock=clock, busy_timeout_ms=300)
    await db.start()
    try:
        storage = Storage(db, clock)
        battery = await storage.batteries.upsert(
            ble_mac="0c587b17df4f", name="Garage", host="127.0.0.1", port=30000
        )
        rng = random.Random(7)
        counter = 0

        def batch() -> list[Sample]:
            nonlocal counter
            counter += 1
            return make_samples(battery.id, T0 + timedelta(hours=counter), 40)

        async def write_forever() -> None:
            while True:
                await storage.samples.insert_batch(batch())

        for _ in range(40):
            writers = [asyncio.create_task(write_forever()) for _ in range(2)]
            await asyncio.sleep(rng.random() * 0.02)
            for writer in writers:
                writer.cancel()
            await asyncio.wait(writers)
            assert all(writer.cancelled() for writer in writers)
            await storage.samples.insert_batch(batch())  # "database is locked" if a lock leaked
    finally:
        await db.close()
