"""The Tempo day cache never forgets a colour nor un-confirms one."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from bot.storage import Storage, TempoDayRepository
from bot.tempo.model import TempoColor, TempoDayRecord, TempoDayStore
from tests.storage.conftest import T0

DAY = date(2026, 1, 16)
UNKNOWN = (None, False)
PROVISIONAL_WHITE = (TempoColor.WHITE, False)
PROVISIONAL_RED = (TempoColor.RED, False)
CONFIRMED_RED = (TempoColor.RED, True)
CONFIRMED_WHITE = (TempoColor.WHITE, True)


def _record(
    state: tuple[TempoColor | None, bool], *, minutes: int, source: str = "rte"
) -> TempoDayRecord:
    color, confirmed = state
    return TempoDayRecord(
        day=DAY,
        color=color,
        confirmed=confirmed,
        source=source,
        fetched_at=T0 + timedelta(minutes=minutes),
    )


def test_the_repository_is_a_tempo_day_store(storage: Storage) -> None:
    store: TempoDayStore = storage.tempo_days
    assert isinstance(store, TempoDayRepository)


@pytest.mark.parametrize(
    ("stored", "incoming", "kept"),
    [
        (UNKNOWN, UNKNOWN, "incoming"),
        (UNKNOWN, PROVISIONAL_RED, "incoming"),
        (UNKNOWN, CONFIRMED_RED, "incoming"),
        (PROVISIONAL_RED, UNKNOWN, "stored"),
        (PROVISIONAL_RED, PROVISIONAL_WHITE, "incoming"),
        (PROVISIONAL_RED, CONFIRMED_WHITE, "incoming"),
        (CONFIRMED_RED, UNKNOWN, "stored"),
        (CONFIRMED_RED, PROVISIONAL_WHITE, "stored"),
        (CONFIRMED_RED, CONFIRMED_WHITE, "incoming"),  # RTE correcting itself (March 2020)
    ],
)
async def test_put_day_never_downgrades(
    storage: Storage,
    stored: tuple[TempoColor | None, bool],
    incoming: tuple[TempoColor | None, bool],
    kept: str,
) -> None:
    first = await storage.tempo_days.put_day(_record(stored, minutes=0, source="first"))
    second = _record(incoming, minutes=5, source="second")
    result = await storage.tempo_days.put_day(second)
    expected = second if kept == "incoming" else first
    assert result == expected
    assert await storage.tempo_days.get_day(DAY) == expected


async def test_a_colourless_day_is_never_confirmed(storage: Storage) -> None:
    result = await storage.tempo_days.put_day(_record((None, True), minutes=0))
    assert result.confirmed is False
    stored = await storage.tempo_days.get_day(DAY)
    assert stored is not None
    assert stored.confirmed is False


async def test_get_days_returns_the_range_in_order(storage: Storage) -> None:
    for offset in (3, 0, 2, 5):
        await storage.tempo_days.put_day(
            TempoDayRecord(
                day=DAY + timedelta(days=offset),
                color=TempoColor.BLUE,
                confirmed=True,
                source="api-couleur-tempo",
                fetched_at=T0,
            )
        )
    days = await storage.tempo_days.get_days(DAY, DAY + timedelta(days=3))
    assert [record.day for record in days] == [
        DAY,
        DAY + timedelta(days=2),
        DAY + timedelta(days=3),
    ]
    assert await storage.tempo_days.get_day(DAY + timedelta(days=1)) is None


async def test_naive_fetch_time_is_refused(storage: Storage) -> None:
    record = TempoDayRecord(
        day=DAY, color=None, confirmed=False, source="x", fetched_at=T0.replace(tzinfo=None)
    )
    with pytest.raises(ValueError, match="timezone-aware"):
        await storage.tempo_days.put_day(record)
