"""The control service: send mode commands, verify them, record them, tell the monitor.

Every command goes through here, whoever asks (a user from Telegram, later the planner), so
the journal of commands is complete and the drift detector always knows the mode the bot set.
Batteries are changed concurrently; each gets its own verified outcome.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from bot.clock import Clock
from bot.marstek import (
    MarstekCommunicationError,
    MarstekConnectionError,
    MarstekTimeoutError,
    MarstekUsageError,
    ModeCommand,
    WriteNotConfirmedError,
    WriteRejectedError,
)
from bot.monitor.coordinator import FleetCoordinator
from bot.storage.commands import CommandLog
from bot.storage.models import CommandResult

_log = logging.getLogger(__name__)


class Outcome(StrEnum):
    """What happened to a command on one battery, as the user is told."""

    APPLIED = "applied"
    REJECTED = "rejected"
    NOT_CONFIRMED = "not_confirmed"
    UNREACHABLE = "unreachable"
    INVALID = "invalid"


_STORED = {
    Outcome.APPLIED: CommandResult.APPLIED,
    Outcome.REJECTED: CommandResult.REJECTED,
    Outcome.NOT_CONFIRMED: CommandResult.NOT_CONFIRMED,
    Outcome.UNREACHABLE: CommandResult.NOT_CONFIRMED,
    Outcome.INVALID: CommandResult.REJECTED,
}


@dataclass(frozen=True, slots=True, kw_only=True)
class BatteryOutcome:
    """The verified result of a command sequence on one battery."""

    battery: str
    outcome: Outcome
    detail: str | None = None


def describe_command(command: ModeCommand) -> dict[str, Any]:
    """A JSON-friendly description of ``command`` for the journal."""
    config = command.config()
    mode = str(config.get("mode"))
    details: dict[str, Any] = next((v for k, v in config.items() if k.endswith("_cfg")), {})
    return {"mode": mode, **details}


class ControlService:
    """Apply mode commands to batteries of the fleet."""

    def __init__(
        self, *, fleet: FleetCoordinator, journal: CommandLog | None, clock: Clock
    ) -> None:
        self._fleet = fleet
        self._journal = journal
        self._clock = clock

    async def apply(
        self,
        batteries: Sequence[str],
        commands: Sequence[ModeCommand],
        *,
        requested_by: str | int,
    ) -> list[BatteryOutcome]:
        """Apply ``commands`` (in order) to each battery concurrently; never raises for a device."""
        unknown = [name for name in batteries if name not in self._fleet.names]
        if unknown:
            raise KeyError(f"unknown batteries: {unknown}")
        return list(
            await asyncio.gather(
                *(self._apply_one(name, commands, requested_by) for name in batteries)
            )
        )

    async def _apply_one(
        self, name: str, commands: Sequence[ModeCommand], requested_by: str | int
    ) -> BatteryOutcome:
        result = BatteryOutcome(battery=name, outcome=Outcome.APPLIED)
        for command in commands:
            result = await self._send(name, command)
            await self._record(name, command, result, requested_by)
            if result.outcome is not Outcome.APPLIED:
                break
        if commands and result.outcome is Outcome.APPLIED:
            self._fleet.rules.expect_mode(name, commands[-1].mode.value, self._clock.now())
        return result

    async def _send(self, name: str, command: ModeCommand) -> BatteryOutcome:
        client = self._fleet.client(name)
        extra = {"battery": name, "action": f"set {command.mode.value}"}
        try:
            if client.device is None:
                await client.get_device()  # limits depend on the model
            written = await client.apply_mode(command)
        except MarstekUsageError as err:
            _log.warning("invalid command: %s", err, extra=extra)
            return BatteryOutcome(battery=name, outcome=Outcome.INVALID, detail=str(err))
        except WriteRejectedError as err:
            _log.warning("refused: %s", err, extra=extra)
            return BatteryOutcome(battery=name, outcome=Outcome.REJECTED, detail=str(err))
        except WriteNotConfirmedError as err:
            _log.warning("not confirmed: %s", err, extra=extra)
            return BatteryOutcome(battery=name, outcome=Outcome.NOT_CONFIRMED, detail=str(err))
        except (MarstekTimeoutError, MarstekConnectionError) as err:
            _log.warning("unreachable: %s", err, extra=extra)
            return BatteryOutcome(battery=name, outcome=Outcome.UNREACHABLE, detail=str(err))
        except MarstekCommunicationError as err:
            _log.warning("refused with an error: %s", err, extra=extra)
            return BatteryOutcome(battery=name, outcome=Outcome.REJECTED, detail=str(err))
        _log.info("applied after %d send(s)", written.sends, extra=extra)
        return BatteryOutcome(battery=name, outcome=Outcome.APPLIED)

    async def _record(
        self, name: str, command: ModeCommand, result: BatteryOutcome, requested_by: str | int
    ) -> None:
        if self._journal is None:
            return
        try:
            await self._journal.record(
                at=self._clock.now(),
                battery_id=self._fleet.snapshot(name).battery_id,
                requested_by=requested_by,
                action=f"set_mode:{command.mode.value}",
                params=describe_command(command),
                result=_STORED[result.outcome],
                detail=f"{result.outcome.value}: {result.detail}" if result.detail else None,
            )
        except Exception:  # the command happened; failing to journal it must not hide that
            _log.exception("could not record the command", extra={"battery": name})
