"""Precedence (override > household rule > strategy) and "never charge while another discharges"."""

from __future__ import annotations

import math
from dataclasses import replace
from datetime import time, timedelta

import pytest

from bot.planning import (
    Action,
    ActionKind,
    BatteryState,
    Override,
    ReasonCode,
    ScheduleRule,
    Source,
    plan,
    reason_text,
)

from .scenario import (
    NAMES,
    PARIS,
    B,
    R,
    assert_never_cross_flow,
    at,
    doing,
    make_inputs,
    soc_at,
)

ETA = 0.94
CAPACITY = 5120.0


def steady_power(soc_pct: float, hours: float, target_pct: float = 100.0) -> float:
    """The lowest steady power (rounded up to 10 W) that stores the gap in ``hours``."""
    need = CAPACITY * (target_pct - soc_pct) / 100.0
    return math.ceil(need / ETA / hours / 10.0) * 10.0


# --- household rules and overrides ---------------------------------------------------------------

AUTO_DAY = ScheduleRule(
    name="Auto 07h–22h", action=Action.device("Auto"), start=time(7), end=time(22)
)
NOON_PAUSE = ScheduleRule(
    name="pause midi",
    action=Action.hold(),
    start=time(12),
    end=time(14),
    batteries=frozenset({"Venus 2"}),
    priority=1,
)
EVENING_UPS = ScheduleRule(
    name="UPS soir", action=Action.device("UPS"), start=time(20), end=time(23)
)


@pytest.mark.parametrize(
    ("name", "when", "expected_rule"),
    [
        ("Venus 1", "2026-01-14 13:00", "Auto 07h–22h"),
        ("Venus 2", "2026-01-14 13:00", "pause midi"),  # higher priority wins
        ("Venus 2", "2026-01-14 15:00", "Auto 07h–22h"),
        ("Venus 1", "2026-01-14 21:00", "Auto 07h–22h"),  # same priority: the first listed wins
        ("Venus 1", "2026-01-14 22:30", "UPS soir"),
    ],
)
def test_overlapping_household_rules(name: str, when: str, expected_rule: str) -> None:
    inputs = make_inputs(
        "2026-01-14 06:00",
        {"2026-01-14": B, "2026-01-15": B},
        rules=(AUTO_DAY, NOON_PAUSE, EVENING_UPS),
    )
    interval = doing(plan(inputs), name, when)
    assert interval.source is Source.RULE
    assert interval.param("rule") == expected_rule
    assert reason_text(interval) == f"règle : {expected_rule}"


def test_override_that_ends_mid_hc_leaves_less_time_and_more_power() -> None:
    pause = Override(
        action=Action.hold(),
        start=at("2026-01-14 21:00"),
        end=at("2026-01-15 02:00"),
        label="pause",
    )
    result = plan(
        make_inputs("2026-01-14 21:00", {"2026-01-14": B, "2026-01-15": R}, overrides=(pause,))
    )
    paused = doing(result, "Venus 1", "2026-01-14 23:00")
    assert (paused.source, paused.action.kind) == (Source.OVERRIDE, ActionKind.HOLD)
    assert reason_text(paused, now=at("2026-01-14 21:00")) == "pause jusqu'à 15/01 02h"
    assert reason_text(paused, now=at("2026-01-15 01:00")) == "pause jusqu'à 02h"
    charge = doing(result, "Venus 1", "2026-01-15 02:00")
    assert charge.reason is ReasonCode.PRECHARGE_RED
    assert charge.action.power_w == -steady_power(20, 3.5)
    assert soc_at(result, "Venus 1", "2026-01-15 05:30") == pytest.approx(100.0)


def test_override_beats_rule_beats_strategy() -> None:
    rule = ScheduleRule(
        name="nuit Auto",
        action=Action.device("Auto"),
        start=time(21),
        end=time(23),
        batteries=frozenset({"Venus 1"}),
    )
    override = Override(
        action=Action.hold(),
        start=at("2026-01-14 22:00"),
        end=at("2026-01-14 22:30"),
        battery="Venus 1",
    )
    result = plan(
        make_inputs(
            "2026-01-14 20:00",
            {"2026-01-14": B, "2026-01-15": R},
            socs=(12, 20, 20),
            rules=(rule,),
            overrides=(override,),
        )
    )
    assert doing(result, "Venus 1", "2026-01-14 20:30").source is Source.STRATEGY
    assert doing(result, "Venus 1", "2026-01-14 21:30").source is Source.RULE
    assert doing(result, "Venus 1", "2026-01-14 22:15").source is Source.OVERRIDE
    assert doing(result, "Venus 1", "2026-01-14 22:45").source is Source.RULE
    assert doing(result, "Venus 1", "2026-01-14 23:30").source is Source.STRATEGY


