"""Result bodies of the read methods, built from a snapshot of the unit's state."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from bot.marstek.simulator.control import MODE_CODES
from bot.marstek.simulator.profiles import UnitConfig

_PV_CHANNELS = 4
_SCALING_BUG_FACTOR = 10
_WIFI_RSSI_DBM = -58


@dataclass(frozen=True, slots=True, kw_only=True)
class Snapshot:
    """The state of one unit at one instant, in the simulator's own units and signs."""

    soc_pct: float
    mode: str
    ac_power_w: float
    """+ = discharging to the house."""
    grid_power_w: float
    """+ = import from the grid (what the CT meter sees)."""
    pv_power_w: float
    """PV on the battery's own inputs (always 0: house PV is behind the meter)."""
    capacity_wh: float
    floor_pct: float
    ac_output_wh: float
    ac_input_wh: float
    grid_import_wh: float
    grid_export_wh: float
    bat_temp_c: float


def _tenths_wh(energy_wh: float) -> int:
    return round(energy_wh * 10)


def _padded_ip(host: str) -> str:
    return ".".join(f"{int(octet):02d}" for octet in host.split("."))


def get_device(config: UnitConfig, host: str) -> dict[str, Any]:
    """``Marstek.GetDevice`` result."""
    profile = config.profile
    result: dict[str, Any] = {
        "device": profile.model,
        "ver": profile.version,
        "ble_mac": config.ble_mac,
        "wifi_mac": config.wifi_mac,
        "wifi_name": config.wifi_ssid,
        "ip": _padded_ip(host) if profile.leading_zero_ip else host,
    }
    if profile.omits_ble_mac:
        del result["ble_mac"]
    return result


def es_status(config: UnitConfig, state: Snapshot) -> dict[str, Any]:
    """``ES.GetStatus`` result."""
    ongrid = round(state.ac_power_w)
    pv = round(state.pv_power_w)
    result: dict[str, Any] = {
        "id": 0,
        "bat_soc": round(state.soc_pct),
        "bat_cap": round(state.capacity_wh),
        "pv_power": pv,
        "ongrid_power": ongrid,
        "offgrid_power": 0,
    }
    if config.profile.reports_bat_power:
        result["bat_power"] = pv - ongrid
    result |= {
        "total_pv_energy": 0,
        "total_grid_output_energy": round(state.ac_output_wh),
        "total_grid_input_energy": round(state.ac_input_wh),
        "total_load_energy": 0,
    }
    return result


def _meter_fields(state: Snapshot) -> dict[str, Any]:
    grid = round(state.grid_power_w)
    return {
        "ct_state": 1,
        "a_power": grid,
        "b_power": 0,
        "c_power": 0,
        "total_power": grid,
        "input_energy": _tenths_wh(state.grid_import_wh),
        "output_energy": _tenths_wh(state.grid_export_wh),
    }


def es_mode(config: UnitConfig, state: Snapshot) -> dict[str, Any]:
    """``ES.GetMode`` result."""
    mode: str | int = MODE_CODES[state.mode] if config.profile.mode_as_int else state.mode
    result: dict[str, Any] = {
        "id": 0,
        "mode": mode,
        "ongrid_power": round(state.ac_power_w),
        "offgrid_power": 0,
        "bat_soc": round(state.soc_pct),
    }
    if config.profile.mode_meter_fields:
        result |= _meter_fields(state)
    return result


def em_status(state: Snapshot) -> dict[str, Any]:
    """``EM.GetStatus`` result (single-phase house on phase A)."""
    return {"id": 0} | _meter_fields(state)


def bat_status(config: UnitConfig, state: Snapshot) -> dict[str, Any]:
    """``Bat.GetStatus`` result, with the fw ≤ 139 scaling bug when the profile has it."""
    remaining_wh = state.soc_pct * state.capacity_wh / 100
    temp_c = state.bat_temp_c
    if config.profile.bat_status_scaling_bug:
        temp_c *= _SCALING_BUG_FACTOR
        remaining_wh /= _SCALING_BUG_FACTOR
    return {
        "id": 0,
        "soc": round(state.soc_pct),
        "charg_flag": state.soc_pct < 100,
        "dischrg_flag": state.soc_pct > state.floor_pct,
        "bat_temp": round(temp_c, 1),
        "bat_capacity": round(remaining_wh, 1),
        "rated_capacity": round(state.capacity_wh, 1),
    }


def pv_status() -> dict[str, Any]:
    """``PV.GetStatus`` result (Venus A/D; nothing connected to the PV inputs)."""
    result: dict[str, Any] = {"id": 0}
    for channel in range(1, _PV_CHANNELS + 1):
        result |= {
            f"pv{channel}_power": 0,
            f"pv{channel}_voltage": 0,
            f"pv{channel}_current": 0,
            f"pv{channel}_state": 0,
        }
    return result


def wifi_status(config: UnitConfig, host: str) -> dict[str, Any]:
    """``Wifi.GetStatus`` result."""
    return {
        "id": 0,
        "ssid": config.wifi_ssid,
        "rssi": _WIFI_RSSI_DBM,
        "sta_ip": host,
        "sta_gate": "127.0.0.1",
        "sta_mask": "255.0.0.0",
        "sta_dns": "127.0.0.1",
    }


def ble_status(config: UnitConfig) -> dict[str, Any]:
    """``BLE.GetStatus`` result."""
    return {"id": 0, "state": "disconnect", "ble_mac": config.ble_mac}


def set_result(ok: bool) -> dict[str, Any]:
    """Result of every write method."""
    return {"id": 0, "set_result": ok}
