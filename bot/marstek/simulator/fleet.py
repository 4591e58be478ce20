"""A fleet of simulated units on consecutive loopback addresses, sharing one UDP port."""

from __future__ import annotations

import asyncio
import ipaddress
from collections.abc import Sequence
from types import TracebackType

from bot.marstek.simulator.clock import Clock, RealClock
from bot.marstek.simulator.ports import find_free_udp_port
from bot.marstek.simulator.profiles import DEFAULT_PROFILE, FirmwareProfile, unit_config_for
from bot.marstek.simulator.unit import SimulatedBattery

_SEED_STRIDE = 1000


def _normalise_mac(text: str) -> str:
    return text.lower().replace(":", "").replace("-", "")


class Simulator:
    """N simulated Venus units, each on its own 127.0.0.x, all on the same UDP port."""

    def __init__(
        self,
        count: int = 3,
        *,
        port: int | None = None,
        first_host: str = "127.0.0.2",
        broadcast_address: str | None = "127.255.255.255",
        clock: Clock | None = None,
        seed: int | None = None,
        profiles: Sequence[FirmwareProfile] | None = None,
        apply_delay_s: tuple[float, float] = (0.0, 0.0),
    ) -> None:
        if count < 1:
            raise ValueError("a simulator needs at least one unit")
        first = ipaddress.IPv4Address(first_host)
        hosts = [str(first + index) for index in range(count)]
        if not all(ipaddress.IPv4Address(host).is_loopback for host in hosts):
            raise ValueError("simulated units live on loopback addresses only")
        if port is None:
            probe_hosts = [*hosts, broadcast_address] if broadcast_address else hosts
            port = find_free_udp_port(probe_hosts)
        self.port = port
        self.clock: Clock = clock if clock is not None else RealClock()
        chosen = list(profiles) if profiles else [DEFAULT_PROFILE]
        self.units: list[SimulatedBattery] = [
            SimulatedBattery(
                unit_config_for(index, chosen[index % len(chosen)], apply_delay_s=apply_delay_s),
                host=host,
                port=port,
                clock=self.clock,
                seed=None if seed is None else seed * _SEED_STRIDE + index * 2,
                broadcast_address=broadcast_address,
            )
            for index, host in enumerate(hosts)
        ]
        self._started = False

    async def start(self) -> None:
        """Open every unit's sockets (all or none)."""
        if self._started:
            return
        try:
            for unit in self.units:
                await unit.start()
        except BaseException:
            await self.stop()
            raise
        self._started = True

    async def stop(self) -> None:
        """Close every unit's sockets."""
        for unit in self.units:
            await unit.stop()
        self._started = False

    async def __aenter__(self) -> Simulator:
        """Start the fleet."""
        await self.start()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        """Stop the fleet."""
        await self.stop()

    def unit(self, host_or_mac: str) -> SimulatedBattery:
        """Return the unit with this IP, BLE MAC or Wi-Fi MAC."""
        wanted = _normalise_mac(host_or_mac)
        for unit in self.units:
            if host_or_mac == unit.host or wanted in (
                _normalise_mac(unit.config.ble_mac),
                _normalise_mac(unit.config.wifi_mac),
            ):
                return unit
        raise KeyError(host_or_mac)

    def describe(self) -> list[str]:
        """Return one line per unit: "VenusE 3.0 0c587b17df01 at 127.0.0.2:30000 (…)"."""
        return [
            f"{unit.config.profile.model} {unit.config.ble_mac} at {unit.host}:{unit.port}"
            f" ({unit.config.profile.name}, ver {unit.config.profile.version})"
            for unit in self.units
        ]


def describe(simulator: Simulator) -> list[str]:
    """Return one line per unit of ``simulator`` (for ``python -m bot simulate``)."""
    return simulator.describe()


async def serve_forever(simulator: Simulator) -> None:
    """Run the fleet until cancelled, then close its sockets."""
    await simulator.start()
    try:
        await asyncio.Event().wait()
    finally:
        await simulator.stop()
