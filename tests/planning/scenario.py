"""Builders for planner scenarios: local Paris times in, PlanInputs out, and plan inspectors."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from bot.planning import (
    BatteryState,
    HalfHourForecast,
    Override,
    Plan,
    PlanInputs,
    PlanInterval,
    ScheduleRule,
    StrategySettings,
    action_at,
    build_tariff_slots,
)
from bot.tempo.model import TempoColor
from bot.tempo.prices import load_price_table

PARIS = ZoneInfo("Europe/Paris")
B, W, R = TempoColor.BLUE, TempoColor.WHITE, TempoColor.RED
NAMES = ("Venus 1", "Venus 2", "Venus 3")


def at(text: str) -> datetime:
    """Return the UTC instant of Paris wall time ``YYYY-MM-DD HH:MM``."""
    return datetime.fromisoformat(text).replace(tzinfo=PARIS).astimezone(UTC)


def battery(name: str, soc_pct: float | None, *, reachable: bool = True) -> BatteryState:
    """Return a Venus E (5.12 kWh, ±2.5 kW, 12 % floor, 94 % each way)."""
    return BatteryState(name=name, soc_pct=soc_pct, reachable=reachable)


def make_inputs(
    now: str,
    colors: Mapping[str, TempoColor],
    *,
    socs: Sequence[float | None] = (20.0, 20.0, 20.0),
    batteries: Sequence[BatteryState] | None = None,
    load_w: float | HalfHourForecast = 1000.0,
    contract_va: float = 9000.0,
    rules: Iterable[ScheduleRule] = (),
    overrides: Iterable[Override] = (),
    settings: StrategySettings | None = None,
    horizon_h: float = 48.0,
) -> PlanInputs:
    """Return planner inputs at Paris time ``now`` with the shipped price table."""
    instant = at(now)
    known = {date.fromisoformat(day): color for day, color in colors.items()}
    fleet = batteries or tuple(battery(n, soc) for n, soc in zip(NAMES, socs, strict=False))
    load = (
        load_w
        if isinstance(load_w, HalfHourForecast)
        else HalfHourForecast.constant(instant, load_w, hours=horizon_h + 30)
    )
    horizon = timedelta(hours=horizon_h)
    return PlanInputs(
        now=instant,
        slots=build_tariff_slots(
            instant, instant + horizon, colors=known, prices=load_price_table()
        ),
        batteries=tuple(fleet),
        load=load,
        contract_power_va=contract_va,
        rules=tuple(rules),
        overrides=tuple(overrides),
        strategy=settings or StrategySettings(),
        horizon=horizon,
    )


def doing(plan: Plan, name: str, when: str) -> PlanInterval:
    """Return what battery ``name`` does at Paris time ``when`` (fails if outside the plan)."""
    interval = action_at(plan, name, at(when))
    assert interval is not None, f"{name} has no interval at {when}"
    return interval


def charge_w(interval: PlanInterval) -> float:
    """Return the charging power of ``interval`` as a positive number (0 if not charging)."""
    return -(interval.action.power_w or 0.0) if interval.action.direction < 0 else 0.0


def soc_at(plan: Plan, name: str, when: str) -> float:
    """Return the predicted SoC of ``name`` at Paris time ``when`` (linear within a step)."""
    instant = at(when)
    for step in plan.battery(name).steps:
        if step.start <= instant <= step.end:
            assert step.soc_start_pct is not None
            assert step.soc_end_pct is not None
            fraction = (instant - step.start) / (step.end - step.start)
            return step.soc_start_pct + (step.soc_end_pct - step.soc_start_pct) * fraction
    raise AssertionError(f"{name}: no step at {when}")


def assert_never_cross_flow(plan: Plan) -> None:
    """Fail if at any instant one battery is predicted to charge while another discharges."""
    instants = sorted({step.start for item in plan.batteries for step in item.steps})
    for instant in instants:
        powers = []
        for item in plan.batteries:
            step = next((s for s in item.steps if s.start <= instant < s.end), None)
            if step is not None:
                powers.append(step.power_w)
        assert not (any(p < -1 for p in powers) and any(p > 1 for p in powers)), (
            f"charge and discharge at once at {instant}: {powers}"
        )
