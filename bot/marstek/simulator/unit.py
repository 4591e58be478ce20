"""One simulated Venus unit: the Open API methods on top of its engine, and its sockets."""

from __future__ import annotations

import logging
import random
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from bot.marstek.simulator import methods
from bot.marstek.simulator.clock import Clock, RealClock
from bot.marstek.simulator.control import ControlState, parse_set_mode
from bot.marstek.simulator.engine import Engine
from bot.marstek.simulator.faults import Faults
from bot.marstek.simulator.household import PowerProfile, default_load_curve
from bot.marstek.simulator.profiles import UnitConfig
from bot.marstek.simulator.protocol import (
    INVALID_PARAMS,
    METHOD_NOT_FOUND,
    WRITE_METHODS,
    Request,
    RpcError,
    encode,
    error_message,
    parse_request,
    peek_method,
    result_message,
)
from bot.marstek.simulator.server import Address, UnitServer

_LOGGER = logging.getLogger(__name__)
_RECENT_REQUESTS = 1000
_DOD_RANGE = (30, 88)


@dataclass(frozen=True, slots=True, kw_only=True)
class ReceivedRequest:
    """A datagram that reached the unit (kept for pace assertions in tests)."""

    at: datetime
    method: str | None
    source: Address
    via_broadcast: bool


