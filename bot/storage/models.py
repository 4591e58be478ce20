"""Frozen values the repositories return: callers never see ORM objects or rows.

Power is in W with + = discharging to the house on the AC side (``ac_power_w``) and + = import
from the grid at the meter (``grid_power_w``). ``None`` means "absent", never zero.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time
from enum import StrEnum

from bot.alerts.model import Alert
from bot.storage.types import JsonValue

PLANNER = "planner"
"""The ``requested_by`` / ``created_by`` value for actions the bot decided by itself."""


class CommandResult(StrEnum):
    """What became of a command sent to a battery."""

    APPLIED = "applied"
    REJECTED = "rejected"
    NOT_CONFIRMED = "not_confirmed"
    DRY_RUN = "dry_run"


class AlertState(StrEnum):
    """Where an alert stands: pending until every recipient got it or gave up."""

    PENDING = "pending"
    SENT = "sent"
    FAILED = "failed"


class DeliveryState(StrEnum):
    """Where one alert stands for one chat."""

    PENDING = "pending"
    SENT = "sent"
    FAILED = "failed"


@dataclass(frozen=True, slots=True, kw_only=True)
class Battery:
    """A known battery; ``ble_mac`` (12 lowercase hex digits) is its stable identity."""

    id: int
    ble_mac: str
    name: str
    host: str
    port: int
    model: str | None
    firmware: int | None
    active: bool
    created_at: datetime
    updated_at: datetime


@dataclass(frozen=True, slots=True, kw_only=True)
class Sample:
    """One status reading of one battery."""

    battery_id: int
    at: datetime
    soc_pct: float
    ac_power_w: float
    battery_power_w: float | None = None
    pv_power_w: float | None = None
    grid_power_w: float | None = None
    mode: str | None = None
    temperature_c: float | None = None
    grid_in_wh: float | None = None
    grid_out_wh: float | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class SampleBucket:
    """Aggregates of one battery's samples over ``[start, start + duration_s)``.

    Energies integrate power over time: each sample stands for the interval since the previous
    one, capped at the repository's ``max_gap_s`` (so an outage is not counted as power held).
    Grid energies are None when no sample of the bucket had a meter reading.
    """

    start: datetime
    duration_s: int
    n_samples: int
    soc_min_pct: float
    soc_avg_pct: float
    soc_max_pct: float
    ac_power_min_w: float
    ac_power_avg_w: float
    ac_power_max_w: float
    charged_wh: float
    discharged_wh: float
    grid_import_wh: float | None
    grid_export_wh: float | None


@dataclass(frozen=True, slots=True, kw_only=True)
class StoredAlert:
    """An alert in the outbox, with its overall delivery state."""

    id: int
    alert: Alert
    state: AlertState
    attempts: int
    last_error: str | None
    sent_at: datetime | None


@dataclass(frozen=True, slots=True, kw_only=True)
class AlertDelivery:
    """One alert to deliver to one chat (what the Telegram sender works through)."""

    id: int
    alert_id: int
    chat_id: int
    state: DeliveryState
    attempts: int
    next_try_at: datetime
    telegram_message_id: int | None
    last_error: str | None
    sent_at: datetime | None
    alert: Alert


@dataclass(frozen=True, slots=True, kw_only=True)
class CommandRecord:
    """One command sent (or simulated) to a battery, and its outcome."""

    id: int
    at: datetime
    battery_id: int | None
    requested_by: str
    action: str
    params: dict[str, JsonValue]
    result: CommandResult
    detail: str | None


@dataclass(frozen=True, slots=True, kw_only=True)
class ScheduleRule:
    """A user rule: on the days of ``days_mask`` (bit 0 = Monday), run ``mode`` from start to end.

    ``end`` is exclusive; an ``end`` at or before ``start`` means the window ends the next day.
    ``battery_id`` None applies to every battery.
    """

    id: int
    days_mask: int
    start: time
    end: time
    mode: str
    power_w: float | None
    enabled: bool
    battery_id: int | None
    created_by: str
    created_at: datetime
    updated_at: datetime


@dataclass(frozen=True, slots=True, kw_only=True)
class StoredSetting:
    """A setting changed at run time (from Telegram), with who changed it and when."""

    key: str
    value: JsonValue
    updated_by: str
    updated_at: datetime


@dataclass(frozen=True, slots=True, kw_only=True)
class StoredPlan:
    """A plan the planner produced, kept as JSON with why it was made."""

    id: int
    created_at: datetime
    horizon_start: datetime
    horizon_end: datetime
    payload: dict[str, JsonValue]
    reason: str
