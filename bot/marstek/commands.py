"""Operating modes and the ``ES.SetMode`` commands that select them.

Sign convention (the bot's, and also the device's for ``ES.SetMode``): **positive power = the
battery discharges to the house, negative = it charges**. Each command validates itself on
construction and knows its wire ``config``; model-specific power limits are checked by the client.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import time
from enum import StrEnum
from typing import Any, ClassVar, Final

from bot.marstek.errors import MarstekUsageError

ABSOLUTE_MAX_POWER_W: Final = 2500
MAX_PASSIVE_DURATION_S: Final = 3600  # longer countdowns were rejected by real units
MANUAL_SLOTS: Final = 10
RESERVED_MANUAL_SLOT: Final = 9  # the app's UPS keeps a hidden schedule there
EVERY_DAY: Final = frozenset(range(7))
END_OF_DAY: Final = time(23, 59)
START_OF_DAY: Final = time(0, 0)


class Mode(StrEnum):
    """The operating modes of a Venus battery (values are the wire names)."""

    AUTO = "Auto"
    AI = "AI"
    MANUAL = "Manual"
    PASSIVE = "Passive"
    UPS = "UPS"


# Rev 3.1 firmware may report the mode as an integer, in this order.
_MODE_BY_INDEX: Final = (Mode.AUTO, Mode.AI, Mode.MANUAL, Mode.PASSIVE, Mode.UPS)
_MODE_BY_NAME: Final = {mode.value.casefold(): mode for mode in Mode}


def parse_mode(value: object) -> Mode | None:
    """Return the :class:`Mode` a device reported (name in any case, or Rev 3.1 index)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return _MODE_BY_INDEX[value] if 0 <= value < len(_MODE_BY_INDEX) else None
    if isinstance(value, str):
        return _MODE_BY_NAME.get(value.strip().casefold())
    return None


def _check_power(power_w: int) -> None:
    if isinstance(power_w, bool) or not isinstance(power_w, int):
        raise MarstekUsageError(f"power must be an integer number of watts, not {power_w!r}")
    if abs(power_w) > ABSOLUTE_MAX_POWER_W:
        raise MarstekUsageError(f"{power_w} W is beyond ±{ABSOLUTE_MAX_POWER_W} W")


@dataclass(frozen=True, slots=True, kw_only=True)
class AutoMode:
    """Self-consumption against the battery's own meter."""

    mode: ClassVar[Mode] = Mode.AUTO

    def config(self) -> dict[str, Any]:
        """Return the ``config`` parameter of ``ES.SetMode``."""
        return {"mode": "Auto", "auto_cfg": {"enable": 1}}


@dataclass(frozen=True, slots=True, kw_only=True)
class AiMode:
    """The vendor's cloud optimisation."""

    mode: ClassVar[Mode] = Mode.AI

    def config(self) -> dict[str, Any]:
        """Return the ``config`` parameter of ``ES.SetMode``."""
        return {"mode": "AI", "ai_cfg": {"enable": 1}}


@dataclass(frozen=True, slots=True, kw_only=True)
class UpsMode:
    """Backup reserve (firmware Rev 2.0 and later)."""

    mode: ClassVar[Mode] = Mode.UPS

    def config(self) -> dict[str, Any]:
        """Return the ``config`` parameter of ``ES.SetMode``."""
        return {"mode": "UPS", "ups_cfg": {"enable": 1}}


@dataclass(frozen=True, slots=True, kw_only=True)
class PassiveMode:
    """Hold ``power_w`` (+ discharge, − charge) for ``duration_s`` s; then the unit decides."""

    mode: ClassVar[Mode] = Mode.PASSIVE
    power_w: int
    duration_s: int = MAX_PASSIVE_DURATION_S

    def __post_init__(self) -> None:
        _check_power(self.power_w)
        if not 1 <= self.duration_s <= MAX_PASSIVE_DURATION_S:
            raise MarstekUsageError(
                f"passive duration {self.duration_s} s is outside 1..{MAX_PASSIVE_DURATION_S} s"
            )

    def config(self) -> dict[str, Any]:
        """Return the ``config`` parameter of ``ES.SetMode``."""
        return {
            "mode": "Passive",
            "passive_cfg": {"power": self.power_w, "cd_time": self.duration_s},
        }


@dataclass(frozen=True, slots=True, kw_only=True)
class ManualSlot:
    """One device-side time slot; writing it also switches the battery to Manual.

    ``weekdays`` uses Python's numbering (0 = Monday … 6 = Sunday). ``power_w`` is + discharge /
    − charge; ``None`` means "follow the meter (self-consumption) during this window".
    A slot must not cross midnight (unverified on real firmware): use :func:`split_overnight`.
    """

    mode: ClassVar[Mode] = Mode.MANUAL
    slot: int
    start: time
    end: time
    power_w: int | None
    weekdays: frozenset[int] = field(default=EVERY_DAY)
    enabled: bool = True

    def __post_init__(self) -> None:
        if not 0 <= self.slot < MANUAL_SLOTS:
            raise MarstekUsageError(f"manual slot {self.slot} is outside 0..{MANUAL_SLOTS - 1}")
        if self.slot == RESERVED_MANUAL_SLOT:
            raise MarstekUsageError(
                f"manual slot {RESERVED_MANUAL_SLOT} is reserved by the app's UPS schedule"
            )
        for moment in (self.start, self.end):
            if moment.second or moment.microsecond or moment.tzinfo is not None:
                raise MarstekUsageError(f"slot times are naive whole minutes, not {moment!r}")
        if self.start >= self.end:
            raise MarstekUsageError(
                f"slot {self.start:%H:%M}–{self.end:%H:%M} must end after it starts "
                "(split overnight windows with split_overnight)"
            )
        if not self.weekdays or not self.weekdays <= EVERY_DAY:
            raise MarstekUsageError(f"weekdays must be a non-empty subset of 0..6: {self.weekdays}")
        if self.power_w is not None:
            _check_power(self.power_w)

    @property
    def week_set(self) -> int:
        """The device's weekday bit mask (bit 0 = Monday … bit 6 = Sunday)."""
        return sum(1 << day for day in self.weekdays)

    def config(self) -> dict[str, Any]:
        """Return the ``config`` parameter of ``ES.SetMode``."""
        return {
            "mode": "Manual",
            "manual_cfg": {
                "time_num": self.slot,
                "start_time": f"{self.start:%H:%M}",
                "end_time": f"{self.end:%H:%M}",
                "week_set": self.week_set,
                # -1 is the device's code for "self-consumption during this window".
                "power": -1 if self.power_w is None else self.power_w,
                "enable": 1 if self.enabled else 0,
            },
        }


ModeCommand = AutoMode | AiMode | UpsMode | PassiveMode | ManualSlot


def split_overnight(
    start: time, end: time, weekdays: frozenset[int] = EVERY_DAY
) -> list[tuple[time, time, frozenset[int]]]:
    """Split a daily window into slot-sized pieces that never cross midnight.

    ``22:00 → 06:00`` on Monday becomes ``22:00–23:59`` on Monday and ``00:00–06:00`` on
    Tuesday: the morning piece runs on the day after each requested day.
    """
    if start < end:
        return [(start, end, weekdays)]
    if start == end:
        raise MarstekUsageError("an empty window cannot be scheduled")
    pieces: list[tuple[time, time, frozenset[int]]] = []
    if start < END_OF_DAY:
        pieces.append((start, END_OF_DAY, weekdays))
    if end > START_OF_DAY:
        pieces.append((START_OF_DAY, end, frozenset((day + 1) % 7 for day in weekdays)))
    return pieces
