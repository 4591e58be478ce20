"""Mode behaviour on a manual clock: Auto, Manual slots, Passive countdown, UPS, apply delay."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from bot.clock import ManualClock
from bot.marstek.simulator import PROFILES, constant
from tests.marstek.simulator.conftest import make_unit, result

MONDAY_ONLY = 1
EVERY_DAY = 127


def set_mode(mode: str, **cfg: Any) -> dict[str, Any]:
    """ES.SetMode params for ``mode`` with its ``<mode>_cfg``."""
    key = f"{mode.lower()}_cfg"
    return {"id": 0, "config": {"mode": mode, key: cfg or {"enable": 1}}}


def manual(
    slot: int, start: str, end: str, week: int, power_w: int, *, enable: int = 1
) -> dict[str, Any]:
    """ES.SetMode params writing one manual slot."""
    return set_mode(
        "Manual",
        time_num=slot,
        start_time=start,
        end_time=end,
        week_set=week,
        power=power_w,
        enable=enable,
    )


async def test_auto_cancels_the_house_load(clock: ManualClock) -> None:
    unit = make_unit(clock, soc_pct=80, load_w=800)
    assert unit.mode == "Auto"
    assert unit.ac_power_w == 800
    assert unit.grid_power_w == 0
    meter = result(unit.call("EM.GetStatus"))
    assert meter["total_power"] == 0
    await clock.advance(timedelta(hours=1))
    assert unit.soc_pct == pytest.approx(80 - 800 / 0.95 / 5120 * 100)


async def test_auto_charges_from_pv_surplus_within_power_limit(clock: ManualClock) -> None:
    unit = make_unit(clock, soc_pct=50)
    unit.set_household(constant(500), constant(4000))
    assert unit.ac_power_w == -2500
    assert unit.grid_power_w == -1000  # the rest is exported
    status = result(unit.call("ES.GetStatus"))
    assert status["ongrid_power"] == -2500
    assert status["bat_power"] == 2500


async def test_auto_at_floor_leaves_the_load_to_the_grid(clock: ManualClock) -> None:
    unit = make_unit(clock, soc_pct=12, load_w=600)
    assert unit.ac_power_w == 0
    assert result(unit.call("EM.GetStatus"))["total_power"] == 600


async def test_ai_behaves_like_auto(clock: ManualClock) -> None:
    unit = make_unit(clock, load_w=700)
    assert result(unit.call("ES.SetMode", set_mode("AI")))["set_result"] is True
    assert unit.mode == "AI"
    assert unit.ac_power_w == 700


async def test_manual_slot_runs_only_on_its_weekday_and_window(clock: ManualClock) -> None:
    unit = make_unit(clock, soc_pct=20, load_w=300)
    reply = unit.call("ES.SetMode", manual(0, "22:00", "23:59", MONDAY_ONLY, -1500))
    assert result(reply)["set_result"] is True
    assert unit.mode == "Manual"
    assert unit.ac_power_w == 0  # Monday 00:00: outside the window, idle
    await clock.advance(timedelta(hours=21, minutes=59))
    assert unit.ac_power_w == 0  # 21:59
    await clock.advance(timedelta(minutes=1))
    assert unit.ac_power_w == -1500  # 22:00
    await clock.advance(timedelta(hours=1, minutes=59))
    assert unit.ac_power_w == -1500  # 23:59: "23:59" runs to midnight
    await clock.advance(timedelta(minutes=1))
    assert unit.ac_power_w == 0  # Tuesday 00:00
    await clock.advance(timedelta(hours=22, minutes=30))
    assert unit.ac_power_w == 0  # Tuesday 22:30: not a Monday
    # Charged exactly two hours at 1500 W.
    assert result(unit.call("ES.GetStatus"))["total_grid_input_energy"] == 3000


async def test_manual_self_consumption_slot_and_midnight_crossing(clock: ManualClock) -> None:
    unit = make_unit(clock, soc_pct=60, load_w=400)
    unit.call("ES.SetMode", manual(1, "22:00", "06:00", MONDAY_ONLY, -1))
    await clock.advance(timedelta(hours=23))
    assert unit.ac_power_w == 400  # Monday 23:00: self-consumption
    await clock.advance(timedelta(hours=4))
    assert unit.ac_power_w == 400  # Tuesday 03:00: the Monday slot runs past midnight
    await clock.advance(timedelta(hours=3))
    assert unit.ac_power_w == 0  # Tuesday 06:00: over


async def test_slots_persist_and_the_lowest_index_wins(clock: ManualClock) -> None:
    unit = make_unit(clock, soc_pct=60)
    unit.call("ES.SetMode", manual(3, "00:00", "23:59", EVERY_DAY, 800))
    unit.call("ES.SetMode", manual(2, "00:00", "12:00", EVERY_DAY, -600))
    unit.call("ES.SetMode", set_mode("Auto"))
    unit.call("ES.SetMode", manual(5, "20:00", "21:00", 0, 100))  # no day: never active
    assert sorted(unit.control.slots) == [2, 3, 5]
    assert unit.ac_power_w == -600
    await clock.advance(timedelta(hours=13))
    assert unit.ac_power_w == 800
    unit.call("ES.SetMode", manual(3, "00:00", "23:59", EVERY_DAY, 800, enable=0))
    assert unit.ac_power_w == 0


async def test_passive_countdown_end_idles_and_stays_passive(clock: ManualClock) -> None:
    unit = make_unit(clock, soc_pct=50, load_w=500)
    unit.call("ES.SetMode", set_mode("Passive", power=1000, cd_time=600))
    await clock.advance(timedelta(seconds=599))
    assert unit.ac_power_w == 1000
    await clock.advance(timedelta(seconds=1))
    assert unit.ac_power_w == 0
    assert unit.mode == "Passive"
    assert result(unit.call("ES.GetStatus"))["total_grid_output_energy"] == round(1000 / 6)


async def test_ups_charges_to_full_from_grid_and_never_discharges(clock: ManualClock) -> None:
    unit = make_unit(clock, soc_pct=90, load_w=1200)
    unit.call("ES.SetMode", set_mode("UPS"))
    assert unit.ac_power_w == -2500
    assert unit.grid_power_w == 3700
    await clock.advance(timedelta(hours=1))
    assert unit.soc_pct == 100
    assert unit.ac_power_w == 0
    assert unit.grid_power_w == 1200


async def test_mode_change_shows_after_the_apply_delay(clock: ManualClock) -> None:
    unit = make_unit(clock, load_w=500, apply_delay_s=(10.0, 10.0))
    assert result(unit.call("ES.SetMode", set_mode("Passive", power=-2000, cd_time=60)))
    assert unit.mode == "Auto"
    assert result(unit.call("ES.GetMode"))["ongrid_power"] == 500
    assert unit.pending_changes == 1
    await clock.advance(timedelta(seconds=9))
    assert unit.mode == "Auto"
    await clock.advance(timedelta(seconds=1))
    assert unit.mode == "Passive"
    assert result(unit.call("ES.GetMode"))["ongrid_power"] == -2000
    await clock.advance(timedelta(seconds=60))  # the countdown started when the change applied
    assert unit.ac_power_w == 0


@pytest.mark.parametrize(
    ("params", "why"),
    [
        (manual(12, "22:00", "23:59", EVERY_DAY, -1500), "time_num"),
        (manual(0, "22:00", "23:59", EVERY_DAY, -9999), "power"),
        (manual(0, "24:00", "23:59", EVERY_DAY, -1500), "start_time"),
        (manual(0, "22:00", "23:59", 128, -1500), "week_set"),
        (set_mode("Passive", power=9999, cd_time=60), "power"),
        (set_mode("Passive", power=1000, cd_time=4000), "cd_time"),
        (set_mode("Passive", power=1000), "cd_time"),
        (set_mode("Turbo"), "mode"),
        ({"id": 0}, "config"),
        ({"id": 0, "config": {"mode": "Auto"}}, "auto_cfg"),
    ],
)
def test_invalid_set_mode_params_answer_32602(
    clock: ManualClock, params: dict[str, Any], why: str
) -> None:
    unit = make_unit(clock)
    reply = unit.call("ES.SetMode", params)
    assert reply["error"]["code"] == -32602
    assert why in reply["error"]["message"]
    assert unit.mode == "Auto"


def test_older_firmware_refuses_ups_and_limits_power_per_model(clock: ManualClock) -> None:
    old = make_unit(clock, profile=PROFILES["venus_e3_v139"])
    assert old.call("ES.SetMode", set_mode("UPS"))["error"]["code"] == -32602
    venus_a = make_unit(clock, profile=PROFILES["venus_a"])
    passive_2000 = set_mode("Passive", power=2000, cd_time=60)
    assert venus_a.call("ES.SetMode", passive_2000)["error"]["code"] == -32602
    assert result(venus_a.call("ES.SetMode", set_mode("Passive", power=1500, cd_time=60)))


def test_app_change_behind_the_clients_back(clock: ManualClock) -> None:
    unit = make_unit(clock, load_w=300)
    unit.app_set_mode({"mode": "Passive", "passive_cfg": {"power": 0, "cd_time": 3600}})
    assert unit.mode == "Passive"
    assert unit.writes_received == 0


def test_reset_settings_forgets_mode_slots_and_dod(clock: ManualClock) -> None:
    unit = make_unit(clock)
    unit.call("ES.SetMode", manual(0, "22:00", "23:59", EVERY_DAY, -1500))
    unit.call("DOD.SET", {"value": 50})
    unit.reset_settings()
    assert (unit.mode, unit.control.slots, unit.dod_pct) == ("Auto", {}, 88)


async def test_slot_times_follow_paris_wall_clock_across_dst() -> None:
    # Sunday 30 March 2025: clocks go 02:00 → 03:00 in Paris (UTC+1 → UTC+2).
    clock = ManualClock(datetime(2025, 3, 29, 23, 0, tzinfo=UTC))  # Sunday 00:00 CET
    unit = make_unit(clock, soc_pct=50)
    sunday = 1 << 6
    unit.call("ES.SetMode", manual(0, "07:00", "08:00", sunday, 500))
    await clock.advance_to(datetime(2025, 3, 30, 4, 59, tzinfo=UTC))  # 06:59 CEST
    assert unit.ac_power_w == 0
    await clock.advance(timedelta(minutes=1))  # 07:00 CEST = 05:00 UTC
    assert unit.ac_power_w == 500
    await clock.advance(timedelta(hours=1))
    assert unit.ac_power_w == 0
