"""Tempo values shared by the calendar, the colour sources, storage and the planner."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from typing import Protocol


class TempoColor(StrEnum):
    """The colour of a Tempo day."""

    BLUE = "BLUE"
    WHITE = "WHITE"
    RED = "RED"


class TariffPeriod(StrEnum):
    """Peak (06:00–22:00) or off-peak (22:00–06:00) hours."""

    HP = "HP"
    HC = "HC"


@dataclass(frozen=True, slots=True, kw_only=True)
class TempoDayRecord:
    """What is known of one Tempo day (which runs 06:00 on ``day`` → 06:00 the next day)."""

    day: date
    color: TempoColor | None
    confirmed: bool
    source: str
    fetched_at: datetime


class TempoDayStore(Protocol):
    """Persistent cache of Tempo days (implemented by the storage layer).

    ``put`` must never replace a known colour by an unknown one, nor a confirmed colour by a
    provisional one; it returns the record actually kept.
    """

    async def get_day(self, day: date) -> TempoDayRecord | None:
        """Return what is stored for ``day``, if anything."""
        ...

    async def get_days(self, first: date, last: date) -> list[TempoDayRecord]:
        """Return the stored days in ``[first, last]``, ascending."""
        ...

    async def put_day(self, record: TempoDayRecord) -> TempoDayRecord:
        """Store ``record`` under the never-downgrade rule; return what is kept."""
        ...
