"""What the battery reports, renamed once into the bot's vocabulary and sign convention.

Sign convention everywhere in the bot: **+ = the battery discharges to the house, − = it
charges**. The device's ``ongrid_power`` already follows it; ``bat_power`` is the opposite and is
negated here. A field the firmware did not send is ``None``, never 0.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from bot.marstek.commands import Mode, parse_mode

_PV_CHANNELS = range(1, 5)
_MAX_SANE_TEMPERATURE_C = 70.0
_CAPACITY_TOLERANCE = 0.15  # of rated capacity, for the remaining-energy sanity check


def _number(result: dict[str, Any], key: str) -> float | None:
    """Return ``result[key]`` as a float; None when missing or not numeric."""
    value = result.get(key)
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int | float):
        number = float(value)
    elif isinstance(value, str):
        try:
            number = float(value.strip())
        except ValueError:
            return None
    else:
        return None
    return number if math.isfinite(number) else None


def _flag(result: dict[str, Any], key: str) -> bool | None:
    value = result.get(key)
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float) and value in (0, 1):
        return bool(value)
    if isinstance(value, str) and value.strip().lower() in ("true", "false", "0", "1"):
        return value.strip().lower() in ("true", "1")
    return None


def _text(result: dict[str, Any], key: str) -> str | None:
    value = result.get(key)
    return value if isinstance(value, str) and value else None


def _scaled(value: float | None, factor: float) -> float | None:
    return None if value is None else value * factor


@dataclass(frozen=True, slots=True, kw_only=True)
class MeterStatus:
    """The CT meter as the battery sees it (``EM.GetStatus``, or Rev 2.0+ ``ES.GetMode``)."""

    ct_connected: bool | None
    phase_a_power_w: float | None
    phase_b_power_w: float | None
    phase_c_power_w: float | None
    total_power_w: float | None
    """Grid exchange at the meter, as reported (believed + = import; undocumented)."""
    input_energy_wh: float | None
    output_energy_wh: float | None


def parse_meter_status(result: dict[str, Any]) -> MeterStatus:
    """Build a :class:`MeterStatus`; the energy counters come in 0.1 Wh."""
    return MeterStatus(
        ct_connected=_flag(result, "ct_state"),
        phase_a_power_w=_number(result, "a_power"),
        phase_b_power_w=_number(result, "b_power"),
        phase_c_power_w=_number(result, "c_power"),
        total_power_w=_number(result, "total_power"),
        input_energy_wh=_scaled(_number(result, "input_energy"), 0.1),
        output_energy_wh=_scaled(_number(result, "output_energy"), 0.1),
    )


@dataclass(frozen=True, slots=True, kw_only=True)
class ModeStatus:
    """``ES.GetMode``: the current mode, AC power and SoC (never the passive setpoint)."""

    mode: Mode | None
    mode_raw: str | int | None
    soc_pct: float | None
    ac_power_w: float | None
    backup_power_w: float | None
    meter: MeterStatus | None
    """Present on Rev 2.0+ firmware, which adds the meter fields to this reply."""


def parse_mode_status(result: dict[str, Any]) -> ModeStatus:
    """Build a :class:`ModeStatus` from an ``ES.GetMode`` result."""
    raw = result.get("mode")
    return ModeStatus(
        mode=parse_mode(raw),
        mode_raw=raw if isinstance(raw, str | int) and not isinstance(raw, bool) else None,
        soc_pct=_number(result, "bat_soc"),
        ac_power_w=_number(result, "ongrid_power"),
        backup_power_w=_number(result, "offgrid_power"),
        meter=parse_meter_status(result) if "ct_state" in result else None,
    )


@dataclass(frozen=True, slots=True, kw_only=True)
class EnergyStatus:
    """The primary poll: SoC, powers and lifetime counters (``ES.GetStatus``).

    When a firmware cannot answer ``ES.GetStatus`` the client builds this from ``ES.GetMode``
    instead; then ``mode`` is set and the PV, capacity and counter fields are None.
    Counters are lifetime Wh as reported (some firmware counts 10 Wh steps) and may glitch.
    """

    soc_pct: float | None
    capacity_wh: float | None
    pv_power_w: float | None
    ac_power_w: float | None
    backup_power_w: float | None
    battery_power_w: float | None
    battery_power_derived: bool
    """True when the firmware omitted ``bat_power`` and it was derived from PV and AC power."""
    pv_energy_wh: float | None = None
    ac_out_energy_wh: float | None = None
    ac_in_energy_wh: float | None = None
    load_energy_wh: float | None = None
    mode: Mode | None = None


def parse_energy_status(result: dict[str, Any]) -> EnergyStatus:
    """Build an :class:`EnergyStatus` from an ``ES.GetStatus`` result."""
    pv = _number(result, "pv_power")
    ac = _number(result, "ongrid_power")
    charging = _number(result, "bat_power")
    derived = charging is None
    if charging is not None:
        battery: float | None = -charging
    else:
        # Missing on Venus E 3.0 fw 144–150 and Venus A: PV in, AC out, the rest went to the cells.
        battery = ac - (pv or 0.0) if ac is not None else None
    return EnergyStatus(
        soc_pct=_number(result, "bat_soc"),
        capacity_wh=_number(result, "bat_cap"),
        pv_power_w=pv,
        ac_power_w=ac,
        backup_power_w=_number(result, "offgrid_power"),
        battery_power_w=battery,
        battery_power_derived=derived and battery is not None,
        pv_energy_wh=_number(result, "total_pv_energy"),
        ac_out_energy_wh=_number(result, "total_grid_output_energy"),
        ac_in_energy_wh=_number(result, "total_grid_input_energy"),
        load_energy_wh=_number(result, "total_load_energy"),
    )


def energy_status_from_mode(status: ModeStatus) -> EnergyStatus:
    """Build the fallback :class:`EnergyStatus` out of an ``ES.GetMode`` reading."""
    return EnergyStatus(
        soc_pct=status.soc_pct,
        capacity_wh=None,
        pv_power_w=None,
        ac_power_w=status.ac_power_w,
        backup_power_w=status.backup_power_w,
        battery_power_w=None,
        battery_power_derived=False,
        mode=status.mode,
    )


@dataclass(frozen=True, slots=True, kw_only=True)
class PackStatus:
    """The battery pack (``Bat.GetStatus``), with known scaling bugs undone."""

    soc_pct: float | None
    charge_allowed: bool | None
    discharge_allowed: bool | None
    temperature_c: float | None
    remaining_wh: float | None
    rated_wh: float | None
    corrected: bool
    """True when a ×10 / ÷10 firmware scaling bug was detected and undone."""


def parse_pack_status(result: dict[str, Any], *, scaling_bug: bool = False) -> PackStatus:
    """Build a :class:`PackStatus`, undoing the old-firmware scaling bug when it shows."""
    soc = _number(result, "soc")
    rated = _number(result, "rated_capacity")
    temperature, temp_fixed = _fix_temperature(_number(result, "bat_temp"), scaling_bug)
    remaining, remaining_fixed = _fix_remaining(
        _number(result, "bat_capacity"), soc, rated, scaling_bug
    )
    return PackStatus(
        soc_pct=soc,
        charge_allowed=_flag(result, "charg_flag"),
        discharge_allowed=_flag(result, "dischrg_flag"),
        temperature_c=temperature,
        remaining_wh=remaining,
        rated_wh=rated,
        corrected=temp_fixed or remaining_fixed,
    )


def _sane_temperature(value: float) -> bool:
    return 0.0 < value < _MAX_SANE_TEMPERATURE_C


def _fix_temperature(value: float | None, scaling_bug: bool) -> tuple[float | None, bool]:
    """Undo the ×10 temperature; an implausible value becomes None rather than a wrong alert."""
    if value is None:
        return None, False
    if _sane_temperature(value) and not (scaling_bug and _sane_temperature(value / 10)):
        return value, False
    if _sane_temperature(value / 10):
        return value / 10, True
    return None, False


def _fix_remaining(
    value: float | None, soc: float | None, rated: float | None, scaling_bug: bool
) -> tuple[float | None, bool]:
    """Undo the ÷10 remaining capacity, checked against ``soc × rated / 100`` when possible."""
    if value is None:
        return None, False
    if soc is None or not rated:
        return (value * 10, True) if scaling_bug else (value, False)
    expected = soc * rated / 100
    tolerance = _CAPACITY_TOLERANCE * rated
    if abs(value - expected) <= tolerance:
        return value, False
    if abs(value * 10 - expected) <= tolerance:
        return value * 10, True
    return value, False


@dataclass(frozen=True, slots=True, kw_only=True)
class WifiStatus:
    """The battery's Wi-Fi link (``Wifi.GetStatus``)."""

    ssid: str | None
    rssi_dbm: float | None
    ip: str | None
    gateway: str | None
    netmask: str | None
    dns: str | None


