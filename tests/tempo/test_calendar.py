"""Tempo day boundaries, HP/HC, windows and period iteration, across both DST switches."""

from __future__ import annotations

import itertools
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.tempo.calendar import (
    color_at,
    hc_window,
    hp_window,
    iter_tariff_periods,
    next_local_time,
    period_at,
    tempo_day_at,
    tempo_day_bounds,
)
from bot.tempo.model import TariffPeriod, TempoColor

HP, HC = TariffPeriod.HP, TariffPeriod.HC


def utc(text: str) -> datetime:
    return datetime.fromisoformat(text).astimezone(UTC)


@pytest.mark.parametrize(
    ("instant", "day", "period"),
    [
        ("2026-01-15T05:59:59.999999+01:00", date(2026, 1, 14), HC),
        ("2026-01-15T06:00:00+01:00", date(2026, 1, 15), HP),
        ("2026-01-15T21:59:59+01:00", date(2026, 1, 15), HP),
        ("2026-01-15T22:00:00+01:00", date(2026, 1, 15), HC),
        ("2026-01-16T00:00:00+01:00", date(2026, 1, 15), HC),  # the classic bug
        ("2026-01-16T03:00:00+01:00", date(2026, 1, 15), HC),
        # March switch (02:00 → 03:00 on 29 Mar): the night belongs to 28 Mar.
        ("2026-03-29T01:59:59+01:00", date(2026, 3, 28), HC),
        ("2026-03-29T03:00:00+02:00", date(2026, 3, 28), HC),
        ("2026-03-29T05:59:59+02:00", date(2026, 3, 28), HC),
        ("2026-03-29T06:00:00+02:00", date(2026, 3, 29), HP),
        # October switch (03:00 → 02:00 on 25 Oct): both 02:30 belong to 24 Oct.
        ("2026-10-25T02:30:00+02:00", date(2026, 10, 24), HC),
        ("2026-10-25T02:30:00+01:00", date(2026, 10, 24), HC),
        ("2026-10-25T06:00:00+01:00", date(2026, 10, 25), HP),
        ("2026-10-25T22:00:00+01:00", date(2026, 10, 25), HC),
    ],
)
def test_tempo_day_and_period_at_instant(instant: str, day: date, period: TariffPeriod) -> None:
    assert tempo_day_at(utc(instant)) == day
    assert period_at(utc(instant)) is period


def test_same_instant_in_any_offset_gives_the_same_answer() -> None:
    local = datetime.fromisoformat("2026-01-16T05:30:00+01:00")
    assert tempo_day_at(local) == tempo_day_at(local.astimezone(UTC)) == date(2026, 1, 15)


def test_naive_datetimes_are_refused() -> None:
    with pytest.raises(ValueError, match="naive"):
        tempo_day_at(datetime(2026, 1, 15, 12, 0))  # noqa: DTZ001 (the point of the test)


def test_ordinary_day_bounds_and_windows() -> None:
    start, end = tempo_day_bounds(date(2026, 1, 15))
    assert (start, end) == (utc("2026-01-15T05:00:00Z"), utc("2026-01-16T05:00:00Z"))
    hp = (utc("2026-01-15T05:00:00Z"), utc("2026-01-15T21:00:00Z"))
    hc = (utc("2026-01-15T21:00:00Z"), utc("2026-01-16T05:00:00Z"))
    assert (hp_window(date(2026, 1, 15)), hc_window(date(2026, 1, 15))) == (hp, hc)


def test_day_spanning_march_switch_lasts_23_hours_with_a_7_hour_night() -> None:
    start, end = tempo_day_bounds(date(2026, 3, 28))
    assert end - start == timedelta(hours=23)
    hc_start, hc_end = hc_window(date(2026, 3, 28))
    assert hc_end - hc_start == timedelta(hours=7)
    assert hc_end == utc("2026-03-29T04:00:00Z")
    hp_start, hp_end = hp_window(date(2026, 3, 28))
    assert hp_end - hp_start == timedelta(hours=16)
    # The switch day itself runs 06:00 CEST → 06:00 CEST: a plain 24 h.
    start, end = tempo_day_bounds(date(2026, 3, 29))
    assert end - start == timedelta(hours=24)


