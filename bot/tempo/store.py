"""The never-downgrade rule for cached Tempo days, and an in-memory store for tests and tools.

The storage layer implements :class:`~bot.tempo.model.TempoDayStore` on the database and should
call :func:`merge_day_records` so both stores keep exactly the same record.
"""

from __future__ import annotations

from datetime import date

from bot.tempo.model import TempoDayRecord


def merge_day_records(current: TempoDayRecord | None, incoming: TempoDayRecord) -> TempoDayRecord:
    """Return the record to keep when ``incoming`` arrives for a day already holding ``current``.

    A known colour is never replaced by an unknown one, nor a confirmed colour by a provisional
    one; a newer confirmed answer replaces an older confirmed one (a source correcting itself).
    """
    if current is None or current.color is None:
        return incoming
    if incoming.color is None:
        return current
    if current.confirmed and not incoming.confirmed:
        return current
    return incoming


class InMemoryTempoDayStore:
    """A :class:`~bot.tempo.model.TempoDayStore` kept in a dict (tests, simulator, tools)."""

    def __init__(self, records: list[TempoDayRecord] | None = None) -> None:
        self._days: dict[date, TempoDayRecord] = {}
        for record in records or []:
            self._days[record.day] = merge_day_records(self._days.get(record.day), record)

    async def get_day(self, day: date) -> TempoDayRecord | None:
        """Return what is stored for ``day``, if anything."""
        return self._days.get(day)

    async def get_days(self, first: date, last: date) -> list[TempoDayRecord]:
        """Return the stored days in ``[first, last]``, ascending."""
        return [self._days[day] for day in sorted(self._days) if first <= day <= last]

    async def put_day(self, record: TempoDayRecord) -> TempoDayRecord:
        """Store ``record`` under the never-downgrade rule; return what is kept."""
        kept = merge_day_records(self._days.get(record.day), record)
        self._days[record.day] = kept
        return kept

    def __len__(self) -> int:
        return len(self._days)
