"""The Database object: folders, per-connection PRAGMAs, transactions, errors, concurrency."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import insert, select, text

from bot.alerts.model import Alert, AlertKind, Severity
from bot.clock import ManualClock
from bot.storage import (
    LATEST_VERSION,
    Database,
    Sample,
    SchemaError,
    Storage,
    StorageError,
)
from bot.storage.tables import schema_version, settings
from tests.storage.conftest import T0, sqlite_url


async def test_start_creates_the_folder_and_migrates(db: Database, db_path: Path) -> None:
    assert await asyncio.to_thread(db_path.is_file)
    assert db.file == db_path
    assert await db.schema_version() == LATEST_VERSION


async def test_every_connection_gets_the_pragmas(db: Database) -> None:
    connections = [await db.engine.connect() for _ in range(3)]
    try:
        for opened in connections:
            connection = await opened.execution_options(marstek_write=False)
            pragmas = {
                name: (await connection.execute(text(f"PRAGMA {name}"))).scalar()
                for name in ("journal_mode", "foreign_keys", "busy_timeout", "synchronous")
            }
            assert pragmas == {
                "journal_mode": "wal",
                "foreign_keys": 1,
                "busy_timeout": 10_000,
                "synchronous": 1,  # NORMAL
            }
    finally:
        for connection in connections:
            await connection.close()


async def test_foreign_keys_are_enforced(storage: Storage) -> None:
    orphan = Sample(battery_id=999, at=T0, soc_pct=50.0, ac_power_w=0.0)
    with pytest.raises(StorageError, match="FOREIGN KEY"):
        await storage.samples.insert_batch([orphan])


async def _write_then_fail(db: Database) -> None:
    async with db.session() as session:
        await session.execute(
            insert(settings).values(key="k", value=1, updated_by="1", updated_at=T0)
        )
        raise RuntimeError("boom")


async def test_an_error_inside_a_session_rolls_everything_back(db: Database) -> None:
    with pytest.raises(RuntimeError, match="boom"):
        await _write_then_fail(db)
    async with db.session(write=False) as session:
        assert (await session.execute(select(settings))).all() == []


async def _open_a_session(db: Database) -> None:
    async with db.session():
        pass


async def test_a_closed_database_refuses_work_and_can_start_again(db: Database) -> None:
    await db.close()
    await db.close()
    with pytest.raises(StorageError, match="not started"):
        await db.migrate()
    with pytest.raises(StorageError, match="not started"):
        await _open_a_session(db)
    await db.start()
    assert await db.schema_version() == LATEST_VERSION


async def test_a_database_newer_than_the_bot_is_refused(db: Database, clock: ManualClock) -> None:
    async with db.session() as session:
        await session.execute(
            insert(schema_version).values(version=99, description="future", applied_at=T0)
        )
    await db.close()
    newer = Database(db.url, clock=clock)
    with pytest.raises(SchemaError, match="version 99"):
        await newer.start()
    with pytest.raises(StorageError, match="not started"):
        newer.engine  # noqa: B018


async def test_a_reader_is_not_blocked_by_an_open_writer(db: Database) -> None:
    async with db.session() as writer:
        await writer.execute(
            insert(settings).values(key="k", value=1, updated_by="1", updated_at=T0)
        )
        async with db.session(write=False) as reader:
            # WAL: the reader sees the last committed state, without waiting for the writer.
            assert (await reader.execute(select(settings))).all() == []


async def test_concurrent_read_then_write_transactions_take_turns(
    storage: Storage, clock: ManualClock
) -> None:
    alert = Alert(
        kind=AlertKind.UNREACHABLE,
        severity=Severity.WARNING,
        created_at=clock.now(),
        dedup_key="unreachable:0c587b17df4f",
    )
    ids = await asyncio.gather(*(storage.alerts.enqueue(alert) for _ in range(12)))
    assert len([alert_id for alert_id in ids if alert_id is not None]) == 1
    assert len(await storage.alerts.pending()) == 1


async def test_in_memory_database_serialises_its_single_connection(clock: ManualClock) -> None:
    db = Database("sqlite+aiosqlite:///:memory:", clock=clock)
    await db.start()
    try:
        store = Storage(db, clock)
        await asyncio.gather(*(store.settings.set(f"k{i}", i, by="planner") for i in range(8)))
        assert len(await store.settings.all()) == 8
        assert db.file is None
    finally:
        await db.close()


async def test_start_without_migration_leaves_an_empty_database(
    tmp_path: Path, clock: ManualClock
) -> None:
    db = Database(sqlite_url(tmp_path / "empty.db"), clock=clock)
    await db.start(migrate=False)
    try:
        assert await db.schema_version() == 0
        assert await db.migrate(target=1) == [1]
        assert await db.migrate() == [2]
        assert await db.migrate() == []
    finally:
        await db.close()


async def test_busy_writers_wait_instead_of_failing(db: Database) -> None:
    async def hold_the_write_lock() -> None:
        async with db.session() as session:
            await session.execute(
                insert(settings).values(key="a", value=1, updated_by="1", updated_at=T0)
            )
            await asyncio.sleep(0.05)

    async def write_meanwhile() -> None:
        await asyncio.sleep(0.01)
        async with db.session() as session:
            await session.execute(
                insert(settings).values(
                    key="b", value=2, updated_by="1", updated_at=T0 + timedelta(seconds=1)
                )
            )

    await asyncio.gather(hold_the_write_lock(), write_meanwhile())
    async with db.session(write=False) as session:
        assert len((await session.execute(select(settings))).all()) == 2
