"""Predicting what each decision does to the batteries, and writing the plan down."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from .model import (
    SELF_CONSUMING_MODES,
    Action,
    ActionKind,
    BatteryPlan,
    BatteryState,
    Plan,
    PlanInputs,
    PlanInterval,
    PlanStep,
    ReasonCode,
    Source,
)
from .timeline import Segment, Unit

EPSILON_WH = 0.5
"""Energy differences below this are rounding noise, not something left to discharge."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Choice:
    """What one battery does in one segment, why, and on whose authority."""

    action: Action
    reason: ReasonCode
    source: Source = Source.STRATEGY
    params: tuple[tuple[str, str], ...] = ()


def self_consuming(action: Action) -> bool:
    """Tell whether ``action`` follows the house load (self-consumption or an Auto/AI mode)."""
    if action.kind is ActionKind.SELF_CONSUMPTION:
        return True
    return action.kind is ActionKind.DEVICE_MODE and action.device_mode in SELF_CONSUMING_MODES


@dataclass(frozen=True, slots=True, kw_only=True)
class _Change:
    """What an action does over a segment: stored-energy change, AC power while active, and
    when it stops early (target or floor reached)."""

    delta_wh: float
    power_w: float
    stop: datetime | None = None


_IDLE = _Change(delta_wh=0.0, power_w=0.0)


def _charge_effect(
    battery: BatteryState, action: Action, segment: Segment, stored: float
) -> _Change:
    power = -(action.power_w or 0.0)
    ceiling = battery.capacity_wh * (action.target_soc_pct or 100.0) / 100.0
    room = max(ceiling - stored, 0.0)
    if power <= 0 or room <= 0:
        return _IDLE
    full = power * segment.hours * battery.charge_efficiency
    if full <= room:
        return _Change(delta_wh=full, power_w=-power)
    stop = segment.start + timedelta(hours=room / (power * battery.charge_efficiency))
    return _Change(delta_wh=room, power_w=-power, stop=stop)


def _split_at(start: datetime, end: datetime, stop: datetime | None) -> list[datetime]:
    if stop is None or not start < stop < end:
        return [start, end]
    return [start, stop, end]


