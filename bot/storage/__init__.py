"""Storage: SQLAlchemy async tables, migrations, and repositories that return frozen values.

Build one :class:`Database` from ``settings.resolved_database_url``, ``await db.start()`` (it
migrates), wrap it in :class:`Storage`, and ``await db.close()`` on shutdown. See docs/storage.md.
"""

from bot.storage.backup import backup, restore
from bot.storage.batteries import BatteryRepository, normalize_mac
from bot.storage.commands import CommandLog
from bot.storage.database import Database
from bot.storage.errors import BackupError, NotFoundError, SchemaError, StorageError
from bot.storage.migrations import LATEST_VERSION
from bot.storage.models import (
    PLANNER,
    AlertDelivery,
    AlertState,
    Battery,
    CommandRecord,
    CommandResult,
    DeliveryState,
    Sample,
    SampleBucket,
    ScheduleRule,
    StoredAlert,
    StoredPlan,
    StoredSetting,
)
from bot.storage.outbox import AlertOutbox
from bot.storage.plans import PlanStore
from bot.storage.rules import ALL_DAYS, ScheduleRules
from bot.storage.samples import ROLLUP_S, SampleRepository
from bot.storage.services import HousekeepingResult, Storage
from bot.storage.settings_store import SettingsStore
from bot.storage.tempo import TempoDayRepository
from bot.storage.types import JsonValue

__all__ = [
    "ALL_DAYS",
    "LATEST_VERSION",
    "PLANNER",
    "ROLLUP_S",
    "AlertDelivery",
    "AlertOutbox",
    "AlertState",
    "BackupError",
    "Battery",
    "BatteryRepository",
    "CommandLog",
    "CommandRecord",
    "CommandResult",
    "Database",
    "DeliveryState",
    "HousekeepingResult",
    "JsonValue",
    "NotFoundError",
    "PlanStore",
    "Sample",
    "SampleBucket",
    "SampleRepository",
    "ScheduleRule",
    "ScheduleRules",
    "SchemaError",
    "SettingsStore",
    "Storage",
    "StorageError",
    "StoredAlert",
    "StoredPlan",
    "StoredSetting",
    "TempoDayRepository",
    "backup",
    "normalize_mac",
    "restore",
]
