"""Tempo bands and HC windows: exact 06:00 / 22:00 local instants in UTC, across both DST days."""

from __future__ import annotations

import itertools
from datetime import date, datetime, timedelta

import pytest

from bot.charts.prepare import TimeWindow, hc_windows, tempo_bands
from bot.tempo.model import TempoColor
from tests.charts.helpers import utc

HOUR = timedelta(hours=1)


def test_winter_day_runs_0600_to_0600_paris() -> None:
    colors = {date(2026, 1, 15): TempoColor.RED}
    bands = tempo_bands(utc(2026, 1, 15, 5), utc(2026, 1, 17, 5), colors)
    assert [(band.tempo_day, band.start_utc, band.end_utc, band.color) for band in bands] == [
        (date(2026, 1, 15), utc(2026, 1, 15, 5), utc(2026, 1, 16, 5), TempoColor.RED),
        (date(2026, 1, 16), utc(2026, 1, 16, 5), utc(2026, 1, 17, 5), None),
    ]


def test_tempo_day_spanning_the_march_switch_is_23_hours() -> None:
    # Clocks go 02:00 CET → 03:00 CEST in the night of Sunday 2026-03-29, which belongs to
    # Tempo day 2026-03-28; Tempo day 2026-03-29 itself is a normal 24 h day.
    colors = {date(2026, 3, 28): TempoColor.BLUE, date(2026, 3, 29): TempoColor.WHITE}
    bands = tempo_bands(utc(2026, 3, 27, 5), utc(2026, 3, 31, 4), colors)
    by_day = {band.tempo_day: band for band in bands}
    switch = by_day[date(2026, 3, 28)]
    assert switch.start_utc == utc(2026, 3, 28, 5)  # 06:00 CET
    assert switch.end_utc == utc(2026, 3, 29, 4)  # 06:00 CEST
    assert switch.end_utc - switch.start_utc == 23 * HOUR
    assert switch.color is TempoColor.BLUE
    after = by_day[date(2026, 3, 29)]
    assert (after.start_utc, after.end_utc) == (utc(2026, 3, 29, 4), utc(2026, 3, 30, 4))
    assert after.color is TempoColor.WHITE
    assert by_day[date(2026, 3, 27)].end_utc - by_day[date(2026, 3, 27)].start_utc == 24 * HOUR


def test_tempo_day_spanning_the_october_switch_is_25_hours() -> None:
    # Clocks go 03:00 CEST → 02:00 CET in the night of Sunday 2026-10-25 (Tempo day 10-24).
    bands = tempo_bands(utc(2026, 10, 24, 4), utc(2026, 10, 27, 5), {})
    assert [band.tempo_day for band in bands] == [
        date(2026, 10, 24),
        date(2026, 10, 25),
        date(2026, 10, 26),
    ]
    switch, after = bands[0], bands[1]
    assert switch.start_utc == utc(2026, 10, 24, 4)  # 06:00 CEST
    assert switch.end_utc == utc(2026, 10, 25, 5)  # 06:00 CET
    assert switch.end_utc - switch.start_utc == 25 * HOUR
    assert (after.start_utc, after.end_utc) == (utc(2026, 10, 25, 5), utc(2026, 10, 26, 5))
    assert all(band.color is None for band in bands)


def test_small_hours_belong_to_the_previous_tempo_day_and_bands_are_clipped() -> None:
    colors = {date(2026, 1, 14): TempoColor.RED, date(2026, 1, 15): TempoColor.BLUE}
    start, end = utc(2026, 1, 15, 1), utc(2026, 1, 15, 12)  # 02:00 → 13:00 Paris
    bands = tempo_bands(start, end, colors)
    assert [(band.tempo_day, band.color) for band in bands] == [
        (date(2026, 1, 14), TempoColor.RED),
        (date(2026, 1, 15), TempoColor.BLUE),
    ]
    assert bands[0].start_utc == start
    assert bands[0].end_utc == bands[1].start_utc == utc(2026, 1, 15, 5)
    assert bands[1].end_utc == end


@pytest.mark.parametrize(
    ("start", "end"),
    [
        (utc(2026, 3, 20, 7, 13), utc(2026, 4, 3, 9)),
        (utc(2026, 10, 18), utc(2026, 11, 17)),
        (utc(2026, 1, 15, 13), utc(2026, 1, 17, 13)),
    ],
)
def test_bands_tile_the_range_without_gap_or_overlap(start: datetime, end: datetime) -> None:
    bands = tempo_bands(start, end, {})
    assert bands[0].start_utc == start
    assert bands[-1].end_utc == end
    for before, after in itertools.pairwise(bands):
        assert before.end_utc == after.start_utc
        assert after.tempo_day == before.tempo_day + timedelta(days=1)


def test_hc_windows_are_2200_to_0600_paris_across_both_switches() -> None:
    march = hc_windows(utc(2026, 3, 28, 12), utc(2026, 3, 30, 12))
    assert march == [
        TimeWindow(start_utc=utc(2026, 3, 28, 21), end_utc=utc(2026, 3, 29, 4)),  # 7 h night
        TimeWindow(start_utc=utc(2026, 3, 29, 20), end_utc=utc(2026, 3, 30, 4)),
    ]
    october = hc_windows(utc(2026, 10, 24, 12), utc(2026, 10, 26, 12))
    assert october == [
        TimeWindow(start_utc=utc(2026, 10, 24, 20), end_utc=utc(2026, 10, 25, 5)),  # 9 h night
        TimeWindow(start_utc=utc(2026, 10, 25, 21), end_utc=utc(2026, 10, 26, 5)),
    ]


def test_hc_windows_are_clipped_to_the_range() -> None:
    windows = hc_windows(utc(2026, 1, 15, 23), utc(2026, 1, 16, 22))  # 00:00 → 23:00 Paris
    assert windows == [
        TimeWindow(start_utc=utc(2026, 1, 15, 23), end_utc=utc(2026, 1, 16, 5)),
        TimeWindow(start_utc=utc(2026, 1, 16, 21), end_utc=utc(2026, 1, 16, 22)),
    ]
