"""The planner over the scenario tables of issue 7 (Paris wall times, shipped price table)."""

from __future__ import annotations

import math

import pytest

from bot.planning import (
    Action,
    ActionKind,
    HalfHourForecast,
    ReasonCode,
    StrategySettings,
    plan,
    reason_text,
    transitions,
)
from bot.tempo.model import TempoColor

from .scenario import (
    NAMES,
    B,
    R,
    W,
    assert_never_cross_flow,
    at,
    battery,
    charge_w,
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


# --- single red day ---------------------------------------------------------------------------


def test_single_red_day_fills_every_battery_by_its_free_capacity() -> None:
    inputs = make_inputs("2026-01-14 22:00", {"2026-01-14": B, "2026-01-15": R}, socs=(20, 50, 12))
    result = plan(inputs)
    for name, soc in zip(NAMES, (20, 50, 12), strict=True):
        charge = doing(result, name, "2026-01-14 22:00")
        assert charge.action.kind is ActionKind.CHARGE
        assert charge.reason is ReasonCode.PRECHARGE_RED
        assert charge.action.power_w == -steady_power(soc, 7.5)
        assert charge.action.target_soc_pct == 100.0
        # One steady interval from 22:00 to the deadline, 30 min before 06:00.
        assert (charge.start, charge.end) == (at("2026-01-14 22:00"), at("2026-01-15 05:30"))
        assert soc_at(result, name, "2026-01-15 05:30") == pytest.approx(100.0)
        assert doing(result, name, "2026-01-15 05:45").reason is ReasonCode.TARGET_REACHED
        peak = doing(result, name, "2026-01-15 12:00")
        assert peak.action.kind is ActionKind.SELF_CONSUMPTION
    powers = [charge_w(doing(result, n, "2026-01-14 23:00")) for n in NAMES]
    assert powers[2] > powers[0] > powers[1]  # more free capacity → more power
    assert reason_text(doing(result, "Venus 1", "2026-01-14 23:00")) == "précharge avant jour rouge"
    assert_never_cross_flow(result)


def test_red_day_peak_hours_discharge_down_to_the_floor_only() -> None:
    settings = StrategySettings(wear_cost_eur_kwh=0.02)
    inputs = make_inputs(
        "2026-01-15 06:00",
        {"2026-01-15": R, "2026-01-16": B},
        socs=(100, 100, 100),
        load_w=3000,
        settings=settings,
    )
    result = plan(inputs)
    assert doing(result, "Venus 1", "2026-01-15 06:00").action == Action.self_consumption()
    assert soc_at(result, "Venus 1", "2026-01-15 21:59") == pytest.approx(12.0)
    night = doing(result, "Venus 1", "2026-01-15 22:30")
    assert (night.action.kind, night.reason) == (ActionKind.HOLD, ReasonCode.NOT_WORTH)


def test_transitions_list_each_action_change_once() -> None:
    result = plan(make_inputs("2026-01-14 21:00", {"2026-01-14": B, "2026-01-15": R}))
    changes = [
        (t.at, t.interval.action.kind) for t in transitions(result) if t.battery == "Venus 1"
    ]
    assert changes[:4] == [
        (at("2026-01-14 21:00"), ActionKind.SELF_CONSUMPTION),
        (at("2026-01-14 22:00"), ActionKind.CHARGE),
        (at("2026-01-15 05:30"), ActionKind.HOLD),
        (at("2026-01-15 06:00"), ActionKind.SELF_CONSUMPTION),
    ]


# --- red streak across a weekend --------------------------------------------------------------

STREAK = {"2026-01-15": R, "2026-01-16": R, "2026-01-17": W, "2026-01-18": B, "2026-01-19": R}


def _known_until(last: str) -> dict[str, TempoColor]:
    return {day: color for day, color in STREAK.items() if day <= last}


@pytest.mark.parametrize(
    ("now", "known_until", "when", "kind", "reason"),
    [
        # Thursday evening: Friday is red too → the red HC night recharges.
        (
            "2026-01-15 21:00",
            "2026-01-16",
            "2026-01-15 23:00",
            ActionKind.CHARGE,
            ReasonCode.PRECHARGE_RED,
        ),
        (
            "2026-01-15 21:00",
            "2026-01-16",
            "2026-01-16 12:00",
            ActionKind.SELF_CONSUMPTION,
            ReasonCode.SELF_CONSUMPTION,
        ),
        # Friday night, Saturday unknown (never red): red HC → blue HP does not pay.
        (
            "2026-01-15 21:00",
            "2026-01-16",
            "2026-01-16 23:00",
            ActionKind.HOLD,
            ReasonCode.NOT_WORTH,
        ),
        # Friday evening, Saturday known white: red HC → white HP pays a little (no wear).
        (
            "2026-01-16 21:00",
            "2026-01-17",
            "2026-01-16 23:00",
            ActionKind.CHARGE,
            ReasonCode.PRECHARGE_ECONOMIC,
        ),
        # Saturday night (white HC) before blue Sunday: does not pay.
        (
            "2026-01-17 21:00",
            "2026-01-18",
            "2026-01-17 23:00",
            ActionKind.HOLD,
            ReasonCode.NOT_WORTH,
        ),
        # Sunday evening, Monday red: precharge again.
        (
            "2026-01-18 21:00",
            "2026-01-19",
            "2026-01-18 23:00",
            ActionKind.CHARGE,
            ReasonCode.PRECHARGE_RED,
        ),
    ],
)
def test_red_streak_across_a_weekend(
    now: str, known_until: str, when: str, kind: ActionKind, reason: ReasonCode
) -> None:
    colors = {"2026-01-14": B, **_known_until(known_until)}
    result = plan(make_inputs(now, colors))
    interval = doing(result, "Venus 2", when)
    assert (interval.action.kind, interval.reason) == (kind, reason)
    assert_never_cross_flow(result)


def test_red_streak_recharges_fully_in_the_red_night() -> None:
    colors = {"2026-01-15": R, "2026-01-16": R}
    result = plan(make_inputs("2026-01-15 06:00", colors, socs=(100, 100, 100), load_w=2500))
    assert soc_at(result, "Venus 1", "2026-01-15 22:00") < 50.0
    assert soc_at(result, "Venus 1", "2026-01-16 05:30") == pytest.approx(100.0)


# --- DST ---------------------------------------------------------------------------------------


def test_red_day_after_the_spring_switch_uses_local_hours() -> None:
    # Sunday 29 March 2026 02:00 → 03:00; Monday 30 March is red. Plan from Saturday evening.
    colors = {"2026-03-28": B, "2026-03-29": B, "2026-03-30": R}
    result = plan(make_inputs("2026-03-28 22:00", colors))
    saturday_night = doing(result, "Venus 1", "2026-03-28 23:00")  # 7 h night (22:00 → 06:00)
    assert saturday_night.reason is ReasonCode.PRECHARGE_ECONOMIC
    assert saturday_night.end == at("2026-03-29 05:30")
    assert saturday_night.action.power_w == -steady_power(20, 6.5)
    red_night = doing(result, "Venus 1", "2026-03-29 23:00")
    assert red_night.reason is ReasonCode.PRECHARGE_RED
    assert (red_night.start, red_night.end) == (at("2026-03-29 22:00"), at("2026-03-30 05:30"))
    assert red_night.start.hour == 20  # 22:00 CEST is 20:00 UTC after the switch
    assert doing(result, "Venus 1", "2026-03-30 06:00").action.kind is ActionKind.SELF_CONSUMPTION


def test_autumn_switch_night_lasts_nine_hours() -> None:
    colors = {"2026-10-24": B, "2026-10-25": B}
    result = plan(make_inputs("2026-10-24 22:00", colors))
    night = doing(result, "Venus 1", "2026-10-24 22:00")
    assert night.action.kind is ActionKind.CHARGE
    assert (night.end - night.start).total_seconds() == 8.5 * 3600
    assert night.action.power_w == -steady_power(20, 8.5)


# --- unknown colour at 22:00 --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("settings", "kind", "reason"),
    [
        (StrategySettings(), ActionKind.CHARGE, ReasonCode.PRECHARGE_UNKNOWN),
        (
            StrategySettings(precharge_when_unknown=False),
            ActionKind.CHARGE,
            ReasonCode.PRECHARGE_ECONOMIC,
        ),
        (
            StrategySettings(precharge_when_unknown=False, wear_cost_eur_kwh=0.02),
            ActionKind.HOLD,
            ReasonCode.NOT_WORTH,
        ),
    ],
)
def test_unknown_colour_at_22h(
    settings: StrategySettings, kind: ActionKind, reason: ReasonCode
) -> None:
    result = plan(make_inputs("2026-01-14 22:00", {"2026-01-14": B}, settings=settings))
    interval = doing(result, "Venus 1", "2026-01-14 22:00")
    assert (interval.action.kind, interval.reason) == (kind, reason)


