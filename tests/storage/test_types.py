"""Instants are stored in UTC and come back timezone-aware, to the microsecond."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from sqlalchemy import insert, select

from bot.storage import CommandResult, Database, Storage
from bot.storage.tables import commands
from bot.storage.types import UtcDateTime, from_us, to_us


def test_naive_datetime_is_refused_by_the_column_type() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        UtcDateTime().process_bind_param(datetime(2026, 1, 1), None)  # type: ignore[arg-type]  # noqa: DTZ001


def test_conversion_is_exact_to_the_microsecond() -> None:
    instant = datetime(2026, 3, 29, 1, 59, 59, 999_999, tzinfo=UTC)
    assert from_us(to_us(instant)) == instant
    assert to_us(datetime(1970, 1, 1, tzinfo=UTC)) == 0


async def test_naive_datetime_is_refused_on_write(db: Database) -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        async with db.session() as session:
            await session.execute(
                insert(commands).values(
                    at=datetime(2026, 1, 1, 12),  # noqa: DTZ001
                    requested_by="planner",
                    action="x",
                    params={},
                    result="applied",
                )
            )
    async with db.session(write=False) as session:
        assert (await session.execute(select(commands))).all() == []


async def test_other_zones_come_back_as_the_same_instant_in_utc(storage: Storage) -> None:
    paris_summer = timezone(timedelta(hours=2))
    at = datetime(2026, 7, 14, 22, 0, 0, 123_456, tzinfo=paris_summer)
    await storage.commands.record(
        at=at,
        battery_id=None,
        requested_by=1,
        action="charge",
        params={},
        result=CommandResult.DRY_RUN,
    )
    (stored,) = await storage.commands.recent()
    assert stored.at == at
    assert stored.at.tzinfo is UTC
    assert stored.at.hour == 20
    assert stored.at.microsecond == 123_456
