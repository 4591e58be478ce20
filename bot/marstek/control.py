"""Verified mode changes: send ``ES.SetMode``, then read ``ES.GetMode`` until the change shows.

Real units answer ``set_result: false`` when busy, lose datagrams, take 5–30 s to show a new
mode, and sometimes acknowledge a passive setpoint without applying it until it is re-sent ≥ 10 s
later. So a write is re-sent only after a refusal, a timeout or a failed read-back — never as a
blind duplicate.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Final

from bot.marstek.clock import Clock
from bot.marstek.commands import Mode, ModeCommand, PassiveMode
from bot.marstek.errors import MarstekTimeoutError, WriteNotConfirmedError, WriteRejectedError
from bot.marstek.readings import ModeStatus

if TYPE_CHECKING:
    from bot.marstek.client import MarstekClient

_LOGGER = logging.getLogger(__name__)

POWER_SLACK_W: Final = 50.0
"""An idle setpoint counts as applied when the AC power stays within this many watts of 0."""
APPLIED_FRACTION: Final = 0.5
"""A setpoint counts as applied once the AC power reaches this share of it, in its direction."""
FULL_SOC_PCT: Final = 100.0


@dataclass(frozen=True, slots=True, kw_only=True)
class SentCommand:
    """A mode command the battery acknowledged, remembered because it cannot be read back."""

    command: ModeCommand
    sent_at: datetime
    confirmed: bool
    """True once ``ES.GetMode`` showed the mode."""

    @property
    def expires_at(self) -> datetime | None:
        """When a passive countdown runs out (re-send before then), None for other modes."""
        if isinstance(self.command, PassiveMode):
            return self.sent_at + timedelta(seconds=self.command.duration_s)
        return None


@dataclass(frozen=True, slots=True, kw_only=True)
class ModeWriteResult:
    """The outcome of a confirmed mode change."""

    command: ModeCommand
    observed: ModeStatus
    sends: int
    """How many ``ES.SetMode`` datagrams it took."""
    sent_at: datetime
    """When the datagram that took effect left."""
    power_applied: bool | None
    """Passive only: the AC power followed the setpoint. None when not applicable or unknowable
    (SoC at a limit the setpoint pushes against)."""


@dataclass(frozen=True, slots=True, kw_only=True)
class _Watch:
    status: ModeStatus | None
    mode_ok: bool
    power_ok: bool | None


def mode_matches(command: ModeCommand, observed: Mode | None) -> bool:
    """Tell whether ``observed`` shows ``command``'s mode."""
    if command.mode is Mode.UPS:
        # A UPS selection can read back as "Manual" (the app's UPS is a hidden manual slot).
        return observed in (Mode.UPS, Mode.MANUAL)
    return observed is command.mode


def passive_power_applied(
    command: ModeCommand, status: ModeStatus, *, soc_floor_pct: float
) -> bool | None:
    """Tell whether a passive setpoint shows in the AC power; None if it cannot be judged."""
    if not isinstance(command, PassiveMode) or status.ac_power_w is None:
        return None
    target, actual = command.power_w, status.ac_power_w
    if target == 0:
        return abs(actual) <= POWER_SLACK_W
    soc = status.soc_pct
    if soc is not None and (
        (target < 0 and soc >= FULL_SOC_PCT) or (target > 0 and soc <= soc_floor_pct)
    ):
        return None  # the cells cannot follow: full while charging, or empty while discharging
    return actual * target > 0 and abs(actual) >= APPLIED_FRACTION * abs(target)


async def apply_verified(client: MarstekClient, command: ModeCommand) -> ModeWriteResult:
    """Send ``command`` until ``ES.GetMode`` confirms it; raise if it never does.

    Raises :class:`WriteRejectedError` when every try was refused, and
    :class:`WriteNotConfirmedError` when the mode never showed.
    """
    opts, clock = client.options, client.clock
    refused = 0
    last_seen: ModeStatus | None = None
    for attempt in range(1, opts.write_tries + 1):
        sent_at = clock.now()
        try:
            accepted = await client.send_mode(command)
        except MarstekTimeoutError:
            accepted = None  # it may have arrived anyway: read back before sending again
        if accepted is False:
            refused += 1
            _LOGGER.info("%s: %s refused (busy), try %d", client.name, command.mode, attempt)
            if attempt < opts.write_tries:
                await clock.sleep(opts.write_backoff_s * attempt)
            continue
        watch = await _watch(client, command, sent_at)
        last_seen = watch.status or last_seen
        if watch.status is not None and watch.mode_ok:
            if watch.power_ok is not False or attempt == opts.write_tries:
                return ModeWriteResult(
                    command=command,
                    observed=watch.status,
                    sends=attempt,
                    sent_at=sent_at,
                    power_applied=watch.power_ok,
                )
            _LOGGER.info("%s: passive setpoint acknowledged but not applied", client.name)
        await _sleep_until(clock, sent_at, opts.passive_resend_after_s)
    if refused == opts.write_tries:
        raise WriteRejectedError(f"{client.name}: {command.mode} refused {refused} times")
    seen = last_seen.mode_raw if last_seen is not None else "nothing"
    raise WriteNotConfirmedError(
        f"{client.name}: {command.mode} not confirmed after {opts.write_tries} tries "
        f"(the battery reports {seen})"
    )


async def _watch(client: MarstekClient, command: ModeCommand, sent_at: datetime) -> _Watch:
    """Poll ``ES.GetMode`` until the command shows or the verification window closes."""
    opts, clock = client.options, client.clock
    window = timedelta(seconds=opts.verify_window_s)
    watch = _Watch(status=None, mode_ok=False, power_ok=None)
    while True:
        await clock.sleep(opts.verify_poll_s)
        try:
            status = await client.get_mode()
        except MarstekTimeoutError:
            _LOGGER.debug("%s: read-back of the mode timed out", client.name)
        else:
            mode_ok = mode_matches(command, status.mode)
            power_ok = (
                passive_power_applied(command, status, soc_floor_pct=client.soc_floor_pct)
                if mode_ok
                else None
            )
            watch = _Watch(status=status, mode_ok=mode_ok, power_ok=power_ok)
            if mode_ok and power_ok is not False:
                return watch
        if clock.now() - sent_at >= window:
            return watch


async def _sleep_until(clock: Clock, since: datetime, seconds: float) -> None:
    remaining = (since + timedelta(seconds=seconds) - clock.now()).total_seconds()
    if remaining > 0:
        await clock.sleep(remaining)
