"""What makes a schedule rule acceptable: distinct times, a power within the battery's limit,
and no overlap with another enabled rule for the same batteries.

Overlap is judged on the real week: a rule's occurrence on a day runs from its start to its end,
the next day when the end is not after the start (22:00→06:00 on Friday ends Saturday 06:00,
and Sunday's runs into Monday). Two enabled rules overlap when some instant of the week falls
in both and they concern the same battery, or either concerns every battery.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import time
from enum import StrEnum

from bot.storage.models import ScheduleRule
from bot.telegram_ui.schedules.parsing import ALL_DAYS, InputError

DEFAULT_MAX_POWER_W = 2500
MINUTES_PER_DAY = 24 * 60
MINUTES_PER_WEEK = 7 * MINUTES_PER_DAY


class RuleMode(StrEnum):
    """What a rule asks of the batteries (the value is what ``schedule_rules.mode`` stores)."""

    AUTO = "auto"
    AI = "ai"
    CHARGE = "charge"
    DISCHARGE = "discharge"
    UPS = "ups"

    @property
    def needs_power(self) -> bool:
        """Tell whether the rule carries a power (forced charge or discharge)."""
        return self in (RuleMode.CHARGE, RuleMode.DISCHARGE)

    @classmethod
    def of(cls, stored: str) -> RuleMode | None:
        """The mode of a stored rule, None if it is not one this editor knows."""
        try:
            return cls(stored.strip().lower())
        except ValueError:
            return None


@dataclass(frozen=True, slots=True, kw_only=True)
class RuleDraft:
    """A complete rule about to be saved (``rule_id`` set when it replaces an existing one)."""

    days_mask: int
    start: time
    end: time
    mode: RuleMode
    power_w: int | None
    battery_id: int | None
    enabled: bool = True
    rule_id: int | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class BatteryRef:
    """A battery rules may name: its database id, name and power limit if known."""

    battery_id: int
    name: str
    max_power_w: int | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class PowerLimit:
    """The largest power a rule may ask, and the battery that sets it (None = the default)."""

    max_power_w: int
    battery: str | None = None


class OverlapError(InputError):
    """The draft overlaps ``rule``, another enabled rule for the same batteries."""

    def __init__(self, rule: ScheduleRule) -> None:
        super().__init__("schedules.error.overlap", rule_id=rule.id)
        self.rule = rule


def week_intervals(days_mask: int, start: time, end: time) -> list[tuple[int, int]]:
    """The rule's occurrences as [start, end) minutes of the week (Monday 00:00 = 0)."""
    first = start.hour * 60 + start.minute
    last = end.hour * 60 + end.minute
    length = (last - first) % MINUTES_PER_DAY or MINUTES_PER_DAY
    intervals: list[tuple[int, int]] = []
    for day in range(7):
        if not days_mask & (1 << day):
            continue
        begin = day * MINUTES_PER_DAY + first
        finish = begin + length
        if finish <= MINUTES_PER_WEEK:
            intervals.append((begin, finish))
        else:  # Sunday night runs into Monday morning
            intervals += [(begin, MINUTES_PER_WEEK), (0, finish - MINUTES_PER_WEEK)]
    return intervals


def _intersect(a: Iterable[tuple[int, int]], b: Sequence[tuple[int, int]]) -> bool:
    return any(s1 < e2 and s2 < e1 for s1, e1 in a for s2, e2 in b)


def _same_scope(first: int | None, second: int | None) -> bool:
    return first is None or second is None or first == second


def overlapping_rule(draft: RuleDraft, rules: Iterable[ScheduleRule]) -> ScheduleRule | None:
    """The first other enabled rule the draft overlaps, if any (a disabled draft overlaps none)."""
    if not draft.enabled:
        return None
    mine = week_intervals(draft.days_mask, draft.start, draft.end)
    for rule in rules:
        if rule.id == draft.rule_id or not rule.enabled:
            continue
        if not _same_scope(draft.battery_id, rule.battery_id):
            continue
        if _intersect(mine, week_intervals(rule.days_mask, rule.start, rule.end)):
            return rule
    return None


def power_limit(batteries: Sequence[BatteryRef], battery_id: int | None) -> PowerLimit:
    """The limit for one battery, or the strictest of all batteries (None = every battery)."""
    concerned = [b for b in batteries if battery_id is None or b.battery_id == battery_id]
    known = [b for b in concerned if b.max_power_w is not None]
    if not known:
        return PowerLimit(max_power_w=DEFAULT_MAX_POWER_W)
    strictest = min(known, key=lambda b: b.max_power_w or 0)
    return PowerLimit(
        max_power_w=strictest.max_power_w or DEFAULT_MAX_POWER_W, battery=strictest.name
    )


def check_power(mode: RuleMode, power_w: int | None, limit: PowerLimit) -> None:
    """Refuse a missing, null or too large power for a charge/discharge rule."""
    if not mode.needs_power:
        return
    if power_w is None or power_w <= 0:
        raise InputError("schedules.error.power_zero")
    if power_w > limit.max_power_w:
        key = "schedules.error.power_limit" if limit.battery else "schedules.error.power_default"
        raise InputError(key, power_w=power_w, limit_w=limit.max_power_w, battery=limit.battery)


def check_times(start: time, end: time) -> None:
    """Refuse a window that starts and ends at the same time."""
    if start == end:
        raise InputError("schedules.error.same_time")


def validate(draft: RuleDraft, rules: Iterable[ScheduleRule], limit: PowerLimit) -> None:
    """Raise InputError (OverlapError for an overlap) if the draft may not be saved."""
    if not 1 <= draft.days_mask <= ALL_DAYS:
        raise InputError("schedules.error.no_day")
    check_times(draft.start, draft.end)
    check_power(draft.mode, draft.power_w, limit)
    other = overlapping_rule(draft, rules)
    if other is not None:
        raise OverlapError(other)
