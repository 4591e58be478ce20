"""Verified mode changes and failing units, client against the simulator over UDP.

Units take 5–30 virtual seconds to show a new mode (as real units do); the client keeps the
production policy (2 s timeout, 3 tries, 5 s gap, 30 s verification window).
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from datetime import time

import pytest

from bot.marstek.client import ClientOptions
from bot.marstek.commands import (
    AiMode,
    AutoMode,
    ManualSlot,
    Mode,
    ModeCommand,
    PassiveMode,
    UpsMode,
)
from bot.marstek.errors import (
    MarstekCommunicationError,
    MarstekTimeoutError,
    WriteNotConfirmedError,
    WriteRejectedError,
)
from bot.marstek.simulator import Simulator
from bot.marstek.transport import MarstekTransport
from tests.marstek.integration.conftest import SimDriver, SimFactory, client_for

APPLY_DELAY_S = (5.0, 30.0)
# The test clock starts at 06:00 in Paris: this slot is running, so its power shows at once.
MORNING_CHARGE = ManualSlot(slot=0, start=time(5, 0), end=time(8, 0), power_w=-1000)


async def delayed_sim(make_sim: SimFactory, driver: SimDriver, count: int = 1) -> Simulator:
    """Units that show a mode change 5–30 virtual seconds after acknowledging it."""
    return driver.watch(await make_sim(count, apply_delay_s=APPLY_DELAY_S))


@dataclass(frozen=True, slots=True, kw_only=True)
class ModeCase:
    """A mode change and what the unit must show once it is applied."""

    command: ModeCommand
    shown: str
    ac_power_w: float | None = None
    """AC power the unit must then deliver (+) or absorb (−), when the mode fixes it."""


MODE_CASES = {
    "ai": ModeCase(command=AiMode(), shown="AI"),
    "manual-slot": ModeCase(command=MORNING_CHARGE, shown="Manual", ac_power_w=-1000.0),
    "passive-charge": ModeCase(
        command=PassiveMode(power_w=-1500), shown="Passive", ac_power_w=-1500.0
    ),
    "passive-discharge": ModeCase(
        command=PassiveMode(power_w=1200, duration_s=600), shown="Passive", ac_power_w=1200.0
    ),
    "ups": ModeCase(command=UpsMode(), shown="UPS", ac_power_w=-2500.0),  # charges at full power
    "auto": ModeCase(command=AutoMode(), shown="Auto"),
}


@pytest.mark.parametrize("case", MODE_CASES.values(), ids=MODE_CASES.keys())
async def test_each_mode_change_is_applied_and_verified(
    make_sim: SimFactory, transport: MarstekTransport, sim_driver: SimDriver, case: ModeCase
) -> None:
    sim = await delayed_sim(make_sim, sim_driver)
    [unit] = sim.units
    if isinstance(case.command, AutoMode):
        unit.app_set_mode({"mode": "AI", "ai_cfg": {"enable": 1}})  # so that Auto is a change
    client = client_for(transport, sim, unit)

    result = await sim_driver.run(client.apply_mode(case.command))

    assert unit.mode == case.shown
    assert result.observed.mode is Mode(case.shown)
    assert result.command == case.command
    assert unit.writes_received == result.sends >= 1
    assert client.last_command is not None
    assert client.last_command.confirmed
    if case.ac_power_w is not None:
        assert unit.ac_power_w == case.ac_power_w
    if isinstance(case.command, PassiveMode):
        assert result.power_applied is True
        assert client.last_command.expires_at is not None
    if isinstance(case.command, ManualSlot):
        assert unit.control.slots[0].power_w == -1000


async def test_every_mode_in_turn_on_one_unit(
    make_sim: SimFactory, transport: MarstekTransport, sim_driver: SimDriver
) -> None:
    sim = await delayed_sim(make_sim, sim_driver)
    [unit] = sim.units
    client = client_for(transport, sim, unit)
    commands: list[ModeCommand] = [
        AiMode(),
        MORNING_CHARGE,
        PassiveMode(power_w=-1500),
        PassiveMode(power_w=1200),
        UpsMode(),
        AutoMode(),
    ]
    seen: list[str] = []
    for command in commands:
        result = await sim_driver.run(client.apply_mode(command))
        assert result.observed.mode is command.mode
        seen.append(unit.mode)
    assert seen == ["AI", "Manual", "Passive", "Passive", "UPS", "Auto"]
    # Reads and writes kept the 5 s gap throughout.
    times = [request.at for request in unit.recent_requests]
    assert min((b - a).total_seconds() for a, b in itertools.pairwise(times)) >= 5.0


async def test_a_rejected_then_accepted_write_ends_applied(
    make_sim: SimFactory, transport: MarstekTransport, sim_driver: SimDriver
) -> None:
    sim = await delayed_sim(make_sim, sim_driver)
    [unit] = sim.units
    unit.faults.reject_writes = 1  # busy once: set_result false
    client = client_for(transport, sim, unit)

    result = await sim_driver.run(client.apply_mode(PassiveMode(power_w=-800)))

    assert result.sends >= 2
    assert unit.writes_received == result.sends
    assert unit.mode == "Passive"
    assert unit.ac_power_w == -800.0
    assert result.power_applied is True


async def test_a_write_refused_every_time_is_reported_rejected(
    make_sim: SimFactory, transport: MarstekTransport, sim_driver: SimDriver
) -> None:
    sim = await delayed_sim(make_sim, sim_driver)
    [unit] = sim.units
    unit.faults.reject_writes = 99
    client = client_for(transport, sim, unit)

    with pytest.raises(WriteRejectedError):
        await sim_driver.run(client.apply_mode(AiMode()))

    assert unit.writes_received == client.options.write_tries
    assert unit.mode == "Auto"
    assert client.last_command is None


async def test_a_write_acknowledged_but_never_applied_is_not_confirmed(
    make_sim: SimFactory, transport: MarstekTransport, sim_driver: SimDriver
) -> None:
    sim = await delayed_sim(make_sim, sim_driver)
    [unit] = sim.units
    unit.faults.ack_without_apply = 99  # set_result true, nothing changes
    client = client_for(transport, sim, unit)
    command = PassiveMode(power_w=-1500)

    with pytest.raises(WriteNotConfirmedError, match="not confirmed") as raised:
        await sim_driver.run(client.apply_mode(command))

    assert isinstance(raised.value, MarstekCommunicationError)  # the caller must handle it
    assert "Auto" in str(raised.value)  # what the battery reports instead
    assert unit.writes_received == client.options.write_tries
    assert unit.mode == "Auto"
    # The client remembers the acknowledged command, flagged as never read back.
    assert client.last_command is not None
    assert client.last_command.command == command
    assert not client.last_command.confirmed


async def test_a_setpoint_applied_only_when_resent_is_confirmed_on_the_resend(
    make_sim: SimFactory, transport: MarstekTransport, sim_driver: SimDriver
) -> None:
    sim = await delayed_sim(make_sim, sim_driver)
    [unit] = sim.units
    unit.faults.ack_without_apply = 1
    client = client_for(transport, sim, unit)

    result = await sim_driver.run(client.apply_mode(PassiveMode(power_w=700)))

    assert result.sends >= 2
    assert unit.mode == "Passive"
    assert unit.ac_power_w == 700.0
    writes = [r.at for r in unit.recent_requests if r.method == "ES.SetMode"]
    assert (writes[1] - writes[0]).total_seconds() >= client.options.passive_resend_after_s


@pytest.mark.parametrize("tries", [1, 3, 5])
async def test_a_silent_unit_times_out_after_the_configured_tries(
    make_sim: SimFactory, transport: MarstekTransport, sim_driver: SimDriver, tries: int
) -> None:
    sim = sim_driver.watch(await make_sim(2))
    silent, alive = sim.units
    silent.faults.silent = True  # Open API switched off
    client = client_for(transport, sim, silent, ClientOptions(tries=tries))
    other = client_for(transport, sim, alive)

    with pytest.raises(MarstekTimeoutError, match=f"after {tries} tries"):
        await sim_driver.run(client.get_mode())

    assert silent.requests_received == tries
    assert client.health.consecutive_failures == 1
    assert client.health.last_reply_at is None
    times = [request.at for request in silent.recent_requests]
    assert all((b - a).total_seconds() >= 5.0 for a, b in itertools.pairwise(times))
    # The neighbour on the same socket is unaffected.
    assert (await sim_driver.run(other.get_mode())).mode is Mode.AUTO
