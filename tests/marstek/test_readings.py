"""Readings: renamed fields, one sign convention (+ = discharging), firmware bugs undone."""

from __future__ import annotations

import pytest

from bot.marstek.commands import Mode
from bot.marstek.readings import (
    energy_status_from_mode,
    parse_energy_status,
    parse_meter_status,
    parse_mode_status,
    parse_pack_status,
    parse_pv_status,
    parse_wifi_status,
)
from tests.marstek.payloads import (
    E3_139_BAT_STATUS,
    E3_147_ES_STATUS,
    E3_155_BAT_STATUS,
    E3_155_ES_STATUS,
    REV31_ES_MODE,
    VENUS_A_ES_STATUS,
    VENUS_A_PV_STATUS,
    WIFI_STATUS,
)


def test_documented_es_status_example() -> None:
    status = parse_energy_status(E3_155_ES_STATUS)
    assert status.soc_pct == 31
    assert status.capacity_wh == 5120
    assert status.ac_power_w == -95  # charging from the AC side
    assert status.battery_power_w == -95  # bat_power +95 (charging) in the bot's sign
    assert status.battery_power_derived is False
    assert (status.ac_out_energy_wh, status.ac_in_energy_wh) == (2204, 1787)
    assert status.mode is None


def test_missing_bat_power_is_derived_from_ac_and_pv() -> None:
    status = parse_energy_status(E3_147_ES_STATUS)
    assert status.battery_power_w == 812
    assert status.battery_power_derived is True
    venus_a = parse_energy_status(VENUS_A_ES_STATUS)
    # 600 W of PV in, 250 W out to the house: the cells take 350 W (charging, so negative).
    assert venus_a.battery_power_w == -350
    assert venus_a.battery_power_derived is True


def test_absent_fields_are_none_not_zero() -> None:
    status = parse_energy_status({"id": 0, "bat_soc": "55", "ongrid_power": None})
    assert status.soc_pct == 55
    assert status.ac_power_w is None
    assert status.battery_power_w is None
    assert status.battery_power_derived is False
    assert status.pv_energy_wh is None


@pytest.mark.parametrize("bad", [True, "n/a", float("nan"), [1], {"w": 1}])
def test_non_numbers_are_absent(bad: object) -> None:
    assert parse_energy_status({"bat_soc": bad}).soc_pct is None


def test_rev31_mode_reply_with_meter() -> None:
    status = parse_mode_status(REV31_ES_MODE)
    assert status.mode is Mode.PASSIVE
    assert status.mode_raw == 3
    assert status.ac_power_w == -1480
    assert status.meter is not None
    assert status.meter.ct_connected is True
    assert status.meter.total_power_w == 492
    assert status.meter.input_energy_wh == pytest.approx(12345.6)


@pytest.mark.parametrize(
    ("raw", "mode"),
    [("Auto", Mode.AUTO), ("Ups", Mode.UPS), ("passive", Mode.PASSIVE), (4, Mode.UPS), (7, None)],
)
def test_mode_names_and_indexes(raw: str | int, mode: Mode | None) -> None:
    status = parse_mode_status({"mode": raw, "bat_soc": 10})
    assert status.mode is mode
    assert status.meter is None


def test_fallback_status_from_mode_keeps_what_get_mode_knows() -> None:
    status = energy_status_from_mode(parse_mode_status(REV31_ES_MODE))
    assert (status.soc_pct, status.ac_power_w, status.mode) == (42, -1480, Mode.PASSIVE)
    assert status.capacity_wh is None
    assert status.battery_power_w is None


def test_meter_status_standalone() -> None:
    meter = parse_meter_status({"ct_state": 0, "a_power": 0, "output_energy": 10})
    assert meter.ct_connected is False
    assert meter.output_energy_wh == 1
    assert meter.phase_b_power_w is None


def test_pack_status_on_fixed_firmware_is_untouched() -> None:
    pack = parse_pack_status(E3_155_BAT_STATUS)
    assert (pack.temperature_c, pack.remaining_wh, pack.corrected) == (23.5, 2560, False)
    assert (pack.charge_allowed, pack.discharge_allowed) == (True, False)


def test_pack_status_scaling_bug_is_undone() -> None:
    pack = parse_pack_status(E3_139_BAT_STATUS, scaling_bug=True)
    assert pack.temperature_c == pytest.approx(23.5)
    assert pack.remaining_wh == 2560
    assert pack.corrected is True


def test_pack_status_scaling_bug_is_detected_without_the_firmware_hint() -> None:
    pack = parse_pack_status(E3_139_BAT_STATUS)
    assert pack.temperature_c == pytest.approx(23.5)
    assert pack.remaining_wh == 2560
    assert pack.corrected is True


def test_implausible_temperature_is_dropped() -> None:
    assert parse_pack_status({"bat_temp": 900}).temperature_c is None
    assert parse_pack_status({"bat_temp": "warm"}).temperature_c is None


def test_remaining_without_soc_uses_the_firmware_hint() -> None:
    assert parse_pack_status({"bat_capacity": 256}, scaling_bug=True).remaining_wh == 2560
    assert parse_pack_status({"bat_capacity": 256}).remaining_wh == 256


def test_pv_channels_are_in_tenths_of_watts() -> None:
    pv = parse_pv_status(VENUS_A_PV_STATUS)
    assert [(ch.index, ch.power_w, ch.working) for ch in pv.channels] == [
        (1, pytest.approx(312.5), True),
        (2, 0, False),
    ]
    assert pv.total_power_w == pytest.approx(312.5)
    assert parse_pv_status({}).total_power_w is None


def test_wifi_status() -> None:
    wifi = parse_wifi_status(WIFI_STATUS)
    assert (wifi.ssid, wifi.rssi_dbm, wifi.ip, wifi.gateway) == (
        "home",
        -59,
        "192.168.1.50",
        "192.168.1.1",
    )
    assert parse_wifi_status({"ssid": ""}).ssid is None
