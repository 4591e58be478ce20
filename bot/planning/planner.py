"""The planner: inputs → a plan per battery for the next 48 h. Pure: no I/O, no clock.

The default Tempo strategy, in order of the day:

- **HC night before peak hours worth it** (red; white if treated as red; unknown but possibly
  red when insurance is on; or any colour where charging pays, see :mod:`.economics`): charge
  toward the night's target at the lowest steady power that finishes before 06:00 (minus a
  margin), spread by free capacity, capped so that house load + charge stays under the contract
  power minus a margin.
- **Other HC hours**: hold (never discharge into cheap hours).
- **HP hours**: self-consumption. If the next night cannot store the target on its own, keep a
  reserve through the day; if the reserve is already short and it pays, top up during HP.
- **Precedence**: override > household rule > strategy; no battery charges while another
  discharges (the side with the lower precedence holds; on a tie the discharging side holds).

The backtest calls :func:`plan` with the same inputs the bot builds, every half hour.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from functools import lru_cache

from bot.tempo.calendar import require_aware
from bot.tempo.model import TariffPeriod

from .economics import top_up_worth
from .model import Action, ActionKind, Plan, PlanInputs, ReasonCode, Source, TariffSlot
from .nights import Night, charge_caps_w, day_tariff, plan_night, water_level
from .record import Choice, Recorder
from .timeline import Imposed, Precedence, Segment, Unit, build_segments, group_days, twin_units

TOLERANCE_WH = 5.0
STEP = timedelta(minutes=30)
POWER_STEP_W = 10.0
Orders = Mapping[str, Imposed | None]


def plan(inputs: PlanInputs) -> Plan:
    """Return the plan of every battery over ``[inputs.now, inputs.now + inputs.horizon)``."""
    now = require_aware(inputs.now)
    if inputs.now is not now:
        inputs = replace(inputs, now=now)
    end = now + inputs.horizon
    slots = sorted((slot for slot in inputs.slots if slot.end > now), key=lambda s: s.start)
    groups = group_days(slots)
    night_bounds = {
        day: (items[0].start, items[-1].end)
        for (day, period), items in groups.items()
        if period is TariffPeriod.HC and items[0].start < end
    }
    # Plan to the end of the last night so its capacity is known; output stops at ``end``.
    reach = max([end, *(bounds[1] for bounds in night_bounds.values())])
    reach = min(reach, slots[-1].end) if slots else end
    precedence = Precedence(inputs, now, reach)
    margin = inputs.strategy.deadline_margin
    cuts = [end, *precedence.cuts(), *(bounds[1] - margin for bounds in night_bounds.values())]
    layout = _Layout.build(inputs, slots, groups, precedence, cuts=cuts, start=now, reach=reach)
    tight = [night for night in layout.nights.values() if night.tight]
    if tight:
        # The contract binds: plan those nights half-hour by half-hour, so the charge can run
        # harder when the house draws less (the forecast peak of the whole night is too coarse).
        cuts += [
            night.start + STEP * index
            for night in tight
            for index in range(1, round((night.end - night.start) / STEP))
        ]
        layout = _Layout.build(inputs, slots, groups, precedence, cuts=cuts, start=now, reach=reach)
    walker = _Walker(
        inputs=inputs,
        units=layout.units,
        timeline=layout.timeline,
        nights=layout.nights,
        caps=layout.caps,
    )
    return walker.run(end)


@dataclass(frozen=True, slots=True, kw_only=True)
class _Layout:
    """The segments, who drives each unit in them, the nights' plans and the charge caps."""

    units: list[Unit]
    timeline: list[tuple[Segment, Orders]]
    nights: dict[date, Night]
    caps: list[dict[str, float]]

    @classmethod
    def build(
        cls,
        inputs: PlanInputs,
        slots: list[TariffSlot],
        groups: dict[tuple[date, TariffPeriod], list[TariffSlot]],
        precedence: Precedence,
        *,
        cuts: list[datetime],
        start: datetime,
        reach: datetime,
    ) -> _Layout:
        segments = build_segments(slots, start=start, end=reach, cuts=cuts, load=inputs.load)
        fleet = [battery for battery in inputs.batteries if battery.usable]
        by_battery = {
            b.name: [precedence.imposed(b.name, seg.start) for seg in segments] for b in fleet
        }
        units = twin_units(fleet, by_battery)
        timeline: list[tuple[Segment, Orders]] = [
            (segment, {unit.name: by_battery[unit.name][index] for unit in units})
            for index, segment in enumerate(segments)
        ]
        settings = inputs.strategy
        headroom = inputs.contract_power_va * (1.0 - settings.contract_margin_pct / 100.0)
        nights = {
            day: plan_night(
                day,
                inputs=inputs,
                units=units,
                groups=groups,
                segments=[item for item in timeline if _in_night(item[0], day)],
            )
            for (day, period) in groups
            if period is TariffPeriod.HC and groups[(day, period)][0].start < reach
        }
        caps = [charge_caps_w(units, segment, orders, headroom) for segment, orders in timeline]
        return cls(units=units, timeline=timeline, nights=nights, caps=caps)


