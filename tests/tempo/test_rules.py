"""Seasons, quotas (leap seasons, the 2019-2020 exception), holidays, bounds and the validator."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from bot.tempo.model import TempoColor
from bot.tempo.rules import Rule, calendar_colors, possible_colors, validate_season
from bot.tempo.seasons import (
    ColorCounts,
    Season,
    easter_sunday,
    french_public_holidays,
    is_french_public_holiday,
    season_counters,
    season_quota,
)

BLUE, WHITE, RED = TempoColor.BLUE, TempoColor.WHITE, TempoColor.RED
ALL = frozenset(TempoColor)


def weekdays_in_red_window(season: Season) -> list[date]:
    """Return the red-eligible days of ``season`` (Nov–Mar weekdays that are not holidays)."""
    return [day for day in season.days() if RED in calendar_colors(day)]


def test_season_of_switches_on_1_september() -> None:
    assert Season.of(date(2025, 8, 31)) == Season(start_year=2024)
    assert Season.of(date(2025, 9, 1)) == Season(start_year=2025)
    assert Season.of(date(2026, 2, 28)).label == "2025-2026"
    assert Season.parse("2025-2026") == Season(start_year=2025)
    assert Season(start_year=2025).day_number(date(2025, 9, 1)) == 1
    with pytest.raises(ValueError, match="season"):
        Season.parse("2025-2027")


def test_leap_season_has_366_days_and_301_blue() -> None:
    leap = Season(start_year=2023)
    assert leap.is_leap
    assert leap.length_days == len(leap.days()) == 366
    assert season_quota(leap) == ColorCounts(blue=301, white=43, red=22)
    plain = Season(start_year=2024)
    assert not plain.is_leap
    assert season_quota(plain) == ColorCounts(blue=300, white=43, red=22)


def test_2019_2020_is_a_named_exception_not_a_looser_rule() -> None:
    assert season_quota(Season(start_year=2019)) == ColorCounts(blue=301, white=47, red=18)
    for year in (2018, 2020, 2025):
        quota = season_quota(Season(start_year=year))
        assert (quota.red, quota.white) == (22, 43)


@pytest.mark.parametrize(
    ("year", "easter"),
    [
        (2019, date(2019, 4, 21)),
        (2024, date(2024, 3, 31)),
        (2025, date(2025, 4, 20)),
        (2026, date(2026, 4, 5)),
        (2038, date(2038, 4, 25)),
    ],
)
def test_easter_sunday(year: int, easter: date) -> None:
    assert easter_sunday(year) == easter


def test_french_public_holidays_2026() -> None:
    holidays = french_public_holidays(2026)
    assert len(holidays) == 11
    assert {date(2026, 4, 6), date(2026, 5, 14), date(2026, 5, 25)} <= holidays  # computed
    assert {date(2026, 1, 1), date(2026, 11, 11), date(2026, 12, 25)} <= holidays
    assert not is_french_public_holiday(date(2026, 4, 3))  # Good Friday: Alsace-Moselle only


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(2026, 1, 18), {BLUE}),  # Sunday
        (date(2026, 1, 17), {BLUE, WHITE}),  # Saturday never red
        (date(2026, 1, 14), ALL),  # Wednesday in January
        (date(2025, 10, 31), {BLUE, WHITE}),  # Friday before the red window
        (date(2025, 11, 3), ALL),  # first Monday of November
        (date(2026, 3, 31), ALL),  # last day of the red window
        (date(2026, 4, 1), {BLUE, WHITE}),
        (date(2026, 1, 1), {BLUE, WHITE}),  # Thursday, New Year's Day
        (date(2025, 11, 11), {BLUE, WHITE}),  # Tuesday, Armistice
        (date(2026, 6, 14), {BLUE}),  # Sunday in June
    ],
)
def test_calendar_colors(day: date, expected: set[TempoColor]) -> None:
    assert calendar_colors(day) == frozenset(expected)
    assert possible_colors(day, {}) == frozenset(expected)


def test_known_day_is_its_own_bound() -> None:
    assert possible_colors(date(2026, 1, 14), {date(2026, 1, 14): WHITE}) == {WHITE}


def test_exhausted_red_stock_makes_red_impossible() -> None:
    season = Season(start_year=2025)
    reds = weekdays_in_red_window(season)[:22]
    known = dict.fromkeys(reds, RED)
    later = next(d for d in weekdays_in_red_window(season) if d not in known)
    assert possible_colors(later, known) == {BLUE, WHITE}
    # 21 reds: one left, red still possible.
    known.pop(reds[0])
    assert possible_colors(later, known) == ALL


def test_exhausted_white_stock_makes_white_impossible() -> None:
    season = Season(start_year=2025)
    saturdays = [d for d in season.days() if d.weekday() == 5][:43]
    known = dict.fromkeys(saturdays, WHITE)
    assert possible_colors(date(2026, 1, 14), known) == {BLUE, RED}
    free_saturday = next(d for d in season.days() if d.weekday() == 5 and d not in known)
    assert possible_colors(free_saturday, known) == {BLUE}


def test_stock_counts_only_the_same_season() -> None:
    previous = Season(start_year=2024)
    known = dict.fromkeys(weekdays_in_red_window(previous)[:22], RED)
    assert possible_colors(date(2026, 1, 14), known) == ALL


def test_red_run_longer_than_five_is_impossible() -> None:
    # Contradictory data (reds on a weekend) is the only way to reach a sixth red in a row.
    known = {date(2026, 1, 2) + timedelta(days=n): RED for n in range(5)}  # Fri → Tue
    assert possible_colors(date(2026, 1, 7), known) == {BLUE, WHITE}
    assert possible_colors(date(2026, 1, 8), known) == ALL  # a gap on 7 Jan breaks the run


def test_contradictory_data_falls_back_to_the_calendar_bound() -> None:
    season = Season(start_year=2025)
    sundays = [d for d in season.days() if d.weekday() == 6]
    others = [d for d in season.days() if d.weekday() != 6]
    known = dict.fromkeys(others[:300], BLUE)
    assert possible_colors(sundays[-1], known) == {BLUE}


def test_counters_count_used_and_remaining() -> None:
    season = Season(start_year=2025)
    known = dict.fromkeys(weekdays_in_red_window(season)[:22], RED)
    known[date(2025, 9, 6)] = WHITE
    counters = season_counters(season, known, through=date(2026, 3, 31))
    assert counters.used == ColorCounts(blue=0, white=1, red=22)
    assert counters.remaining(RED) == 0
    assert counters.remaining(WHITE) == 42
    assert counters.remaining(BLUE) == 300
    assert counters.unknown_days == (date(2026, 3, 31) - date(2025, 9, 1)).days + 1 - 23


def test_validator_reports_each_day_rule() -> None:
    season = Season(start_year=2025)
    colors = {
        date(2026, 1, 18): WHITE,  # Sunday
        date(2026, 1, 17): RED,  # Saturday
        date(2025, 10, 15): RED,  # October
        date(2026, 1, 1): RED,  # New Year's Day
        date(2026, 9, 1): BLUE,  # next season
    }
    found = {(v.rule, v.day) for v in validate_season(season, colors)}
    assert found == {
        (Rule.SUNDAY_NOT_BLUE, date(2026, 1, 18)),
        (Rule.RED_ON_WEEKEND, date(2026, 1, 17)),
        (Rule.RED_OUT_OF_SEASON, date(2025, 10, 15)),
        (Rule.RED_ON_HOLIDAY, date(2026, 1, 1)),
        (Rule.OUTSIDE_SEASON, date(2026, 9, 1)),
    }


def test_validator_reports_a_sixth_red_in_a_row() -> None:
    colors = {date(2026, 1, 5) + timedelta(days=n): RED for n in range(6)}  # Mon → Sat
    rules = [(v.rule, v.day) for v in validate_season(Season(start_year=2025), colors)]
    assert (Rule.RED_RUN_TOO_LONG, date(2026, 1, 10)) in rules


def build_valid_season(
    season: Season, *, reds: int = 22, whites: int = 43
) -> dict[date, TempoColor]:
    """Return a full season that satisfies every rule (reds spread, whites on Saturdays)."""
    colors = dict.fromkeys(season.days(), BLUE)
    eligible = weekdays_in_red_window(season)
    for day in eligible[::3][:reds]:
        colors[day] = RED
    saturdays = [d for d in season.days() if d.weekday() == 5]
    for day in saturdays[:whites]:
        colors[day] = WHITE
    return colors


def test_validator_accepts_a_valid_season_and_checks_quotas() -> None:
    season = Season(start_year=2023)
    colors = build_valid_season(season)
    assert validate_season(season, colors) == []
    short = build_valid_season(season, reds=21)
    # One red short means one blue too many: both sides are reported.
    assert [(v.rule, v.detail) for v in validate_season(season, short)] == [
        (Rule.QUOTA_EXCEEDED, "302 BLUE > 301"),
        (Rule.QUOTA_NOT_MET, "21 RED < 22"),
    ]
    over = build_valid_season(season, reds=23)
    assert Rule.QUOTA_EXCEEDED in {v.rule for v in validate_season(season, over)}


def test_partial_season_only_checks_caps() -> None:
    season = Season(start_year=2025)
    colors = build_valid_season(season, reds=10)
    partial = {day: color for day, color in colors.items() if day < date(2026, 2, 1)}
    assert validate_season(season, partial) == []
