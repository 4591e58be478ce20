"""What the rest of the bot may know about one battery: the last good data and its age."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.marstek import DeviceInfo, EnergyStatus, MeterStatus, Mode
from bot.monitor.availability import Availability


@dataclass(frozen=True, slots=True, kw_only=True)
class BatterySnapshot:
    """Last known state of one battery (values stay when it goes silent; check ``status_at``)."""

    name: str
    host: str
    port: int
    battery_id: int | None
    device: DeviceInfo | None
    status: EnergyStatus | None
    status_at: datetime | None
    mode: Mode | None
    mode_at: datetime | None
    meter: MeterStatus | None
    meter_at: datetime | None
    temperature_c: float | None
    availability: Availability
    failures: int
    unreachable_since: datetime | None
    api_disabled_suspected: bool
    last_error: str | None

    def age(self, now: datetime) -> timedelta | None:
        """How old the last good status is, or None if there never was one."""
        return None if self.status_at is None else now - self.status_at

    @property
    def soc_pct(self) -> float | None:
        """Last known state of charge."""
        return None if self.status is None else self.status.soc_pct

    @property
    def ac_power_w(self) -> float | None:
        """Last known AC power (+ = discharging to the house)."""
        return None if self.status is None else self.status.ac_power_w

    @property
    def capacity_wh(self) -> float | None:
        """Rated capacity as reported (None when the firmware does not say)."""
        return None if self.status is None else self.status.capacity_wh

    @property
    def reachable(self) -> bool:
        """True unless the battery is currently considered unreachable."""
        return self.availability is not Availability.UNREACHABLE