def _in_night(segment: Segment, day: date) -> bool:
    return segment.slot.period is TariffPeriod.HC and segment.slot.tempo_day == day


@lru_cache(maxsize=4096)
def _charge_action(power_w: float, target_soc_pct: float) -> Action:
    return Action.charge(power_w, target_soc_pct)


_HOLD = Action.hold()
_FOLLOW = Action.self_consumption()


@dataclass(slots=True, kw_only=True)
class _Walker:
    """Walks the segments in order, deciding and predicting each unit's energy as it goes."""

    inputs: PlanInputs
    units: list[Unit]
    timeline: list[tuple[Segment, Orders]]
    nights: dict[date, Night]
    caps: list[dict[str, float]]
    prices: dict[int, float | None] = field(default_factory=dict)
    params: dict[tuple[date, int | None], tuple[tuple[str, str], ...]] = field(default_factory=dict)

    def run(self, end: datetime) -> Plan:
        """Decide every segment in order and return the plan up to ``end``."""
        recorder = Recorder(self.inputs, self.units, end)
        energy = {
            u.name: u.battery.capacity_wh * (u.battery.soc_pct or 0.0) / 100.0 for u in self.units
        }
        ends: dict[date, dict[str, float]] = {}
        for index, (segment, orders) in enumerate(self.timeline):
            choices = {}
            for unit in self.units:
                order = orders[unit.name]
                choices[unit.name] = (
                    self._strategy(unit, index, energy[unit.name])
                    if order is None
                    else Choice(
                        action=order.action,
                        reason=order.reason,
                        source=order.source,
                        params=order.params,
                    )
                )
            self._cap_to_contract(segment, choices)
            self._resolve_conflicts(choices, energy)
            recorder.advance(segment, choices, energy)
            if segment.slot.period is TariffPeriod.HC:
                ends[segment.slot.tempo_day] = dict(energy)
        return recorder.finish(self._shortfalls(ends))

    def _today_price(self, segment: Segment) -> float | None:
        """Return the lowest price this peak segment can have (its colour's, when known)."""
        key = id(segment.slot)
        if key not in self.prices:
            today = day_tariff([segment.slot])
            self.prices[key] = today.lowest() if today and today.prices_eur_kwh else None
        return self.prices[key]

    def _params(self, night: Night | None, pct: float | None = None) -> tuple[tuple[str, str], ...]:
        if night is None:
            return ()
        key = (night.day, None if pct is None else round(pct))
        if key not in self.params:
            self.params[key] = _night_params(night, key[1])
        return self.params[key]

    def _strategy(self, unit: Unit, index: int, stored_wh: float) -> Choice:
        segment = self.timeline[index][0]
        night = self.nights.get(segment.slot.tempo_day)
        if segment.slot.period is TariffPeriod.HC:
            return self._night_choice(unit, index, stored_wh, night)
        return self._peak_choice(unit, index, stored_wh, night)

    def _charge(self, unit: Unit, power_w: float, target_wh: float, cap_w: float) -> Action:
        """Return a charge at ``power_w`` (at least the efficient minimum, within ``cap_w``)."""
        battery = unit.battery
        power = max(power_w, min(self.inputs.strategy.min_charge_w, cap_w))
        power = min(power, battery.max_charge_w)
        power = math.ceil(power / POWER_STEP_W) * POWER_STEP_W
        target_pct = min(100.0, target_wh / battery.capacity_wh * 100.0)
        return _charge_action(power, round(target_pct, 1))

    def _free_pieces(self, unit: str, index: int, until: datetime) -> list[tuple[float, float]]:
        """Return (charge cap W, hours) of each segment from ``index`` to ``until`` in the same
        Tempo day and period where the strategy drives ``unit``."""
        first = self.timeline[index][0].slot
        pieces = []
        for position in range(index, len(self.timeline)):
            segment, orders = self.timeline[position]
            if segment.start >= until or segment.slot.tempo_day != first.tempo_day:
                break
            if segment.slot.period is first.period and orders[unit] is None:
                hours = (min(segment.end, until) - segment.start).total_seconds() / 3600.0
                pieces.append((self.caps[position][unit], hours))
        return pieces

    def _night_choice(
        self, unit: Unit, index: int, stored_wh: float, night: Night | None
    ) -> Choice:
        if night is None or not night.charging:
            reason = ReasonCode.HOLD_OFF_PEAK
            if night is not None and night.decision.reason in (
                ReasonCode.NOT_WORTH,
                ReasonCode.NO_TARIFF,
            ):
                reason = night.decision.reason
            return Choice(action=_HOLD, reason=reason, params=self._params(night))
        target = night.target_wh[unit.name]
        params = self._params(night, target / unit.battery.capacity_wh * 100.0)
        need = target - stored_wh
        if need <= TOLERANCE_WH:
            return Choice(action=_HOLD, reason=ReasonCode.TARGET_REACHED, params=params)
        segment = self.timeline[index][0]
        until = night.deadline if segment.start < night.deadline else night.end
        cap = self.caps[index][unit.name]
        if cap <= 0:
            return Choice(action=_HOLD, reason=ReasonCode.CONTRACT_LIMIT, params=params)
        pieces = self._free_pieces(unit.name, index, until)
        level = water_level(pieces, need / unit.battery.charge_efficiency)
        power = cap if level is None else min(level, cap)
        action = self._charge(unit, power, target, cap)
        return Choice(action=action, reason=night.decision.reason, params=params)

    def _peak_choice(self, unit: Unit, index: int, stored_wh: float, night: Night | None) -> Choice:
        battery = unit.battery
        today_price = self._today_price(self.timeline[index][0])
        wear = self.inputs.strategy.wear_cost_eur_kwh
        reserve = self._reserve(unit, night, today_price)
        if reserve is not None and night is not None and today_price is not None:
            pays = top_up_worth(
                today_price,
                night.decision.peak_price or 0.0,
                wear=wear,
                charge_eff=battery.charge_efficiency,
                discharge_eff=battery.discharge_efficiency,
            )
            pct = reserve / battery.capacity_wh * 100.0
            cap = self.caps[index][unit.name]
            if stored_wh < reserve - TOLERANCE_WH and pays and cap > 0:
                pieces = self._free_pieces(unit.name, index, night.start)
                level = water_level(pieces, (reserve - stored_wh) / battery.charge_efficiency)
                power = cap if level is None else min(level, cap)
                action = self._charge(unit, power, reserve, cap)
                return Choice(
                    action=action, reason=ReasonCode.TOP_UP_PEAK, params=self._params(night, pct)
                )
            return Choice(
                action=Action.self_consumption(round(pct, 1)),
                reason=ReasonCode.RESERVE,
                params=self._params(night, pct),
            )
        if today_price is not None and today_price <= wear:
            return Choice(action=_HOLD, reason=ReasonCode.NOT_WORTH)
        return Choice(action=_FOLLOW, reason=ReasonCode.SELF_CONSUMPTION)

    @staticmethod
    def _reserve(unit: Unit, night: Night | None, today_price: float | None) -> float | None:
        """Return the energy to keep for the coming night's target, if keeping it pays."""
        if night is None or unit.name not in night.reserve_wh or today_price is None:
            return None
        next_price = night.decision.peak_price
        if next_price is None or next_price <= today_price:
            return None
        return night.reserve_wh[unit.name]

    def _cap_to_contract(self, segment: Segment, choices: dict[str, Choice]) -> None:
        """Scale the strategy's charging down so house + charge stays under the contract."""
        counts = {unit.name: unit.count for unit in self.units}
        ordered = wanted = 0.0
        ours = []
        for name, choice in choices.items():
            if choice.action.kind is ActionKind.CHARGE:
                power = -(choice.action.power_w or 0.0) * counts[name]
                if choice.source is Source.STRATEGY:
                    ours.append(name)
                    wanted += power
                else:
                    ordered += power
        margin = 1.0 - self.inputs.strategy.contract_margin_pct / 100.0
        headroom = self.inputs.contract_power_va * margin - segment.peak_w - ordered
        if wanted <= 0 or wanted <= headroom:
            return
        factor = max(headroom, 0.0) / wanted
        for name in ours:
            choice = choices[name]
            power = math.floor(-(choice.action.power_w or 0.0) * factor / POWER_STEP_W)
            if power <= 0:
                choices[name] = Choice(
                    action=_HOLD, reason=ReasonCode.CONTRACT_LIMIT, params=choice.params
                )
            else:
                action = _charge_action(power * POWER_STEP_W, choice.action.target_soc_pct or 100.0)
                choices[name] = Choice(
                    action=action,
                    reason=choice.reason,
                    params=(*choice.params, ("limited", "contract")),
                )

    def _resolve_conflicts(self, choices: dict[str, Choice], energy: Mapping[str, float]) -> None:
        """Never charge one battery while another discharges: the weaker side holds."""
        charging, giving = [], []
        for unit in self.units:
            choice = choices[unit.name]
            direction = choice.action.direction
            if direction < 0:
                charging.append(unit.name)
            elif direction > 0:
                floor = unit.battery.floor_wh
                if choice.action.floor_soc_pct is not None:
                    floor = max(floor, unit.battery.capacity_wh * choice.action.floor_soc_pct / 100)
                if energy[unit.name] > floor + TOLERANCE_WH:
                    giving.append(unit.name)
        if not charging or not giving:
            return
        charge_rank = max(choices[name].source for name in charging)
        give_rank = max(choices[name].source for name in giving)
        losers, winners = (giving, charging) if give_rank <= charge_rank else (charging, giving)
        rank = Source(max(charge_rank, give_rank))
        for name in losers:
            choices[name] = Choice(
                action=_HOLD,
                reason=ReasonCode.CONFLICT,
                source=rank,
                params=(("other", winners[0]),),
            )

    def _shortfalls(
        self, ends: Mapping[date, Mapping[str, float]]
    ) -> tuple[tuple[str, float], ...]:
        """Return the first precharging night's missing stored energy per battery, if any."""
        for day in sorted(self.nights):
            night = self.nights[day]
            if not night.charging or day not in ends:
                continue
            return tuple(
                (name, round(night.target_wh[unit.name] - ends[day][unit.name], 1))
                for unit in self.units
                for name in unit.names
                if night.target_wh[unit.name] - ends[day][unit.name] > TOLERANCE_WH
            )
        return ()


def _night_params(night: Night, target_pct: int | None) -> tuple[tuple[str, str], ...]:
    params = [("day", (night.day + timedelta(days=1)).isoformat())]
    if target_pct is not None:
        params.append(("target", str(target_pct)))
    if night.decision.margin_eur_kwh is not None:
        params.append(("margin", f"{night.decision.margin_eur_kwh:.4f}"))
    return tuple(params)
