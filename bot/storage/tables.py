"""The current schema, as SQLAlchemy Core tables: what the repositories query.

The database itself is built by :mod:`bot.storage.migrations`, never by ``metadata.create_all``;
a test checks that the migrated schema is exactly this one. Instants are :class:`UtcDateTime`
(epoch microseconds). Power is W with + = discharging to the house (AC) and + = import (meter).
"""

from __future__ import annotations

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
)

from bot.storage.types import NAMING_CONVENTION, UtcDateTime

metadata = MetaData(naming_convention=NAMING_CONVENTION)

schema_version = Table(
    "schema_version",
    metadata,
    Column("version", Integer, primary_key=True, autoincrement=False),
    Column("description", String(200), nullable=False),
    Column("applied_at", UtcDateTime, nullable=False),
)

batteries = Table(
    "batteries",
    metadata,
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

# One row per poll; the primary key (battery_id, at) is also the range index of every query.
samples = Table(
    "samples",
    metadata,
    Column("battery_id", Integer, ForeignKey("batteries.id"), nullable=False),
    Column("at", UtcDateTime, nullable=False),
    Column("soc_pct", Float, nullable=False),
    Column("ac_power_w", Float, nullable=False),
    Column("battery_power_w", Float, nullable=True),
    Column("pv_power_w", Float, nullable=True),
    Column("grid_power_w", Float, nullable=True),
    Column("mode", String(16), nullable=True),
    Column("temperature_c", Float, nullable=True),
    Column("grid_in_wh", Float, nullable=True),
    Column("grid_out_wh", Float, nullable=True),
    PrimaryKeyConstraint("battery_id", "at"),
    sqlite_with_rowid=False,
)

sample_rollups = Table(
    "sample_rollups",
    metadata,
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

tempo_days = Table(
    "tempo_days",
    metadata,
    Column("day", Date, primary_key=True),
    Column("color", String(8), nullable=True),
    Column("confirmed", Boolean, nullable=False),
    Column("source", String(40), nullable=False),
    Column("fetched_at", UtcDateTime, nullable=False),
)

schedule_rules = Table(
    "schedule_rules",
    metadata,
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

plans = Table(
    "plans",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("created_at", UtcDateTime, nullable=False),
    Column("horizon_start", UtcDateTime, nullable=False),
    Column("horizon_end", UtcDateTime, nullable=False),
    Column("payload", JSON, nullable=False),
    Column("reason", Text, nullable=False),
    Index("ix_plans_created_at", "created_at"),
    sqlite_autoincrement=True,
)

commands = Table(
    "commands",
    metadata,
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

alerts = Table(
    "alerts",
    metadata,
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

alert_deliveries = Table(
    "alert_deliveries",
    metadata,
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

settings = Table(
    "settings",
    metadata,
    Column("key", String(100), primary_key=True),
    Column("value", JSON, nullable=True),
    Column("updated_by", String(64), nullable=False),
    Column("updated_at", UtcDateTime, nullable=False),
)
