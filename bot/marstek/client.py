"""One battery's Open API client: typed reads, paced retries, verified writes.

:meth:`MarstekClient.request` is the one place that owns tries, timeouts and the mapping of
every low-level failure to the library's errors. Reads retry on silence; writes are never sent
twice blindly (see :mod:`bot.marstek.control`). The client remembers what it wrote, because the
firmware has no getter for the passive setpoint, manual slots, depth of discharge or LED state.
"""

from __future__ import annotations

import asyncio
import logging
import socket
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any, Final

from bot.marstek import protocol as p
from bot.marstek.clock import Clock
from bot.marstek.commands import ManualSlot, ModeCommand, PassiveMode
from bot.marstek.control import ModeWriteResult, SentCommand, apply_verified
from bot.marstek.device import Capabilities, DeviceInfo, parse_device_info
from bot.marstek.errors import (
    MarstekConnectionError,
    MarstekTimeoutError,
    MarstekUsageError,
    MethodNotAvailableError,
    UnsafeMethodError,
    WriteRejectedError,
)
from bot.marstek.readings import (
    EnergyStatus,
    MeterStatus,
    ModeStatus,
    PackStatus,
    PvStatus,
    WifiStatus,
    energy_status_from_mode,
    parse_energy_status,
    parse_meter_status,
    parse_mode_status,
    parse_pack_status,
    parse_pv_status,
    parse_wifi_status,
)
from bot.marstek.transport import MarstekTransport

_LOGGER = logging.getLogger(__name__)

_STATUS_PARAMS: Final[Mapping[str, Any]] = {"id": 0}
DOD_RANGE: Final = range(30, 89)
DEFAULT_DOD_PCT: Final = 88


@dataclass(frozen=True, slots=True, kw_only=True)
class ClientOptions:
    """Retry and verification policy of one client (times are in the transport clock's seconds)."""

    timeout_s: float = 2.0
    tries: int = 3
    write_tries: int = 3
    write_backoff_s: float = 10.0
    """Wait before re-sending a write that was refused (``set_result: false``) or unanswered."""
    verify_window_s: float = 40.0
    """How long a mode change may take to show in ``ES.GetMode``."""
    verify_poll_s: float = 5.0
    passive_resend_after_s: float = 10.0
    """A passive setpoint acknowledged but not applied is re-sent no sooner than this."""

    def __post_init__(self) -> None:
        if self.timeout_s <= 0 or self.tries < 1 or self.write_tries < 1:
            raise MarstekUsageError("timeout must be positive and tries at least 1")
        if min(self.write_backoff_s, self.verify_window_s, self.verify_poll_s) < 0:
            raise MarstekUsageError("waits cannot be negative")


@dataclass(frozen=True, slots=True, kw_only=True)
class LinkHealth:
    """How the link to one battery has been doing (a request counts once, after all its tries)."""

    consecutive_failures: int = 0
    last_reply_at: datetime | None = None
    last_failure_at: datetime | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class WrittenSettings:
    """Settings the firmware cannot report back: what this client last wrote successfully."""

    dod_pct: int | None = None
    led_on: bool | None = None
    ble_advertising: bool | None = None


