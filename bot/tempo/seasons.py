"""Tempo seasons (1 September → 31 August), colour quotas, counters and French public holidays.

A season holds 22 red, 43 white and the rest blue: 300 blue, or 301 in a season containing
29 February. Season 2019-2020 is the one documented exception: in March 2020 the four red days
left were converted to white, so its real counts are 18 red / 47 white. That season keeps its own
quota here rather than loosening the rule for everybody.
"""

from __future__ import annotations

import calendar as _stdlib_calendar
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta

from bot.tempo.model import TempoColor

RED_DAYS_PER_SEASON = 22
WHITE_DAYS_PER_SEASON = 43


@dataclass(frozen=True, slots=True, kw_only=True)
class ColorCounts:
    """A number of days per colour."""

    blue: int = 0
    white: int = 0
    red: int = 0

    def get(self, color: TempoColor) -> int:
        """Return the count for ``color``."""
        if color is TempoColor.BLUE:
            return self.blue
        if color is TempoColor.WHITE:
            return self.white
        return self.red

    @property
    def total(self) -> int:
        """Return the number of days counted."""
        return self.blue + self.white + self.red


@dataclass(frozen=True, slots=True, kw_only=True, order=True)
class Season:
    """One Tempo season, named by its first year (``Season(start_year=2025)`` is 2025-2026)."""

    start_year: int

    @classmethod
    def of(cls, day: date) -> Season:
        """Return the season containing ``day``."""
        return cls(start_year=day.year if day.month >= 9 else day.year - 1)

    @classmethod
    def parse(cls, label: str) -> Season:
        """Parse ``"2025-2026"``; raise ``ValueError`` on anything else."""
        first, sep, second = label.strip().partition("-")
        if not sep or not first.isdigit() or not second.isdigit() or int(second) != int(first) + 1:
            raise ValueError(f"« {label} » is not a Tempo season like 2025-2026")
        return cls(start_year=int(first))

    @property
    def label(self) -> str:
        """Return ``"YYYY-YYYY"``, the form every source uses."""
        return f"{self.start_year}-{self.start_year + 1}"

    @property
    def first_day(self) -> date:
        """Return 1 September of the start year."""
        return date(self.start_year, 9, 1)

    @property
    def last_day(self) -> date:
        """Return 31 August of the following year."""
        return date(self.start_year + 1, 8, 31)

    @property
    def is_leap(self) -> bool:
        """Tell whether the season contains 29 February."""
        return _stdlib_calendar.isleap(self.start_year + 1)

    @property
    def length_days(self) -> int:
        """Return 365, or 366 in a leap season."""
        return 366 if self.is_leap else 365

    def contains(self, day: date) -> bool:
        """Tell whether ``day`` falls in this season."""
        return self.first_day <= day <= self.last_day

    def day_number(self, day: date) -> int:
        """Return the 1-based index of ``day`` in the season (1 = 1 September)."""
        if not self.contains(day):
            raise ValueError(f"{day} is not in season {self.label}")
        return (day - self.first_day).days + 1

    def days(self) -> list[date]:
        """Return every day of the season in order."""
        return [self.first_day + timedelta(days=offset) for offset in range(self.length_days)]

    def next(self) -> Season:
        """Return the following season."""
        return Season(start_year=self.start_year + 1)


# The only season whose real counts differ from the rule (reds converted to white in March 2020).
KNOWN_QUOTA_EXCEPTIONS: Mapping[int, tuple[int, int]] = {2019: (18, 47)}


def season_quota(season: Season) -> ColorCounts:
    """Return how many days of each colour ``season`` holds (22/43/300, or 301 blue if leap)."""
    red, white = KNOWN_QUOTA_EXCEPTIONS.get(
        season.start_year, (RED_DAYS_PER_SEASON, WHITE_DAYS_PER_SEASON)
    )
    return ColorCounts(blue=season.length_days - red - white, white=white, red=red)


def count_colors(season: Season, colors: Mapping[date, TempoColor]) -> ColorCounts:
    """Count the known days of ``season`` per colour."""
    counts = dict.fromkeys(TempoColor, 0)
    for day, color in colors.items():
        if season.contains(day):
            counts[color] += 1
    return ColorCounts(
        blue=counts[TempoColor.BLUE], white=counts[TempoColor.WHITE], red=counts[TempoColor.RED]
    )


@dataclass(frozen=True, slots=True, kw_only=True)
class SeasonCounters:
    """Used and remaining days per colour in one season, from what is known so far."""

    season: Season
    quota: ColorCounts
    used: ColorCounts
    unknown_days: int

    def remaining(self, color: TempoColor) -> int:
        """Return how many days of ``color`` are still to be placed (never negative)."""
        return max(0, self.quota.get(color) - self.used.get(color))


def season_counters(
    season: Season, colors: Mapping[date, TempoColor], *, through: date | None = None
) -> SeasonCounters:
    """Return the counters of ``season``; ``unknown_days`` counts gaps up to ``through``."""
    used = count_colors(season, colors)
    last = season.last_day if through is None else min(through, season.last_day)
    span = (last - season.first_day).days + 1 if last >= season.first_day else 0
    known_in_span = sum(1 for day in colors if season.first_day <= day <= last)
    return SeasonCounters(
        season=season, quota=season_quota(season), used=used, unknown_days=span - known_in_span
    )


def easter_sunday(year: int) -> date:
    """Return Easter Sunday of ``year`` (Gregorian computus, Meeus/Jones/Butcher)."""
    a = year % 19
    b, c = divmod(year, 100)
    d, e = divmod(b, 4)
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    l_ = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * l_) // 451
    month, day = divmod(h + l_ - 7 * m + 114, 31)
    return date(year, month, day + 1)


def french_public_holidays(year: int) -> frozenset[date]:
    """Return the national French public holidays of ``year`` (Alsace-Moselle extras excluded)."""
    easter = easter_sunday(year)
    fixed = [(1, 1), (5, 1), (5, 8), (7, 14), (8, 15), (11, 1), (11, 11), (12, 25)]
    movable = [easter + timedelta(days=offset) for offset in (1, 39, 50)]
    return frozenset([date(year, month, day) for month, day in fixed] + movable)


def is_french_public_holiday(day: date) -> bool:
    """Tell whether ``day`` is a national French public holiday."""
    return day in french_public_holidays(day.year)