class SimulatedBattery:
    """One fake Venus battery, answering the Open API on (host, port)."""

    def __init__(
        self,
        config: UnitConfig,
        *,
        host: str = "127.0.0.2",
        port: int = 30000,
        clock: Clock | None = None,
        faults: Faults | None = None,
        seed: int | None = None,
        broadcast_address: str | None = None,
    ) -> None:
        self.host = host
        self.port = port
        self.config = config
        self.faults = faults if faults is not None else Faults()
        self.broadcast_address = broadcast_address
        self.requests_received = 0
        self.writes_received = 0
        self.recent_requests: deque[ReceivedRequest] = deque(maxlen=_RECENT_REQUESTS)
        self.led_on = True
        self.ble_advertising = True
        self._clock: Clock = clock if clock is not None else RealClock()
        self._seed = seed
        self._engine = Engine(
            config, clock=self._clock, rng=random.Random(seed), load_w=default_load_curve(seed)
        )
        self._handlers = self._build_handlers()
        self._server: UnitServer | None = None

    # ---- what tests read -------------------------------------------------------------------

    @property
    def src(self) -> str:
        """The ``src`` member of every reply: "<model>-<ble_mac>"."""
        return f"{self.config.profile.model}-{self.config.ble_mac}"

    @property
    def soc_pct(self) -> float:
        """State of charge now (exact, not rounded like the API)."""
        self._engine.catch_up()
        return self._engine.pack.soc_pct

    @property
    def mode(self) -> str:
        """Mode in effect now (a pending change is not visible yet)."""
        self._engine.catch_up()
        return self._engine.control.mode

    @property
    def ac_power_w(self) -> float:
        """AC power now: + = discharging to the house, − = charging."""
        self._engine.catch_up()
        return self._engine.power_w()

    @property
    def grid_power_w(self) -> float:
        """Power at the house meter now: + = import, − = export."""
        self._engine.catch_up()
        return self._engine.grid_power_w()

    @property
    def dod_pct(self) -> int:
        """Depth of discharge in force (floor = 100 − DOD)."""
        return round(self._engine.pack.dod_pct)

    @property
    def control(self) -> ControlState:
        """Mode, Passive setpoint and manual slots in force (read-only use, for tests)."""
        self._engine.catch_up()
        return self._engine.control

    @property
    def pending_changes(self) -> int:
        """Mode changes acknowledged but not in effect yet (apply delay)."""
        self._engine.catch_up()
        return self._engine.pending_changes

    def snapshot(self) -> methods.Snapshot:
        """Return the full state now."""
        self._engine.catch_up()
        return self._engine.snapshot()

    # ---- what tests change -----------------------------------------------------------------

    def set_household(self, load_w: PowerProfile, pv_w: PowerProfile | None = None) -> None:
        """Replace the house load (and PV behind the meter) from now on."""
        self._engine.catch_up()
        self._engine.set_household(load_w, pv_w)

    def set_soc(self, soc_pct: float) -> None:
        """Force the state of charge (e.g. to start a test near the DOD floor)."""
        self._engine.catch_up()
        self._engine.pack.soc_pct = max(0.0, min(100.0, soc_pct))

    def app_set_mode(self, config: dict[str, Any]) -> None:
        """Change the mode as the Marstek app would: at once, no faults, no counters."""
        self._engine.catch_up()
        command = parse_set_mode(
            {"config": config},
            profile=self.config.profile,
            max_power_w=self.config.max_power_w,
            request_id=0,
        )
        self._engine.apply_now(command)

    def reset_settings(self) -> None:
        """Forget mode, slots and settings, as units did when their Open API switched off."""
        self._engine.catch_up()
        self._engine.reset()
        self.led_on = True
        self.ble_advertising = True

    def call(self, method: str, params: dict[str, Any] | None = None) -> dict[str, Any]:
        """Run one method in-process (no UDP, no faults); return the reply message."""
        request = Request(id=1, method=method, params=params if params is not None else {})
        return self._reply_to(request)

    # ---- lifecycle -------------------------------------------------------------------------

    async def start(self) -> None:
        """Open the unit's sockets."""
        if self._server is not None:
            return
        server = UnitServer(
            host=self.host,
            port=self.port,
            broadcast_address=self.broadcast_address,
            responder=self,
            faults=lambda: self.faults,
            rng=random.Random(None if self._seed is None else self._seed + 1),
        )
        await server.start()
        self._server = server

    async def stop(self) -> None:
        """Close the unit's sockets and drop replies not sent yet."""
        if self._server is not None:
            server, self._server = self._server, None
            await server.close()

    # ---- Responder (called by the server) --------------------------------------------------

    def note_datagram(self, data: bytes, source: Address, *, via_broadcast: bool) -> None:
        """Count a datagram that reached the sockets."""
        method = peek_method(data) if data else None
        self.requests_received += 1
        if method in WRITE_METHODS:
            self.writes_received += 1
        self.recent_requests.append(
            ReceivedRequest(
                at=self._clock.now(), method=method, source=source, via_broadcast=via_broadcast
            )
        )

    def respond(self, data: bytes, *, via_broadcast: bool) -> bytes | None:
        """Answer a datagram like the device; None when the device stays quiet."""
        try:
            request = parse_request(data)
        except RpcError as err:
            return encode(error_message(err.request_id, self.src, err))
        if via_broadcast and request.method != "Marstek.GetDevice":
            _LOGGER.debug("%s ignores broadcast %s", self.host, request.method)
            return None
        if request.method == "Marstek.GetDevice" and not self._is_addressed(request.params):
            return None
        return encode(self._reply_to(request))

    # ---- method dispatch -------------------------------------------------------------------

    def _is_addressed(self, params: dict[str, Any]) -> bool:
        wanted = params.get("ble_mac", "0")
        return (
            not isinstance(wanted, str)
            or wanted in ("0", "")
            or wanted.lower() == (self.config.ble_mac.lower())
        )

    def _reply_to(self, request: Request) -> dict[str, Any]:
        self._engine.catch_up()
        handler = self._handlers.get(request.method)
        if handler is None:
            return error_message(request.id, self.src, RpcError(METHOD_NOT_FOUND))
        try:
            result = handler(request)
        except RpcError as err:
            return error_message(request.id, self.src, err)
        return result_message(request.id, self.src, result)

    def _build_handlers(self) -> dict[str, Callable[[Request], dict[str, Any]]]:
        profile = self.config.profile
        handlers: dict[str, Callable[[Request], dict[str, Any]]] = {
            "Marstek.GetDevice": lambda _r: methods.get_device(self.config, self.host),
            "ES.GetMode": lambda _r: methods.es_mode(self.config, self._engine.snapshot()),
            "ES.SetMode": self._set_mode,
            "Bat.GetStatus": lambda _r: methods.bat_status(self.config, self._engine.snapshot()),
            "Wifi.GetStatus": lambda _r: methods.wifi_status(self.config, self.host),
            "BLE.GetStatus": lambda _r: methods.ble_status(self.config),
        }
        if profile.has_es_status:
            handlers["ES.GetStatus"] = lambda _r: methods.es_status(
                self.config, self._engine.snapshot()
            )
        if profile.has_em_status:
            handlers["EM.GetStatus"] = lambda _r: methods.em_status(self._engine.snapshot())
        if profile.has_pv_status:
            handlers["PV.GetStatus"] = lambda _r: methods.pv_status()
        if profile.has_settings:
            handlers |= {"DOD.SET": self._set_dod, "Led.Ctrl": self._led, "Ble.Adv": self._ble}
        return handlers

    def _set_mode(self, request: Request) -> dict[str, Any]:
        command = parse_set_mode(
            request.params,
            profile=self.config.profile,
            max_power_w=self.config.max_power_w,
            request_id=request.id,
        )
        if self.faults.take_reject():
            return methods.set_result(False)
        if self.faults.take_ack_without_apply():
            return methods.set_result(True)
        self._engine.submit(command)
        return methods.set_result(True)

    def _flag(self, request: Request, key: str, allowed: tuple[int, int]) -> int:
        value = request.params.get(key)
        if not isinstance(value, int) or isinstance(value, bool):
            raise RpcError(INVALID_PARAMS, request_id=request.id)
        if not allowed[0] <= value <= allowed[1]:
            raise RpcError(INVALID_PARAMS, request_id=request.id)
        return value

    def _set_dod(self, request: Request) -> dict[str, Any]:
        value = self._flag(request, "value", _DOD_RANGE)
        if not self.faults.take_ack_without_apply():
            self._engine.pack.dod_pct = value
        return methods.set_result(True)

    def _led(self, request: Request) -> dict[str, Any]:
        state = self._flag(request, "state", (0, 1))
        if not self.faults.take_ack_without_apply():
            self.led_on = state == 1
        return methods.set_result(True)

    def _ble(self, request: Request) -> dict[str, Any]:
        enable = self._flag(request, "enable", (0, 1))
        if not self.faults.take_ack_without_apply():
            self.ble_advertising = enable == 0  # 0 = advertising ON (vendor document)
        return methods.set_result(True)
