"""What /batteries shows, and the small values its buttons and dialogs carry (pure functions).

A button names a watched battery by its position and a checksum of its name
(``<index>|<crc32>``): renaming, removing or reordering batteries makes older buttons stale
instead of letting them act on another battery.
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from bot.marstek import DiscoveredDevice
from bot.monitor.manager import name_problem as manager_name_problem
from bot.monitor.snapshot import BatterySnapshot
from bot.telegram_ui import format as fmt
from bot.telegram_ui.i18n import Lang, t
from bot.telegram_ui.status_view import flow

DISCOVERY_MAX_AGE = timedelta(hours=1)
DEFAULT_NAME = "Venus {n}"
_MAC = re.compile(r"^[0-9a-f]{12}$")
_CRC = re.compile(r"^[0-9a-f]{8}$")
_INDEX = re.compile(r"^[0-9]{1,3}$")


def name_crc(name: str) -> str:
    """A short checksum of a battery name (8 hex digits) for button data."""
    return format(zlib.crc32(name.encode()), "08x")


def battery_ref(index: int, name: str) -> tuple[str, str]:
    """The two button arguments that name the battery at ``index``."""
    return str(index), name_crc(name)


def resolve_ref(index: str, crc: str, names: Sequence[str]) -> str | None:
    """The battery a button names, or None if the button is malformed or stale."""
    if not _INDEX.match(index) or not _CRC.match(crc):
        return None
    position = int(index)
    if position >= len(names) or name_crc(names[position]) != crc:
        return None
    return names[position]


def name_problem(text: str, taken: Sequence[str], *, current: str | None = None) -> str | None:
    """The text key explaining why ``text`` cannot be a battery name, or None if it can.

    The rule is the battery manager's (:func:`bot.monitor.manager.name_problem`); this only
    names the text that explains it in the user's language.
    """
    problem = manager_name_problem(text, taken, current=current)
    return None if problem is None else f"batteries.{problem}"


def default_name(taken: Sequence[str]) -> str:
    """The first free ``Venus N``."""
    n = 1
    while DEFAULT_NAME.format(n=n) in taken:
        n += 1
    return DEFAULT_NAME.format(n=n)


def pretty_mac(mac: str) -> str:
    """``0c587b17df01`` → ``0c:58:7b:17:df:01``."""
    return ":".join(mac[i : i + 2] for i in range(0, len(mac), 2))


def _firmware(firmware: object, lang: Lang) -> str:
    return t(lang, "batteries.firmware", version=firmware) if firmware is not None else ""


def _state(snap: BatterySnapshot, lang: Lang) -> str:
    if not snap.reachable:
        return t(lang, "batteries.state_unreachable")
    if snap.status is None:
        return t(lang, "batteries.state_waiting")
    return t(
        lang,
        "batteries.state_ok",
        soc=fmt.percent(snap.soc_pct, lang),
        flow=flow(snap.ac_power_w, lang),
    )


def battery_list(snaps: Sequence[BatterySnapshot], lang: Lang) -> str:
    """The list of watched batteries: name, address, model, firmware and state."""
    if not snaps:
        return t(lang, "batteries.none")
    lines = [t(lang, "batteries.title", n=len(snaps))]
    for index, snap in enumerate(snaps, start=1):
        device = snap.device
        model = fmt.escape(device.model_name) if device is not None else "?"
        firmware = _firmware(device.firmware if device is not None else None, lang)
        lines.append(
            t(
                lang,
                "batteries.line",
                index=index,
                name=fmt.escape(snap.name),
                address=fmt.escape(f"{snap.host}:{snap.port}"),
                model=model,
                firmware=firmware,
                state=_state(snap, lang),
            )
        )
    return "\n".join(lines)


@dataclass(frozen=True, slots=True, kw_only=True)
class Found:
    """One battery that answered a discovery, as remembered for the "Add" buttons."""

    mac: str
    host: str
    port: int
    model: str
    firmware: int | None

    def to_json(self) -> dict[str, Any]:
        """JSON form for the settings store."""
        return {
            "mac": self.mac,
            "host": self.host,
            "port": self.port,
            "model": self.model,
            "firmware": self.firmware,
        }

    @classmethod
    def from_json(cls, value: object) -> Found | None:
        """Parse the stored form; None if it is not one."""
        if not isinstance(value, dict):
            return None
        try:
            firmware = value.get("firmware")
            found = cls(
                mac=str(value["mac"]),
                host=str(value["host"]),
                port=int(value["port"]),
                model=str(value["model"]),
                firmware=int(firmware) if firmware is not None else None,
            )
        except (KeyError, TypeError, ValueError):
            return None
        return found if _MAC.match(found.mac) and 1 <= found.port <= 65535 else None

    @classmethod
    def of(cls, device: DiscoveredDevice) -> Found:
        """From a discovery answer."""
        return cls(
            mac=device.info.ble_mac,
            host=device.host,
            port=device.port,
            model=device.info.model_name,
            firmware=device.info.firmware,
        )


def discovery_json(found: Sequence[Found], at: datetime) -> dict[str, Any]:
    """What is stored after a discovery."""
    return {"at": at.isoformat(), "devices": [item.to_json() for item in found]}


def stored_found(value: object, mac: str, now: datetime) -> Found | None:
    """The remembered answer of ``mac`` if the last discovery is recent enough."""
    if not _MAC.match(mac) or not isinstance(value, dict):
        return None
    try:
        at = datetime.fromisoformat(str(value["at"]))
    except (KeyError, ValueError):
        return None
    if at.tzinfo is None or not timedelta(0) <= now - at <= DISCOVERY_MAX_AGE:
        return None
    devices = value.get("devices")
    if not isinstance(devices, list):
        return None
    parsed = (Found.from_json(item) for item in devices)
    return next((item for item in parsed if item is not None and item.mac == mac), None)


@dataclass(frozen=True, slots=True, kw_only=True)
class Watch:
    """The watched battery a discovery answer already is."""

    name: str
    address: str
    moved: bool
    """Same battery (same MAC) watched at another address: DHCP gave it a new one."""


def watched_as(item: Found, snaps: Sequence[BatterySnapshot]) -> Watch | None:
    """Whether an answer is already watched, by its address or else by its MAC."""
    for snap in snaps:
        if (snap.host, snap.port) == (item.host, item.port):
            return Watch(name=snap.name, address=f"{snap.host}:{snap.port}", moved=False)
    for snap in snaps:
        if snap.device is not None and snap.device.ble_mac == item.mac:
            return Watch(name=snap.name, address=f"{snap.host}:{snap.port}", moved=True)
    return None


def found_line(item: Found, watch: Watch | None, lang: Lang) -> str:
    """One discovery answer: model, firmware, MAC, address and whether it is watched."""
    line = t(
        lang,
        "batteries.found_line",
        model=fmt.escape(item.model),
        firmware=_firmware(item.firmware, lang),
        mac=pretty_mac(item.mac),
        address=fmt.escape(f"{item.host}:{item.port}"),
    )
    if watch is None:
        return line + "\n" + t(lang, "batteries.found_new")
    key = "batteries.found_moved" if watch.moved else "batteries.found_watched"
    return (
        line + "\n" + t(lang, key, name=fmt.escape(watch.name), address=fmt.escape(watch.address))
    )
