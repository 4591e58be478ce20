"""Reply payloads per model/firmware, shaped after the vendor documents and community captures.

Each constant is the ``result`` object of one reply (what ``Reply.unwrap`` returns).
"""

from __future__ import annotations

from typing import Any

# Venus E 3.0, firmware 155: the documentation's own example.
E3_155_ES_STATUS: dict[str, Any] = {
    "id": 0,
    "bat_soc": 31,
    "bat_cap": 5120,
    "pv_power": 0,
    "ongrid_power": -95,
    "offgrid_power": 0,
    "bat_power": 95,
    "total_pv_energy": 0,
    "total_grid_output_energy": 2204,
    "total_grid_input_energy": 1787,
    "total_load_energy": 0,
}

# Venus E 3.0, firmware 147: no bat_power in ES.GetStatus.
E3_147_ES_STATUS: dict[str, Any] = {
    "id": 0,
    "bat_soc": 64,
    "bat_cap": 5120,
    "pv_power": 0,
    "ongrid_power": 812,
    "offgrid_power": 0,
    "total_pv_energy": 0,
    "total_grid_output_energy": 90311,
    "total_grid_input_energy": 104520,
    "total_load_energy": 0,
}

# Venus A (PV inputs, no bat_power), firmware 1476 (= 147.6).
VENUS_A_DEVICE: dict[str, Any] = {
    "device": "VenusA",
    "ver": 1476,
    "ble_mac": "acd9297a11b2",
    "wifi_mac": "ACD9297A11B3",
    "wifi_name": "maison",
    "ip": "192.168.001.042",
}
VENUS_A_ES_STATUS: dict[str, Any] = {
    "id": 0,
    "bat_soc": 80,
    "bat_cap": 2560,
    "pv_power": 600,
    "ongrid_power": 250,
    "offgrid_power": 0,
}
VENUS_A_PV_STATUS: dict[str, Any] = {
    "id": 0,
    "pv1_power": 3125,
    "pv1_voltage": 395,
    "pv1_current": 79,
    "pv1_state": 1,
    "pv2_power": 0,
    "pv2_state": 0,
}

# Rev 3.1 firmware: mode as an integer, meter fields added to ES.GetMode.
REV31_ES_MODE: dict[str, Any] = {
    "id": 0,
    "mode": 3,
    "ongrid_power": -1480,
    "offgrid_power": 0,
    "bat_soc": 42,
    "ct_state": 1,
    "a_power": 512,
    "b_power": -20,
    "c_power": 0,
    "total_power": 492,
    "input_energy": 123456,
    "output_energy": 0,
}

# Venus E 3.0, firmware 139: Bat.GetStatus with temperature ×10 and capacity ÷10.
E3_139_DEVICE: dict[str, Any] = {
    "device": "VenusE 3.0",
    "ver": 139,
    "ble_mac": "0c587b17df4f",
    "wifi_mac": "0c587b17df50",
    "wifi_name": "home",
    "ip": "192.168.1.50",
}
E3_139_BAT_STATUS: dict[str, Any] = {
    "id": 0,
    "soc": 50,
    "charg_flag": True,
    "dischrg_flag": True,
    "bat_temp": 235,
    "bat_capacity": 256,
    "rated_capacity": 5120,
}
E3_155_BAT_STATUS: dict[str, Any] = {
    "id": 0,
    "soc": 50,
    "charg_flag": True,
    "dischrg_flag": False,
    "bat_temp": 23.5,
    "bat_capacity": 2560,
    "rated_capacity": 5120,
}

WIFI_STATUS: dict[str, Any] = {
    "id": 0,
    "ssid": "home",
    "rssi": -59,
    "sta_ip": "192.168.1.50",
    "sta_gate": "192.168.1.1",
    "sta_mask": "255.255.255.0",
    "sta_dns": "192.168.1.1",
}
