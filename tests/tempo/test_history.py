"""The shipped history: identical to the shared data, and every season obeys the rules."""

from __future__ import annotations

import itertools
from datetime import date, timedelta
from pathlib import Path

import pytest

from bot.tempo.errors import TempoDataError
from bot.tempo.history import load_history, parse_history_csv, shipped_history_path
from bot.tempo.model import TempoColor
from bot.tempo.rules import possible_colors, validate_season
from bot.tempo.seasons import ColorCounts, Season, count_colors, season_counters

SHARED_COPY = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "tempo_history.csv"
COMPLETE_SEASONS = range(2014, 2025)
LEAP_SEASONS = {2015, 2019, 2023}


@pytest.fixture(scope="module")
def history() -> dict[date, TempoColor]:
    return load_history()


@pytest.mark.skipif(not SHARED_COPY.exists(), reason="shared data folder not present")
def test_shipped_copy_equals_the_shared_file() -> None:
    assert shipped_history_path().read_bytes() == SHARED_COPY.read_bytes()


def test_history_covers_every_day_without_gaps(history: dict[date, TempoColor]) -> None:
    days = list(history)
    assert days[0] == date(2014, 9, 1)
    assert days[-1] == date(2026, 6, 13)
    assert len(days) == 4304
    assert all(b - a == timedelta(days=1) for a, b in itertools.pairwise(days))


@pytest.mark.parametrize("start_year", COMPLETE_SEASONS)
def test_every_complete_season_passes_the_rules(
    history: dict[date, TempoColor], start_year: int
) -> None:
    season = Season(start_year=start_year)
    colors = {day: color for day, color in history.items() if season.contains(day)}
    assert len(colors) == season.length_days
    assert validate_season(season, colors) == []
    used = count_colors(season, colors)
    blue = 301 if start_year in LEAP_SEASONS else 300
    if start_year == 2019:
        assert used == ColorCounts(blue=blue, white=47, red=18)
    else:
        assert used == ColorCounts(blue=blue, white=43, red=22)


def test_2019_2020_would_fail_the_plain_rule(history: dict[date, TempoColor]) -> None:
    # The exception is real data, not tolerance: 18 red is short of the plain 22.
    season = Season(start_year=2019)
    used = count_colors(season, history)
    assert (used.red, used.white) == (18, 47)
    assert used.red < 22


def test_partial_2025_2026_is_valid_and_leaves_only_blue(history: dict[date, TempoColor]) -> None:
    season = Season(start_year=2025)
    colors = {day: color for day, color in history.items() if season.contains(day)}
    assert validate_season(season, colors) == []
    counters = season_counters(season, colors, through=date(2026, 6, 13))
    assert counters.remaining(TempoColor.RED) == counters.remaining(TempoColor.WHITE) == 0
    assert counters.unknown_days == 0
    assert possible_colors(date(2026, 6, 15), history) == {TempoColor.BLUE}


def test_good_friday_2024_is_red_nationally(history: dict[date, TempoColor]) -> None:
    assert history[date(2024, 3, 29)] is TempoColor.RED


@pytest.mark.parametrize(
    "text",
    [
        "day,colour\n2026-01-01,BLUE\n",
        "date,color\n2026-01-01,PURPLE\n",
        "date,color\n2026-13-01,BLUE\n",
        "date,color\n2026-01-01,BLUE\n2026-01-01,WHITE\n",
    ],
)
def test_bad_history_files_are_refused(text: str) -> None:
    with pytest.raises(TempoDataError):
        parse_history_csv(text)


def test_unreadable_history_path_is_a_data_error(tmp_path: Path) -> None:
    with pytest.raises(TempoDataError, match="cannot read"):
        load_history(tmp_path / "missing.csv")
