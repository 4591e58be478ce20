"""The persistent Tempo day cache (implements :class:`bot.tempo.model.TempoDayStore`)."""

from __future__ import annotations

from datetime import date

from sqlalchemy import insert, select, update
from sqlalchemy.engine import RowMapping

from bot.storage.database import Database
from bot.storage.tables import tempo_days
from bot.storage.types import require_utc
from bot.tempo.model import TempoColor, TempoDayRecord


def _rank(record: TempoDayRecord) -> int:
    """How much a record knows: unknown < provisional colour < confirmed colour."""
    if record.color is None:
        return 0
    return 2 if record.confirmed else 1


def _record(row: RowMapping) -> TempoDayRecord:
    color = row["color"]
    return TempoDayRecord(
        day=row["day"],
        color=None if color is None else TempoColor(color),
        confirmed=bool(row["confirmed"]),
        source=row["source"],
        fetched_at=row["fetched_at"],
    )


class TempoDayRepository:
    """Tempo days by date: a known colour never turns unknown, a confirmed one never provisional."""

    def __init__(self, db: Database) -> None:
        self._db = db

    async def get_day(self, day: date) -> TempoDayRecord | None:
        """Return what is stored for ``day``, if anything."""
        async with self._db.session(write=False) as session:
            row = (
                (await session.execute(select(tempo_days).where(tempo_days.c.day == day)))
                .mappings()
                .first()
            )
        return None if row is None else _record(row)

    async def get_days(self, first: date, last: date) -> list[TempoDayRecord]:
        """Return the stored days in ``[first, last]``, ascending."""
        query = (
            select(tempo_days)
            .where(tempo_days.c.day >= first, tempo_days.c.day <= last)
            .order_by(tempo_days.c.day)
        )
        async with self._db.session(write=False) as session:
            rows = (await session.execute(query)).mappings().all()
        return [_record(row) for row in rows]

    async def put_day(self, record: TempoDayRecord) -> TempoDayRecord:
        """Store ``record`` unless it knows less than what is stored; return what is kept.

        An equally informed record replaces the stored one (a newer reading of the same level,
        e.g. RTE correcting a confirmed colour). A colourless record is never "confirmed".
        """
        fetched_at = require_utc(record.fetched_at, name="TempoDayRecord.fetched_at")
        values = {
            "color": None if record.color is None else record.color.value,
            "confirmed": record.confirmed and record.color is not None,
            "source": record.source,
            "fetched_at": fetched_at,
        }
        async with self._db.session() as session:
            row = (
                (await session.execute(select(tempo_days).where(tempo_days.c.day == record.day)))
                .mappings()
                .first()
            )
            if row is None:
                await session.execute(insert(tempo_days).values(day=record.day, **values))
            else:
                stored = _record(row)
                if _rank(record) < _rank(stored):
                    return stored
                await session.execute(
                    update(tempo_days).where(tempo_days.c.day == record.day).values(**values)
                )
        return TempoDayRecord(
            day=record.day,
            color=record.color,
            confirmed=bool(values["confirmed"]),
            source=record.source,
            fetched_at=fetched_at,
        )