def test_unknown_saturday_is_no_reason_for_insurance() -> None:
    result = plan(
        make_inputs(
            "2026-01-16 22:00", {"2026-01-16": W}, settings=StrategySettings(wear_cost_eur_kwh=0.02)
        )
    )
    assert doing(result, "Venus 1", "2026-01-16 22:00").reason is ReasonCode.NOT_WORTH


def test_white_treated_as_red() -> None:
    settings = StrategySettings(treat_white_as_red=True, wear_cost_eur_kwh=0.05)
    result = plan(
        make_inputs("2026-01-16 22:00", {"2026-01-16": B, "2026-01-17": W}, settings=settings)
    )
    assert doing(result, "Venus 1", "2026-01-16 22:00").reason is ReasonCode.PRECHARGE_WHITE


# --- low contract power -------------------------------------------------------------------------


def test_low_contract_caps_charging_and_keeps_a_reserve_through_the_day() -> None:
    colors = {"2026-01-14": B, "2026-01-15": R}
    inputs = make_inputs(
        "2026-01-14 12:00", colors, socs=(60, 60, 60), load_w=4000, contract_va=6000
    )
    result = plan(inputs)
    # The night alone can store 1400 W × 8 h × 0.94 (split in 3): keep the rest from today.
    night_wh = (6000 * 0.9 - 4000) / 3 * 8 * ETA
    reserve_pct = (CAPACITY - night_wh) / CAPACITY * 100
    day = doing(result, "Venus 1", "2026-01-14 12:00")
    assert day.reason is ReasonCode.RESERVE
    assert day.action.floor_soc_pct == pytest.approx(reserve_pct, abs=0.1)
    assert soc_at(result, "Venus 1", "2026-01-14 22:00") == pytest.approx(reserve_pct, abs=0.1)
    total_charge = sum(charge_w(doing(result, n, "2026-01-14 23:00")) for n in NAMES)
    assert 4000 + total_charge <= 6000 * 0.9
    night = doing(result, "Venus 1", "2026-01-14 23:00")
    assert night.param("limited") == "contract"
    assert "limitée par l'abonnement" in reason_text(night)
    assert soc_at(result, "Venus 1", "2026-01-15 06:00") > 98.0
    assert_never_cross_flow(result)