def test_rule_discharging_at_night_stops_the_others_from_charging() -> None:
    rule = ScheduleRule(
        name="Auto nuit",
        action=Action.device("Auto"),
        start=time(22),
        end=time(6),
        batteries=frozenset({"Venus 1"}),
    )
    result = plan(
        make_inputs(
            "2026-01-14 22:00", {"2026-01-14": B, "2026-01-15": R}, socs=(80, 20, 20), rules=(rule,)
        )
    )
    for name in ("Venus 2", "Venus 3"):
        held = doing(result, name, "2026-01-14 22:00")
        assert (held.action.kind, held.reason) == (ActionKind.HOLD, ReasonCode.CONFLICT)
        assert held.param("other") == "Venus 1"
    assert_never_cross_flow(result)


def test_override_charging_by_day_holds_the_self_consuming_others() -> None:
    force = Override(
        action=Action.charge(2000, 90),
        start=at("2026-01-14 14:00"),
        end=at("2026-01-14 16:00"),
        battery="Venus 3",
    )
    result = plan(
        make_inputs(
            "2026-01-14 13:00",
            {"2026-01-14": B, "2026-01-15": B},
            socs=(80, 80, 20),
            overrides=(force,),
        )
    )
    assert doing(result, "Venus 3", "2026-01-14 15:00").action.kind is ActionKind.CHARGE
    assert doing(result, "Venus 1", "2026-01-14 15:00").reason is ReasonCode.CONFLICT
    assert doing(result, "Venus 1", "2026-01-14 16:30").action.kind is ActionKind.SELF_CONSUMPTION
    assert_never_cross_flow(result)


def test_on_a_tie_the_discharging_side_holds() -> None:
    give = Override(
        action=Action.discharge(1000),
        start=at("2026-01-14 13:00"),
        end=at("2026-01-14 14:00"),
        battery="Venus 1",
    )
    take = Override(
        action=Action.charge(1000, 100),
        start=at("2026-01-14 13:00"),
        end=at("2026-01-14 14:00"),
        battery="Venus 2",
    )
    result = plan(
        make_inputs(
            "2026-01-14 13:00",
            {"2026-01-14": B, "2026-01-15": B},
            socs=(80, 50, 50),
            overrides=(give, take),
        )
    )
    assert doing(result, "Venus 1", "2026-01-14 13:00").reason is ReasonCode.CONFLICT
    assert doing(result, "Venus 2", "2026-01-14 13:00").action.kind is ActionKind.CHARGE
    assert_never_cross_flow(result)


def test_identical_batteries_get_identical_plans() -> None:
    result = plan(
        make_inputs(
            "2026-01-14 12:00",
            {"2026-01-14": B, "2026-01-15": R},
            socs=(30, 30, 30),
            load_w=4000,
            contract_va=6000,
        )
    )
    first = result.battery("Venus 1")
    for name in NAMES[1:]:
        other = result.battery(name)
        assert (other.intervals, other.steps) == (first.intervals, first.steps)


def test_plan_covers_the_horizon_without_gaps() -> None:
    inputs = make_inputs("2026-01-14 10:17", {"2026-01-14": B, "2026-01-15": R})
    result = plan(inputs)
    for item in result.batteries:
        assert item.intervals[0].start == inputs.now
        assert item.intervals[-1].end == inputs.now + inputs.horizon
        for before, after in zip(item.intervals, item.intervals[1:], strict=False):
            assert before.end == after.start
            assert before.action != after.action or before.reason != after.reason


def test_battery_state_defaults_are_a_venus_e() -> None:
    venus = BatteryState(name="x", soc_pct=50.0)
    assert (venus.capacity_wh, venus.max_charge_w, venus.floor_wh) == (5120.0, 2500.0, 614.4)


def test_without_tariff_slots_every_battery_holds() -> None:
    inputs = replace(make_inputs("2026-01-14 22:00", {}), slots=())
    result = plan(inputs)
    for item in result.batteries:
        (only,) = item.intervals
        assert (only.action.kind, only.reason) == (ActionKind.HOLD, ReasonCode.NO_TARIFF)


def test_local_now_is_accepted_and_the_plan_is_in_utc() -> None:
    inputs = make_inputs("2026-01-14 22:00", {"2026-01-14": B, "2026-01-15": R})
    local = replace(inputs, now=inputs.now.astimezone(PARIS))
    result = plan(local)
    assert result.created_at.utcoffset() == timedelta(0)
    assert result == plan(inputs)
