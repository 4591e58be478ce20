"""Every repository over one database, built once at start-up and passed down."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.clock import Clock
from bot.storage.batteries import BatteryRepository
from bot.storage.commands import CommandLog
from bot.storage.database import Database
from bot.storage.outbox import AlertOutbox
from bot.storage.plans import PlanStore
from bot.storage.rules import ScheduleRules
from bot.storage.samples import SampleRepository
from bot.storage.settings_store import SettingsStore
from bot.storage.tempo import TempoDayRepository


@dataclass(frozen=True, slots=True, kw_only=True)
class HousekeepingResult:
    """What one housekeeping run did."""

    rollups_written: int
    samples_deleted: int
    plans_deleted: int


class Storage:
    """The storage layer's services; the database itself is started and closed by the caller."""

    def __init__(
        self,
        db: Database,
        clock: Clock,
        *,
        alert_recipients: Iterable[int] = (),
        alert_dedup_window: timedelta = timedelta(minutes=30),
        max_sample_gap_s: float = 120.0,
    ) -> None:
        self.db = db
        self.batteries = BatteryRepository(db, clock)
        self.samples = SampleRepository(db, max_gap_s=max_sample_gap_s)
        self.tempo_days = TempoDayRepository(db)
        self.alerts = AlertOutbox(
            db, clock, recipients=alert_recipients, dedup_window=alert_dedup_window
        )
        self.commands = CommandLog(db)
        self.rules = ScheduleRules(db, clock)
        self.settings = SettingsStore(db, clock)
        self.plans = PlanStore(db)

    async def housekeeping(self, now: datetime, *, retention_days: int) -> HousekeepingResult:
        """Roll up complete 15-minute buckets, then prune raw samples and plans past retention.

        Run it every 15 minutes or so; rollups are kept forever.
        """
        written = await self.samples.rollup(now)
        deleted = await self.samples.prune(now, retention_days)
        plans = await self.plans.prune(now - timedelta(days=retention_days))
        return HousekeepingResult(
            rollups_written=written, samples_deleted=deleted, plans_deleted=plans
        )