def test_low_contract_tops_up_in_peak_hours_when_the_reserve_is_short() -> None:
    colors = {"2026-01-14": B, "2026-01-15": R}
    inputs = make_inputs(
        "2026-01-14 12:00", colors, socs=(15, 15, 15), load_w=4000, contract_va=6000
    )
    result = plan(inputs)
    top_up = doing(result, "Venus 2", "2026-01-14 12:00")
    assert top_up.action.kind is ActionKind.CHARGE
    assert top_up.reason is ReasonCode.TOP_UP_PEAK
    assert charge_w(top_up) * 3 + 4000 <= 6000 * 0.9
    assert soc_at(result, "Venus 2", "2026-01-15 06:00") > 98.0
    assert_never_cross_flow(result)


def test_contract_shortfall_is_reported() -> None:
    colors = {"2026-01-14": B, "2026-01-15": R}
    result = plan(
        make_inputs("2026-01-14 22:00", colors, socs=(12, 12, 12), load_w=4000, contract_va=6000)
    )
    assert {name for name, _ in result.shortfalls_wh} == set(NAMES)
    assert all(gap > 500 for _, gap in result.shortfalls_wh)


# --- a battery unreachable ----------------------------------------------------------------------


def test_unreachable_battery_is_left_out_and_the_others_carry_on() -> None:
    fleet = (
        battery("Venus 1", 40.0, reachable=False),
        battery("Venus 2", 20.0),
        battery("Venus 3", None),
    )
    result = plan(
        make_inputs("2026-01-14 22:00", {"2026-01-14": B, "2026-01-15": R}, batteries=fleet)
    )
    for name in ("Venus 1", "Venus 3"):
        (only,) = result.battery(name).intervals
        assert only.reason is ReasonCode.UNREACHABLE
        assert only.action.kind is ActionKind.HOLD
        assert result.battery(name).steps[0].soc_start_pct is None
    charge = doing(result, "Venus 2", "2026-01-14 22:00")
    assert charge.action.power_w == -steady_power(20, 7.5)
    assert reason_text(result.battery("Venus 1").intervals[0], "en") == "unreachable"


def test_tight_contract_charges_harder_when_the_house_draws_less() -> None:
    # 6 kVA, the house draws 4 kW until 01:00 then 1 kW: the night is planned half-hour by
    # half-hour, and the charge fills the room the house leaves.
    start = at("2026-01-14 22:00")
    values = tuple(4000.0 if index < 6 else 1000.0 for index in range(96))
    load = HalfHourForecast(start, values)
    inputs = make_inputs(
        "2026-01-14 22:00",
        {"2026-01-14": B, "2026-01-15": R},
        socs=(12, 12, 12),
        load_w=load,
        contract_va=6000,
    )
    result = plan(inputs)
    early = sum(charge_w(doing(result, n, "2026-01-14 22:30")) for n in NAMES)
    late = sum(charge_w(doing(result, n, "2026-01-15 02:00")) for n in NAMES)
    assert early + 4000 <= 6000 * 0.9
    assert late + 1000 <= 6000 * 0.9
    # 3 h capped at 1400 W, then the rest spread evenly: a water level, not the night's worst cap.
    assert late == pytest.approx(3 * math.ceil((4505.6 / ETA - 3 * 1400 / 3) / 4.5 / 10) * 10)
    assert soc_at(result, "Venus 1", "2026-01-15 06:00") > 99.0
    assert not result.shortfalls_wh
    assert_never_cross_flow(result)
