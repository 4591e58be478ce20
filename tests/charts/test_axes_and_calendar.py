"""Time ticks in local time, month grids of a season, savings totals, twin-axis zero."""

from __future__ import annotations

import itertools
from datetime import date, timedelta

import pytest

from bot.charts.model import SavingsDay
from bot.charts.prepare import (
    cumulative_savings,
    month_cells,
    season_months,
    time_ticks,
    zero_aligned_limits,
)
from bot.charts.texts import format_eur, format_number
from bot.tempo.model import TempoColor
from tests.charts.helpers import utc


def test_24_hour_ticks_every_three_local_hours_with_the_day_at_midnight() -> None:
    ticks = time_ticks(utc(2026, 1, 15, 10), utc(2026, 1, 16, 10), "fr")
    assert ticks[0].at_utc == utc(2026, 1, 15, 11)  # 12:00 Paris
    assert [tick.label for tick in ticks[:5]] == ["12h", "15h", "18h", "21h", "00h\nven. 16"]
    assert ticks[4].at_utc == utc(2026, 1, 15, 23)
    assert all(
        (later.at_utc - earlier.at_utc) == timedelta(hours=3)
        for earlier, later in itertools.pairwise(ticks)
    )


def test_ticks_follow_local_time_across_the_march_switch() -> None:
    ticks = time_ticks(utc(2026, 3, 28, 23), utc(2026, 3, 29, 12), "en")
    assert [(tick.at_utc, tick.label) for tick in ticks[:4]] == [
        (utc(2026, 3, 28, 23), "00:00\nSun 29"),
        (utc(2026, 3, 29, 1), "03:00"),  # 02:00 never happened: 03:00 CEST is 2 h after midnight
        (utc(2026, 3, 29, 4), "06:00"),
        (utc(2026, 3, 29, 7), "09:00"),
    ]


def test_week_ticks_are_local_midnights_named_by_weekday() -> None:
    ticks = time_ticks(utc(2026, 3, 26, 12), utc(2026, 4, 2, 12), "fr")
    assert [tick.label for tick in ticks] == [
        "ven. 27", "sam. 28", "dim. 29", "lun. 30", "mar. 31", "mer. 1", "jeu. 2",
    ]  # fmt: skip
    assert ticks[0].at_utc == utc(2026, 3, 26, 23)  # CET midnight
    assert ticks[-1].at_utc == utc(2026, 4, 1, 22)  # CEST midnight


def test_month_ticks_are_spaced_and_dated() -> None:
    ticks = time_ticks(utc(2025, 12, 17, 9), utc(2026, 1, 16, 9), "en")
    assert 8 <= len(ticks) <= 11
    assert ticks[0].label == "Dec 18"
    assert ticks[1].at_utc - ticks[0].at_utc == timedelta(days=3)
    assert time_ticks(utc(2025, 12, 17, 9), utc(2026, 1, 16, 9), "fr")[0].label == "18/12"


def test_season_runs_september_to_august() -> None:
    months = season_months(2025)
    assert months[0] == (2025, 9)
    assert months[3] == (2025, 12)
    assert months[4] == (2026, 1)
    assert months[-1] == (2026, 8)
    assert len(months) == 12


@pytest.mark.parametrize(("season", "days"), [(2023, 366), (2024, 365), (2025, 365)])
def test_a_season_has_one_cell_per_day(season: int, days: int) -> None:
    cells = [
        cell
        for year, month in season_months(season)
        for cell in month_cells(year, month, {}, date(2000, 1, 1))
    ]
    assert len(cells) == days
    assert len({cell.day for cell in cells}) == days


def test_leap_february_has_29_cells_on_a_monday_first_grid() -> None:
    cells = month_cells(2024, 2, {date(2024, 2, 29): TempoColor.WHITE}, date(2024, 2, 14))
    assert len(cells) == 29
    first, last = cells[0], cells[-1]
    assert (first.day, first.row, first.col) == (date(2024, 2, 1), 0, 3)  # Thursday
    assert (last.day, last.row, last.col, last.color) == (date(2024, 2, 29), 4, 3, TempoColor.WHITE)
    assert [cell.day for cell in cells if cell.is_today] == [date(2024, 2, 14)]
    assert len(month_cells(2025, 2, {}, date(2025, 2, 1))) == 28


def test_cells_fill_weeks_from_monday() -> None:
    cells = month_cells(2023, 9, {}, date(2023, 9, 1))  # 1 Sept 2023 is a Friday
    assert (cells[0].row, cells[0].col) == (0, 4)
    assert (cells[3].day, cells[3].row, cells[3].col) == (date(2023, 9, 4), 1, 0)
    assert max(cell.row for cell in month_cells(2026, 3, {}, date(2026, 3, 1))) == 5  # 6 weeks


def test_cumulative_savings_sorts_days_and_keeps_a_running_total() -> None:
    days = [
        SavingsDay(day=date(2026, 1, 3), color=TempoColor.RED, savings_eur=3.0),
        SavingsDay(day=date(2026, 1, 1), color=TempoColor.BLUE, savings_eur=0.5),
        SavingsDay(day=date(2026, 1, 2), color=None, savings_eur=-0.25),
    ]
    rows = cumulative_savings(days)
    assert [(row.day.day, total) for row, total in rows] == [(1, 0.5), (2, 0.25), (3, 3.25)]
    assert cumulative_savings([]) == []


def test_zero_sits_at_the_same_height_on_both_axes() -> None:
    bars, total = zero_aligned_limits((-1.0, 3.0), (0.0, 20.0))
    assert bars == (-1.0, 3.0)
    assert total[1] == 20.0
    assert -bars[0] / (bars[1] - bars[0]) == pytest.approx(-total[0] / (total[1] - total[0]))
    assert zero_aligned_limits((0.0, 3.0), (0.0, 20.0)) == ((0.0, 3.0), (0.0, 20.0))
    assert zero_aligned_limits((-2.0, 1.0), (-5.0, -1.0)) == ((-2.0, 2.0), (-5.0, 5.0))
    assert zero_aligned_limits((1.0, 3.0), (2.0, 5.0)) == ((0.0, 3.0), (0.0, 5.0))


def test_numbers_and_euros_follow_the_reader_language() -> None:
    assert format_number(-2500.5, "fr", decimals=1) == "−2\u202f500,5"
    assert format_number(-2500.5, "en", decimals=1) == "−2,500.5"
    assert format_eur(1234.5, "fr") == "1\u202f234,50\u00a0€"
    assert format_eur(-3.256, "en") == "−€3.26"
    assert format_eur(-0.001, "fr") == "0,00\u00a0€"
