"""Online backup while the bot writes, and the restore procedure."""

from __future__ import annotations

import asyncio
import contextlib
import shutil
import sqlite3
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import insert

from bot.clock import ManualClock
from bot.storage import BackupError, Battery, Database, Storage, backup, restore
from bot.storage.tables import settings
from tests.storage.conftest import T0, make_samples, sqlite_url

BATCH = 50


def _wal_bytes(path: Path) -> int:
    wal = Path(f"{path}-wal")
    return wal.stat().st_size if wal.exists() else 0


def _read(path: Path, sql: str) -> list[tuple[object, ...]]:
    with contextlib.closing(sqlite3.connect(path)) as connection:
        return connection.execute(sql).fetchall()


async def test_backup_while_a_writer_inserts_is_a_consistent_snapshot(
    storage: Storage, battery: Battery, db: Database, tmp_path: Path
) -> None:
    preloaded = await storage.samples.insert_batch(
        make_samples(battery.id, T0 - timedelta(days=30), 20_000, step_s=30)
    )
    stop = asyncio.Event()
    batch_done = asyncio.Event()
    batches = 0

    async def writer() -> None:
        nonlocal batches
        at = T0
        while not stop.is_set():
            await storage.samples.insert_batch(make_samples(battery.id, at, BATCH, step_s=1))
            batches += 1
            batch_done.set()
            at += timedelta(seconds=BATCH)
            await asyncio.sleep(0)

    async def batches_reach(count: int) -> None:
        while batches < count:
            batch_done.clear()
            await batch_done.wait()

    task = asyncio.create_task(writer())
    try:
        await asyncio.wait_for(batches_reach(3), timeout=10)
        committed_before = batches
        copy = await backup(db.url, tmp_path / "backups" / "marstek-copy.db")
        # The writer is still alive and committing after the backup.
        await asyncio.wait_for(batches_reach(batches + 1), timeout=10)
    finally:
        stop.set()
        await task

    assert _read(copy, "PRAGMA integrity_check") == [("ok",)]
    assert _read(copy, "PRAGMA journal_mode") == [("delete",)]  # one self-contained file
    (copied,) = _read(copy, "SELECT count(*) FROM samples")[0]
    assert isinstance(copied, int)
    live = copied - preloaded
    assert live % BATCH == 0  # only whole transactions
    assert committed_before * BATCH <= live <= batches * BATCH
    assert not [p for p in copy.parent.iterdir() if p != copy]  # no temporary file left


async def test_backup_leaves_out_uncommitted_work(
    db: Database, db_path: Path, tmp_path: Path
) -> None:
    async with db.session() as session:
        await session.execute(
            insert(settings).values(key="k", value=1, updated_by="1", updated_at=T0)
        )
        copy = await backup(db_path, tmp_path / "copy.db")  # does not wait for the writer
    assert _read(copy, "SELECT count(*) FROM settings") == [(0,)]


async def test_backup_errors(tmp_path: Path) -> None:
    with pytest.raises(BackupError, match="no database file"):
        await backup(tmp_path / "missing.db", tmp_path / "copy.db")
    with pytest.raises(BackupError, match="in-memory"):
        await backup("sqlite+aiosqlite:///:memory:", tmp_path / "copy.db")
    with pytest.raises(BackupError, match="only implemented for SQLite"):
        await backup("postgresql+asyncpg://bot@127.0.0.1/marstek", tmp_path / "copy.db")
    assert not (tmp_path / "copy.db").exists()


async def test_restore_brings_back_the_backed_up_data(
    storage: Storage, db: Database, db_path: Path, tmp_path: Path
) -> None:
    await storage.settings.set("mode", "before", by=1)
    copy = await backup(db.url, tmp_path / "nightly.db")
    await storage.settings.set("mode", "after", by=1)
    await storage.settings.set("added_later", True, by=1)

    await db.close()  # 1. stop the bot
    await restore(copy, db.url)  # 2. replace the file
    await db.start()  # 3. start again
    assert await storage.settings.get("mode") == "before"
    assert await storage.settings.get("added_later") is None
    kept = db_path.with_name("marstek.db.before-restore")
    assert _read(kept, "SELECT count(*) FROM settings") == [(2,)]


async def test_restore_never_replays_the_old_wal_and_keeps_it(
    tmp_path: Path, clock: ManualClock
) -> None:
    live = tmp_path / "live" / "marstek.db"
    db = Database(sqlite_url(live), clock=clock)
    await db.start()
    await db.close()
    good = await backup(live, tmp_path / "good.db")

    # A crash leaves committed rows only in the WAL file, next to the main file.
    crashed = tmp_path / "crashed" / "marstek.db"
    crashed.parent.mkdir()
    writer = sqlite3.connect(live)
    try:
        writer.execute("PRAGMA wal_autocheckpoint=0")
        writer.execute(
            "INSERT INTO settings (key, value, updated_by, updated_at) VALUES ('x', '1', '1', 0)"
        )
        writer.commit()
        for suffix in ("", "-wal"):
            shutil.copy(f"{live}{suffix}", f"{crashed}{suffix}")
    finally:
        writer.close()
    assert _wal_bytes(crashed) > 0

    await restore(good, crashed)
    assert _read(crashed, "SELECT count(*) FROM settings") == [(0,)]
    assert _wal_bytes(crashed) == 0
    kept = crashed.with_name("marstek.db.before-restore")
    assert _read(kept, "SELECT key FROM settings") == [("x",)]


async def test_restore_refuses_a_missing_backup(tmp_path: Path) -> None:
    with pytest.raises(BackupError, match="no backup file"):
        await restore(tmp_path / "nope.db", tmp_path / "marstek.db")
