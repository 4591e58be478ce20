"""Numbered schema migrations and the runner that applies them, each in its own transaction.

Each migration describes the tables *as they were at that version* (its own ``MetaData``), so an
old migration keeps producing the same schema however :mod:`bot.storage.tables` evolves later; a
test checks that running every migration yields exactly the current tables. Migrations only add
(tables, nullable columns, indexes) or copy: none may drop data. On SQLite a change that ALTER
cannot express needs the documented table rebuild (see docs/storage.md).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Column,
    Date,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    PrimaryKeyConstraint,
    String,
    Table,
    Text,
    Time,
    UniqueConstraint,
    func,
    insert,
    inspect,
    select,
)
from sqlalchemy.engine import Connection
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.schema import CreateColumn

from bot.storage.errors import SchemaError
from bot.storage.tables import schema_version
from bot.storage.types import NAMING_CONVENTION, UtcDateTime


@dataclass(frozen=True, slots=True, kw_only=True)
class Migration:
    """One schema step: ``apply`` runs inside a transaction on a sync connection."""

    version: int
    description: str
    apply: Callable[[Connection], None]


def add_column(connection: Connection, table_name: str, column: Column[object]) -> None:
    """Add ``column`` to an existing table (portable ``ALTER TABLE … ADD COLUMN``)."""
    if not column.nullable and column.server_default is None:
        raise ValueError("a NOT NULL column added to a filled table needs a server default")
    quoted = connection.dialect.identifier_preparer.quote(table_name)
    spec = CreateColumn(column).compile(dialect=connection.dialect)
    connection.exec_driver_sql(f"ALTER TABLE {quoted} ADD COLUMN {spec}")


def _v1_core_tables(connection: Connection) -> None:
    md = MetaData(naming_convention=NAMING_CONVENTION)
    Table(
        "batteries",
        md,
        Column("id", Integer, primary_key=True),
        Column("ble_mac", String(12), nullable=False, unique=True),
        Column("name", String(40), nullable=False),
        Column("host", String(255), nullable=False),
        Column("port", Integer, nullable=False),
        Column("model", String(40), nullable=True),
        Column("firmware", Integer, nullable=True),
        Column("active", Boolean, nullable=False),
        Column("created_at", UtcDateTime, nullable=False),
        Column("updated_at", UtcDateTime, nullable=False),
    )
    Table(
        "samples",
        md,
        Column("battery_id", Integer, ForeignKey("batteries.id"), nullable=False),
        Column("at", UtcDateTime, nullable=False),
        Column("soc_pct", Float, nullable=False),
        Column("ac_power_w", Float, nullable=False),
        Column("battery_power_w", Float, nullable=True),
        Column("pv_power_w", Float, nullable=True),
        Column("grid_power_w", Float, nullable=True),
        Column("mode", String(16), nullable=True),
        Column("temperature_c", Float, nullable=True),
        PrimaryKeyConstraint("battery_id", "at"),
        sqlite_with_rowid=False,
    )
    Table(
        "tempo_days",
        md,
        Column("day", Date, primary_key=True),
        Column("color", String(8), nullable=True),
        Column("confirmed", Boolean, nullable=False),
        Column("source", String(40), nullable=False),
        Column("fetched_at", UtcDateTime, nullable=False),
    )
    Table(
        "schedule_rules",
        md,
        Column("id", Integer, primary_key=True),
        Column("days_mask", Integer, nullable=False),
        Column("start_time", Time, nullable=False),
        Column("end_time", Time, nullable=False),
        Column("mode", String(16), nullable=False),
        Column("power_w", Float, nullable=True),
        Column("enabled", Boolean, nullable=False),
        Column("battery_id", Integer, ForeignKey("batteries.id"), nullable=True),
        Column("created_by", String(64), nullable=False),
        Column("created_at", UtcDateTime, nullable=False),
        Column("updated_at", UtcDateTime, nullable=False),
    )
    Table(
        "plans",
        md,
        Column("id", Integer, primary_key=True),
        Column("created_at", UtcDateTime, nullable=False),
        Column("horizon_start", UtcDateTime, nullable=False),
        Column("horizon_end", UtcDateTime, nullable=False),
        Column("payload", JSON, nullable=False),
        Column("reason", Text, nullable=False),
        Index("ix_plans_created_at", "created_at"),
        sqlite_autoincrement=True,
    )
    Table(
        "commands",
        md,
        Column("id", Integer, primary_key=True),
        Column("at", UtcDateTime, nullable=False),
        Column("battery_id", Integer, ForeignKey("batteries.id"), nullable=True),
        Column("requested_by", String(64), nullable=False),
        Column("action", String(40), nullable=False),
        Column("params", JSON, nullable=False),
        Column("result", String(16), nullable=False),
        Column("detail", Text, nullable=True),
        Index("ix_commands_at", "at"),
        Index("ix_commands_battery_at", "battery_id", "at"),
        sqlite_autoincrement=True,
    )
    Table(
        "alerts",
        md,
        Column("id", Integer, primary_key=True),
        Column("kind", String(40), nullable=False),
        Column("severity", String(16), nullable=False),
        Column("battery", String(64), nullable=True),
        Column("params", JSON, nullable=False),
        Column("dedup_key", String(200), nullable=False),
        Column("created_at", UtcDateTime, nullable=False),
        Column("state", String(16), nullable=False),
        Column("attempts", Integer, nullable=False),
        Column("last_error", Text, nullable=True),
        Column("sent_at", UtcDateTime, nullable=True),
        Index("ix_alerts_state_created", "state", "created_at"),
        Index("ix_alerts_dedup_created", "dedup_key", "created_at"),
        sqlite_autoincrement=True,
    )
    Table(
        "settings",
        md,
        Column("key", String(100), primary_key=True),
        Column("value", JSON, nullable=True),
        Column("updated_by", String(64), nullable=False),
        Column("updated_at", UtcDateTime, nullable=False),
    )
    md.create_all(connection)


def _v2_rollups_and_deliveries(connection: Connection) -> None:
    md = MetaData(naming_convention=NAMING_CONVENTION)
    # Existing tables, declared only so that the new foreign keys resolve.
    Table("batteries", md, Column("id", Integer, primary_key=True))
    Table("alerts", md, Column("id", Integer, primary_key=True))
    rollups = Table(
        "sample_rollups",
        md,
        Column("battery_id", Integer, ForeignKey("batteries.id"), nullable=False),
        Column("bucket_start", UtcDateTime, nullable=False),
        Column("n_samples", Integer, nullable=False),
        Column("soc_min_pct", Float, nullable=False),
        Column("soc_avg_pct", Float, nullable=False),
        Column("soc_max_pct", Float, nullable=False),
        Column("ac_power_min_w", Float, nullable=False),
        Column("ac_power_avg_w", Float, nullable=False),
        Column("ac_power_max_w", Float, nullable=False),
        Column("charged_wh", Float, nullable=False),
        Column("discharged_wh", Float, nullable=False),
        Column("grid_import_wh", Float, nullable=True),
        Column("grid_export_wh", Float, nullable=True),
        PrimaryKeyConstraint("battery_id", "bucket_start"),
        sqlite_with_rowid=False,
    )
    deliveries = Table(
        "alert_deliveries",
        md,
        Column("id", Integer, primary_key=True),
        Column("alert_id", Integer, ForeignKey("alerts.id", ondelete="CASCADE"), nullable=False),
        Column("chat_id", BigInteger, nullable=False),
        Column("state", String(16), nullable=False),
        Column("telegram_message_id", BigInteger, nullable=True),
        Column("attempts", Integer, nullable=False),
        Column("next_try_at", UtcDateTime, nullable=False),
        Column("last_error", Text, nullable=True),
        Column("sent_at", UtcDateTime, nullable=True),
        UniqueConstraint("alert_id", "chat_id", name="uq_alert_deliveries_alert_chat"),
        Index("ix_alert_deliveries_state_next", "state", "next_try_at"),
        sqlite_autoincrement=True,
    )
    md.create_all(connection, tables=[rollups, deliveries])
    add_column(connection, "samples", Column("grid_in_wh", Float, nullable=True))
    add_column(connection, "samples", Column("grid_out_wh", Float, nullable=True))


MIGRATIONS: tuple[Migration, ...] = (
    Migration(version=1, description="core tables", apply=_v1_core_tables),
    Migration(
        version=2,
        description="15-minute rollups, per-recipient alert deliveries, sample energy counters",
        apply=_v2_rollups_and_deliveries,
    ),
)
LATEST_VERSION = MIGRATIONS[-1].version


def current_version(connection: Connection) -> int:
    """Return the schema version of the database (0 when it is empty)."""
    if not inspect(connection).has_table(schema_version.name):
        return 0
    value = connection.execute(select(func.max(schema_version.c.version))).scalar()
    return int(value or 0)


def upgrade(
    connection: Connection,
    *,
    now: datetime,
    target: int | None = None,
    migrations: Sequence[Migration] = MIGRATIONS,
) -> list[int]:
    """Apply the pending migrations up to ``target`` (default: the latest); return those applied.

    Each migration and its ``schema_version`` row commit together or not at all, so a failure
    leaves the database at the previous version, intact.
    """
    versions = [migration.version for migration in migrations]
    if versions != list(range(1, len(versions) + 1)):
        raise ValueError(f"migrations must be numbered 1, 2, 3…; got {versions}")
    latest = versions[-1] if versions else 0
    goal = latest if target is None else target
    if not 0 <= goal <= latest:
        raise ValueError(f"target version {goal} is outside 0…{latest}")
    with connection.begin():
        schema_version.create(connection, checkfirst=True)
        found = current_version(connection)
    if found > latest:
        raise SchemaError(
            f"the database is at schema version {found} but this bot only knows up to {latest}: "
            "run a newer bot, or restore a backup made by this version"
        )
    applied: list[int] = []
    for migration in migrations[found:goal]:
        try:
            with connection.begin():
                # Re-read inside the write transaction: another process may have migrated.
                if current_version(connection) >= migration.version:
                    continue
                migration.apply(connection)
                connection.execute(
                    insert(schema_version).values(
                        version=migration.version,
                        description=migration.description,
                        applied_at=now,
                    )
                )
        except SQLAlchemyError as err:
            raise SchemaError(
                f"migration {migration.version} ({migration.description}) failed, database left "
                f"at version {migration.version - 1}: {err}"
            ) from err
        applied.append(migration.version)
    return applied
