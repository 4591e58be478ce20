"""Batteries are identified by BLE MAC; names belong to the user once set."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.clock import ManualClock
from bot.storage import Battery, NotFoundError, Storage, normalize_mac


def test_mac_addresses_are_normalised() -> None:
    assert normalize_mac("0C:58:7B:17:DF:4F") == "0c587b17df4f"
    assert normalize_mac("0c-58-7b-17-df-4f") == "0c587b17df4f"
    with pytest.raises(ValueError, match="MAC"):
        normalize_mac("0c587b17df")
    with pytest.raises(ValueError, match="MAC"):
        normalize_mac("zz587b17df4f")


async def test_upsert_refreshes_the_address_but_keeps_the_users_name(
    storage: Storage, battery: Battery, clock: ManualClock
) -> None:
    await clock.advance(timedelta(hours=1))
    again = await storage.batteries.upsert(
        ble_mac="0C:58:7B:17:DF:4F",
        name="VenusE-from-discovery",
        host="127.0.0.9",
        port=30001,
        firmware=153,
    )
    assert again.id == battery.id
    assert (again.name, again.host, again.port) == ("Garage", "127.0.0.9", 30001)
    assert (again.model, again.firmware) == ("VenusE 3.0", 153)  # model None kept the known one
    assert again.created_at == battery.created_at
    assert again.updated_at == battery.updated_at + timedelta(hours=1)
    assert len(await storage.batteries.list_all()) == 1


async def test_rename_deactivate_and_reactivate(storage: Storage, battery: Battery) -> None:
    other = await storage.batteries.upsert(
        ble_mac="aa0000000002", name="Attic", host="127.0.0.2", port=30000
    )
    renamed = await storage.batteries.rename(battery.id, "  Cellar ")
    assert renamed.name == "Cellar"
    assert [b.name for b in await storage.batteries.list_active()] == ["Attic", "Cellar"]
    retired = await storage.batteries.deactivate(other.id)
    assert retired.active is False
    assert [b.id for b in await storage.batteries.list_active()] == [battery.id]
    assert len(await storage.batteries.list_all()) == 2
    back = await storage.batteries.upsert(
        ble_mac="aa0000000002", name="x", host="127.0.0.2", port=30000
    )
    assert back.active is True
    assert await storage.batteries.get_by_mac("AA:00:00:00:00:02") == back
    assert await storage.batteries.get(back.id) == back


async def test_missing_batteries_and_bad_names(storage: Storage, battery: Battery) -> None:
    with pytest.raises(NotFoundError):
        await storage.batteries.rename(999, "x")
    with pytest.raises(NotFoundError):
        await storage.batteries.deactivate(999)
    with pytest.raises(ValueError, match="1 to 40"):
        await storage.batteries.rename(battery.id, " ")
    assert await storage.batteries.get(999) is None
    assert await storage.batteries.get_by_mac("ffffffffffff") is None


async def test_upsert_checks_its_arguments(storage: Storage) -> None:
    with pytest.raises(ValueError, match="1 to 40"):
        await storage.batteries.upsert(ble_mac="aa0000000009", name="x" * 41, host="h", port=1)
    with pytest.raises(ValueError, match="outside"):
        await storage.batteries.upsert(ble_mac="aa0000000009", name="x", host="h", port=0)
    assert await storage.batteries.list_all() == []
