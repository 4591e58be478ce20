"""What the planner is given in the bot: built from the services at one instant, past data only."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from bot.execution.overrides import StoredOverride
from bot.monitor.snapshot import BatterySnapshot
from bot.planning.forecast import (
    DEFAULT_LOAD_W,
    HISTORY_DAYS,
    STEP,
    HalfHourForecast,
    forecast_from_history,
)
from bot.planning.model import (
    ALL_WEEKDAYS,
    Action,
    BatteryState,
    PlanInputs,
    ScheduleRule,
    StrategySettings,
)
from bot.planning.slots import build_tariff_slots
from bot.services import Services
from bot.settings import Settings
from bot.storage.models import SampleBucket
from bot.storage.models import ScheduleRule as StoredRule
from bot.tempo import Season, tempo_day_at

HORIZON = timedelta(hours=48)
STALE_AFTER = timedelta(minutes=10)
DEFAULT_CAPACITY_WH = 5120.0
DEFAULT_FLOOR_PCT = 12.0
DEFAULT_MAX_POWER_W = 2500


def battery_state(snap: BatterySnapshot, floor_pct: float | None, now: datetime) -> BatteryState:
    """The planner's view of one battery (unusable when unreachable or its data is stale)."""
    age = snap.age(now)
    fresh = age is not None and age <= STALE_AFTER
    caps = snap.device.capabilities if snap.device is not None else None
    max_power = caps.max_power_w if caps is not None else DEFAULT_MAX_POWER_W
    return BatteryState(
        name=snap.name,
        soc_pct=snap.soc_pct if fresh else None,
        capacity_wh=snap.capacity_wh or DEFAULT_CAPACITY_WH,
        min_soc_pct=floor_pct if floor_pct is not None else DEFAULT_FLOOR_PCT,
        max_charge_w=max_power,
        max_discharge_w=max_power,
        reachable=snap.reachable and fresh,
    )


def planner_rule(rule: StoredRule, battery_names: dict[int, str]) -> ScheduleRule | None:
    """The planner's view of a household rule (None for a mode it cannot act on)."""
    mode = rule.mode.strip().lower()
    power = abs(rule.power_w or 0)
    if mode in ("auto", "ai", "ups"):
        action = Action.device({"auto": "Auto", "ai": "AI", "ups": "UPS"}[mode])
    elif mode == "charge" and power:
        action = Action.charge(power, 100.0)
    elif mode == "discharge" and power:
        action = Action.discharge(power)
    else:
        return None
    weekdays = frozenset(day for day in range(7) if rule.days_mask >> day & 1) or ALL_WEEKDAYS
    batteries = None
    if rule.battery_id is not None:
        name = battery_names.get(rule.battery_id)
        if name is None:
            return None  # a rule for a battery that is no longer watched
        batteries = frozenset({name})
    label = f"{mode} {rule.start:%Hh%M}–{rule.end:%Hh%M}"
    return ScheduleRule(
        name=label,
        action=action,
        start=rule.start,
        end=rule.end,
        weekdays=weekdays,
        batteries=batteries,
        priority=0,
    )


def house_load_history(
    per_battery: Sequence[Sequence[SampleBucket]], *, start: datetime, steps: int
) -> list[float]:
    """Half-hour mean house load (W), oldest first: meter (grid) + what the batteries delivered.

    The meter is the household's (each battery sees the same one): the first battery with a
    meter reading in a bucket gives it. Buckets without data take the mean of the known ones.
    """
    by_start = [{b.start: b for b in buckets} for buckets in per_battery]
    values: list[float | None] = []
    hours = STEP.total_seconds() / 3600
    for index in range(steps):
        bucket_start = start + STEP * index
        present = [b[bucket_start] for b in by_start if bucket_start in b]
        grid = next(
            (
                ((b.grid_import_wh or 0.0) - (b.grid_export_wh or 0.0)) / hours
                for b in present
                if b.grid_import_wh is not None or b.grid_export_wh is not None
            ),
            None,
        )
        if grid is None:
            values.append(None)
            continue
        delivered = sum(b.ac_power_avg_w for b in present)
        values.append(max(0.0, grid + delivered))
    known = [v for v in values if v is not None]
    fill = sum(known) / len(known) if known else DEFAULT_LOAD_W
    return [fill if v is None else v for v in values]