def parse_wifi_status(result: dict[str, Any]) -> WifiStatus:
    """Build a :class:`WifiStatus` from a ``Wifi.GetStatus`` result."""
    return WifiStatus(
        ssid=_text(result, "ssid"),
        rssi_dbm=_number(result, "rssi"),
        ip=_text(result, "sta_ip"),
        gateway=_text(result, "sta_gate"),
        netmask=_text(result, "sta_mask"),
        dns=_text(result, "sta_dns"),
    )


@dataclass(frozen=True, slots=True, kw_only=True)
class PvChannel:
    """One DC solar input of a Venus A/D."""

    index: int
    power_w: float | None
    working: bool | None


@dataclass(frozen=True, slots=True, kw_only=True)
class PvStatus:
    """The DC solar inputs (``PV.GetStatus``, Venus A/D only)."""

    channels: tuple[PvChannel, ...]

    @property
    def total_power_w(self) -> float | None:
        """Sum of the channels that reported a power, None if none did."""
        powers = [ch.power_w for ch in self.channels if ch.power_w is not None]
        return sum(powers) if powers else None


def parse_pv_status(result: dict[str, Any]) -> PvStatus:
    """Build a :class:`PvStatus`; channel power comes in 0.1 W on every firmware seen."""
    channels = tuple(
        PvChannel(
            index=index,
            power_w=_scaled(_number(result, f"pv{index}_power"), 0.1),
            working=_flag(result, f"pv{index}_state"),
        )
        for index in _PV_CHANNELS
        if f"pv{index}_power" in result or f"pv{index}_state" in result
    )
    return PvStatus(channels=channels)
