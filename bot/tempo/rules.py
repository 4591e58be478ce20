"""Hard Tempo rules: which colours a day may take, and a season validator.

Rules (RTE): red only 1 November → 31 March, Monday to Friday, at most 5 red days in a row;
white any day but Sunday; Sunday always blue; each season has a fixed stock per colour (an
exhausted stock makes that colour impossible). Secondary sources add "no red on a French public
holiday": it held every season since 2014, so it is applied here as a *safe* prediction rule.
These bounds are what the bot shows when every source fails.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from bot.tempo.model import TempoColor
from bot.tempo.seasons import Season, count_colors, is_french_public_holiday, season_quota

MAX_RED_RUN = 5
RED_MONTHS = frozenset({11, 12, 1, 2, 3})
SATURDAY, SUNDAY = 5, 6
ALL_COLORS = frozenset(TempoColor)


class Rule(StrEnum):
    """The rule a violation breaks."""

    RED_ON_WEEKEND = "red_on_weekend"
    RED_OUT_OF_SEASON = "red_out_of_season"
    RED_ON_HOLIDAY = "red_on_holiday"
    SUNDAY_NOT_BLUE = "sunday_not_blue"
    RED_RUN_TOO_LONG = "red_run_too_long"
    QUOTA_EXCEEDED = "quota_exceeded"
    QUOTA_NOT_MET = "quota_not_met"
    OUTSIDE_SEASON = "outside_season"


@dataclass(frozen=True, slots=True, kw_only=True)
class RuleViolation:
    """One broken rule; ``day`` is ``None`` for season-wide rules (quotas)."""

    rule: Rule
    day: date | None
    detail: str


def calendar_colors(day: date, *, holidays_rule: bool = True) -> frozenset[TempoColor]:
    """Return the colours ``day`` may take from the calendar alone (weekday, month, holiday)."""
    weekday = day.weekday()
    if weekday == SUNDAY:
        return frozenset({TempoColor.BLUE})
    red_ok = (
        weekday != SATURDAY
        and day.month in RED_MONTHS
        and not (holidays_rule and is_french_public_holiday(day))
    )
    if red_ok:
        return ALL_COLORS
    return frozenset({TempoColor.BLUE, TempoColor.WHITE})


def _red_run_through(day: date, known_days: Mapping[date, TempoColor]) -> int:
    """Return the length of the red run ``day`` would sit in if it were red."""
    before = 0
    cursor = day - timedelta(days=1)
    while known_days.get(cursor) is TempoColor.RED:
        before += 1
        cursor -= timedelta(days=1)
    after = 0
    cursor = day + timedelta(days=1)
    while known_days.get(cursor) is TempoColor.RED:
        after += 1
        cursor += timedelta(days=1)
    return before + 1 + after


def possible_colors(day: date, known_days: Mapping[date, TempoColor]) -> frozenset[TempoColor]:
    """Return the colours ``day`` can still take given the known days (a known day is itself).

    Uses the calendar rules, the red-run limit and the season stock (counted from the known days
    of the same season). If the known days themselves contradict the rules and nothing is left,
    the calendar-only bound is returned rather than an empty set.
    """
    if day in known_days:
        return frozenset({known_days[day]})
    allowed = set(calendar_colors(day))
    if TempoColor.RED in allowed and _red_run_through(day, known_days) > MAX_RED_RUN:
        allowed.discard(TempoColor.RED)
    season = Season.of(day)
    used = count_colors(season, known_days)
    quota = season_quota(season)
    for color in list(allowed):
        if used.get(color) >= quota.get(color):
            allowed.discard(color)
    return frozenset(allowed) if allowed else calendar_colors(day)


def _day_violations(day: date, color: TempoColor) -> list[RuleViolation]:
    weekday = day.weekday()
    found: list[RuleViolation] = []
    if weekday == SUNDAY and color is not TempoColor.BLUE:
        found.append(RuleViolation(rule=Rule.SUNDAY_NOT_BLUE, day=day, detail=f"{color} on Sunday"))
    if color is TempoColor.RED:
        if weekday in (SATURDAY, SUNDAY):
            found.append(RuleViolation(rule=Rule.RED_ON_WEEKEND, day=day, detail="red on weekend"))
        if day.month not in RED_MONTHS:
            found.append(
                RuleViolation(rule=Rule.RED_OUT_OF_SEASON, day=day, detail="red outside Nov–Mar")
            )
        if is_french_public_holiday(day):
            found.append(
                RuleViolation(rule=Rule.RED_ON_HOLIDAY, day=day, detail="red on public holiday")
            )
    return found


def _run_violations(colors: Mapping[date, TempoColor]) -> list[RuleViolation]:
    found: list[RuleViolation] = []
    run = 0
    previous: date | None = None
    for day in sorted(colors):
        if colors[day] is TempoColor.RED:
            consecutive = previous is not None and day - previous == timedelta(days=1)
            run = run + 1 if consecutive else 1
        else:
            run = 0
        if run == MAX_RED_RUN + 1:
            found.append(
                RuleViolation(
                    rule=Rule.RED_RUN_TOO_LONG,
                    day=day,
                    detail=f"more than {MAX_RED_RUN} red in a row",
                )
            )
        previous = day
    return found


def validate_season(season: Season, colors: Mapping[date, TempoColor]) -> list[RuleViolation]:
    """Check the known days of ``season`` against every rule; return the violations found.

    Quotas must never be exceeded; when every day of the season is known they must also be met
    exactly (with 2019-2020's documented counts, see :mod:`bot.tempo.seasons`).
    """
    found = [
        RuleViolation(rule=Rule.OUTSIDE_SEASON, day=day, detail=f"not in {season.label}")
        for day in sorted(colors)
        if not season.contains(day)
    ]
    in_season = {day: color for day, color in colors.items() if season.contains(day)}
    for day in sorted(in_season):
        found.extend(_day_violations(day, in_season[day]))
    found.extend(_run_violations(in_season))
    used = count_colors(season, in_season)
    quota = season_quota(season)
    complete = len(in_season) == season.length_days
    for color in TempoColor:
        have, allowed = used.get(color), quota.get(color)
        if have > allowed:
            found.append(
                RuleViolation(
                    rule=Rule.QUOTA_EXCEEDED, day=None, detail=f"{have} {color} > {allowed}"
                )
            )
        elif complete and have < allowed:
            found.append(
                RuleViolation(
                    rule=Rule.QUOTA_NOT_MET, day=None, detail=f"{have} {color} < {allowed}"
                )
            )
    return found
