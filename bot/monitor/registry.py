"""Links a battery that answered to its row in the database (by its stable ``ble_mac``)."""

from __future__ import annotations

from bot.marstek import MarstekClient
from bot.monitor.coordinator import BatteryRegistrar
from bot.storage.batteries import BatteryRepository


def database_registrar(repository: BatteryRepository) -> BatteryRegistrar:
    """Return a registrar that upserts the battery and returns its database id."""

    async def register(client: MarstekClient) -> int | None:
        device = client.device
        if device is None:
            return None
        battery = await repository.upsert(
            ble_mac=device.ble_mac,
            name=client.name,
            host=client.host,
            port=client.port,
            model=device.model_name,
            firmware=device.firmware,
        )
        return battery.id

    return register
