"""Schema upgrades keep every row, and every path leads to exactly the schema the code queries."""

from __future__ import annotations

import sqlite3
from datetime import date, time, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Column, Integer, MetaData, Table, insert, inspect, text
from sqlalchemy.dialects import sqlite
from sqlalchemy.engine import Connection

from bot.clock import ManualClock
from bot.storage import LATEST_VERSION, Database, SchemaError, Storage
from bot.storage import tables as t
from bot.storage.migrations import MIGRATIONS, Migration, upgrade
from bot.tempo.model import TempoColor
from tests.storage.conftest import T0, sqlite_url

MAC = "0c587b17df4f"


def _describe(connection: Connection) -> dict[str, Any]:
    """Everything that makes up the schema, normalised for comparison."""
    inspector = inspect(connection)
    schema: dict[str, Any] = {}
    for name in sorted(inspector.get_table_names()):
        schema[name] = {
            "columns": [
                (c["name"], str(c["type"]), c["nullable"], c["default"])
                for c in inspector.get_columns(name)
            ],
            "pk": inspector.get_pk_constraint(name)["constrained_columns"],
            "fks": sorted(
                (
                    tuple(fk["constrained_columns"]),
                    fk["referred_table"],
                    tuple(fk["referred_columns"]),
                    fk["options"].get("ondelete"),
                )
                for fk in inspector.get_foreign_keys(name)
            ),
            "indexes": sorted(
                (i["name"], tuple(i["column_names"]), bool(i["unique"]))
                for i in inspector.get_indexes(name)
            ),
            "uniques": sorted(
                (u["name"], tuple(u["column_names"]))
                for u in inspector.get_unique_constraints(name)
            ),
        }
    master = connection.exec_driver_sql(
        "SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY type, name"
    )
    schema["sqlite_master"] = [tuple(row) for row in master]
    return schema


def _model() -> dict[str, Any]:
    """The schema :mod:`bot.storage.tables` declares, in the shape of :func:`_describe`."""
    dialect = sqlite.dialect()
    model: dict[str, Any] = {}
    for table in sorted(t.metadata.tables.values(), key=lambda table: table.name):
        model[table.name] = {
            "columns": [
                (c.name, str(c.type.compile(dialect=dialect)), c.nullable, None) for c in table.c
            ],
            "pk": [c.name for c in table.primary_key.columns],
            "fks": sorted(
                (
                    (fk.parent.name,),
                    fk.column.table.name,
                    (fk.column.name,),
                    fk.ondelete,
                )
                for fk in table.foreign_keys
            ),
            "indexes": sorted(
                (i.name, tuple(c.name for c in i.columns), bool(i.unique)) for i in table.indexes
            ),
        }
    return model


async def _schema(db: Database) -> dict[str, Any]:
    async with db.engine.connect() as opened:
        connection = await opened.execution_options(marstek_write=False)
        described = await connection.run_sync(_describe)
        await connection.rollback()
    return described


async def _fill_version_1(db: Database) -> None:
    """Put one row in every table that exists at schema version 1 (with v1 columns only)."""
    async with db.session() as session:
        await session.execute(
            insert(t.batteries).values(
                id=1,
                ble_mac=MAC,
                name="Garage",
                host="127.0.0.1",
                port=30000,
                model="VenusE 3.0",
                firmware=1476,
                active=True,
                created_at=T0,
                updated_at=T0,
            )
        )
        await session.execute(
            insert(t.samples),
            [
                {
                    "battery_id": 1,
                    "at": T0 + timedelta(seconds=30 * i),
                    "soc_pct": 40.0 + i,
                    "ac_power_w": -800.0,
                    "battery_power_w": 790.0,
                    "pv_power_w": 0.0,
                    "grid_power_w": 1200.0,
                    "mode": "Manual",
                    "temperature_c": 21.5,
                }
                for i in range(40)
            ],
        )
        await session.execute(
            insert(t.tempo_days).values(
                day=date(2026, 1, 15), color="RED", confirmed=True, source="rte", fetched_at=T0
            )
        )
        await session.execute(
            insert(t.schedule_rules).values(
                days_mask=31,
                start_time=time(22, 0),
                end_time=time(6, 0),
                mode="charge",
                power_w=1500.0,
                enabled=True,
                battery_id=1,
                created_by="1234",
                created_at=T0,
                updated_at=T0,
            )
        )
        await session.execute(
            insert(t.plans).values(
                created_at=T0,
                horizon_start=T0,
                horizon_end=T0 + timedelta(days=1),
                payload={"slots": [{"mode": "charge", "power_w": -1500}]},
                reason="red day tomorrow",
            )
        )
        await session.execute(
            insert(t.commands).values(
                at=T0,
                battery_id=1,
                requested_by="planner",
                action="set_mode",
                params={"mode": "Manual"},
                result="applied",
                detail=None,
            )
        )
        await session.execute(
            insert(t.alerts).values(
                kind="low_soc",
                severity="warning",
                battery="Garage",
                params={"soc_pct": 12},
                dedup_key=f"low_soc:{MAC}",
                created_at=T0,
                state="pending",
                attempts=0,
            )
        )
        await session.execute(
            insert(t.settings).values(
                key="precharge", value={"target_soc_pct": 90}, updated_by="1234", updated_at=T0
            )
        )


