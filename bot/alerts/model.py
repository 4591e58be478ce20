"""The alert value every layer raises, and the sink it is raised into.

An alert carries a ``kind`` and ``params`` rather than a text: the Telegram layer renders it in
the reader's language. ``dedup_key`` lets the outbox refuse a second copy of an alert that is
still open (e.g. "unreachable:<ble_mac>").
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Protocol


class Severity(StrEnum):
    """How urgent an alert is."""

    INFO = "info"
    WARNING = "warning"
    CRITICAL = "critical"


class AlertKind(StrEnum):
    """Every kind of alert the bot can raise."""

    UNREACHABLE = "unreachable"
    BACK = "back"
    API_DISABLED = "api_disabled"
    LOW_SOC = "low_soc"
    HIGH_TEMPERATURE = "high_temperature"
    METER_LOST = "meter_lost"
    MODE_DRIFT = "mode_drift"
    COUNTER_BACKWARDS = "counter_backwards"
    TEMPO_UNKNOWN = "tempo_unknown"
    TEMPO_ANNOUNCEMENT = "tempo_announcement"
    PLAN_REFUSED = "plan_refused"
    PRECHARGE_SHORT = "precharge_short"
    PLAN_TONIGHT = "plan_tonight"
    PRECHARGE_REPORT = "precharge_report"
    SAVINGS_DAILY = "savings_daily"


@dataclass(frozen=True, slots=True, kw_only=True)
class Alert:
    """One thing to tell the household."""

    kind: AlertKind
    severity: Severity
    created_at: datetime
    dedup_key: str
    battery: str | None = None
    params: dict[str, str | int | float | None] = field(default_factory=dict)


class AlertSink(Protocol):
    """Where alerts go (the persistent outbox in production, a list in unit tests)."""

    async def raise_alert(self, alert: Alert) -> None:
        """Queue ``alert`` for delivery; must not lose it once this returns."""
        ...
