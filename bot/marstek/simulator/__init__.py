"""A fake fleet of Marstek Venus batteries speaking the Open API over UDP on loopback.

Independent of the client library: it imports only its own modules and the stdlib.
See docs/simulator.md for what is simulated and every assumption made.
"""

from __future__ import annotations

from bot.marstek.simulator.clock import Clock, RealClock
from bot.marstek.simulator.control import ManualSlot
from bot.marstek.simulator.faults import Faults
from bot.marstek.simulator.fleet import Simulator, describe, serve_forever
from bot.marstek.simulator.household import PowerProfile, constant, default_load_curve, no_pv
from bot.marstek.simulator.methods import Snapshot
from bot.marstek.simulator.ports import find_free_udp_port
from bot.marstek.simulator.profiles import (
    DEFAULT_PROFILE,
    PROFILES,
    FirmwareProfile,
    UnitConfig,
    default_ble_mac,
    default_wifi_mac,
)
from bot.marstek.simulator.unit import ReceivedRequest, SimulatedBattery

__all__ = [
    "DEFAULT_PROFILE",
    "PROFILES",
    "Clock",
    "Faults",
    "FirmwareProfile",
    "ManualSlot",
    "PowerProfile",
    "RealClock",
    "ReceivedRequest",
    "SimulatedBattery",
    "Simulator",
    "Snapshot",
    "UnitConfig",
    "constant",
    "default_ble_mac",
    "default_load_curve",
    "default_wifi_mac",
    "describe",
    "find_free_udp_port",
    "no_pv",
    "serve_forever",
]