def strategy_settings(settings: Settings) -> StrategySettings:
    """The planner's strategy knobs from the effective settings (the bot and the backtest)."""
    return StrategySettings(
        target_soc_pct=settings.precharge_target_soc_pct,
        treat_white_as_red=settings.treat_white_as_red,
        precharge_when_unknown=settings.precharge_when_unknown,
        wear_cost_eur_kwh=settings.wear_cost_eur_kwh,
    )


class LoadForecasts:
    """The house-load forecast, read from a week of history once per half-hour.

    The forecast only moves when a half-hour of history completes, while the executor re-plans
    every few minutes: the week of buckets is not read again until then.
    """

    def __init__(self) -> None:
        self._key: tuple[datetime, tuple[int, ...]] | None = None
        self._forecast: HalfHourForecast | None = None

    async def get(self, svc: Services, now: datetime) -> HalfHourForecast:
        """The forecast from the last complete half-hour before ``now``."""
        end = now - timedelta(seconds=now.timestamp() % STEP.total_seconds())
        ids = tuple(s.battery_id for s in svc.fleet.snapshots() if s.battery_id is not None)
        if self._forecast is None or self._key != (end, ids):
            self._forecast = await _load_forecast(svc, end)
            self._key = (end, ids)
        return self._forecast


async def _load_forecast(svc: Services, end: datetime) -> HalfHourForecast:
    steps = HISTORY_DAYS * 48
    start = end - STEP * steps
    per_battery = []
    for snap in svc.fleet.snapshots():
        if snap.battery_id is not None:
            per_battery.append(
                await svc.storage.samples.bucketed(
                    snap.battery_id, start, end, int(STEP.total_seconds())
                )
            )
    if not any(per_battery):
        return forecast_from_history([], now=end)
    return forecast_from_history(house_load_history(per_battery, start=start, steps=steps), now=end)


async def build_inputs(
    svc: Services,
    now: datetime,
    overrides: Sequence[StoredOverride],
    forecasts: LoadForecasts | None = None,
) -> PlanInputs:
    """Everything the planner needs at ``now``, from the services (past data only)."""
    settings = svc.settings
    tz = settings.tz
    today = tempo_day_at(now, tz)
    first = Season.of(today).first_day
    records = await svc.storage.tempo_days.get_days(first, today + timedelta(days=4))
    colors = {r.day: r.color for r in records if r.color is not None}
    confirmed = {r.day for r in records if r.color is not None and r.confirmed}
    slots = build_tariff_slots(
        now, now + HORIZON, colors=colors, prices=svc.prices, confirmed=confirmed, tz=tz
    )
    batteries = tuple(
        battery_state(snap, _floor(svc, snap.name), now) for snap in svc.fleet.snapshots()
    )
    names = {s.battery_id: s.name for s in svc.fleet.snapshots() if s.battery_id is not None}
    stored = [rule for rule in await svc.storage.rules.list_all() if rule.enabled]
    rules = tuple(r for r in (planner_rule(rule, names) for rule in stored) if r is not None)
    return PlanInputs(
        now=now,
        slots=slots,
        batteries=batteries,
        load=await (forecasts or LoadForecasts()).get(svc, now),
        contract_power_va=settings.contract_power_kva * 1000,
        rules=rules,
        overrides=tuple(o.to_planner() for o in overrides),
        strategy=strategy_settings(settings),
        horizon=HORIZON,
        tz=tz,
    )


def _floor(svc: Services, name: str) -> float | None:
    try:
        return svc.fleet.client(name).soc_floor_pct
    except KeyError:
        return None
