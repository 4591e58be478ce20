"""The planner's timeline: segments of constant tariff and constant orders, and who rules each one.

Segments split the horizon at every tariff edge (06:00, 22:00, price changes), every household
rule and override edge, and every precharge deadline, so that inside one segment the tariff,
the rules and the overrides in force never change. Precedence is settled here:
override (the last listed wins) > household rule (highest priority, then first listed) > strategy.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from itertools import pairwise
from zoneinfo import ZoneInfo

from bot.tempo.calendar import local_date
from bot.tempo.model import TariffPeriod

from .forecast import HalfHourForecast
from .model import (
    Action,
    BatteryState,
    Override,
    PlanInputs,
    ReasonCode,
    ScheduleRule,
    Source,
    TariffSlot,
)

ONE_DAY = timedelta(days=1)


@dataclass(frozen=True, slots=True, kw_only=True)
class Segment:
    """A stretch of the horizon with one tariff slot and one set of orders in force."""

    start: datetime
    end: datetime
    slot: TariffSlot
    hours: float
    load_wh: float
    peak_w: float


@dataclass(frozen=True, slots=True, kw_only=True)
class Imposed:
    """An order from a user (override) or the household (rule) for one battery and segment."""

    action: Action
    source: Source
    reason: ReasonCode
    params: tuple[tuple[str, str], ...]


def rule_occurrences(
    rule: ScheduleRule, start: datetime, end: datetime, tz: ZoneInfo
) -> list[tuple[datetime, datetime]]:
    """Return the UTC windows where ``rule`` is in force, clipped to ``[start, end)``."""
    found: list[tuple[datetime, datetime]] = []
    day = local_date(start, tz) - ONE_DAY
    last = local_date(end, tz)
    while day <= last:
        if day.weekday() in rule.weekdays:
            begin = datetime.combine(day, rule.start, tzinfo=tz).astimezone(UTC)
            end_day = day + ONE_DAY if rule.end <= rule.start else day
            finish = datetime.combine(end_day, rule.end, tzinfo=tz).astimezone(UTC)
            lo, hi = max(begin, start), min(finish, end)
            if lo < hi:
                found.append((lo, hi))
        day += ONE_DAY
    return found


def build_segments(
    slots: Sequence[TariffSlot],
    *,
    start: datetime,
    end: datetime,
    cuts: Iterable[datetime],
    load: HalfHourForecast,
) -> list[Segment]:
    """Return the segments of ``[start, end)``: the slots split at every instant of ``cuts``."""
    inner = sorted({cut for cut in cuts if start < cut < end})
    segments: list[Segment] = []
    for slot in slots:
        lo, hi = max(slot.start, start), min(slot.end, end)
        if lo >= hi:
            continue
        edges = [lo, *(cut for cut in inner if lo < cut < hi), hi]
        for seg_start, seg_end in pairwise(edges):
            segments.append(
                Segment(
                    start=seg_start,
                    end=seg_end,
                    slot=slot,
                    hours=(seg_end - seg_start).total_seconds() / 3600.0,
                    load_wh=load.energy_wh(seg_start, seg_end),
                    peak_w=load.peak_w(seg_start, seg_end),
                )
            )
    return segments


def _local_label(instant: datetime, tz: ZoneInfo) -> str:
    local = instant.astimezone(tz)
    return f"{local:%Y-%m-%dT%H:%M}"


class Precedence:
    """Answers "which override or household rule governs battery B in segment S", if any."""

    def __init__(self, inputs: PlanInputs, start: datetime, end: datetime) -> None:
        self._tz = inputs.tz
        self._overrides = tuple(
            item for item in inputs.overrides if item.end > start and item.start < end
        )
        self._rules = tuple(
            (order, rule, rule_occurrences(rule, start, end, inputs.tz))
            for order, rule in enumerate(inputs.rules)
        )

    def cuts(self) -> list[datetime]:
        """Return every instant where an override or a rule starts or ends."""
        instants = [edge for item in self._overrides for edge in (item.start, item.end)]
        for _, _, windows in self._rules:
            instants.extend(edge for window in windows for edge in window)
        return instants

    def imposed(self, battery: str, at: datetime) -> Imposed | None:
        """Return the order in force for ``battery`` at ``at`` (``None``: the strategy decides)."""
        override = self._override(battery, at)
        if override is not None:
            params = [("until", _local_label(override.end, self._tz))]
            if override.label:
                params.append(("label", override.label))
            return Imposed(
                action=override.action,
                source=Source.OVERRIDE,
                reason=ReasonCode.OVERRIDE,
                params=tuple(params),
            )
        rule = self._rule(battery, at)
        if rule is None:
            return None
        return Imposed(
            action=rule.action,
            source=Source.RULE,
            reason=ReasonCode.RULE,
            params=(("rule", rule.name),),
        )

    def _override(self, battery: str, at: datetime) -> Override | None:
        for item in reversed(self._overrides):
            if item.battery in (None, battery) and item.start <= at < item.end:
                return item
        return None

    def _rule(self, battery: str, at: datetime) -> ScheduleRule | None:
        best: tuple[int, int, ScheduleRule] | None = None
        for order, rule, windows in self._rules:
            if rule.batteries is not None and battery not in rule.batteries:
                continue
            if not any(lo <= at < hi for lo, hi in windows):
                continue
            key = (rule.priority, -order)
            if best is None or key > best[:2]:
                best = (*key, rule)
        return None if best is None else best[2]


def group_days(slots: Iterable[TariffSlot]) -> dict[tuple[date, TariffPeriod], list[TariffSlot]]:
    """Group slots by (Tempo day, period) — one HP or HC stretch may be split at a price change."""
    groups: dict[tuple[date, TariffPeriod], list[TariffSlot]] = {}
    for slot in slots:
        groups.setdefault((slot.tempo_day, slot.period), []).append(slot)
    return groups


@dataclass(frozen=True, slots=True, kw_only=True)
class Unit:
    """One battery, or several identical ones (same limits, same SoC, no orders) planned once."""

    battery: BatteryState
    names: tuple[str, ...]
    name: str
    """The name the unit is planned under (its first battery's)."""
    count: int
    """How many batteries the unit stands for."""


def twin_units(
    fleet: Sequence[BatteryState], orders: Mapping[str, Sequence[Imposed | None]]
) -> list[Unit]:
    """Group batteries that would get the very same plan, so each group is planned once."""
    groups: dict[object, list[BatteryState]] = {}
    for battery in fleet:
        free = all(order is None for order in orders[battery.name])
        key: object = _twin_key(battery) if free else battery.name
        groups.setdefault(key, []).append(battery)
    return [
        Unit(
            battery=members[0],
            names=tuple(member.name for member in members),
            name=members[0].name,
            count=len(members),
        )
        for members in groups.values()
    ]


def _twin_key(battery: BatteryState) -> tuple[object, ...]:
    return (
        battery.soc_pct,
        battery.capacity_wh,
        battery.min_soc_pct,
        battery.max_charge_w,
        battery.max_discharge_w,
        battery.charge_efficiency,
        battery.discharge_efficiency,
    )
