"""Discovery, status polling and firmware quirks through the client, against the simulator."""

from __future__ import annotations

import asyncio

import pytest

from bot.marstek.commands import Mode, PassiveMode
from bot.marstek.device import Model
from bot.marstek.discovery import discover
from bot.marstek.errors import MarstekUsageError
from bot.marstek.simulator import PROFILES, constant
from bot.marstek.transport import MarstekTransport
from tests.marstek.integration.conftest import (
    LOOPBACK_BROADCAST,
    SimDriver,
    SimFactory,
    client_for,
)


async def test_discovery_finds_three_units(
    make_sim: SimFactory, transport: MarstekTransport, sim_driver: SimDriver
) -> None:
    # Two quirky firmwares: one omits ble_mac (taken from src), one zero-pads its IP.
    profiles = [PROFILES["venus_e3_v153"], PROFILES["venus_e2"], PROFILES["venus_d"]]
    sim = sim_driver.watch(await make_sim(3, profiles=profiles))

    found = await sim_driver.run(
        discover(transport, port=sim.port, broadcast_addresses=[LOOPBACK_BROADCAST])
    )

    assert sorted((d.info.ble_mac, d.host, d.port) for d in found) == sorted(
        (unit.config.ble_mac, unit.host, sim.port) for unit in sim.units
    )
    by_mac = {device.info.ble_mac: device.info for device in found}
    assert [by_mac[unit.config.ble_mac].ip for unit in sim.units] == [u.host for u in sim.units]
    assert [by_mac[unit.config.ble_mac].model for unit in sim.units] == [
        Model.VENUS_E3,
        Model.VENUS_E2,
        Model.VENUS_D,
    ]
    for unit in sim.units:  # broadcast at 0, 2, 4, 6 and 8 s of the 9 s window
        assert [r.via_broadcast for r in unit.recent_requests] == [True] * 5


async def test_status_of_three_units_polled_in_parallel(
    make_sim: SimFactory, transport: MarstekTransport, sim_driver: SimDriver
) -> None:
    sim = sim_driver.watch(await make_sim(3))
    for index, unit in enumerate(sim.units):
        unit.set_soc(20.0 + 30 * index)
        unit.set_household(constant(300.0 * (index + 1)))  # Auto mode covers the house load
    clients = [client_for(transport, sim, unit) for unit in sim.units]

    statuses = await sim_driver.run(
        asyncio.gather(*(client.get_energy_status() for client in clients))
    )

    assert [s.soc_pct for s in statuses] == [20.0, 50.0, 80.0]
    assert [s.capacity_wh for s in statuses] == [5120.0] * 3
    # The bot's sign: + = discharging to the house, both for AC and for the cells.
    assert [s.ac_power_w for s in statuses] == [300.0, 600.0, 900.0]
    assert [s.battery_power_w for s in statuses] == [300.0, 600.0, 900.0]
    assert not any(s.battery_power_derived for s in statuses)
    # One request each, all sent at the same instant: units are served in parallel.
    assert [unit.requests_received for unit in sim.units] == [1, 1, 1]
    assert len({unit.recent_requests[-1].at for unit in sim.units}) == 1
    assert all(client.health.consecutive_failures == 0 for client in clients)


async def test_firmware_quirks_are_normalised_by_the_client(
    make_sim: SimFactory, transport: MarstekTransport, sim_driver: SimDriver
) -> None:
    names = ["venus_e3_v139", "venus_e3_v147", "venus_e2", "venus_d"]
    sim = sim_driver.watch(await make_sim(4, profiles=[PROFILES[name] for name in names]))
    v139, v147, e2, venus_d = sim.units
    v147.set_household(constant(400.0))
    old, dotted, no_mac, int_mode = (client_for(transport, sim, unit) for unit in sim.units)

    # v139 never answers ES.GetStatus: the client falls back to ES.GetMode, and remembers it.
    first = await sim_driver.run(old.get_energy_status())
    second = await sim_driver.run(old.get_energy_status())
    assert [r.method for r in v139.recent_requests] == ["ES.GetStatus", "ES.GetMode", "ES.GetMode"]
    assert first.mode is second.mode is Mode.AUTO
    assert first.soc_pct == 50.0
    assert first.capacity_wh is None

    # v147 reports ver 1476 (= 147.6) and omits bat_power: derived as AC − PV.
    device = await sim_driver.run(dotted.get_device())
    assert device.firmware == 1476
    assert device.capabilities.api_may_switch_off
    assert not device.capabilities.pack_status_safe
    energy = await sim_driver.run(dotted.get_energy_status())
    assert energy.battery_power_derived
    assert energy.ac_power_w == energy.battery_power_w == 400.0

    # Venus E 2.0 omits ble_mac in GetDevice: taken from the reply's src.
    device = await sim_driver.run(no_mac.get_device())
    assert device.ble_mac == e2.config.ble_mac
    assert device.model is Model.VENUS_E2

    # Venus D: zero-padded IP, integer mode, ±2200 W.
    device = await sim_driver.run(int_mode.get_device())
    assert device.ip == venus_d.host
    assert device.capabilities.max_power_w == 2200
    mode = await sim_driver.run(int_mode.get_mode())
    assert (mode.mode, mode.mode_raw) == (Mode.AUTO, 0)
    with pytest.raises(MarstekUsageError):
        await int_mode.apply_mode(PassiveMode(power_w=2400))
    result = await sim_driver.run(int_mode.apply_mode(PassiveMode(power_w=1000)))
    assert (result.observed.mode, result.observed.mode_raw) == (Mode.PASSIVE, 3)
    assert result.power_applied is True
    assert venus_d.ac_power_w == 1000.0
