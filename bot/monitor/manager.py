"""The battery list: lives in the database; the settings only seed it.

At start the fleet watches the database's active batteries plus the configured ones it does not
know yet (matched by address), minus those removed from the chat. Adding, renaming and removing
from the chat change the database and the running fleet together.
"""

from __future__ import annotations

import logging
import unicodedata
from collections.abc import Sequence

from bot.marstek import DiscoveredDevice, MarstekError, MarstekTransport, discover
from bot.monitor.coordinator import BatteryTarget, FleetCoordinator
from bot.monitor.snapshot import BatterySnapshot
from bot.settings import BatteryConfig
from bot.storage.batteries import BatteryRepository
from bot.storage.settings_store import SettingsStore

_log = logging.getLogger(__name__)

REMOVED_KEY = "batteries.removed"
MAX_NAME = 40


class BatteryError(ValueError):
    """A change to the battery list was refused; the message is one French sentence."""


# Characters that look like nothing but are not whitespace: Braille blank, Hangul fillers.
_BLANKS = "\u2800\u3164\u115f\u1160\uffa0"
_NAME_ERRORS = {
    "name_empty": "Le nom ne peut pas être vide.",
    "name_too_long": "Le nom est trop long ({length} caractères, {max} au plus).",
    "name_invisible": "Le nom contient des caractères invisibles ou de contrôle.",
    "name_command": "Un nom ne peut pas commencer par « / » (c'est une commande).",
    "name_taken": "Une batterie s'appelle déjà « {name} ».",
}


def name_problem(text: str, taken: Sequence[str] = (), *, current: str | None = None) -> str | None:
    """Why ``text`` cannot name a battery (``name_empty``, ``name_too_long``, …), or None."""
    name = " ".join(text.split())
    if not "".join(name.split()).strip(_BLANKS):
        return "name_empty"
    if len(name) > MAX_NAME:
        return "name_too_long"
    if any(unicodedata.category(ch).startswith("C") for ch in name):
        return "name_invisible"
    if name.startswith("/"):
        return "name_command"
    if name != current and name in taken:
        return "name_taken"
    return None


def clean_name(text: str) -> str:
    """Validate a battery name typed by a user; return it trimmed."""
    name = " ".join(text.split())
    problem = name_problem(name)
    if problem is not None:
        raise BatteryError(_NAME_ERRORS[problem].format(length=len(name), max=MAX_NAME, name=name))
    return name


async def initial_targets(
    configured: Sequence[BatteryConfig], repo: BatteryRepository, store: SettingsStore
) -> list[BatteryTarget]:
    """What the fleet watches at start (database first, then new configured batteries)."""
    removed = set(await _removed(store))
    targets: list[BatteryTarget] = []
    seen_addresses: set[tuple[str, int]] = set()
    seen_names: set[str] = set()
    for battery in await repo.list_active():
        targets.append(BatteryTarget(name=battery.name, host=battery.host, port=battery.port))
        seen_addresses.add((battery.host, battery.port))
        seen_names.add(battery.name)
    for config in configured:
        address = (config.host, config.port)
        if address in seen_addresses or f"{config.host}:{config.port}" in removed:
            continue
        name = config.name if config.name not in seen_names else f"{config.name} ({config.host})"
        targets.append(BatteryTarget(name=name, host=config.host, port=config.port))
        seen_addresses.add(address)
        seen_names.add(name)
    return targets


async def _removed(store: SettingsStore) -> list[str]:
    value = await store.get(REMOVED_KEY, [])
    return [str(v) for v in value] if isinstance(value, list) else []


class BatteryManager:
    """Discover, add, rename and remove batteries (database and running fleet together)."""

    def __init__(
        self,
        *,
        fleet: FleetCoordinator,
        repo: BatteryRepository,
        store: SettingsStore,
        transport: MarstekTransport,
    ) -> None:
        self._fleet = fleet
        self._repo = repo
        self._store = store
        self._transport = transport

    async def discover(
        self, *, broadcast: Sequence[str], port: int, window_s: float
    ) -> list[DiscoveredDevice]:
        """Batteries that answer on the LAN (raises BatteryError on a network failure)."""
        try:
            return await discover(
                self._transport, port=port, broadcast_addresses=broadcast, window_s=window_s
            )
        except MarstekError as err:
            raise BatteryError(f"La recherche a échoué : {err}") from err

    def watched(self, host: str, port: int) -> str | None:
        """The name under which ``host:port`` is already watched, if it is."""
        for snap in self._fleet.snapshots():
            if (snap.host, snap.port) == (host, port):
                return snap.name
        return None

    async def add(self, name: str, host: str, port: int) -> BatterySnapshot:
        """Watch a new battery under ``name``."""
        name = clean_name(name)
        if name in self._fleet.names:
            raise BatteryError(f"Une batterie s'appelle déjà « {name} ».")
        existing = self.watched(host, port)
        if existing is not None:
            raise BatteryError(f"{host}:{port} est déjà suivie sous le nom « {existing} ».")
        removed = [a for a in await _removed(self._store) if a != f"{host}:{port}"]
        await self._store.set(REMOVED_KEY, removed, by="bot")
        snapshot = await self._fleet.add(BatteryTarget(name=name, host=host, port=port))
        _log.info("battery added at %s:%d", host, port, extra={"battery": name})
        return snapshot

    async def rename(self, old: str, new: str) -> BatterySnapshot:
        """Rename a battery everywhere."""
        new = clean_name(new)
        if old not in self._fleet.names:
            raise BatteryError(f"Aucune batterie ne s'appelle « {old} ».")
        if new != old and new in self._fleet.names:
            raise BatteryError(f"Une batterie s'appelle déjà « {new} ».")
        battery_id = self._fleet.snapshot(old).battery_id
        if battery_id is not None:
            await self._repo.rename(battery_id, new)
        snapshot = await self._fleet.rename(old, new)
        _log.info("battery renamed from %s", old, extra={"battery": new})
        return snapshot

    async def remove(self, name: str) -> None:
        """Stop watching a battery; its history is kept."""
        if name not in self._fleet.names:
            raise BatteryError(f"Aucune batterie ne s'appelle « {name} ».")
        snap = self._fleet.snapshot(name)
        if snap.battery_id is not None:
            await self._repo.deactivate(snap.battery_id)
        removed = await _removed(self._store)
        address = f"{snap.host}:{snap.port}"
        if address not in removed:
            await self._store.set(REMOVED_KEY, [*removed, address], by="bot")
        await self._fleet.remove(name)
        _log.info("battery removed (history kept)", extra={"battery": name})
