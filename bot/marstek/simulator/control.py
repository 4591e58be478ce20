"""Operating modes of a unit: ``ES.SetMode`` validation, manual slots and the wanted power."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from bot.marstek.simulator.profiles import FirmwareProfile
from bot.marstek.simulator.protocol import INVALID_PARAMS, RpcError

LOCAL_TZ = ZoneInfo("Europe/Paris")
"""Slot times are wall-clock times of the unit, which is set to French time."""
MODES = ("Auto", "AI", "Manual", "Passive", "UPS")
MODE_CODES = {mode: code for code, mode in enumerate(MODES)}
"""Int encoding of ``mode`` on Rev 3.1 firmware (assumed to follow the vendor's listing order)."""
SELF_CONSUMPTION_POWER = -1
MAX_COUNTDOWN_S = 3600
_MINUTES_PER_DAY = 24 * 60
_LAST_MINUTE = _MINUTES_PER_DAY - 1
_WEEK_ALL = 127


@dataclass(frozen=True, slots=True, kw_only=True)
class ManualSlot:
    """One device-side time slot (times in minutes after local midnight)."""

    index: int
    start_min: int
    end_min: int
    """Exclusive end; "23:59" is stored as 1440 so a slot can run up to midnight."""
    week_mask: int
    """Bit 0 = Monday … bit 6 = Sunday."""
    power_w: int
    """+ = discharge, − = charge, −1 = self-consumption in the window."""
    enabled: bool

    def active_at(self, local: datetime) -> bool:
        """Tell whether the slot drives the unit at this local wall-clock time."""
        if not self.enabled or self.start_min == self.end_min:
            return False
        minute = local.hour * 60 + local.minute
        today = bool(self.week_mask & (1 << local.weekday()))
        if self.start_min < self.end_min:
            return today and self.start_min <= minute < self.end_min
        # Assumption: a slot whose end is before its start runs past midnight into the next
        # day; its weekday bit is the day it starts on.
        yesterday = bool(self.week_mask & (1 << ((local.weekday() - 1) % 7)))
        return (today and minute >= self.start_min) or (yesterday and minute < self.end_min)


@dataclass(frozen=True, slots=True, kw_only=True)
class ModeCommand:
    """A validated ``ES.SetMode`` config."""

    mode: str
    passive_power_w: int = 0
    """+ = discharge, − = charge (the device's own SetMode sign)."""
    countdown_s: int = 0
    slot: ManualSlot | None = None


@dataclass(slots=True, kw_only=True)
class ControlState:
    """The mode a unit applies, its Passive setpoint and its persistent manual slots."""

    mode: str = "Auto"
    passive_power_w: int = 0
    passive_until: datetime | None = None
    slots: dict[int, ManualSlot] = field(default_factory=dict)

    def apply(self, command: ModeCommand, at: datetime) -> None:
        """Make ``command`` the running mode from instant ``at``."""
        self.mode = command.mode
        if command.mode == "Passive":
            self.passive_power_w = command.passive_power_w
            # Assumption: the countdown starts when the change takes effect, not on receipt.
            self.passive_until = at + timedelta(seconds=command.countdown_s)
        if command.slot is not None:
            self.slots[command.slot.index] = command.slot

    def active_slot(self, at: datetime) -> ManualSlot | None:
        """Return the lowest-index enabled slot covering ``at``, if any."""
        local = at.astimezone(LOCAL_TZ)
        for index in sorted(self.slots):
            if self.slots[index].active_at(local):
                return self.slots[index]
        return None

    def wanted_power_w(self, at: datetime, *, net_load_w: float, max_power_w: float) -> float:
        """Return the AC power this mode asks for (+ = discharge), before SoC limits."""
        if self.mode in ("Auto", "AI"):
            return net_load_w
        if self.mode == "Passive":
            running = self.passive_until is not None and at < self.passive_until
            # Assumption: after the countdown the unit idles at 0 W and still reads "Passive".
            return float(self.passive_power_w) if running else 0.0
        if self.mode == "Manual":
            slot = self.active_slot(at)
            if slot is None:
                return 0.0
            return net_load_w if slot.power_w == SELF_CONSUMPTION_POWER else float(slot.power_w)
        # UPS: keep the pack full from the grid, never discharge (the grid never fails here).
        return -max_power_w

    def next_event(self, after: datetime) -> datetime | None:
        """Return the next instant (after ``after``) where the wanted power jumps by itself."""
        if self.mode == "Passive" and self.passive_until is not None and self.passive_until > after:
            return self.passive_until
        return None


def _invalid(request_id: int, why: str) -> RpcError:
    return RpcError(INVALID_PARAMS, request_id=request_id, message=f"Invalid params: {why}")


def _int_field(cfg: dict[str, Any], key: str, request_id: int) -> int:
    value = cfg.get(key)
    if not isinstance(value, int) or isinstance(value, bool):
        raise _invalid(request_id, f"{key} must be an integer")
    return value


def _minutes(text: Any, key: str, request_id: int) -> int:
    if not isinstance(text, str):
        raise _invalid(request_id, f"{key} must be HH:MM")
    hours, _, minutes = text.partition(":")
    if not (hours.isdigit() and minutes.isdigit() and len(minutes) == 2):
        raise _invalid(request_id, f"{key} must be HH:MM")
    hour, minute = int(hours), int(minutes)
    if hour > 23 or minute > 59:
        raise _invalid(request_id, f"{key} out of range")
    return hour * 60 + minute


def _enable_flag(cfg: dict[str, Any], request_id: int) -> int:
    enable = _int_field(cfg, "enable", request_id)
    if enable not in (0, 1):
        raise _invalid(request_id, "enable must be 0 or 1")
    return enable


def _mode_name(raw: Any, profile: FirmwareProfile, request_id: int) -> str:
    is_int = isinstance(raw, int) and not isinstance(raw, bool)
    if profile.mode_as_int and is_int and 0 <= raw < len(MODES):
        return MODES[raw]
    if isinstance(raw, str) and raw in MODES:
        if raw == "UPS" and not profile.has_ups:
            raise _invalid(request_id, "UPS not supported by this firmware")
        return raw
    raise _invalid(request_id, f"unknown mode {raw!r}")


def _sub_config(config: dict[str, Any], key: str, request_id: int) -> dict[str, Any]:
    cfg = config.get(key)
    if not isinstance(cfg, dict):
        raise _invalid(request_id, f"{key} missing")
    return cfg


def _manual_slot(cfg: dict[str, Any], *, slot_count: int, max_power_w: int, rid: int) -> ManualSlot:
    index = _int_field(cfg, "time_num", rid)
    if not 0 <= index < slot_count:
        raise _invalid(rid, f"time_num must be 0..{slot_count - 1}")
    start = _minutes(cfg.get("start_time"), "start_time", rid)
    end = _minutes(cfg.get("end_time"), "end_time", rid)
    week = _int_field(cfg, "week_set", rid)
    if not 0 <= week <= _WEEK_ALL:
        raise _invalid(rid, "week_set must be 0..127")
    power = _int_field(cfg, "power", rid)
    if power != SELF_CONSUMPTION_POWER and abs(power) > max_power_w:
        raise _invalid(rid, f"power must be within ±{max_power_w} W")
    enabled = _enable_flag(cfg, rid) == 1
    # "23:59" is how every client says "until midnight": treat the last minute as included.
    end_min = _MINUTES_PER_DAY if end == _LAST_MINUTE else end
    return ManualSlot(
        index=index,
        start_min=start,
        end_min=end_min,
        week_mask=week,
        power_w=power,
        enabled=enabled,
    )


def parse_set_mode(
    params: dict[str, Any], *, profile: FirmwareProfile, max_power_w: int, request_id: int
) -> ModeCommand:
    """Validate ``ES.SetMode`` params into a command, or raise -32602 like the device."""
    config = params.get("config")
    if not isinstance(config, dict):
        raise _invalid(request_id, "config missing")
    mode = _mode_name(config.get("mode"), profile, request_id)
    if mode == "Passive":
        cfg = _sub_config(config, "passive_cfg", request_id)
        power = _int_field(cfg, "power", request_id)
        if abs(power) > max_power_w:
            raise _invalid(request_id, f"power must be within ±{max_power_w} W")
        countdown = _int_field(cfg, "cd_time", request_id)
        if not 0 < countdown <= MAX_COUNTDOWN_S:
            raise _invalid(request_id, f"cd_time must be 1..{MAX_COUNTDOWN_S}")
        return ModeCommand(mode=mode, passive_power_w=power, countdown_s=countdown)
    if mode == "Manual":
        cfg = _sub_config(config, "manual_cfg", request_id)
        slot = _manual_slot(
            cfg, slot_count=profile.manual_slot_count, max_power_w=max_power_w, rid=request_id
        )
        return ModeCommand(mode=mode, slot=slot)
    cfg = _sub_config(config, f"{mode.lower()}_cfg", request_id)
    if _enable_flag(cfg, request_id) != 1:
        raise _invalid(request_id, f"{mode} can only be enabled")
    return ModeCommand(mode=mode)
