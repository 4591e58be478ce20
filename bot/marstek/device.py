"""Who a battery is (``Marstek.GetDevice``) and what its model/firmware can safely do.

Every firmware quirk that decides *what to send* lives in :func:`capabilities_for`, so the rest
of the bot asks ``device.capabilities`` instead of comparing version numbers itself.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from bot.marstek.errors import MarstekResponseError
from bot.marstek.protocol import mac_from_src, normalize_ipv4, normalize_mac


class Model(StrEnum):
    """The Venus models the Open API exists on."""

    VENUS_C = "Venus C"
    VENUS_D = "Venus D"
    VENUS_E2 = "Venus E 2.0"
    VENUS_E3 = "Venus E 3.0"
    VENUS_A = "Venus A"
    UNKNOWN = "unknown"


# Keys are the device strings with spaces removed and case folded ("VenusE 3.0" → "venuse3.0");
# the VNS… codes are what some firmware reports instead of the marketing name.
_MODEL_NAMES: dict[str, Model] = {
    "venusc": Model.VENUS_C,
    "venusd": Model.VENUS_D,
    "vnsd-0": Model.VENUS_D,
    "venuse": Model.VENUS_E2,
    "venuse2.0": Model.VENUS_E2,
    "venuse3.0": Model.VENUS_E3,
    "vnse3-0": Model.VENUS_E3,
    "venusa": Model.VENUS_A,
    "vnsa-0": Model.VENUS_A,
}

_MAX_POWER_W: dict[Model, int] = {
    Model.VENUS_C: 2500,
    Model.VENUS_E2: 2500,
    Model.VENUS_E3: 2500,
    Model.VENUS_D: 2200,
    Model.VENUS_A: 1500,
    Model.UNKNOWN: 1500,  # the smallest known limit: never overdrive a unit we cannot name
}

# Bat.GetStatus was linked to factory resets below these firmware versions.
_PACK_STATUS_SAFE_FROM: dict[Model, int] = {
    Model.VENUS_E3: 150,
    Model.VENUS_A: 150,
    Model.VENUS_D: 150,
    Model.VENUS_E2: 156,
}


def identify_model(device: str) -> Model:
    """Map the ``device`` string of ``Marstek.GetDevice`` to a :class:`Model`."""
    return _MODEL_NAMES.get(device.replace(" ", "").casefold(), Model.UNKNOWN)


def firmware_major(ver: int) -> int:
    """Return the comparable firmware number (four-digit ``ver`` is dotted: 1476 = 147.6)."""
    return ver // 10 if ver >= 1000 else ver


@dataclass(frozen=True, slots=True, kw_only=True)
class Capabilities:
    """What a model/firmware pair can do, and what must not be done to it."""

    es_status: bool
    """``ES.GetStatus`` answers (Venus E 3.0 firmware ≤ 139 never does: use ``ES.GetMode``)."""
    pack_status_safe: bool
    """``Bat.GetStatus`` is not known to trigger factory resets on this firmware."""
    pack_scaling_bug: bool
    """``Bat.GetStatus`` reports temperature ×10 and remaining capacity ÷10."""
    api_may_switch_off: bool
    """Firmware 144–148: the Local API may switch itself off; watch for sustained silence."""
    pv_inputs: bool
    """The model has DC solar inputs and answers ``PV.GetStatus``."""
    max_power_w: int
    """Largest charge or discharge power accepted by ``ES.SetMode``."""


def capabilities_for(model: Model, firmware: int | None) -> Capabilities:
    """Return the capabilities of ``model`` at control firmware ``firmware`` (raw ``ver``)."""
    major = firmware_major(firmware) if firmware is not None else None
    safe_from = _PACK_STATUS_SAFE_FROM.get(model)
    if model is Model.UNKNOWN:
        pack_safe = False
    elif safe_from is None:
        pack_safe = True
    else:
        pack_safe = major is not None and major >= safe_from
    old_e3 = model is Model.VENUS_E3 and major is not None and major <= 139
    return Capabilities(
        es_status=not old_e3,
        pack_status_safe=pack_safe,
        pack_scaling_bug=old_e3,
        api_may_switch_off=major is not None and 144 <= major <= 148,
        pv_inputs=model in (Model.VENUS_A, Model.VENUS_D),
        max_power_w=_MAX_POWER_W[model],
    )


@dataclass(frozen=True, slots=True, kw_only=True)
class DeviceInfo:
    """Identity of one battery, from ``Marstek.GetDevice``."""

    ble_mac: str
    """Stable identity (12 lowercase hex digits); IPs change with DHCP, ``wifi_mac`` repeats."""
    model: Model
    model_name: str
    firmware: int | None
    wifi_mac: str | None = None
    wifi_name: str | None = None
    ip: str | None = None

    @property
    def capabilities(self) -> Capabilities:
        """What this battery can safely be asked."""
        return capabilities_for(self.model, self.firmware)


def parse_device_info(result: dict[str, Any], src: str | None) -> DeviceInfo:
    """Build a :class:`DeviceInfo` from a ``Marstek.GetDevice`` result and the reply's ``src``."""
    ble_mac = normalize_mac(result.get("ble_mac")) or mac_from_src(src)
    if ble_mac is None:
        raise MarstekResponseError(f"device reply carries no BLE MAC (src={src!r})")
    name = result.get("device")
    model_name = name.strip() if isinstance(name, str) and name.strip() else "unknown"
    ip = result.get("ip")
    wifi_name = result.get("wifi_name")
    return DeviceInfo(
        ble_mac=ble_mac,
        model=identify_model(model_name),
        model_name=model_name,
        firmware=_as_version(result.get("ver")),
        wifi_mac=normalize_mac(result.get("wifi_mac")),
        wifi_name=wifi_name if isinstance(wifi_name, str) and wifi_name else None,
        ip=normalize_ipv4(ip) if isinstance(ip, str) else None,
    )


def _as_version(value: object) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.strip().isdigit():
        return int(value.strip())
    return None
