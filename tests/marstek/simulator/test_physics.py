"""Pure physics: SoC integration, efficiency, limits, standby, lazy sub-stepping."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.clock import ManualClock
from bot.marstek.simulator import default_load_curve
from bot.marstek.simulator.physics import Pack, efficiency
from tests.marstek.simulator.conftest import make_unit, result

CAPACITY_WH = 5120


def passive(power_w: int, countdown_s: int = 3600) -> dict[str, object]:
    """ES.SetMode params for Passive (device sign: − = charge)."""
    cfg = {"power": power_w, "cd_time": countdown_s}
    return {"id": 0, "config": {"mode": "Passive", "passive_cfg": cfg}}


def test_efficiency_is_095_at_power_and_poorer_at_low_power() -> None:
    assert efficiency(2500) == pytest.approx(0.95)
    assert efficiency(-250) == pytest.approx(0.95)
    assert efficiency(100) < efficiency(200) < 0.95
    assert efficiency(0) == pytest.approx(0.80)


def test_pack_limit_clamps_power_and_respects_soc_bounds() -> None:
    pack = Pack(capacity_wh=CAPACITY_WH, max_power_w=2500, dod_pct=88, soc_pct=50)
    assert pack.limit(9999) == 2500
    assert pack.limit(-9999) == -2500
    pack.soc_pct = 100
    assert pack.limit(-1000) == 0
    assert pack.limit(1000) == 1000
    pack.soc_pct = 12
    assert pack.limit(1000) == 0
    assert pack.limit(-1000) == -1000


async def test_passive_charge_for_one_hour_adds_about_46_pct(clock: ManualClock) -> None:
    unit = make_unit(clock, soc_pct=50)
    assert result(unit.call("ES.SetMode", passive(-2500)))["set_result"] is True
    await clock.advance(timedelta(hours=1))
    assert unit.soc_pct == pytest.approx(50 + 2500 * 0.95 / CAPACITY_WH * 100, abs=1e-6)
    assert result(unit.call("ES.GetStatus"))["total_grid_input_energy"] == 2500


async def test_charge_stops_at_100_pct(clock: ManualClock) -> None:
    unit = make_unit(clock, soc_pct=60)
    unit.call("ES.SetMode", passive(-2500))
    await clock.advance(timedelta(hours=1))  # 40 % needs ≈ 52 min at 2500 W × 0.95
    assert unit.soc_pct == 100.0
    assert unit.ac_power_w == 0
    status = result(unit.call("ES.GetStatus"))
    assert status["bat_soc"] == 100
    assert status["ongrid_power"] == 0
    # Only the energy that fitted was drawn: 40 % of 5120 Wh at 95 %.
    assert status["total_grid_input_energy"] == round(0.40 * CAPACITY_WH / 0.95)


async def test_discharge_stops_at_dod_floor(clock: ManualClock) -> None:
    unit = make_unit(clock, soc_pct=20, load_w=3000)
    unit.call("ES.SetMode", passive(2500))
    assert unit.ac_power_w == 2500
    await clock.advance(timedelta(hours=1))
    assert unit.soc_pct == pytest.approx(12.0)
    assert unit.ac_power_w == 0
    assert unit.grid_power_w == 3000
    output = result(unit.call("ES.GetStatus"))["total_grid_output_energy"]
    assert output == round(0.08 * CAPACITY_WH * 0.95)


async def test_dod_set_moves_the_floor(clock: ManualClock) -> None:
    unit = make_unit(clock, soc_pct=20, load_w=3000)
    assert result(unit.call("DOD.SET", {"value": 50}))["set_result"] is True
    unit.call("ES.SetMode", passive(2500))
    assert unit.ac_power_w == 0  # 20 % is already below the 50 % floor
    assert unit.dod_pct == 50


async def test_idle_unit_loses_standby_energy(clock: ManualClock) -> None:
    unit = make_unit(clock, soc_pct=50)
    unit.call("ES.SetMode", passive(0))
    await clock.advance(timedelta(hours=10))
    assert unit.soc_pct == pytest.approx(50 - 3.0 * 10 / CAPACITY_WH * 100)


async def test_an_hours_long_jump_equals_many_small_steps(clock: ManualClock) -> None:
    jumped = make_unit(clock, soc_pct=90)
    stepped_clock = ManualClock(clock.now())
    stepped = make_unit(stepped_clock, soc_pct=90)
    for unit in (jumped, stepped):
        unit.set_household(default_load_curve(seed=3))
    await clock.advance(timedelta(hours=9))
    for _ in range(9 * 60):
        await stepped_clock.advance(timedelta(minutes=1))
        _ = stepped.soc_pct  # read every minute: integrates in many small calls
    assert jumped.soc_pct == pytest.approx(stepped.soc_pct, abs=1e-6)
    assert 12 <= jumped.soc_pct < 90


def test_default_load_curve_is_deterministic_and_plausible() -> None:
    curve, same, other = default_load_curve(5), default_load_curve(5), default_load_curve(6)
    start = ManualClock(datetime(2025, 1, 6, tzinfo=UTC))  # 01:00 Paris
    instants = [start.now() + timedelta(minutes=15 * k) for k in range(96)]
    values = [curve(at) for at in instants]
    assert values == [same(at) for at in instants]
    assert values != [other(at) for at in instants]
    night = curve(start.now() + timedelta(hours=2))  # 03:00 Paris
    evening = curve(start.now() + timedelta(hours=18, minutes=30))  # 19:30 Paris
    assert 150 < night < 450
    assert evening > 3 * night
