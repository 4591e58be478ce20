"""The fleet coordinator: polls every battery on its own schedule and keeps the last good data.

In the spirit of Home Assistant's DataUpdateCoordinator: one asyncio task per battery (a silent
battery never delays another), the battery library paces each one, the last good snapshot is kept
with its age, one log line and one alert per availability transition, samples are written in
batches, and listeners hear about every update. UI code only reads snapshots.

The coordinator's loops run on the injected clock, so tests drive a whole day in seconds.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta

from bot.alerts import Alert, AlertKind, AlertSink, Severity
from bot.clock import Clock
from bot.marstek import (
    ClientOptions,
    DeviceInfo,
    MarstekClient,
    MarstekCommunicationError,
    MarstekError,
    MarstekTransport,
    MethodNotAvailableError,
)
from bot.monitor.availability import Availability, AvailabilityTracker, Transition
from bot.monitor.recorder import SampleRecorder
from bot.monitor.rules import AlertRules, Reading
from bot.monitor.snapshot import BatterySnapshot

_log = logging.getLogger(__name__)

Listener = Callable[[BatterySnapshot], Awaitable[None] | None]
BatteryRegistrar = Callable[[MarstekClient], Awaitable[int | None]]


@dataclass(frozen=True, slots=True, kw_only=True)
class BatteryTarget:
    """One battery to watch."""

    name: str
    host: str
    port: int


@dataclass(frozen=True, slots=True, kw_only=True)
class MonitorOptions:
    """Polling cadence and alert thresholds."""

    poll_interval_s: float = 30.0
    mode_interval_s: float = 120.0
    meter_interval_s: float = 300.0
    pack_interval_s: float = 900.0
    unreachable_after: int = 3
    api_silence: timedelta = timedelta(minutes=15)


@dataclass(slots=True)
class _Watched:
    target: BatteryTarget
    client: MarstekClient
    tracker: AvailabilityTracker
    snapshot: BatterySnapshot
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    next_mode_at: datetime | None = None
    next_meter_at: datetime | None = None
    next_pack_at: datetime | None = None
    missing: set[str] = field(default_factory=set)


def _empty_snapshot(target: BatteryTarget) -> BatterySnapshot:
    return BatterySnapshot(
        name=target.name,
        host=target.host,
        port=target.port,
        battery_id=None,
        device=None,
        status=None,
        status_at=None,
        mode=None,
        mode_at=None,
        meter=None,
        meter_at=None,
        temperature_c=None,
        availability=Availability.UNKNOWN,
        failures=0,
        unreachable_since=None,
        api_disabled_suspected=False,
        last_error=None,
    )


class FleetCoordinator:
    """Watch a fleet of batteries; see the module docstring."""

    def __init__(
        self,
        *,
        transport: MarstekTransport,
        targets: Sequence[BatteryTarget],
        clock: Clock,
        alerts: AlertSink,
        recorder: SampleRecorder | None = None,
        register: BatteryRegistrar | None = None,
        options: MonitorOptions | None = None,
        client_options: ClientOptions | None = None,
        rules: AlertRules | None = None,
    ) -> None:
        self._clock = clock
        self._alerts = alerts
        self._recorder = recorder
        self._register = register
        self.options = options or MonitorOptions()
        self.rules = rules or AlertRules()
        self._transport = transport
        self._client_options = client_options
        self._listeners: list[Listener] = []
        self._tasks: dict[str, asyncio.Task[None]] = {}
        self._running = False
        self._watched: dict[str, _Watched] = {}
        for target in targets:
            self._add(target)

    def _add(self, target: BatteryTarget, device: DeviceInfo | None = None) -> _Watched:
        if target.name in self._watched:
            raise ValueError(f"two batteries are named {target.name!r}")
        if any(
            (w.target.host, w.target.port) == (target.host, target.port)
            for w in self._watched.values()
        ):
            raise ValueError(f"{target.host}:{target.port} is already watched")
        client = MarstekClient(
            self._transport,
            target.host,
            port=target.port,
            name=target.name,
            options=self._client_options,
            device=device,
        )
        tracker = AvailabilityTracker(
            unreachable_after=self.options.unreachable_after,
            api_silence=self.options.api_silence,
        )
        watched = _Watched(
            target=target, client=client, tracker=tracker, snapshot=_empty_snapshot(target)
        )
        self._watched[target.name] = watched
        return watched

    # -- reading ---------------------------------------------------------------------------

    @property
    def names(self) -> list[str]:
        """Battery names, in configuration order."""
        return list(self._watched)

    def snapshots(self) -> list[BatterySnapshot]:
        """The last known state of every battery, in configuration order."""
        return [w.snapshot for w in self._watched.values()]

    def snapshot(self, name: str) -> BatterySnapshot:
        """The last known state of one battery (KeyError if unknown)."""
        return self._watched[name].snapshot

    def client(self, name: str) -> MarstekClient:
        """The library client of one battery (for the control service)."""
        return self._watched[name].client

    def add_listener(self, listener: Listener) -> None:
        """Call ``listener(snapshot)`` after every poll of any battery."""
        self._listeners.append(listener)

    # -- running ---------------------------------------------------------------------------

    async def start(self) -> None:
        """Start one polling task per battery."""
        self._running = True
        for watched in self._watched.values():
            self._start_task(watched)

    def _start_task(self, watched: _Watched) -> None:
        name = watched.target.name
        if self._running and name not in self._tasks:
            self._tasks[name] = asyncio.create_task(self._loop(watched), name=f"poll:{name}")

    async def _stop_task(self, name: str) -> None:
        task = self._tasks.pop(name, None)
        if task is not None:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task

    async def stop(self) -> None:
        """Stop polling and flush the samples not yet written."""
        self._running = False
        for name in list(self._tasks):
            await self._stop_task(name)
        if self._recorder is not None:
            await self._recorder.close()

    # -- changing the fleet ----------------------------------------------------------------

    async def add(self, target: BatteryTarget) -> BatterySnapshot:
        """Watch one more battery (polled at once if the fleet is running)."""
        watched = self._add(target)
        self._start_task(watched)
        return watched.snapshot

    async def remove(self, name: str) -> None:
        """Stop watching ``name`` (KeyError if unknown)."""
        if name not in self._watched:
            raise KeyError(name)
        await self._stop_task(name)
        del self._watched[name]

    async def rename(self, old: str, new: str) -> BatterySnapshot:
        """Give a battery another display name (its history stays attached to its identity)."""
        if new == old:
            return self._watched[old].snapshot
        if new in self._watched:
            raise ValueError(f"a battery is already named {new!r}")
        watched = self._watched[old]
        await self._stop_task(old)
        del self._watched[old]
        target = BatteryTarget(name=new, host=watched.target.host, port=watched.target.port)
        renamed = self._add(target, device=watched.client.device)
        renamed.snapshot = replace(watched.snapshot, name=new)
        renamed.tracker = watched.tracker
        expected = self.rules.expected_mode(old)
        if expected is not None:
            self.rules.expect_mode(new, expected.mode, expected.since)
        self._start_task(renamed)
        return renamed.snapshot

    async def refresh(self, names: Sequence[str] | None = None) -> list[BatterySnapshot]:
        """Poll now (all batteries, or ``names``) concurrently and return the new snapshots."""
        chosen = [self._watched[n] for n in (names or self.names)]
        await asyncio.gather(*(self._poll(w) for w in chosen))
        return [w.snapshot for w in chosen]

    async def poll_once(self, name: str) -> BatterySnapshot:
        """Poll one battery once and return its snapshot."""
        watched = self._watched[name]
        await self._poll(watched)
        return watched.snapshot

    async def _loop(self, watched: _Watched) -> None:
        while True:
            try:
                await self._poll(watched)
            except Exception:  # a bug in one poll must not stop the watch
                _log.exception("poll crashed", extra={"battery": watched.target.name})
            await self._clock.sleep(self.options.poll_interval_s)

    # -- one poll --------------------------------------------------------------------------

    async def _poll(self, watched: _Watched) -> None:
        async with watched.lock:  # a Refresh and the loop never poll the same battery at once
            now = self._clock.now()
            try:
                await self._read(watched, now)
            except MarstekCommunicationError as err:
                await self._failed(watched, now, err)
            else:
                await self._succeeded(watched, now)
        await self._notify(watched.snapshot)

    async def _read(self, watched: _Watched, now: datetime) -> None:
        client, snap = watched.client, watched.snapshot
        if client.device is None or snap.battery_id is None:
            device = client.device or await client.get_device()
            battery_id = await self._register(client) if self._register else None
            snap = replace(snap, device=device, battery_id=battery_id)
        status = await client.get_energy_status()
        snap = replace(snap, status=status, status_at=now, last_error=None)
        if status.mode is not None:
            snap = replace(snap, mode=status.mode, mode_at=now)
            watched.next_mode_at = now + timedelta(seconds=self.options.mode_interval_s)
        watched.snapshot = snap
        await self._read_secondary(watched, now)

    async def _read_secondary(self, watched: _Watched, now: datetime) -> None:
        """Mode, meter and pack temperature, each at its own slower pace; failures tolerated."""
        client, opts = watched.client, self.options
        if _due(watched, "ES.GetMode", watched.next_mode_at, now):
            watched.next_mode_at = now + timedelta(seconds=opts.mode_interval_s)
            with _tolerated(watched, "ES.GetMode"):
                mode = await client.get_mode()
                snap = replace(watched.snapshot, mode=mode.mode, mode_at=now)
                if mode.meter is not None:
                    snap = replace(snap, meter=mode.meter, meter_at=now)
                    watched.next_meter_at = now + timedelta(seconds=opts.meter_interval_s)
                watched.snapshot = snap
        if _due(watched, "EM.GetStatus", watched.next_meter_at, now):
            watched.next_meter_at = now + timedelta(seconds=opts.meter_interval_s)
            with _tolerated(watched, "EM.GetStatus"):
                meter = await client.get_meter_status()
                watched.snapshot = replace(watched.snapshot, meter=meter, meter_at=now)
        caps = client.capabilities
        if (
            caps is not None
            and caps.pack_status_safe
            and _due(watched, "Bat.GetStatus", watched.next_pack_at, now)
        ):
            watched.next_pack_at = now + timedelta(seconds=opts.pack_interval_s)
            with _tolerated(watched, "Bat.GetStatus"):
                pack = await client.get_pack_status()
                watched.snapshot = replace(watched.snapshot, temperature_c=pack.temperature_c)

    async def _succeeded(self, watched: _Watched, now: datetime) -> None:
        event = watched.tracker.success(now)
        name = watched.target.name
        if event is not None:
            down = now - (event.silent_since or now)
            _log.info("back after %s", down, extra={"battery": name, "action": "poll"})
            await self._raise(
                name, AlertKind.BACK, Severity.INFO, now, duration_s=int(down.total_seconds())
            )
        watched.snapshot = replace(
            watched.snapshot,
            availability=watched.tracker.state,
            failures=0,
            unreachable_since=None,
            api_disabled_suspected=False,
        )
        snap = watched.snapshot
        meter_fresh = snap.meter is not None and snap.meter_at == now
        reading = Reading(
            battery=name,
            at=now,
            soc_pct=snap.soc_pct,
            temperature_c=snap.temperature_c if snap.device else None,
            mode=snap.mode.value if snap.mode is not None and snap.mode_at == now else None,
            ct_connected=snap.meter.ct_connected if meter_fresh and snap.meter else None,
            counters_wh=_counters(snap),
        )
        for alert in self.rules.evaluate(reading):
            await self._alerts.raise_alert(alert)
        if self._recorder is not None and snap.battery_id is not None:
            await self._recorder.record(snap, now)

    async def _failed(self, watched: _Watched, now: datetime, err: MarstekError) -> None:
        name = watched.target.name
        event = watched.tracker.failure(now)
        first = watched.tracker.first_failure
        watched.snapshot = replace(
            watched.snapshot,
            availability=watched.tracker.state,
            failures=watched.tracker.failures,
            unreachable_since=first if watched.tracker.state is Availability.UNREACHABLE else None,
            api_disabled_suspected=watched.tracker.api_disabled_suspected,
            last_error=str(err),
        )
        if event is None:
            _log.debug("poll failed: %s", err, extra={"battery": name, "action": "poll"})
            return
        if event.transition is Transition.UNREACHABLE:
            _log.error(
                "unreachable after %d tries: %s",
                event.failures,
                err,
                extra={"battery": name, "action": "poll"},
            )
            await self._raise(
                name,
                AlertKind.UNREACHABLE,
                Severity.WARNING,
                now,
                since=(first or now).isoformat(),
                failures=event.failures,
            )
        else:
            _log.error(
                "silent since %s: Open API probably disabled",
                first,
                extra={"battery": name, "action": "poll"},
            )
            silent = now - (first or now)
            await self._raise(
                name,
                AlertKind.API_DISABLED,
                Severity.CRITICAL,
                now,
                since=(first or now).isoformat(),
                duration_s=int(silent.total_seconds()),
                port=watched.target.port,
            )

    async def _raise(
        self,
        name: str,
        kind: AlertKind,
        severity: Severity,
        now: datetime,
        **params: str | int | float | None,
    ) -> None:
        outage = self._watched[name].tracker.first_failure or now
        key_instant = now if kind is AlertKind.BACK else outage
        alert = Alert(
            kind=kind,
            severity=severity,
            created_at=now,
            battery=name,
            params=dict(params),
            dedup_key=f"{kind.value}:{name}:{key_instant.isoformat(timespec='seconds')}",
        )
        await self._alerts.raise_alert(alert)

    async def _notify(self, snapshot: BatterySnapshot) -> None:
        for listener in list(self._listeners):
            try:
                result = listener(snapshot)
                if result is not None:
                    await result
            except Exception:
                _log.exception("listener failed", extra={"battery": snapshot.name})


def _counters(snap: BatterySnapshot) -> dict[str, float]:
    status = snap.status
    if status is None:
        return {}
    counters = {"ac_out": status.ac_out_energy_wh, "ac_in": status.ac_in_energy_wh}
    return {k: v for k, v in counters.items() if v is not None}


def _due(watched: _Watched, method: str, next_at: datetime | None, now: datetime) -> bool:
    return method not in watched.missing and (next_at is None or now >= next_at)


@contextlib.contextmanager
def _tolerated(watched: _Watched, method: str) -> Iterator[None]:
    """Secondary reads may fail without making the battery unavailable."""
    battery = watched.target.name
    try:
        yield
    except MethodNotAvailableError:
        _log.info("%s is not available on this firmware", method, extra={"battery": battery})
        watched.missing.add(method)
    except MarstekCommunicationError as err:
        _log.debug("%s failed: %s", method, err, extra={"battery": battery, "action": method})
