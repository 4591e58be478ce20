"""When the daily summary is due, and how its stored setting is read (malformed → default)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from bot.savings.daily import (
    MAX_SLEEP_S,
    DailySettings,
    due_at,
    latest_due,
    parse_daily,
    seconds_to_next_check,
)
from bot.tempo.calendar import PARIS
from tests.savings.helpers import local


def test_due_after_the_tempo_day_ends() -> None:
    # Day 14 Jan ends at 06:00 on 15 Jan: at 20h that evening, at 05h only on 16 Jan.
    assert due_at(date(2026, 1, 14), 20, PARIS) == local(2026, 1, 15, 20)
    assert due_at(date(2026, 1, 14), 6, PARIS) == local(2026, 1, 15, 6)
    assert due_at(date(2026, 1, 14), 5, PARIS) == local(2026, 1, 16, 5)


@pytest.mark.parametrize(
    ("now", "hour", "expected"),
    [
        (local(2026, 1, 15, 21), 20, date(2026, 1, 14)),
        (local(2026, 1, 15, 19), 20, date(2026, 1, 13)),
        (local(2026, 1, 15, 5) + timedelta(minutes=30), 5, date(2026, 1, 13)),
        (local(2026, 1, 15, 7), 5, date(2026, 1, 13)),
        (local(2026, 3, 29, 8), 7, date(2026, 3, 28)),  # the 23-hour day
        (local(2026, 10, 26, 0), 0, date(2026, 10, 24)),
    ],
)
def test_latest_due_day(now: datetime, hour: int, expected: date) -> None:
    day, due = latest_due(now, hour, PARIS)
    assert day == expected
    assert due <= now < due + timedelta(days=1, hours=1)


def test_sleep_until_the_next_due_hour_at_most_ten_minutes() -> None:
    assert seconds_to_next_check(local(2026, 1, 15, 19) + timedelta(minutes=58), 20, PARIS) == (
        pytest.approx(120.0)
    )
    assert seconds_to_next_check(local(2026, 1, 15, 12), 20, PARIS) == MAX_SLEEP_S
    assert seconds_to_next_check(local(2026, 1, 15, 20), 20, PARIS) == MAX_SLEEP_S


@pytest.mark.parametrize(
    ("stored", "expected"),
    [
        (None, DailySettings()),
        ({"enabled": True, "hour": 7}, DailySettings(enabled=True, hour=7)),
        ({"enabled": "yes", "hour": 7}, DailySettings(enabled=False, hour=7)),
        ({"enabled": True, "hour": 24}, DailySettings(enabled=True, hour=20)),
        ({"enabled": True, "hour": -1}, DailySettings(enabled=True, hour=20)),
        ({"enabled": True, "hour": True}, DailySettings(enabled=True, hour=20)),
        ({"enabled": True, "hour": "7"}, DailySettings(enabled=True, hour=20)),
        ([1, 2], DailySettings()),
        ("on", DailySettings()),
    ],
)
def test_parse_stored_setting(stored: object, expected: DailySettings) -> None:
    assert parse_daily(stored) == expected  # type: ignore[arg-type]


def test_due_instants_are_utc_aware() -> None:
    assert due_at(date(2026, 7, 1), 20, PARIS).tzinfo is UTC
