"""Firmware profiles: which methods answer, field quirks, error codes (in-process calls)."""

from __future__ import annotations

import pytest

from bot.clock import ManualClock
from bot.marstek.simulator import PROFILES
from tests.marstek.simulator.conftest import make_unit, result

DOCUMENTED_READS = (
    "Marstek.GetDevice",
    "ES.GetStatus",
    "ES.GetMode",
    "Bat.GetStatus",
    "EM.GetStatus",
    "Wifi.GetStatus",
    "BLE.GetStatus",
)


def test_modern_profile_answers_every_documented_read(clock: ManualClock) -> None:
    unit = make_unit(clock)
    for method in DOCUMENTED_READS:
        reply = unit.call(method, {"id": 0})
        assert reply["src"] == "VenusE 3.0-0c587b17df01"
        assert "result" in reply, method
    assert unit.call("PV.GetStatus")["error"]["code"] == -32601
    assert unit.call("ES.getstatus")["error"]["code"] == -32601  # names are case-sensitive
    status = result(unit.call("ES.GetStatus"))
    assert set(status) == {
        "id",
        "bat_soc",
        "bat_cap",
        "pv_power",
        "ongrid_power",
        "offgrid_power",
        "bat_power",
        "total_pv_energy",
        "total_grid_output_energy",
        "total_grid_input_energy",
        "total_load_energy",
    }
    device = result(unit.call("Marstek.GetDevice", {"ble_mac": "0"}))
    assert device == {
        "device": "VenusE 3.0",
        "ver": 153,
        "ble_mac": "0c587b17df01",
        "wifi_mac": "b4e62d3a5c01",
        "wifi_name": "SimLAN",
        "ip": "127.0.0.2",
    }


def test_modern_profile_settings(clock: ManualClock) -> None:
    unit = make_unit(clock)
    assert result(unit.call("Led.Ctrl", {"state": 0}))["set_result"] is True
    assert unit.led_on is False
    assert result(unit.call("Ble.Adv", {"enable": 1}))["set_result"] is True
    assert unit.ble_advertising is False
    assert unit.call("DOD.SET", {"value": 95})["error"]["code"] == -32602
    assert unit.call("DOD.SET", {"value": 29})["error"]["code"] == -32602


def test_v139_has_no_es_status_and_scales_bat_status_wrongly(clock: ManualClock) -> None:
    unit = make_unit(clock, profile=PROFILES["venus_e3_v139"], soc_pct=50)
    assert unit.call("ES.GetStatus")["error"]["code"] == -32601
    assert unit.call("DOD.SET", {"value": 80})["error"]["code"] == -32601
    battery = result(unit.call("Bat.GetStatus"))
    assert battery["bat_temp"] >= 200  # ≈ 24 °C × 10
    assert battery["bat_capacity"] == pytest.approx(256.0)  # 2560 Wh ÷ 10
    assert battery["rated_capacity"] == 5120
    assert "ct_state" not in result(unit.call("ES.GetMode"))


def test_v147_reports_four_digit_version_and_no_bat_power(clock: ManualClock) -> None:
    unit = make_unit(clock, profile=PROFILES["venus_e3_v147"])
    assert result(unit.call("Marstek.GetDevice"))["ver"] == 1476
    assert PROFILES["venus_e3_v147"].firmware == 147
    assert "bat_power" not in result(unit.call("ES.GetStatus"))


def test_venus_e2_lacks_meter_and_omits_ble_mac(clock: ManualClock) -> None:
    unit = make_unit(clock, profile=PROFILES["venus_e2"])
    assert unit.call("EM.GetStatus")["error"]["code"] == -32601
    reply = unit.call("Marstek.GetDevice")
    assert "ble_mac" not in reply["result"]
    assert reply["src"] == "VenusE-0c587b17df01"


def test_venus_d_sends_int_mode_and_padded_ip(clock: ManualClock) -> None:
    unit = make_unit(clock, profile=PROFILES["venus_d"])
    assert result(unit.call("ES.GetMode"))["mode"] == 0
    passive_cfg = {"power": 0, "cd_time": 60}
    unit.call("ES.SetMode", {"id": 0, "config": {"mode": 3, "passive_cfg": passive_cfg}})
    assert result(unit.call("ES.GetMode"))["mode"] == 3
    assert unit.mode == "Passive"
    assert result(unit.call("Marstek.GetDevice"))["ip"] == "127.00.00.02"
    pv = result(unit.call("PV.GetStatus"))
    assert pv["pv1_power"] == 0
    assert "pv4_state" in pv


def test_venus_a_limits_and_pv(clock: ManualClock) -> None:
    unit = make_unit(clock, profile=PROFILES["venus_a"])
    status = result(unit.call("ES.GetStatus"))
    assert status["bat_cap"] == 2240
    assert "bat_power" not in status
    assert "result" in unit.call("PV.GetStatus")


def test_every_profile_has_a_unique_name_and_a_model() -> None:
    assert "venus_e3_v153" in PROFILES
    for name, profile in PROFILES.items():
        assert profile.name == name
        assert profile.model.startswith("Venus")
