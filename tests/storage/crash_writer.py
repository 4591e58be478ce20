"""Child process for the crash test: commit some work, start more, then wait to be killed.

Run as ``python -m tests.storage.crash_writer <database-url>``. It prints ``committed`` once its
transactions are committed and ``uncommitted`` while a write transaction is still open.
"""

from __future__ import annotations

import asyncio
import sys
from datetime import timedelta

from sqlalchemy import insert

from bot.alerts.model import Alert, AlertKind, Severity
from bot.clock import ManualClock
from bot.storage import Database, Storage
from bot.storage.tables import settings
from tests.storage.conftest import T0, make_samples

BATCHES = 5
BATCH = 200


async def main(url: str) -> None:
    """Write, report, and hang inside an open transaction."""
    clock = ManualClock(T0)
    db = Database(url, clock=clock)
    await db.start()
    store = Storage(db, clock, alert_recipients=[101])
    battery = await store.batteries.upsert(
        ble_mac="0c587b17df4f", name="Garage", host="127.0.0.1", port=30000
    )
    for index in range(BATCHES):
        start = T0 + timedelta(seconds=30 * BATCH * index)
        await store.samples.insert_batch(make_samples(battery.id, start, BATCH))
    await store.alerts.raise_alert(
        Alert(kind=AlertKind.LOW_SOC, severity=Severity.WARNING, created_at=T0, dedup_key="low")
    )
    print("committed", flush=True)
    async with db.session() as session:
        await session.execute(
            insert(settings).values(key="never", value=1, updated_by="1", updated_at=T0)
        )
        print("uncommitted", flush=True)
        await asyncio.sleep(3600)


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1]))