class MarstekClient:
    """The Open API of one battery, reached through a shared :class:`MarstekTransport`."""

    def __init__(
        self,
        transport: MarstekTransport,
        host: str,
        *,
        port: int = p.DEFAULT_PORT,
        name: str | None = None,
        options: ClientOptions | None = None,
        device: DeviceInfo | None = None,
    ) -> None:
        if not 1 <= port <= 65535:
            raise MarstekUsageError(f"API port {port} is outside 1..65535")
        self._transport = transport
        self._host = host.strip()
        self._ip = p.normalize_ipv4(self._host)
        self._port = port
        self._name = name or self._host
        self._options = options or ClientOptions()
        self._device = device
        self._health = LinkHealth()
        self._settings = WrittenSettings()
        self._last_command: SentCommand | None = None
        self._es_status_missing = False

    @property
    def name(self) -> str:
        """Display name used in logs and error messages."""
        return self._name

    @property
    def host(self) -> str:
        """Host name or IP the client talks to."""
        return self._host

    @property
    def port(self) -> int:
        """The battery's API port."""
        return self._port

    @property
    def clock(self) -> Clock:
        """The clock of the transport (all waits use it)."""
        return self._transport.clock

    @property
    def options(self) -> ClientOptions:
        """Retry and verification policy."""
        return self._options

    @property
    def device(self) -> DeviceInfo | None:
        """Identity from the last :meth:`get_device`, if any."""
        return self._device

    @property
    def capabilities(self) -> Capabilities | None:
        """What the battery can safely be asked; None until :meth:`get_device` succeeded."""
        return self._device.capabilities if self._device is not None else None

    @property
    def health(self) -> LinkHealth:
        """Consecutive failures and the time of the last reply."""
        return self._health

    @property
    def written_settings(self) -> WrittenSettings:
        """What this client last wrote to the settings that have no getter."""
        return self._settings

    @property
    def last_command(self) -> SentCommand | None:
        """The last mode command the battery acknowledged, and whether it was read back."""
        return self._last_command

    async def request(
        self, method: str, params: Mapping[str, Any] | None = None, *, tries: int | None = None
    ) -> dict[str, Any]:
        """Send ``method`` and return its ``result``, retrying on silence.

        Raises :class:`MarstekTimeoutError` after ``tries`` silent attempts and
        :class:`~bot.marstek.errors.MarstekApiError` when the battery answers with an error.
        """
        reply = await self._request_reply(method, params, tries=tries)
        return reply.unwrap(method)

    async def _request_reply(
        self, method: str, params: Mapping[str, Any] | None, *, tries: int | None
    ) -> p.Reply:
        ip = await self._resolve()
        attempts = tries if tries is not None else self._options.tries
        last_error: MarstekTimeoutError | None = None
        for attempt in range(1, attempts + 1):
            try:
                reply = await self._transport.exchange(
                    ip,
                    self._port,
                    method,
                    params if params is not None else _STATUS_PARAMS,
                    timeout_s=self._options.timeout_s,
                )
            except MarstekTimeoutError as err:
                _LOGGER.debug(
                    "%s: try %d/%d of %s timed out", self._name, attempt, attempts, method
                )
                last_error = err
                continue
            # Any reply, even an error object, proves the link and the Open API are alive.
            self._health = LinkHealth(last_reply_at=self.clock.now())
            return reply
        self._health = replace(
            self._health,
            consecutive_failures=self._health.consecutive_failures + 1,
            last_failure_at=self.clock.now(),
        )
        raise MarstekTimeoutError(
            f"{self._name}: no reply to {method} after {attempts} tries"
        ) from last_error

    async def get_device(self) -> DeviceInfo:
        """Read the battery's identity (model, firmware, MACs) and remember it."""
        reply = await self._request_reply(p.METHOD_GET_DEVICE, {"ble_mac": "0"}, tries=None)
        self._device = parse_device_info(reply.unwrap(p.METHOD_GET_DEVICE), reply.src)
        return self._device

    async def get_energy_status(self) -> EnergyStatus:
        """Read SoC, powers and counters; falls back to ``ES.GetMode`` where firmware requires."""
        caps = self.capabilities
        if self._es_status_missing or (caps is not None and not caps.es_status):
            return energy_status_from_mode(await self.get_mode())
        try:
            return parse_energy_status(await self.request(p.METHOD_ES_STATUS))
        except MethodNotAvailableError:
            _LOGGER.info("%s: ES.GetStatus is not available; using ES.GetMode", self._name)
            self._es_status_missing = True
            return energy_status_from_mode(await self.get_mode())

    async def get_mode(self) -> ModeStatus:
        """Read the operating mode, SoC and AC power."""
        return parse_mode_status(await self.request(p.METHOD_ES_MODE))

    async def get_pack_status(self, *, allow_risky: bool = False) -> PackStatus:
        """Read ``Bat.GetStatus`` (temperature, BMS flags); refused on reset-prone firmware.

        Call :meth:`get_device` first: with an unknown firmware the method counts as risky.
        """
        caps = self.capabilities
        if not allow_risky and (caps is None or not caps.pack_status_safe):
            raise UnsafeMethodError(
                f"{self._name}: Bat.GetStatus can factory-reset this firmware "
                f"({self._device.model_name if self._device else 'unknown'} "
                f"{self._device.firmware if self._device else '?'}); pass allow_risky=True"
            )
        result = await self.request(p.METHOD_BAT_STATUS)
        return parse_pack_status(result, scaling_bug=caps is not None and caps.pack_scaling_bug)

    async def get_meter_status(self) -> MeterStatus:
        """Read the CT meter as the battery sees it."""
        return parse_meter_status(await self.request(p.METHOD_EM_STATUS))

    async def get_wifi_status(self) -> WifiStatus:
        """Read the Wi-Fi link (SSID, RSSI, addresses)."""
        return parse_wifi_status(await self.request(p.METHOD_WIFI_STATUS))

    async def get_pv_status(self) -> PvStatus:
        """Read the DC solar inputs (Venus A/D only; others answer -32601)."""
        return parse_pv_status(await self.request(p.METHOD_PV_STATUS))

    async def send_mode(self, command: ModeCommand) -> bool | None:
        """Send one ``ES.SetMode`` datagram, never repeated; return ``set_result``.

        None means the reply carried no ``set_result``. Prefer :meth:`apply_mode`, which verifies.
        """
        self.check_limits(command)
        result = await self.request(
            p.METHOD_ES_SET_MODE, {"id": 0, "config": command.config()}, tries=1
        )
        accepted = _set_result(result)
        if accepted is not False:
            self._last_command = SentCommand(
                command=command, sent_at=self.clock.now(), confirmed=False
            )
        return accepted

    async def apply_mode(self, command: ModeCommand) -> ModeWriteResult:
        """Send ``command`` and read the mode back until confirmed (see :mod:`.control`)."""
        self.check_limits(command)
        result = await apply_verified(self, command)
        self._last_command = SentCommand(command=command, sent_at=result.sent_at, confirmed=True)
        return result

    def check_limits(self, command: ModeCommand) -> None:
        """Raise :class:`MarstekUsageError` if the command's power exceeds this model's limit."""
        power = command.power_w if isinstance(command, PassiveMode | ManualSlot) else None
        caps = self.capabilities
        if power is not None and caps is not None and abs(power) > caps.max_power_w:
            raise MarstekUsageError(
                f"{self._name}: {power} W is beyond the ±{caps.max_power_w} W of this model"
            )

    @property
    def soc_floor_pct(self) -> float:
        """The SoC below which the battery stops discharging (100 − depth of discharge)."""
        return 100.0 - (self._settings.dod_pct or DEFAULT_DOD_PCT)

    async def set_depth_of_discharge(self, dod_pct: int) -> None:
        """Write the depth of discharge (30–88 %, Rev 2.0+ firmware) and remember it."""
        if dod_pct not in DOD_RANGE:
            raise MarstekUsageError(f"depth of discharge {dod_pct} % is outside 30..88 %")
        await self._write_setting(p.METHOD_SET_DOD, {"value": dod_pct})
        self._settings = replace(self._settings, dod_pct=dod_pct)

    async def set_led(self, on: bool) -> None:
        """Switch the front LEDs on or off (Rev 2.0+ firmware) and remember it."""
        await self._write_setting(p.METHOD_LED, {"state": 1 if on else 0})
        self._settings = replace(self._settings, led_on=on)

    async def set_ble_advertising(self, on: bool) -> None:
        """Switch Bluetooth advertising on or off (Rev 2.0+ firmware) and remember it."""
        # The firmware's flag is inverted: enable=0 means advertising ON.
        await self._write_setting(p.METHOD_BLE_ADV, {"enable": 0 if on else 1})
        self._settings = replace(self._settings, ble_advertising=on)

    async def _write_setting(self, method: str, params: Mapping[str, Any]) -> None:
        """Write an idempotent setting that cannot be read back; retry with back-off."""
        opts = self._options
        last_error: Exception | None = None
        for attempt in range(1, opts.write_tries + 1):
            if attempt > 1:
                await self.clock.sleep(opts.write_backoff_s)
            try:
                result = await self.request(method, params, tries=1)
            except MarstekTimeoutError as err:
                last_error = err
                continue
            if _set_result(result) is not False:
                return
            last_error = WriteRejectedError(f"{self._name}: {method} was refused")
        if isinstance(last_error, WriteRejectedError):
            raise last_error
        raise MarstekTimeoutError(
            f"{self._name}: no reply to {method} after {opts.write_tries} tries"
        ) from last_error

    async def _resolve(self) -> str:
        """Return the battery's IPv4 address (host names are resolved on every call: DHCP)."""
        if self._ip is not None:
            return self._ip
        loop = asyncio.get_running_loop()
        try:
            infos = await loop.getaddrinfo(
                self._host, self._port, family=socket.AF_INET, type=socket.SOCK_DGRAM
            )
        except OSError as err:
            raise MarstekConnectionError(
                f"{self._name}: cannot resolve {self._host}: {err}"
            ) from err
        if not infos:
            raise MarstekConnectionError(f"{self._name}: {self._host} has no IPv4 address")
        return str(infos[0][4][0])


def _set_result(result: Mapping[str, Any]) -> bool | None:
    value = result.get("set_result")
    if isinstance(value, bool):
        return value
    if isinstance(value, int) and value in (0, 1):
        return bool(value)
    return None
