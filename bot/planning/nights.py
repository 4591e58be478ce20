"""Off-peak nights: what each one should store, per battery, and what it can store at most."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from bot.tempo.calendar import hp_window
from bot.tempo.model import TariffPeriod, TempoColor

from .economics import DayTariff, NightDecision, decide_night
from .model import BatteryState, PlanInputs, TariffSlot
from .timeline import Imposed, Segment, Unit

ONE_DAY = timedelta(days=1)


@dataclass(frozen=True, slots=True, kw_only=True)
class Night:
    """The off-peak night of Tempo day ``day`` (22:00 → 06:00) and its plan.

    Keys are unit names (see :class:`Unit`).
    ``target_wh``: stored energy each battery should hold at 06:00 (absent: do not charge).
    ``reserve_wh``: stored energy to keep through the peak hours before the night, because the
    night alone cannot store enough (low contract power, overrides); absent when not needed.
    """

    day: date
    start: datetime
    end: datetime
    deadline: datetime
    decision: NightDecision
    target_wh: Mapping[str, float]
    reserve_wh: Mapping[str, float]
    tight: bool = False
    """Even an empty battery could not be filled at the night's steady cap: plan it finer."""

    @property
    def charging(self) -> bool:
        """Tell whether this night stores anything."""
        return bool(self.target_wh)


def day_tariff(slots: Sequence[TariffSlot] | None) -> DayTariff | None:
    """Merge the slots of one Tempo day and period (price changes at midnight: keep the highest)."""
    if not slots:
        return None
    prices: dict[TempoColor, float] = {}
    for slot in slots:
        for color, price in slot.prices_eur_kwh.items():
            prices[color] = max(price, prices.get(color, price))
    first = slots[0]
    return DayTariff(color=first.color, possible=first.possible_colors, prices_eur_kwh=prices)


def mean_efficiencies(units: Sequence[Unit]) -> tuple[float, float]:
    """Return the capacity-weighted charge and discharge efficiencies of the fleet."""
    if not units:  # no usable battery (all unreachable): nothing is stored, any value will do
        default = BatteryState(name="-", soc_pct=None)
        return default.charge_efficiency, default.discharge_efficiency
    total = sum(u.battery.capacity_wh * u.count for u in units) or 1.0
    charge = sum(u.battery.charge_efficiency * u.battery.capacity_wh * u.count for u in units)
    discharge = sum(u.battery.discharge_efficiency * u.battery.capacity_wh * u.count for u in units)
    return charge / total, discharge / total


def _room_wh(battery: BatteryState, target_soc_pct: float) -> float:
    return max(battery.capacity_wh * target_soc_pct / 100.0 - battery.floor_wh, 0.0)


def _targets(
    decision: NightDecision, units: Sequence[Unit], target_soc_pct: float
) -> dict[str, float]:
    """Return each unit's stored-energy target, spreading a partial charge by free capacity."""
    if decision.fill:
        return {u.name: u.battery.capacity_wh * target_soc_pct / 100.0 for u in units}
    if decision.energy_wh <= 0:
        return {}
    total = sum(_room_wh(u.battery, target_soc_pct) * u.count for u in units) or 1.0
    return {
        u.name: u.battery.floor_wh
        + decision.energy_wh * _room_wh(u.battery, target_soc_pct) / total
        for u in units
    }


def charge_caps_w(
    units: Sequence[Unit], segment: Segment, orders: Mapping[str, Imposed | None], headroom_w: float
) -> dict[str, float]:
    """Return how hard each unit may charge in ``segment`` (0 when an order drives it).

    The room under the contract (``headroom_w`` minus the forecast peak) is shared among the
    units the strategy drives, by their maximum power.
    """
    free = [u for u in units if orders.get(u.name) is None]
    power_sum = sum(u.battery.max_charge_w * u.count for u in free) or 1.0
    room_w = max(headroom_w - segment.peak_w, 0.0)
    caps = dict.fromkeys((u.name for u in units), 0.0)
    for unit in free:
        caps[unit.name] = min(
            unit.battery.max_charge_w, room_w * unit.battery.max_charge_w / power_sum
        )
    return caps


def water_level(pieces: Sequence[tuple[float, float]], energy_wh: float) -> float | None:
    """Return the lowest level ``L`` with Σ min(L, cap) × hours = ``energy_wh``.

    ``pieces`` are (cap W, hours). ``None`` if even charging at every cap falls short. This is
    the lowest steady power that stores ``energy_wh``, flattened only where a cap binds.
    """
    if energy_wh <= 0:
        return 0.0
    ordered = sorted((cap, hours) for cap, hours in pieces if hours > 0)
    below = 0.0  # energy of the pieces already capped
    hours_left = sum(hours for _, hours in ordered)
    for cap, hours in ordered:
        level = (energy_wh - below) / hours_left if hours_left > 0 else float("inf")
        if level <= cap:
            return level
        below += cap * hours
        hours_left -= hours
    return None


def _capacity_wh(
    units: Sequence[Unit],
    segments: Sequence[tuple[Segment, Mapping[str, Imposed | None]]],
    headroom_w: float,
) -> dict[str, float]:
    """Return the most each unit can store in ``segments`` (free of orders, under the cap)."""
    stored = dict.fromkeys((u.name for u in units), 0.0)
    for segment, orders in segments:
        caps = charge_caps_w(units, segment, orders, headroom_w)
        for unit in units:
            stored[unit.name] += caps[unit.name] * segment.hours * unit.battery.charge_efficiency
    return stored


def plan_night(
    day: date,
    *,
    inputs: PlanInputs,
    units: Sequence[Unit],
    groups: Mapping[tuple[date, TariffPeriod], list[TariffSlot]],
    segments: Sequence[tuple[Segment, Mapping[str, Imposed | None]]],
) -> Night:
    """Decide what the night of ``day`` stores; ``segments`` are the night's (free or not)."""
    settings = inputs.strategy
    night_slots = groups[(day, TariffPeriod.HC)]
    start, end = night_slots[0].start, night_slots[-1].end
    night = day_tariff(night_slots)
    peak = day_tariff(groups.get((day + ONE_DAY, TariffPeriod.HP)))
    charge_eff, discharge_eff = mean_efficiencies(units)
    usable = sum(_room_wh(u.battery, settings.target_soc_pct) * u.count for u in units)
    decision = decide_night(
        night or DayTariff(color=None, possible=frozenset(), prices_eur_kwh={}),
        peak or DayTariff(color=None, possible=frozenset(), prices_eur_kwh={}),
        settings=settings,
        charge_eff=charge_eff,
        discharge_eff=discharge_eff,
        peak_load_wh=inputs.load.energy_wh(*hp_window(day + ONE_DAY, inputs.tz)),
        usable_wh=usable,
    )
    targets = _targets(decision, units, settings.target_soc_pct)
    headroom = inputs.contract_power_va * (1.0 - settings.contract_margin_pct / 100.0)
    capacity = _capacity_wh(units, segments, headroom)
    reserve = {
        u.name: targets[u.name] - capacity[u.name]
        for u in units
        if u.name in targets and targets[u.name] - capacity[u.name] > u.battery.floor_wh
    }
    return Night(
        tight=bool(reserve),
        day=day,
        start=start,
        end=end,
        deadline=end - settings.deadline_margin,
        decision=decision,
        target_wh=targets,
        reserve_wh=reserve,
    )
