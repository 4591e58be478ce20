"""The battery library: Marstek Venus Open API over UDP (transport, protocol, models, discovery).

Imports nothing from the rest of the bot (time comes from an injected :class:`Clock`; see
docs/marstek-library.md). Typical use::

    async with MarstekTransport(clock=SystemClock()) as transport:
        client = MarstekClient(transport, "192.168.1.50", port=30000, name="garage")
        await client.get_device()
        status = await client.get_energy_status()
        await client.apply_mode(PassiveMode(power_w=-1500, duration_s=3600))
"""

from bot.marstek.client import ClientOptions, LinkHealth, MarstekClient, WrittenSettings
from bot.marstek.clock import Clock, SystemClock
from bot.marstek.commands import (
    AiMode,
    AutoMode,
    ManualSlot,
    Mode,
    ModeCommand,
    PassiveMode,
    UpsMode,
    split_overnight,
)
from bot.marstek.control import ModeWriteResult, SentCommand
from bot.marstek.device import Capabilities, DeviceInfo, Model
from bot.marstek.discovery import DiscoveredDevice, default_broadcast_addresses, discover
from bot.marstek.errors import (
    MarstekApiError,
    MarstekCommunicationError,
    MarstekConnectionError,
    MarstekError,
    MarstekResponseError,
    MarstekTimeoutError,
    MarstekUsageError,
    MethodNotAvailableError,
    TransportClosedError,
    UnsafeMethodError,
    WriteNotConfirmedError,
    WriteRejectedError,
)
from bot.marstek.protocol import DEFAULT_PORT
from bot.marstek.readings import (
    EnergyStatus,
    MeterStatus,
    ModeStatus,
    PackStatus,
    PvChannel,
    PvStatus,
    WifiStatus,
)
from bot.marstek.transport import MarstekTransport, TransportOptions

__all__ = [
    "DEFAULT_PORT",
    "AiMode",
    "AutoMode",
    "Capabilities",
    "ClientOptions",
    "Clock",
    "DeviceInfo",
    "DiscoveredDevice",
    "EnergyStatus",
    "LinkHealth",
    "ManualSlot",
    "MarstekApiError",
    "MarstekClient",
    "MarstekCommunicationError",
    "MarstekConnectionError",
    "MarstekError",
    "MarstekResponseError",
    "MarstekTimeoutError",
    "MarstekTransport",
    "MarstekUsageError",
    "MeterStatus",
    "MethodNotAvailableError",
    "Mode",
    "ModeCommand",
    "ModeStatus",
    "ModeWriteResult",
    "Model",
    "PackStatus",
    "PassiveMode",
    "PvChannel",
    "PvStatus",
    "SentCommand",
    "SystemClock",
    "TransportClosedError",
    "TransportOptions",
    "UnsafeMethodError",
    "UpsMode",
    "WifiStatus",
    "WriteNotConfirmedError",
    "WriteRejectedError",
    "WrittenSettings",
    "default_broadcast_addresses",
    "discover",
    "split_overnight",
]
