"""The executor: re-plans, compares each battery with the plan, corrects drift, and is fail-safe.

It wakes at every transition of the plan and at least every check period (default 5 min), and
when asked (a colour became known, a rule or an override changed, a battery came back). Each
wake-up re-plans from the database and the fleet's snapshots — the same pure planner the
backtest runs — then sends, per battery, only what is not already in force, verified and
recorded with its reason (``requested_by="planner"``). Batteries that stop charging or
discharging are changed before those that start, so none ever charges while another discharges.

Fail-safe: forced states are Passive setpoints with a countdown of at most one hour, re-sent
while the bot lives; if it dies, every battery leaves the forced state within the hour.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from bot.alerts import Alert, AlertKind, Severity
from bot.control.service import BatteryOutcome, Outcome
from bot.execution.commands import (
    Desired,
    crossing_pauses,
    desired_command,
    direction,
    needs_sending,
    pause_command,
)
from bot.execution.inputs import STALE_AFTER, LoadForecasts, build_inputs
from bot.execution.overrides import OverrideStore
from bot.execution.reports import PRECHARGE_REASONS, tonight
from bot.marstek import Mode
from bot.planning import planner
from bot.planning.model import ActionKind, Plan, ReasonCode
from bot.planning.queries import action_at, transitions
from bot.scheduling import RecurringJob
from bot.services import Services
from bot.storage.models import CommandResult
from bot.tempo import TariffPeriod, hc_window, period_at, tempo_day_at

_log = logging.getLogger(__name__)

PLANNER = "planner"
EVENING_HOUR = 19
SHORT_MARGIN_PCT = 5.0
MIN_WAKE = timedelta(seconds=1)
PAUSE_LEAD = timedelta(seconds=30)
"""How early a battery that must change direction pauses before a planned crossing (22:00,
06:00): real units take 5–30 s to obey, so the pause is in force when the new direction is due,
and the new direction then takes one device delay instead of two."""
IDLE_W = 50.0


@dataclass(slots=True)
class ExecutorStats:
    """What the executor did (tests and the chat read it)."""

    checks: int = 0
    commands: int = 0
    transition_delays_s: list[float] = field(default_factory=list)


class PlanExecutor:
    """Keeps the batteries on the plan; see the module docstring."""

    def __init__(self, services: Services) -> None:
        self._svc = services
        self.overrides = OverrideStore(services.storage.settings)
        self.plan: Plan | None = None
        self.stats = ExecutorStats()
        self._job: RecurringJob | None = None
        self._first_deadline: datetime | None = None
        self._refusals: dict[str, int] = {}
        self._lock = asyncio.Lock()
        self._pending_transitions: dict[str, datetime] = {}
        self._precharged: dict[date, float] = {}
        self._forecasts = LoadForecasts()
        self._saved_summary: dict[str, object] | None = None

    def request_replan(self) -> None:
        """Re-plan and re-check as soon as possible (a rule, an override or a colour changed)."""
        if self._job is not None:
            self._job.wake()

    def schedule(self, job: RecurringJob) -> None:
        """Remember the job running :meth:`step`, to wake it on :meth:`request_replan`."""
        self._job = job

    async def step(self) -> datetime:
        """One check; return when to check next (the next transition or check period).

        Until every battery has answered its first poll (bounded), the plan waits: it must be
        made on data, not on nothing.
        """
        clock = self._svc.clock
        now = clock.now()
        if self._first_deadline is None:
            poll = self._svc.settings.poll_interval_s
            self._first_deadline = now + timedelta(seconds=2 * poll + 10)
        if now < self._first_deadline and any(
            s.status is None and s.failures == 0 for s in self._svc.fleet.snapshots()
        ):
            return now + MIN_WAKE
        self._first_deadline = now  # from now on, never wait again
        try:
            await self.check()
        except Exception:  # one bad check must not stop the automation
            _log.exception("plan check failed; next try at the next period")
        # Counted from the check's start: a transition passed while the check was verifying
        # (a device can take 30 s to obey) is due at once, not at the next period.
        return max(clock.now() + MIN_WAKE, self._next_wake(now))

    def _next_wake(self, now: datetime) -> datetime:
        period = timedelta(seconds=self._svc.settings.plan_check_interval_s)
        wake = now + period
        if self.plan is not None:
            # Wake before each transition too, for the pauses a direction change needs.
            instants = [t.at for t in transitions(self.plan)]
            upcoming = [at for at in (*instants, *(t - PAUSE_LEAD for t in instants)) if at > now]
            if upcoming:
                wake = min(wake, *upcoming)
        return wake

    async def replan(self) -> Plan:
        """Compute a new plan from what the bot knows now, store it, and return it."""
        svc = self._svc
        now = svc.clock.now()
        inputs = await build_inputs(svc, now, await self.overrides.active(now), self._forecasts)
        plan = planner.plan(inputs)
        self.plan = plan
        for item in transitions(plan):
            if item.at > now:
                self._pending_transitions.setdefault(item.battery, item.at)
        summary = _summary(plan)
        if summary != self._saved_summary:  # store a plan when it changes, not every check
            try:
                await svc.storage.plans.save(
                    created_at=now,
                    horizon_start=now,
                    horizon_end=plan.end,
                    payload=summary,
                    reason="check",
                )
                self._saved_summary = summary
            except Exception:
                _log.exception("could not store the plan")
        return plan

    async def check(self) -> list[BatteryOutcome]:
        """Re-plan, then make every battery follow the plan now."""
        async with self._lock:
            plan = await self.replan()
            now = self._svc.clock.now()
            self.stats.checks += 1
            wanted = self._wanted(plan, now)
            # Never charge while another battery discharges: when directions cross (22:00,
            # 06:00), the batteries that change direction pause first, then all move on.
            # Within one phase every battery moves the same way, so they change concurrently.
            outcomes = []
            for phase in (self._pauses(wanted), wanted):
                results = await asyncio.gather(
                    *(self._enforce(name, desired, now) for name, desired in phase)
                )
                outcomes += [outcome for outcome in results if outcome is not None]
            await self._reports(plan, now)
            return outcomes

    def _current_direction(self, name: str) -> int:
        last = self._svc.fleet.client(name).last_command
        if last is not None and last.confirmed:
            return direction(last.command)
        snap = self._svc.fleet.snapshot(name)
        if snap.mode in (Mode.AUTO, Mode.AI):
            return 1
        if snap.mode is Mode.UPS:
            return -1
        power = snap.ac_power_w or 0.0
        return 0 if abs(power) < IDLE_W else (1 if power > 0 else -1)

    def _pauses(self, wanted: list[tuple[str, Desired]]) -> list[tuple[str, Desired]]:
        """Pauses to send first when some battery would start charging while another discharges
        (or the other way round)."""
        current = {name: self._current_direction(name) for name, _ in wanted}
        target = {name: direction(desired.command) for name, desired in wanted}
        return [(name, pause_command()) for name in crossing_pauses(current, target)]

    async def _reports(self, plan: Plan, now: datetime) -> None:
        """The evening message (tonight's charge) and the morning report after a precharge."""
        svc = self._svc
        tz = svc.settings.tz
        local = now.astimezone(tz)
        today = tempo_day_at(now, tz)
        for snap in svc.fleet.snapshots():
            interval = action_at(plan, snap.name, now)
            if (
                interval is not None
                and interval.action.kind is ActionKind.CHARGE
                and interval.reason in PRECHARGE_REASONS
                and period_at(now, tz) is TariffPeriod.HC
            ):
                self._precharged[today] = max(
                    self._precharged.get(today, 0.0), interval.action.target_soc_pct or 100.0
                )
        # The outbox is the record of what was sent: a report raised once is never raised again.
        if local.hour >= EVENING_HOUR and not await svc.storage.alerts.was_raised(
            _tonight_key(today)
        ):
            tomorrow = await svc.storage.tempo_days.get_day(today + timedelta(days=1))
            if tomorrow is not None and tomorrow.color is not None:
                await self._evening(plan, today, tomorrow.color.value, tomorrow.confirmed, now)
        night = today - timedelta(days=1)
        if night in self._precharged and period_at(now, tz) is TariffPeriod.HP:
            target = self._precharged.pop(night)
            if not await svc.storage.alerts.was_raised(_report_key(night)):
                await self._morning(night, target, now)

    async def _evening(
        self, plan: Plan, day: date, color: str, confirmed: bool, now: datetime
    ) -> None:
        summary = tonight(plan, day, self._svc.settings.tz)
        await self._svc.storage.alerts.raise_alert(
            Alert(
                kind=AlertKind.PLAN_TONIGHT,
                severity=Severity.INFO,
                created_at=now,
                dedup_key=_tonight_key(day),
                params={
                    "day": (day + timedelta(days=1)).isoformat(),
                    "color": color,
                    "confirmed": int(confirmed),
                    "start": summary.start.isoformat() if summary.start else None,
                    "end": summary.end.isoformat() if summary.end else None,
                    "power_w": round(summary.mean_power_w),
                    "target": summary.target_soc_pct,
                    "batteries": summary.batteries,
                },
            ),
            once=True,
        )

    async def _morning(self, night: date, target: float, now: datetime) -> None:
        svc = self._svc
        tz = svc.settings.tz
        start, end = hc_window(night, tz)
        bought_wh = 0.0
        socs: list[float] = []
        for snap in svc.fleet.snapshots():
            if snap.soc_pct is not None:
                socs.append(snap.soc_pct)
            if snap.battery_id is not None:
                buckets = await svc.storage.samples.bucketed(snap.battery_id, start, end, 900)
                bought_wh += sum(b.charged_wh for b in buckets)
        record = await svc.storage.tempo_days.get_day(night)
        prices = svc.prices.in_force(night)
        price = (
            prices.price_eur_per_kwh(record.color, TariffPeriod.HC)
            if prices is not None and record is not None and record.color is not None
            else None
        )
        lowest = min(socs) if socs else None
        await svc.storage.alerts.raise_alert(
            Alert(
                kind=AlertKind.PRECHARGE_REPORT,
                severity=Severity.INFO,
                created_at=now,
                dedup_key=_report_key(night),
                params={
                    "socs": ",".join(f"{s:.0f}" for s in socs),
                    "target": target,
                    "bought_wh": round(bought_wh),
                    "price": price,
                    "cost": round(bought_wh / 1000 * price, 2) if price is not None else None,
                },
            ),
            once=True,
        )
        if lowest is not None and lowest < target - SHORT_MARGIN_PCT:
            await svc.storage.alerts.raise_alert(
                Alert(
                    kind=AlertKind.PRECHARGE_SHORT,
                    severity=Severity.WARNING,
                    created_at=now,
                    dedup_key=f"precharge_short:{night.isoformat()}",
                    params={"soc_pct": round(lowest), "target": target},
                ),
                once=True,
            )

    def _wanted(self, plan: Plan, now: datetime) -> list[tuple[str, Desired]]:
        """What each battery should do now; a battery about to cross directions pauses early."""
        wanted = self._planned_at(plan, now, now)
        soon = dict(self._planned_at(plan, now, now + PAUSE_LEAD))
        current = {name: direction(desired.command) for name, desired in wanted}
        coming = {name: direction(soon[name].command) for name in current if name in soon}
        early = set(crossing_pauses(current, coming))
        return [(name, pause_command() if name in early else desired) for name, desired in wanted]

    def _planned_at(self, plan: Plan, now: datetime, at: datetime) -> list[tuple[str, Desired]]:
        """The plan's command at ``at`` for every battery read recently enough to follow it."""
        wanted = []
        planned = {b.battery for b in plan.batteries}
        for snap in self._svc.fleet.snapshots():
            age = snap.age(now)
            if not snap.reachable or age is None or age > STALE_AFTER:
                continue  # no fresh reading: the planner holds it out, the bot leaves it alone
            if snap.name not in planned:
                continue
            interval = action_at(plan, snap.name, at)
            if interval is None or interval.reason is ReasonCode.UNREACHABLE:
                continue  # the planner could not count on it: leave it alone
            wanted.append((snap.name, desired_command(interval, at, soc_pct=snap.soc_pct)))
        return wanted

    async def _enforce(self, name: str, desired: Desired, now: datetime) -> BatteryOutcome | None:
        svc = self._svc
        client = svc.fleet.client(name)
        refresh = timedelta(seconds=svc.settings.plan_check_interval_s) + timedelta(minutes=2)
        observed = svc.fleet.snapshot(name).mode
        if not needs_sending(
            desired,
            last=client.last_command,
            observed_mode=observed,
            now=now,
            refresh_before=refresh,
        ):
            return None
        if desired.command is None:
            return None
        if svc.settings.dry_run:
            _log.info(
                "dry run: would send %s (%s)",
                desired.command.mode.value,
                desired.label,
                extra={"battery": name, "action": "plan"},
            )
            await svc.storage.commands.record(
                at=now,
                battery_id=svc.fleet.snapshot(name).battery_id,
                requested_by=PLANNER,
                action=f"set_mode:{desired.command.mode.value}",
                params={"reason": desired.label},
                result=CommandResult.DRY_RUN,
                detail=desired.label,
            )
            return None
        [outcome] = await svc.control.apply(
            [name], [desired.command], requested_by=f"{PLANNER}:{desired.label}"
        )
        self.stats.commands += 1
        await self._after(name, outcome, final=not desired.label.startswith("pause:"))
        return outcome

    async def _after(self, name: str, outcome: BatteryOutcome, *, final: bool) -> None:
        now = self._svc.clock.now()
        planned = self._pending_transitions.get(name)
        if final and planned is not None and planned <= now and outcome.outcome is Outcome.APPLIED:
            self.stats.transition_delays_s.append((now - planned).total_seconds())
            del self._pending_transitions[name]
        if outcome.outcome is Outcome.APPLIED:
            self._refusals[name] = 0
            return
        count = self._refusals.get(name, 0) + 1
        self._refusals[name] = count
        if count == self._svc.settings.plan_refusals_alert:
            await self._svc.storage.alerts.raise_alert(
                Alert(
                    kind=AlertKind.PLAN_REFUSED,
                    severity=Severity.WARNING,
                    created_at=now,
                    battery=name,
                    dedup_key=f"plan_refused:{name}:{now.date().isoformat()}",
                    params={"count": count, "detail": (outcome.detail or "")[:200]},
                )
            )


def _tonight_key(day: date) -> str:
    return f"plan_tonight:{day.isoformat()}"


def _report_key(night: date) -> str:
    return f"precharge_report:{night.isoformat()}"


def _summary(plan: Plan) -> dict[str, Any]:
    return {
        "batteries": {
            b.battery: [
                {
                    "start": i.start.isoformat(),
                    "end": i.end.isoformat(),
                    "action": i.action.kind.value,
                    "power_w": i.action.power_w,
                    "reason": i.reason.value,
                }
                for i in b.intervals
            ]
            for b in plan.batteries
        },
        "shortfalls_wh": dict(plan.shortfalls_wh),
    }


def start_executor(services: Services) -> PlanExecutor:
    """Attach a plan executor to ``services`` and start its loop (stopped with the services)."""
    executor = PlanExecutor(services)
    services.executor = executor
    executor.schedule(services.every("plan", executor.step))
    return executor