def test_day_spanning_october_switch_lasts_25_hours_with_a_9_hour_night() -> None:
    start, end = tempo_day_bounds(date(2026, 10, 24))
    assert (start, end) == (utc("2026-10-24T04:00:00Z"), utc("2026-10-25T05:00:00Z"))
    hc_start, hc_end = hc_window(date(2026, 10, 24))
    assert hc_end - hc_start == timedelta(hours=9)
    start, end = tempo_day_bounds(date(2026, 10, 25))
    assert end - start == timedelta(hours=24)


def test_time_zone_is_injectable() -> None:
    start, end = tempo_day_bounds(date(2026, 7, 1), ZoneInfo("UTC"))
    assert (start, end) == (utc("2026-07-01T06:00:00Z"), utc("2026-07-02T06:00:00Z"))
    assert tempo_day_at(utc("2026-07-01T05:00:00Z"), ZoneInfo("UTC")) == date(2026, 6, 30)
    assert tempo_day_at(utc("2026-07-01T05:00:00Z")) == date(2026, 7, 1)  # 07:00 in Paris


def test_color_at_uses_the_tempo_day_not_the_calendar_day() -> None:
    colors = {date(2026, 1, 31): TempoColor.RED, date(2026, 2, 1): TempoColor.BLUE}
    assert color_at(utc("2026-02-01T03:00:00+01:00"), colors) is TempoColor.RED
    assert color_at(utc("2026-02-01T06:00:00+01:00"), colors) is TempoColor.BLUE
    assert color_at(utc("2026-02-02T06:00:00+01:00"), colors) is None


def test_periods_over_the_march_switch_are_exact_and_contiguous() -> None:
    start, end = utc("2026-03-28T00:00:00Z"), utc("2026-03-30T00:00:00Z")
    slices = list(iter_tariff_periods(start, end))
    assert [(s.tempo_day, s.period, s.duration) for s in slices] == [
        (date(2026, 3, 27), HC, timedelta(hours=5)),  # clipped: starts at 01:00 local
        (date(2026, 3, 28), HP, timedelta(hours=16)),
        (date(2026, 3, 28), HC, timedelta(hours=7)),
        (date(2026, 3, 29), HP, timedelta(hours=16)),
        (date(2026, 3, 29), HC, timedelta(hours=4)),  # clipped at 02:00 local on 30 Mar
    ]
    assert slices[0].start == start
    assert slices[-1].end == end
    assert all(a.end == b.start for a, b in itertools.pairwise(slices))


def test_periods_over_a_season_cover_the_range_without_gaps() -> None:
    start, end = utc("2025-09-01T04:00:00Z"), utc("2026-09-01T04:00:00Z")
    slices = list(iter_tariff_periods(start, end))
    assert sum((s.duration for s in slices), timedelta()) == end - start
    assert len(slices) == 2 * 365
    october = [s for s in slices if s.tempo_day == date(2025, 10, 25)]
    assert [s.duration for s in october] == [timedelta(hours=16), timedelta(hours=9)]


def test_empty_range_yields_nothing() -> None:
    instant = utc("2026-01-15T12:00:00Z")
    assert list(iter_tariff_periods(instant, instant)) == []


def test_next_local_time_is_strictly_after_and_dst_aware() -> None:
    after = utc("2026-03-28T10:40:00+01:00")
    assert next_local_time(after, time(10, 40)) == utc("2026-03-29T10:40:00+02:00")
    assert next_local_time(utc("2026-03-28T09:00:00+01:00"), time(10, 40)) == utc(
        "2026-03-28T10:40:00+01:00"
    )
