"""A process killed after commit loses nothing; what it had not committed is simply absent."""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import sqlite3
import sys
from datetime import timedelta
from pathlib import Path

from bot.clock import ManualClock
from bot.storage import Database, Storage
from tests.storage import crash_writer
from tests.storage.conftest import T0, sqlite_url

ROOT = Path(__file__).resolve().parents[2]


def _has_wal(path: Path) -> bool:
    return Path(f"{path}-wal").exists()


async def _read_line(process: asyncio.subprocess.Process) -> str:
    assert process.stdout is not None
    line = await asyncio.wait_for(process.stdout.readline(), timeout=30)
    return line.decode().strip()


async def test_a_killed_writer_loses_nothing_it_committed(tmp_path: Path) -> None:
    path = tmp_path / "data" / "marstek.db"
    environment = dict(os.environ)
    environment["PYTHONPATH"] = os.pathsep.join(
        [str(ROOT), *filter(None, [environment.get("PYTHONPATH")])]
    )
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "tests.storage.crash_writer",
        sqlite_url(path),
        cwd=ROOT,
        env=environment,
        stdout=asyncio.subprocess.PIPE,
    )
    try:
        assert await _read_line(process) == "committed"
        assert await _read_line(process) == "uncommitted"
    finally:
        process.send_signal(signal.SIGKILL)  # no clean shutdown, no checkpoint
        await process.wait()
    assert process.returncode == -signal.SIGKILL
    assert _has_wal(path)  # the committed work is (at least partly) only in the WAL

    with contextlib.closing(sqlite3.connect(path)) as connection:
        assert connection.execute("PRAGMA integrity_check").fetchall() == [("ok",)]

    clock = ManualClock(T0)
    db = Database(sqlite_url(path), clock=clock)
    await db.start()
    try:
        store = Storage(db, clock, alert_recipients=[101])
        (battery,) = await store.batteries.list_active()
        end = T0 + timedelta(days=1)
        stored = await store.samples.between(battery.id, T0, end)
        assert len(stored) == crash_writer.BATCHES * crash_writer.BATCH
        (due,) = await store.alerts.next_due(T0)
        assert (due.chat_id, due.alert.dedup_key) == (101, "low")
        assert await store.settings.get("never") is None
    finally:
        await db.close()
