"""Overlaps on the real week (midnight and Sunday→Monday included), scopes and power limits."""

from __future__ import annotations

from datetime import UTC, datetime, time

import pytest

from bot.storage.models import ScheduleRule
from bot.telegram_ui.schedules.parsing import ALL_DAYS, WEEKDAYS, WEEKEND, InputError
from bot.telegram_ui.schedules.validation import (
    DEFAULT_MAX_POWER_W,
    BatteryRef,
    OverlapError,
    PowerLimit,
    RuleDraft,
    RuleMode,
    check_power,
    overlapping_rule,
    power_limit,
    validate,
    week_intervals,
)

T0 = datetime(2026, 1, 14, 9, tzinfo=UTC)
MON, TUE, SAT, SUN = 1, 2, 32, 64


def _rule(
    rule_id: int,
    days: int,
    start: time,
    end: time,
    *,
    battery: int | None = None,
    enabled: bool = True,
) -> ScheduleRule:
    return ScheduleRule(
        id=rule_id,
        days_mask=days,
        start=start,
        end=end,
        mode="auto",
        power_w=None,
        enabled=enabled,
        battery_id=battery,
        created_by="1001",
        created_at=T0,
        updated_at=T0,
    )


def _draft(
    days: int,
    start: time,
    end: time,
    *,
    battery: int | None = None,
    rule_id: int | None = None,
    mode: RuleMode = RuleMode.AUTO,
    power_w: int | None = None,
) -> RuleDraft:
    return RuleDraft(
        days_mask=days,
        start=start,
        end=end,
        mode=mode,
        power_w=power_w,
        battery_id=battery,
        rule_id=rule_id,
    )


def test_week_intervals_cross_midnight_and_the_week_end() -> None:
    assert week_intervals(MON, time(22), time(6)) == [(22 * 60, 30 * 60)]
    sunday = 6 * 1440
    assert week_intervals(SUN, time(22), time(6)) == [(sunday + 22 * 60, 7 * 1440), (0, 360)]
    assert week_intervals(MON, time(18), time(0)) == [(18 * 60, 24 * 60)]
    assert len(week_intervals(ALL_DAYS, time(7), time(8))) == 7


NIGHT = _rule(1, WEEKDAYS, time(22), time(6))


@pytest.mark.parametrize(
    ("draft", "overlaps"),
    [
        (_draft(MON, time(23), time(23, 30)), True),  # inside Monday night
        (_draft(TUE, time(5), time(7)), True),  # Monday's night runs into Tuesday morning
        (_draft(SAT, time(0), time(5)), True),  # Friday's night runs into Saturday
        (_draft(MON, time(5), time(7)), False),  # no Sunday rule: Monday 05:00 is free
        (_draft(MON, time(6), time(22)), False),  # end is exclusive, start inclusive
        (_draft(SUN, time(20), time(23)), False),
        (_draft(SUN, time(23), time(1)), False),  # runs into Monday 01:00, before 22:00
        (_draft(SUN, time(23), time(22, 30)), True),  # runs until Monday 22:30
        (_draft(WEEKEND, time(10), time(16)), False),
        (_draft(ALL_DAYS, time(21), time(22, 1)), True),
    ],
)
def test_overlaps_on_the_real_week(draft: RuleDraft, overlaps: bool) -> None:
    assert (overlapping_rule(draft, [NIGHT]) is NIGHT) is overlaps


def test_sunday_night_overlaps_monday_morning() -> None:
    sunday_night = _rule(2, SUN, time(22), time(6))
    assert overlapping_rule(_draft(MON, time(5), time(7)), [sunday_night]) is sunday_night


def test_scope_disabled_rules_and_itself_are_not_in_the_way() -> None:
    for_one = _rule(3, WEEKDAYS, time(22), time(6), battery=7)
    off = _rule(4, WEEKDAYS, time(22), time(6), enabled=False)
    assert overlapping_rule(_draft(MON, time(23), time(1), battery=8), [for_one, off]) is None
    assert overlapping_rule(_draft(MON, time(23), time(1), battery=7), [for_one]) is for_one
    assert overlapping_rule(_draft(MON, time(23), time(1)), [for_one]) is for_one  # all ⊇ one
    assert overlapping_rule(_draft(MON, time(23), time(1), battery=7, rule_id=3), [for_one]) is None
    disabled = RuleDraft(
        days_mask=MON,
        start=time(23),
        end=time(1),
        mode=RuleMode.AUTO,
        power_w=None,
        battery_id=None,
        enabled=False,
    )
    assert overlapping_rule(disabled, [for_one]) is None


def test_power_limit_per_battery_and_strictest_for_all() -> None:
    refs = [
        BatteryRef(battery_id=1, name="Venus E", max_power_w=2500),
        BatteryRef(battery_id=2, name="Venus A", max_power_w=1500),
        BatteryRef(battery_id=3, name="Unknown"),
    ]
    assert power_limit(refs, 1) == PowerLimit(max_power_w=2500, battery="Venus E")
    assert power_limit(refs, None) == PowerLimit(max_power_w=1500, battery="Venus A")
    assert power_limit(refs, 3) == PowerLimit(max_power_w=DEFAULT_MAX_POWER_W)
    assert power_limit([], None).max_power_w == 2500


def test_power_checks() -> None:
    limit = PowerLimit(max_power_w=2500, battery="Venus 1")
    check_power(RuleMode.AUTO, None, limit)
    check_power(RuleMode.CHARGE, 2500, limit)
    with pytest.raises(InputError) as caught:
        check_power(RuleMode.DISCHARGE, 2501, limit)
    assert caught.value.key == "schedules.error.power_limit"
    assert caught.value.params == {"power_w": 2501, "limit_w": 2500, "battery": "Venus 1"}
    with pytest.raises(InputError) as caught:
        check_power(RuleMode.CHARGE, 3000, PowerLimit(max_power_w=2500))
    assert caught.value.key == "schedules.error.power_default"
    with pytest.raises(InputError):
        check_power(RuleMode.CHARGE, None, limit)


def test_validate_orders_its_refusals() -> None:
    limit = PowerLimit(max_power_w=2500)
    with pytest.raises(InputError, match="same_time"):
        validate(_draft(MON, time(7), time(7)), [], limit)
    with pytest.raises(InputError, match="no_day"):
        validate(_draft(0, time(7), time(8)), [], limit)
    with pytest.raises(OverlapError) as caught:
        validate(_draft(MON, time(23), time(1)), [NIGHT], limit)
    assert caught.value.rule is NIGHT
    assert caught.value.params == {"rule_id": 1}
    validate(_draft(SAT, time(7), time(8), mode=RuleMode.CHARGE, power_w=500), [NIGHT], limit)


def test_modes() -> None:
    assert RuleMode.of(" Charge ") is RuleMode.CHARGE
    assert RuleMode.of("Passive") is None
    assert [m.needs_power for m in RuleMode] == [False, False, True, True, False]
