"""Money saved by the batteries: energy per Tempo period from stored samples, valued in €."""

from __future__ import annotations

from bot.savings.accounting import (
    BatteryDay,
    DaySavings,
    PeriodEnergy,
    PeriodSavings,
    account_day,
    summarize,
)
from bot.savings.service import SavingsService

__all__ = [
    "BatteryDay",
    "DaySavings",
    "PeriodEnergy",
    "PeriodSavings",
    "SavingsService",
    "account_day",
    "summarize",
]
