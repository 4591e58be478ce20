"""The batteries the bot knows, keyed by their stable BLE MAC address."""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy import insert, select, update
from sqlalchemy.engine import RowMapping
from sqlalchemy.ext.asyncio import AsyncSession

from bot.clock import Clock
from bot.storage.database import Database
from bot.storage.errors import NotFoundError
from bot.storage.models import Battery
from bot.storage.tables import batteries

_MAC = re.compile(r"[0-9a-f]{12}")


def normalize_mac(ble_mac: str) -> str:
    """Return ``ble_mac`` as 12 lowercase hex digits (``0C:58:7B:…`` → ``0c587b…``)."""
    text = re.sub(r"[\s:.-]", "", ble_mac).lower()
    if not _MAC.fullmatch(text):
        raise ValueError(f"not a BLE MAC address: {ble_mac!r}")
    return text


def _checked_name(name: str) -> str:
    text = name.strip()
    if not 1 <= len(text) <= 40:
        raise ValueError("a battery name has 1 to 40 characters")
    return text


def _battery(row: RowMapping) -> Battery:
    return Battery(
        id=row["id"],
        ble_mac=row["ble_mac"],
        name=row["name"],
        host=row["host"],
        port=row["port"],
        model=row["model"],
        firmware=row["firmware"],
        active=bool(row["active"]),
        created_at=row["created_at"],
        updated_at=row["updated_at"],
    )


class BatteryRepository:
    """Create, find, rename and retire batteries."""

    def __init__(self, db: Database, clock: Clock) -> None:
        self._db = db
        self._clock = clock

    async def upsert(
        self,
        *,
        ble_mac: str,
        name: str,
        host: str,
        port: int,
        model: str | None = None,
        firmware: int | None = None,
    ) -> Battery:
        """Insert a battery, or refresh the address/model/firmware of a known one and reactivate it.

        ``name`` is used only on creation: afterwards the name belongs to the user (:meth:`rename`).
        A ``None`` model or firmware keeps the stored value.
        """
        mac = normalize_mac(ble_mac)
        name = _checked_name(name)
        if not 1 <= port <= 65535:
            raise ValueError(f"port {port} is outside 1…65535")
        now = self._clock.now()
        async with self._db.session() as session:
            found = await self._by_mac(session, mac)
            if found is None:
                values: dict[str, Any] = {
                    "ble_mac": mac,
                    "name": name,
                    "host": host,
                    "port": port,
                    "model": model,
                    "firmware": firmware,
                    "active": True,
                    "created_at": now,
                    "updated_at": now,
                }
                await session.execute(insert(batteries).values(**values))
            else:
                changes: dict[str, Any] = {"host": host, "port": port, "active": True}
                if model is not None:
                    changes["model"] = model
                if firmware is not None:
                    changes["firmware"] = firmware
                await self._update(session, found.id, changes)
            row = (
                (await session.execute(select(batteries).where(batteries.c.ble_mac == mac)))
                .mappings()
                .one()
            )
        return _battery(row)

    async def get(self, battery_id: int) -> Battery | None:
        """Return the battery with this id, if any."""
        async with self._db.session(write=False) as session:
            row = (
                (await session.execute(select(batteries).where(batteries.c.id == battery_id)))
                .mappings()
                .first()
            )
        return None if row is None else _battery(row)

    async def get_by_mac(self, ble_mac: str) -> Battery | None:
        """Return the battery with this BLE MAC address, if any."""
        async with self._db.session(write=False) as session:
            return await self._by_mac(session, normalize_mac(ble_mac))

    async def list_active(self) -> list[Battery]:
        """Return the active batteries, by name."""
        return await self._list(active_only=True)

    async def list_all(self) -> list[Battery]:
        """Return every battery, active or not, by name."""
        return await self._list(active_only=False)

    async def rename(self, battery_id: int, name: str) -> Battery:
        """Give a battery a new display name."""
        return await self._change(battery_id, {"name": _checked_name(name)})

    async def deactivate(self, battery_id: int) -> Battery:
        """Retire a battery: kept with its history, no longer polled or listed as active."""
        return await self._change(battery_id, {"active": False})

    async def _list(self, *, active_only: bool) -> list[Battery]:
        query = select(batteries).order_by(batteries.c.name, batteries.c.id)
        if active_only:
            query = query.where(batteries.c.active.is_(True))
        async with self._db.session(write=False) as session:
            rows = (await session.execute(query)).mappings().all()
        return [_battery(row) for row in rows]

    async def _change(self, battery_id: int, changes: dict[str, Any]) -> Battery:
        async with self._db.session() as session:
            if not await self._update(session, battery_id, changes):
                raise NotFoundError(f"no battery with id {battery_id}")
            row = (
                (await session.execute(select(batteries).where(batteries.c.id == battery_id)))
                .mappings()
                .one()
            )
        return _battery(row)

    async def _update(
        self, session: AsyncSession, battery_id: int, changes: dict[str, Any]
    ) -> bool:
        values = {**changes, "updated_at": self._clock.now()}
        result = await session.execute(
            update(batteries).where(batteries.c.id == battery_id).values(**values)
        )
        return bool(result.rowcount)  # type: ignore[attr-defined]

    @staticmethod
    async def _by_mac(session: AsyncSession, mac: str) -> Battery | None:
        row = (
            (await session.execute(select(batteries).where(batteries.c.ble_mac == mac)))
            .mappings()
            .first()
        )
        return None if row is None else _battery(row)
