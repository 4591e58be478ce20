"""From the plan's action to the device command, and whether it must be sent now.

Every forced state (charge, discharge, hold) is a Passive setpoint whose countdown never exceeds
one hour and is re-sent while the bot lives: if the bot dies, the battery leaves the forced
state by itself within the hour (the device idles after the countdown). Self-consumption is the
device's own Auto mode, which needs nothing from the bot.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.marstek import AiMode, AutoMode, Mode, ModeCommand, PassiveMode, SentCommand, UpsMode
from bot.planning.model import ActionKind, PlanInterval

MAX_COUNTDOWN = timedelta(hours=1)
MIN_COUNTDOWN = timedelta(minutes=2)
MAX_POWER_W = 2500
RESERVE_SLACK_PCT = 1.0
SETPOINT_TOLERANCE_W = 100
SETPOINT_TOLERANCE = 0.1

_DEVICE: dict[str, ModeCommand] = {"Auto": AutoMode(), "AI": AiMode(), "UPS": UpsMode()}


@dataclass(frozen=True, slots=True, kw_only=True)
class Desired:
    """What one battery should be doing now, as a device command and an observable mode."""

    command: ModeCommand | None
    mode: Mode | None
    label: str


def desired_command(
    interval: PlanInterval,
    now: datetime,
    *,
    soc_pct: float | None = None,
    max_power_w: int = MAX_POWER_W,
) -> Desired:
    """The command that makes a battery do ``interval``'s action from ``now``.

    Self-consumption with a reserve (kept for a red day ahead) becomes a hold once the SoC
    reaches the reserve: the device's Auto mode only knows its own DOD floor.
    """
    action = interval.action
    label = f"{action.kind.value}:{interval.reason.value}"
    if action.kind is ActionKind.SELF_CONSUMPTION:
        floor = action.floor_soc_pct
        if floor is None or soc_pct is None or soc_pct > floor + RESERVE_SLACK_PCT:
            return Desired(command=AutoMode(), mode=Mode.AUTO, label=label)
        return _passive(0, interval, now, f"{label}:reserve")
    if action.kind is ActionKind.DEVICE_MODE:
        command = _DEVICE.get(action.device_mode or "")
        if command is None:  # "Manual"/"Passive" without a setpoint: leave the device alone
            return Desired(command=None, mode=None, label=label)
        return Desired(command=command, mode=command.mode, label=label)
    power = 0 if action.kind is ActionKind.HOLD else round(action.power_w or 0)
    return _passive(max(-max_power_w, min(max_power_w, power)), interval, now, label)


def _passive(power: int, interval: PlanInterval, now: datetime, label: str) -> Desired:
    left = interval.end - now
    countdown = max(MIN_COUNTDOWN, min(MAX_COUNTDOWN, left + timedelta(minutes=1)))
    return Desired(
        command=PassiveMode(power_w=power, duration_s=int(countdown.total_seconds())),
        mode=Mode.PASSIVE,
        label=label,
    )


def needs_sending(
    desired: Desired,
    *,
    last: SentCommand | None,
    observed_mode: Mode | None,
    now: datetime,
    refresh_before: timedelta,
) -> bool:
    """Tell whether ``desired`` must be sent now (never when it is already in force)."""
    command = desired.command
    if command is None:
        return False
    if not isinstance(command, PassiveMode):
        # A plain mode: in force when the device shows it (after a restart too).
        return observed_mode is not command.mode
    if last is None or not isinstance(last.command, PassiveMode) or not last.confirmed:
        return True
    if observed_mode is not Mode.PASSIVE or not _close(last.command.power_w, command.power_w):
        return True
    expires = last.expires_at
    return expires is None or expires - now <= refresh_before


def _close(sent_w: int, wanted_w: int) -> bool:
    """A re-planned setpoint within the tolerance of the one in force is not worth a write:
    real units take writes badly, and the plan moves by a few watts as the SoC moves."""
    if (sent_w > 0) != (wanted_w > 0) or (sent_w < 0) != (wanted_w < 0):
        return False
    return abs(sent_w - wanted_w) <= max(SETPOINT_TOLERANCE_W, SETPOINT_TOLERANCE * abs(wanted_w))


def direction(command: ModeCommand | None) -> int:
    """+1 discharging, −1 charging, 0 otherwise (to order stops before starts)."""
    if isinstance(command, PassiveMode):
        return (command.power_w > 0) - (command.power_w < 0)
    return (
        1 if isinstance(command, AutoMode | AiMode) else (-1 if isinstance(command, UpsMode) else 0)
    )


def crossing_pauses(current: Mapping[str, int], target: Mapping[str, int]) -> list[str]:
    """The batteries to pause before going from ``current`` to ``target`` directions.

    Directions are +1 discharging, −1 charging, 0 still (see :func:`direction`). Nothing to
    pause unless some battery would go one way while another still goes the other way; then
    every battery that is moving and changes direction pauses first.
    """
    crossing = any(
        target[a] != 0 and current.get(b, 0) == -target[a] and target.get(b, 0) != current[b]
        for a in target
        for b in current
    )
    if not crossing:
        return []
    return [name for name in target if current.get(name, 0) not in (0, target[name])]


def pause_command() -> Desired:
    """A short pause (Passive 0 W) used between a discharge and a charge."""
    return Desired(
        command=PassiveMode(power_w=0, duration_s=int(MIN_COUNTDOWN.total_seconds())),
        mode=Mode.PASSIVE,
        label="pause:direction_change",
    )