class Recorder:
    """Moves the predicted stored energy through each segment and keeps the plan's pieces."""

    def __init__(self, inputs: PlanInputs, units: Sequence[Unit], end: datetime) -> None:
        self._inputs = inputs
        self._units = list(units)
        self._end = end
        self._pieces: dict[str, list[tuple[Segment, Choice]]] = {u.name: [] for u in units}
        self._steps: dict[str, list[PlanStep]] = {u.name: [] for u in units}

    def advance(
        self, segment: Segment, choices: dict[str, Choice], energy: dict[str, float]
    ) -> None:
        """Apply ``choices`` over ``segment`` to ``energy`` (Wh stored, updated in place)."""
        followers = {
            u.name
            for u in self._units
            if self_consuming(choices[u.name].action)
            and energy[u.name] > self._floor_wh(u.battery, choices[u.name].action) + EPSILON_WH
        }
        power_sum = (
            sum(u.battery.max_discharge_w * u.count for u in self._units if u.name in followers)
            or 1.0
        )
        for unit in self._units:
            battery = unit.battery
            choice = choices[unit.name]
            share = battery.max_discharge_w / power_sum if unit.name in followers else 0.0
            before = energy[unit.name]
            change = self._effect(battery, choice.action, segment, before, share)
            energy[unit.name] = before + change.delta_wh
            if segment.start < self._end:
                self._pieces[unit.name].append((segment, choice))
                self._write_steps(battery, segment, change, before)

    def _floor_wh(self, battery: BatteryState, action: Action) -> float:
        floor = battery.floor_wh
        if action.floor_soc_pct is not None:
            floor = max(floor, battery.capacity_wh * action.floor_soc_pct / 100.0)
        if action.kind is ActionKind.DISCHARGE and action.target_soc_pct is not None:
            floor = max(floor, battery.capacity_wh * action.target_soc_pct / 100.0)
        return floor

    def _effect(
        self, battery: BatteryState, action: Action, segment: Segment, stored: float, share: float
    ) -> _Change:
        """Return what ``action`` does to ``battery`` over ``segment`` (``share`` of the load)."""
        if action.kind is ActionKind.CHARGE:
            return _charge_effect(battery, action, segment, stored)
        if action.kind is not ActionKind.DISCHARGE and share <= 0:
            return _IDLE
        available_ac = max(stored - self._floor_wh(battery, action), 0.0)
        available_ac *= battery.discharge_efficiency
        if action.kind is ActionKind.DISCHARGE:
            power = action.power_w or 0.0
            wanted = power * segment.hours
        else:
            wanted = min(segment.load_wh * share, battery.max_discharge_w * segment.hours)
            power = wanted / segment.hours if segment.hours else 0.0
        if available_ac <= EPSILON_WH or power <= 0:
            return _IDLE
        if wanted <= available_ac:
            return _Change(delta_wh=-wanted / battery.discharge_efficiency, power_w=power)
        if action.kind is ActionKind.DISCHARGE:
            stop = segment.start + timedelta(hours=available_ac / power)
        else:
            stop = self._inputs.load.time_to_draw(segment.start, available_ac, share)
        return _Change(
            delta_wh=-available_ac / battery.discharge_efficiency, power_w=power, stop=stop
        )

    def _write_steps(
        self, battery: BatteryState, segment: Segment, change: _Change, before: float
    ) -> None:
        after = before + change.delta_wh
        edges = _split_at(segment.start, segment.end, change.stop)
        pieces = [(edges[0], edges[1], change.power_w, before, after)]
        if len(edges) == 3:
            pieces.append((edges[1], edges[2], 0.0, after, after))
        for start, end, watts, first, last in pieces:
            if start >= self._end:
                break
            stop, final = end, last
            if end > self._end:
                final = first + (last - first) * ((self._end - start) / (end - start))
                stop = self._end
            self._steps[battery.name].append(
                PlanStep(
                    start=start,
                    end=stop,
                    power_w=watts,
                    soc_start_pct=first / battery.capacity_wh * 100.0,
                    soc_end_pct=final / battery.capacity_wh * 100.0,
                )
            )

    def finish(self, shortfalls: tuple[tuple[str, float], ...]) -> Plan:
        """Return the plan: merged intervals and steps per battery, in the inputs' order."""
        now, end = self._inputs.now, self._end
        planned = {}
        for unit in self._units:
            intervals = _merge(self._pieces[unit.name], end) or (
                PlanInterval(
                    start=now,
                    end=end,
                    action=Action.hold(),
                    reason=ReasonCode.NO_TARIFF,
                    source=Source.STRATEGY,
                ),
            )
            merged = (intervals, tuple(self._steps[unit.name]))
            planned.update(dict.fromkeys(unit.names, merged))
        plans = []
        for battery in self._inputs.batteries:
            if battery.name in planned:
                intervals, steps = planned[battery.name]
            else:
                intervals = (
                    PlanInterval(
                        start=now,
                        end=end,
                        action=Action.hold(),
                        reason=ReasonCode.UNREACHABLE,
                        source=Source.STRATEGY,
                    ),
                )
                steps = (
                    PlanStep(start=now, end=end, power_w=0.0, soc_start_pct=None, soc_end_pct=None),
                )
            plans.append(BatteryPlan(battery=battery.name, intervals=intervals, steps=steps))
        return Plan(created_at=now, end=end, batteries=tuple(plans), shortfalls_wh=shortfalls)


def _merge(pieces: Sequence[tuple[Segment, Choice]], end: datetime) -> tuple[PlanInterval, ...]:
    merged: list[PlanInterval] = []
    for segment, choice in pieces:
        stop = min(segment.end, end)
        last = merged[-1] if merged else None
        if (
            last is not None
            and last.end == segment.start
            and (last.action, last.reason, last.source, last.reason_params)
            == (choice.action, choice.reason, choice.source, choice.params)
        ):
            merged[-1] = PlanInterval(
                start=last.start,
                end=stop,
                action=last.action,
                reason=last.reason,
                source=last.source,
                reason_params=last.reason_params,
            )
        else:
            merged.append(
                PlanInterval(
                    start=segment.start,
                    end=stop,
                    action=choice.action,
                    reason=choice.reason,
                    source=choice.source,
                    reason_params=choice.params,
                )
            )
    return tuple(merged)