async def _all_rows(db: Database, names: list[str]) -> dict[str, list[dict[str, Any]]]:
    rows: dict[str, list[dict[str, Any]]] = {}
    async with db.session(write=False) as session:
        for name in names:
            result = await session.execute(text(f"SELECT * FROM {name} ORDER BY 1, 2"))  # noqa: S608
            rows[name] = [dict(row) for row in result.mappings()]
    return rows


async def test_a_fresh_database_is_at_the_latest_version(db: Database) -> None:
    assert LATEST_VERSION == len(MIGRATIONS) >= 2
    async with db.session(write=False) as session:
        applied = (await session.execute(text("SELECT version FROM schema_version"))).scalars()
        assert list(applied) == list(range(1, LATEST_VERSION + 1))


async def test_migrations_build_exactly_the_tables_the_code_queries(db: Database) -> None:
    described = await _schema(db)
    master = described.pop("sqlite_master")
    model = _model()
    assert set(described) == set(model)
    for name, expected in model.items():
        found = {key: described[name][key] for key in expected}
        assert found == expected, name
    without_rowid = {row[1] for row in master if row[3] and "WITHOUT ROWID" in row[3]}
    assert without_rowid == {"samples", "sample_rollups"}
    assert described["batteries"]["uniques"] == [("uq_batteries_ble_mac", ("ble_mac",))]


async def test_upgrade_from_the_previous_version_keeps_every_row(
    tmp_path: Path, clock: ManualClock
) -> None:
    path = tmp_path / "old.db"
    db = Database(sqlite_url(path), clock=clock)
    await db.start(migrate=False)
    try:
        await db.migrate(target=LATEST_VERSION - 1)
        await _fill_version_1(db)
        old_tables = sorted((await _schema(db)).keys() - {"sqlite_master", "schema_version"})
        before = await _all_rows(db, old_tables)
        await db.close()

        await db.start()  # the bot restarts with the new code: upgrade
        assert await db.schema_version() == LATEST_VERSION
        after = await _all_rows(db, old_tables)
        for name in old_tables:
            assert len(after[name]) == len(before[name]), name
            for old, new in zip(before[name], after[name], strict=True):
                assert {key: new[key] for key in old} == old, name
                assert all(new[key] is None for key in new.keys() - old.keys()), name

        # Readable through the repositories, not just present.
        store = Storage(db, clock, alert_recipients=[77])
        (battery,) = await store.batteries.list_active()
        assert (battery.ble_mac, battery.firmware) == (MAC, 1476)
        latest = (await store.samples.latest())[battery.id]
        assert latest.soc_pct == 79.0
        assert latest.grid_in_wh is None
        day = await store.tempo_days.get_day(date(2026, 1, 15))
        assert day is not None
        assert (day.color, day.confirmed) == (TempoColor.RED, True)
        (rule,) = await store.rules.list_all()
        assert (rule.start, rule.end, rule.power_w) == (time(22, 0), time(6, 0), 1500.0)
        plan = await store.plans.latest()
        assert plan is not None
        assert plan.payload == {"slots": [{"mode": "charge", "power_w": -1500}]}
        (command,) = await store.commands.recent()
        assert command.params == {"mode": "Manual"}
        assert await store.settings.get("precharge") == {"target_soc_pct": 90}
        # The alert pending before the upgrade (no delivery table then) is still delivered.
        (due,) = await store.alerts.next_due(clock.now())
        assert (due.chat_id, due.alert.params) == (77, {"soc_pct": 12})
    finally:
        await db.close()

    backup_copy = tmp_path / "old.db.v1.bak"
    with sqlite3.connect(backup_copy) as connection:
        assert connection.execute("SELECT max(version) FROM schema_version").fetchone() == (1,)
        assert connection.execute("SELECT count(*) FROM samples").fetchone() == (40,)
    connection.close()


async def test_fresh_and_upgraded_databases_have_the_same_schema(
    tmp_path: Path, clock: ManualClock
) -> None:
    fresh = Database(sqlite_url(tmp_path / "fresh.db"), clock=clock)
    upgraded = Database(sqlite_url(tmp_path / "upgraded.db"), clock=clock)
    await fresh.start()
    await upgraded.start(migrate=False)
    try:
        await upgraded.migrate(target=1)
        await _fill_version_1(upgraded)
        await upgraded.migrate()
        assert await _schema(fresh) == await _schema(upgraded)
    finally:
        await fresh.close()
        await upgraded.close()


def _broken(connection: Connection) -> None:
    md = MetaData()
    Table("half_done", md, Column("id", Integer, primary_key=True)).create(connection)
    connection.exec_driver_sql("ALTER TABLE no_such_table ADD COLUMN x INTEGER")


async def test_a_failing_migration_leaves_the_previous_version_intact(db: Database) -> None:
    broken = (*MIGRATIONS, Migration(version=LATEST_VERSION + 1, description="bad", apply=_broken))
    async with db.engine.connect() as connection:
        with pytest.raises(SchemaError, match=f"database left at version {LATEST_VERSION}"):
            await connection.run_sync(upgrade, now=T0, migrations=broken)
    assert await db.schema_version() == LATEST_VERSION
    assert "half_done" not in await _schema(db)


async def test_migrations_must_be_numbered_in_sequence(db: Database) -> None:
    gap = (MIGRATIONS[0], Migration(version=3, description="gap", apply=_broken))
    async with db.engine.connect() as connection:
        with pytest.raises(ValueError, match="numbered"):
            await connection.run_sync(upgrade, now=T0, migrations=gap)
        with pytest.raises(ValueError, match="outside"):
            await connection.run_sync(upgrade, now=T0, target=LATEST_VERSION + 1)
