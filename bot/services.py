"""The composition root: builds every service from the settings, starts and stops them in order.

The Telegram layer receives one :class:`Services` object and never builds anything itself.
With ``simulate=N``, N simulated batteries start in this process (on 127.0.0.2 …) and replace
the configured ones — anyone can try the product without hardware.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

import httpx

from bot.clock import Clock, SystemClock

if TYPE_CHECKING:
    from bot.execution.executor import PlanExecutor
from bot.control.service import ControlService
from bot.marstek import (
    ClientOptions,
    MarstekTransport,
    TransportOptions,
    default_broadcast_addresses,
)
from bot.marstek.simulator import Simulator
from bot.monitor.coordinator import BatteryTarget, FleetCoordinator, MonitorOptions
from bot.monitor.manager import BatteryManager, initial_targets
from bot.monitor.recorder import SampleRecorder
from bot.monitor.registry import database_registrar
from bot.monitor.rules import AlertRules, Thresholds
from bot.monitor.snapshot import BatterySnapshot
from bot.preferences import Preferences
from bot.savings.service import SavingsService, SettledDays
from bot.scheduling import ClockScheduler, RecurringJob, Scheduler, Step
from bot.settings import BatteryConfig, Settings
from bot.storage import Database, Storage
from bot.tempo import (
    FetchScheduleConfig,
    PriceTable,
    SourceEndpoints,
    TempoFetchScheduler,
    TempoService,
    TempoSource,
    build_sources,
    load_price_table,
)

_log = logging.getLogger(__name__)

HOUSEKEEPING_EVERY = timedelta(minutes=15)
SIMULATED_GAP_S = 0.2  # the simulator needs no 5 s breathing space between requests
SIMULATED_BROADCAST = "127.255.255.255"


class ServiceError(Exception):
    """A service could not start; the message is one sentence for the user."""


@dataclass(slots=True, kw_only=True)
class Services:
    """Everything the Telegram layer may use."""

    clock: Clock
    db: Database
    storage: Storage
    transport: MarstekTransport
    fleet: FleetCoordinator
    control: ControlService
    tempo: TempoService
    tempo_scheduler: TempoFetchScheduler
    prices: PriceTable
    http: httpx.AsyncClient
    preferences: Preferences
    batteries: BatteryManager
    scheduler: Scheduler
    simulator: Simulator | None = None
    executor: PlanExecutor | None = None
    discovery_broadcast: list[str] = field(default_factory=list)
    availability: dict[str, object] = field(default_factory=dict)
    jobs: dict[str, RecurringJob] = field(default_factory=dict)
    settled_days: SettledDays = field(default_factory=SettledDays)

    @property
    def settings(self) -> Settings:
        """The effective settings (environment + preferences changed from the chat)."""
        return self.preferences.current

    def request_replan(self) -> None:
        """Ask the planner to look again now (a rule, an override or a colour changed)."""
        if self.executor is not None:
            self.executor.request_replan()

    def savings(self) -> SavingsService:
        """The savings figures as of now (settled days are computed once per process)."""
        return SavingsService(
            self.storage,
            self.tempo,
            self.prices,
            self.settings.tz,
            settled=self.settled_days,
            now=self.clock.now(),
        )

    def every(self, name: str, step: Step, *, first: datetime | None = None) -> RecurringJob:
        """Run ``step`` now (or at ``first``), then whenever it asks (stopped on close)."""
        job = self.scheduler.start(name, step, first=first)
        self.jobs[name] = job
        return job

    async def close(self) -> None:
        """Stop everything, newest first; never raises."""
        closers = [self.scheduler.stop, self.fleet.stop, self.transport.close, self.http.aclose]
        if self.simulator is not None:
            closers.append(self.simulator.stop)
        closers.append(self.db.close)
        for closer in closers:
            try:
                await closer()
            except Exception:
                _log.exception("error while stopping %s", getattr(closer, "__qualname__", closer))


async def _targets(
    settings: Settings, simulator: Simulator | None, storage: Storage
) -> list[BatteryTarget]:
    configured = settings.batteries
    if simulator is not None:
        configured = [
            BatteryConfig(name=f"Venus {index + 1}", host=unit.host, port=simulator.port)
            for index, unit in enumerate(simulator.units)
        ]
        # Simulated units get fresh loopback ports each run: watch only them.
        return [BatteryTarget(name=c.name, host=c.host, port=c.port) for c in configured]
    return await initial_targets(configured, storage.batteries, storage.settings)


def recipients(settings: Settings) -> list[int]:
    """Who receives alerts: every allowed user, admins first."""
    return list(dict.fromkeys([*settings.admins, *settings.viewers]))


async def _start_simulator(
    count: int, settings: Settings, clock: Clock, apply_delay_s: tuple[float, float]
) -> Simulator:
    if not 1 <= count <= 50:
        raise ServiceError("--simulate accepte de 1 à 50 batteries.")
    try:
        simulator = Simulator(count, clock=clock, apply_delay_s=apply_delay_s)
        await simulator.start()
    except (OSError, ValueError) as err:
        raise ServiceError(f"Impossible de démarrer les batteries simulées : {err}") from err
    for line in simulator.describe():
        _log.info("simulated battery %s", line)
    return simulator


async def open_services(
    settings: Settings,
    *,
    clock: Clock | None = None,
    simulate: int = 0,
    simulated_apply_delay_s: tuple[float, float] = (2.0, 8.0),
    scheduler: Scheduler | None = None,
) -> Services:
    """Build and start every service (the fleet starts polling at once).

    ``simulated_apply_delay_s`` is how long a simulated unit takes to show a mode change
    (real units: 5–30 s; the default keeps demos snappy). ``scheduler`` drives the recurring
    jobs (default: tasks on ``clock``; the bot passes the Telegram JobQueue's in production).
    """
    clock = clock or SystemClock()
    db = Database(settings.resolved_database_url, clock=clock)
    try:
        await db.start()
    except Exception as err:
        raise ServiceError(
            f"Base de données inaccessible ({settings.resolved_database_url}) : {err}"
        ) from err
    storage = Storage(
        db,
        clock,
        alert_recipients=recipients(settings),
        max_sample_gap_s=min(900.0, max(120.0, 3 * settings.poll_interval_s)),
    )
    simulator = (
        await _start_simulator(simulate, settings, clock, simulated_apply_delay_s)
        if simulate
        else None
    )
    transport = MarstekTransport(
        clock=clock,
        options=TransportOptions(
            local_host="127.0.0.1" if simulator else "0.0.0.0",  # noqa: S104 - LAN replies
            local_port=0 if simulator else settings.local_port,
            request_gap_s=SIMULATED_GAP_S if simulator else settings.request_gap_s,
        ),
    )
    client_options = ClientOptions(
        timeout_s=settings.request_timeout_s,
        tries=settings.request_tries,
        write_backoff_s=2.0 if simulator else 10.0,
        verify_poll_s=1.0 if simulator else 5.0,
    )
    rules = AlertRules(_thresholds(settings))
    fleet = FleetCoordinator(
        transport=transport,
        targets=await _targets(settings, simulator, storage),
        clock=clock,
        alerts=storage.alerts,
        recorder=SampleRecorder(storage.samples),
        register=database_registrar(storage.batteries),
        options=MonitorOptions(
            poll_interval_s=settings.poll_interval_s,
            meter_interval_s=settings.meter_poll_interval_s,
            unreachable_after=settings.unreachable_after_failures,
            api_silence=timedelta(minutes=settings.api_silence_alert_min),
        ),
        client_options=client_options,
        rules=rules,
    )
    preferences = Preferences(settings, storage.settings)
    await preferences.load()
    settings = preferences.current
    rules.thresholds = _thresholds(settings)
    http = httpx.AsyncClient(headers={"User-Agent": "marstek-automation"})
    tempo = TempoService(
        sources=tempo_sources(settings, http), store=storage.tempo_days, tz=settings.tz
    )
    tempo_fetch = TempoFetchScheduler(
        service=tempo,
        alerts=storage.alerts,
        clock=clock,
        config=FetchScheduleConfig(unknown_alert_hour=settings.tempo_unknown_alert_hour),
        tz=settings.tz,
    )
    try:
        prices = load_price_table(settings.prices_file)
    except Exception as err:
        await http.aclose()
        await db.close()
        raise ServiceError(f"Fichier de prix illisible ({settings.prices_file}) : {err}") from err
    services = Services(
        clock=clock,
        db=db,
        storage=storage,
        transport=transport,
        fleet=fleet,
        control=ControlService(fleet=fleet, journal=storage.commands, clock=clock),
        tempo=tempo,
        tempo_scheduler=tempo_fetch,
        prices=prices,
        http=http,
        preferences=preferences,
        batteries=BatteryManager(
            fleet=fleet, repo=storage.batteries, store=storage.settings, transport=transport
        ),
        scheduler=scheduler or ClockScheduler(clock),
        simulator=simulator,
        discovery_broadcast=(
            [SIMULATED_BROADCAST]
            if simulator
            else list(settings.discovery_broadcast or default_broadcast_addresses())
        ),
    )
    preferences.add_listener(lambda name, _value: _apply_preference(services, name))
    fleet.add_listener(lambda snap: _availability_changed(services, snap))
    await fleet.start()
    services.every("tempo-fetch", lambda: _tempo_step(services))
    services.every(
        "housekeeping",
        lambda: _housekeeping_step(services),
        first=clock.now() + HOUSEKEEPING_EVERY,
    )
    return services


def _thresholds(settings: Settings) -> Thresholds:
    return Thresholds(
        low_soc_pct=settings.low_soc_alert_pct,
        high_temperature_c=settings.high_temperature_alert_c,
    )


def tempo_sources(settings: Settings, http: httpx.AsyncClient) -> list[TempoSource]:
    """The Tempo colour sources, in the configured order."""
    return build_sources(
        settings.tempo_sources,
        http,
        rte_client_id=settings.rte_client_id,
        rte_client_secret=(
            settings.rte_client_secret.get_secret_value() if settings.rte_client_secret else None
        ),
        endpoints=SourceEndpoints(
            api_couleur_tempo_url=settings.tempo_api_couleur_tempo_url,
            rte_url=settings.tempo_rte_url,
            rte_public_url=settings.tempo_rte_public_url,
        ),
        timeout_s=settings.tempo_request_timeout_s,
        tz=settings.tz,
    )


def _availability_changed(services: Services, snap: BatterySnapshot) -> None:
    """A battery became unreachable or came back: the plan must know at once."""
    if services.availability.get(snap.name) != snap.availability:
        services.availability[snap.name] = snap.availability
        services.request_replan()


def _apply_preference(services: Services, name: str) -> None:
    """Make a preference changed from the chat effective at once."""
    current = services.preferences.current
    if name in ("low_soc_alert_pct", "high_temperature_alert_c"):
        services.fleet.rules.thresholds = _thresholds(current)
    elif name == "tempo_sources":
        services.tempo.replace_sources(tempo_sources(current, services.http))
    services.request_replan()


async def _tempo_step(services: Services) -> datetime:
    """Fetch what the Tempo schedule wants now; the plan looks again at what was learnt."""
    next_run = await services.tempo_scheduler.run()
    services.request_replan()
    return next_run


async def _housekeeping_step(services: Services) -> datetime:
    """Roll up and prune, every ``HOUSEKEEPING_EVERY``."""
    clock = services.clock
    result = await services.storage.housekeeping(
        clock.now(), retention_days=services.settings.retention_days
    )
    _log.debug("housekeeping: %s", result)
    return clock.now() + HOUSEKEEPING_EVERY
