"""Firmware profiles (which methods and quirks a unit has) and the static config of one unit."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True, kw_only=True)
class FirmwareProfile:
    """A model + firmware combination: the methods it answers and the quirks it shows."""

    name: str
    model: str
    version: int
    """The ``ver`` value as reported; four digits mean a dotted version (1476 = 147.6)."""
    max_power_w: int = 2500
    capacity_wh: int = 5120
    manual_slot_count: int = 10
    has_es_status: bool = True
    """``ES.GetStatus`` answered (Venus E 3.0 firmware ≤ 139 never does: -32601)."""
    has_em_status: bool = True
    """``EM.GetStatus`` answered (absent on some Venus E 2.0 firmware)."""
    has_pv_status: bool = False
    """``PV.GetStatus`` answered (Venus A/D only; -32601 on C/E)."""
    reports_bat_power: bool = True
    """``bat_power`` present in ``ES.GetStatus`` (missing on E 3.0 fw 144–150 and Venus A)."""
    has_settings: bool = True
    """Rev 2.0 setters ``DOD.SET``, ``Led.Ctrl``, ``Ble.Adv`` (firmware ≥ 150)."""
    has_ups: bool = True
    """``UPS`` accepted by ``ES.SetMode`` (Rev 2.0+)."""
    mode_meter_fields: bool = True
    """``ES.GetMode`` carries ``ct_state``, phase powers and energies (Rev 2.0+)."""
    bat_status_scaling_bug: bool = False
    """``Bat.GetStatus`` reports ``bat_temp`` ×10 and ``bat_capacity`` ÷10 (fw ≤ 139)."""
    mode_as_int: bool = False
    """``ES.GetMode`` sends ``mode`` as an int 0–4 (seen with Rev 3.1)."""
    omits_ble_mac: bool = False
    """``Marstek.GetDevice`` has no ``ble_mac`` (the client must read it from ``src``)."""
    leading_zero_ip: bool = False
    """``Marstek.GetDevice`` writes ``ip`` with zero-padded octets ("127.00.00.05")."""

    @property
    def firmware(self) -> int:
        """The firmware number to compare with thresholds (1476 → 147)."""
        return self.version // 10 if self.version >= 1000 else self.version


_E3 = "VenusE 3.0"

PROFILES: dict[str, FirmwareProfile] = {
    profile.name: profile
    for profile in (
        FirmwareProfile(name="venus_e3_v153", model=_E3, version=153),
        FirmwareProfile(
            name="venus_e3_v139",
            model=_E3,
            version=139,
            has_es_status=False,
            bat_status_scaling_bug=True,
            has_settings=False,
            has_ups=False,
            mode_meter_fields=False,
        ),
        FirmwareProfile(
            name="venus_e3_v147",
            model=_E3,
            version=1476,
            reports_bat_power=False,
            has_settings=False,
        ),
        FirmwareProfile(
            name="venus_e2",
            model="VenusE",
            version=154,
            has_em_status=False,
            has_settings=False,
            mode_meter_fields=False,
            omits_ble_mac=True,
        ),
        FirmwareProfile(
            name="venus_a",
            model="VenusA",
            version=152,
            max_power_w=1500,
            capacity_wh=2240,
            has_pv_status=True,
            reports_bat_power=False,
        ),
        FirmwareProfile(
            name="venus_d",
            model="VenusD",
            version=153,
            max_power_w=2200,
            capacity_wh=2240,
            has_pv_status=True,
            mode_as_int=True,
            leading_zero_ip=True,
        ),
    )
}
DEFAULT_PROFILE = PROFILES["venus_e3_v153"]


@dataclass(frozen=True, slots=True, kw_only=True)
class UnitConfig:
    """What one unit is: identity, firmware, battery size and behaviour constants."""

    ble_mac: str
    wifi_mac: str
    name: str
    profile: FirmwareProfile = DEFAULT_PROFILE
    capacity_wh: int = 5120
    max_power_w: int = 2500
    dod_pct: int = 88
    initial_soc_pct: float = 50.0
    apply_delay_s: tuple[float, float] = (0.0, 0.0)
    """Virtual seconds before a mode change shows (real units: 5–30 s)."""
    standby_w: float = 3.0
    """Electronics draw while idle, taken from the battery."""
    wifi_ssid: str = "SimLAN"


def default_ble_mac(index: int) -> str:
    """Return the BLE MAC of unit ``index`` (0 → "0c587b17df01")."""
    return f"0c587b{0x17DF00 + index + 1:06x}"


def default_wifi_mac(index: int) -> str:
    """Return the Wi-Fi MAC of unit ``index`` (0 → "b4e62d3a5c01")."""
    return f"b4e62d{0x3A5C00 + index + 1:06x}"


def unit_config_for(
    index: int,
    profile: FirmwareProfile = DEFAULT_PROFILE,
    *,
    apply_delay_s: tuple[float, float] = (0.0, 0.0),
) -> UnitConfig:
    """Build the default config of unit ``index`` with this profile's size and power."""
    return UnitConfig(
        ble_mac=default_ble_mac(index),
        wifi_mac=default_wifi_mac(index),
        name=f"Venus {index + 1}",
        profile=profile,
        capacity_wh=profile.capacity_wh,
        max_power_w=profile.max_power_w,
        apply_delay_s=apply_delay_s,
    )
