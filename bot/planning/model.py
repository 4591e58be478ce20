"""Values of the planner: what it is given (fleet, tariff, rules, overrides) and what it returns.

Power follows the bot's single sign convention: **positive = the battery discharges to the house,
negative = it charges**. Energies are in Wh, state of charge in %, prices in €/kWh. Every instant
is a timezone-aware datetime (UTC inside). ``None`` means "absent", never zero.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from enum import IntEnum, StrEnum
from zoneinfo import ZoneInfo

from bot.planning.forecast import HalfHourForecast
from bot.tempo.calendar import PARIS
from bot.tempo.model import TariffPeriod, TempoColor

ALL_WEEKDAYS = frozenset(range(7))
SELF_CONSUMING_MODES = frozenset({"Auto", "AI"})
CHARGING_MODES = frozenset({"UPS"})


class ActionKind(StrEnum):
    """What a battery is asked to do during an interval."""

    SELF_CONSUMPTION = "self_consumption"
    CHARGE = "charge"
    DISCHARGE = "discharge"
    HOLD = "hold"
    DEVICE_MODE = "device_mode"


@dataclass(frozen=True, slots=True, kw_only=True)
class Action:
    """One battery instruction; build it with the class methods.

    ``power_w`` is signed (+ discharge, − charge) and set for CHARGE/DISCHARGE only;
    ``target_soc_pct`` is where a CHARGE stops (or a DISCHARGE stops going down);
    ``floor_soc_pct`` is a reserve SELF_CONSUMPTION must keep; ``device_mode`` is the Open API
    mode name (``"Auto"``, ``"AI"``, ``"Manual"``, ``"Passive"``, ``"UPS"``) of a DEVICE_MODE.
    """

    kind: ActionKind
    power_w: float | None = None
    target_soc_pct: float | None = None
    floor_soc_pct: float | None = None
    device_mode: str | None = None

    def __post_init__(self) -> None:
        if self.kind is ActionKind.CHARGE and (self.power_w is None or self.power_w > 0):
            raise ValueError("a CHARGE needs a negative (or zero) power_w")
        if self.kind is ActionKind.DISCHARGE and (self.power_w is None or self.power_w < 0):
            raise ValueError("a DISCHARGE needs a positive (or zero) power_w")
        if self.kind is ActionKind.DEVICE_MODE and not self.device_mode:
            raise ValueError("a DEVICE_MODE action needs device_mode")

    @classmethod
    def hold(cls) -> Action:
        """Neither charge nor discharge."""
        return cls(kind=ActionKind.HOLD)

    @classmethod
    def self_consumption(cls, floor_soc_pct: float | None = None) -> Action:
        """Cover the house load from the battery, keeping ``floor_soc_pct`` if given."""
        return cls(kind=ActionKind.SELF_CONSUMPTION, floor_soc_pct=floor_soc_pct)

    @classmethod
    def charge(cls, power_w: float, target_soc_pct: float) -> Action:
        """Charge from the grid at ``power_w`` W (a magnitude) until ``target_soc_pct``."""
        return cls(kind=ActionKind.CHARGE, power_w=-abs(power_w), target_soc_pct=target_soc_pct)

    @classmethod
    def discharge(cls, power_w: float, target_soc_pct: float | None = None) -> Action:
        """Discharge at ``power_w`` W (a magnitude), down to ``target_soc_pct`` if given."""
        return cls(kind=ActionKind.DISCHARGE, power_w=abs(power_w), target_soc_pct=target_soc_pct)

    @classmethod
    def device(cls, mode: str) -> Action:
        """Put the battery in the Open API mode ``mode`` (e.g. ``"Auto"``)."""
        return cls(kind=ActionKind.DEVICE_MODE, device_mode=mode)

    @property
    def direction(self) -> int:
        """Return +1 if this action discharges, -1 if it charges, 0 otherwise."""
        if self.kind in (ActionKind.SELF_CONSUMPTION, ActionKind.DISCHARGE):
            return 1
        if self.kind is ActionKind.CHARGE:
            return -1
        if self.kind is ActionKind.DEVICE_MODE:
            if self.device_mode in SELF_CONSUMING_MODES:
                return 1
            if self.device_mode in CHARGING_MODES:
                return -1
        return 0


class Source(IntEnum):
    """Who decided an interval; a higher value wins (override > household rule > strategy)."""

    STRATEGY = 1
    RULE = 2
    OVERRIDE = 3


class ReasonCode(StrEnum):
    """Why an interval does what it does (rendered by :func:`bot.planning.texts.reason_text`)."""

    PRECHARGE_RED = "precharge_red"
    PRECHARGE_WHITE = "precharge_white"
    PRECHARGE_UNKNOWN = "precharge_unknown"
    PRECHARGE_ECONOMIC = "precharge_economic"
    TOP_UP_PEAK = "top_up_peak"
    TARGET_REACHED = "target_reached"
    NOT_WORTH = "not_worth"
    HOLD_OFF_PEAK = "hold_off_peak"
    SELF_CONSUMPTION = "self_consumption"
    RESERVE = "reserve"
    CONTRACT_LIMIT = "contract_limit"
    CONFLICT = "conflict"
    RULE = "rule"
    OVERRIDE = "override"
    UNREACHABLE = "unreachable"
    NO_TARIFF = "no_tariff"


@dataclass(frozen=True, slots=True, kw_only=True)
class BatteryState:
    """One battery as the planner sees it: its state now and its limits."""

    name: str
    soc_pct: float | None
    capacity_wh: float = 5120.0
    min_soc_pct: float = 12.0
    max_charge_w: float = 2500.0
    max_discharge_w: float = 2500.0
    charge_efficiency: float = 0.94
    discharge_efficiency: float = 0.94
    reachable: bool = True

    @property
    def usable(self) -> bool:
        """Tell whether the planner can count on this battery (reachable with a known SoC)."""
        return self.reachable and self.soc_pct is not None

    @property
    def floor_wh(self) -> float:
        """Return the stored energy at the DOD floor."""
        return self.capacity_wh * self.min_soc_pct / 100.0


@dataclass(frozen=True, slots=True, kw_only=True)
class ScheduleRule:
    """A household rule: on ``weekdays`` (0 = Monday), ``start``→``end`` local time, do ``action``.

    ``end <= start`` means the rule runs past midnight. ``batteries`` ``None`` = every battery.
    When rules overlap, the highest ``priority`` wins, then the one listed first.
    """

    name: str
    action: Action
    start: time
    end: time
    weekdays: frozenset[int] = ALL_WEEKDAYS
    batteries: frozenset[str] | None = None
    priority: int = 0


@dataclass(frozen=True, slots=True, kw_only=True)
class Override:
    """A temporary user order: ``action`` on ``battery`` (``None`` = all) in ``[start, end)``.

    When overrides overlap, the one listed last (the most recent) wins. ``label`` is what the UI
    shows (e.g. ``"pause"``); absent, the action's kind is shown.
    """

    action: Action
    start: datetime
    end: datetime
    battery: str | None = None
    label: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class StrategySettings:
    """Knobs of the default Tempo strategy."""

    target_soc_pct: float = 100.0
    treat_white_as_red: bool = False
    precharge_when_unknown: bool = True
    wear_cost_eur_kwh: float = 0.0
    contract_margin_pct: float = 10.0
    """Charging keeps house load + charge under the contract power minus this share."""
    deadline_margin: timedelta = timedelta(minutes=30)
    """A precharge aims to finish this long before 06:00."""
    min_charge_w: float = 300.0
    """Below this the inverter is inefficient: charge at least this hard, and finish early."""
    forecast_safety_factor: float = 1.1
    """A partial (economic) charge covers the forecast peak-hour load times this factor."""


@dataclass(frozen=True, slots=True, kw_only=True)
class TariffSlot:
    """A stretch ``[start, end)`` of one Tempo day and period, with what is known of its colour.

    ``prices_eur_kwh`` holds this period's price for every colour (empty when no price row is in
    force), so unknown days can be priced per possible colour.
    """

    start: datetime
    end: datetime
    tempo_day: date
    period: TariffPeriod
    color: TempoColor | None
    possible_colors: frozenset[TempoColor]
    confirmed: bool
    prices_eur_kwh: Mapping[TempoColor, float]

    @property
    def price_eur_kwh(self) -> float | None:
        """Return the price in force if the colour is known."""
        return None if self.color is None else self.prices_eur_kwh.get(self.color)


@dataclass(frozen=True, slots=True, kw_only=True)
class PlanInputs:
    """Everything the planner needs; the same value is built by the bot and by the backtest.

    ``slots`` must cover ``[now, now + horizon]`` and should reach one Tempo day further (the
    last night's decision looks at the following day); :func:`build_tariff_slots` does that.
    """

    now: datetime
    slots: tuple[TariffSlot, ...]
    batteries: tuple[BatteryState, ...]
    load: HalfHourForecast
    contract_power_va: float
    rules: tuple[ScheduleRule, ...] = ()
    overrides: tuple[Override, ...] = ()
    strategy: StrategySettings = field(default_factory=StrategySettings)
    horizon: timedelta = timedelta(hours=48)
    tz: ZoneInfo = PARIS


@dataclass(frozen=True, slots=True, kw_only=True)
class PlanInterval:
    """What one battery does in ``[start, end)`` and why."""

    start: datetime
    end: datetime
    action: Action
    reason: ReasonCode
    source: Source
    reason_params: tuple[tuple[str, str], ...] = ()

    def param(self, key: str) -> str | None:
        """Return the reason parameter ``key`` if present."""
        return next((value for name, value in self.reason_params if name == key), None)


@dataclass(frozen=True, slots=True, kw_only=True)
class PlanStep:
    """Predicted behaviour of one battery in ``[start, end)``: mean power, SoC moving linearly."""

    start: datetime
    end: datetime
    power_w: float
    soc_start_pct: float | None
    soc_end_pct: float | None


@dataclass(frozen=True, slots=True, kw_only=True)
class BatteryPlan:
    """The plan of one battery: its intervals and the predicted SoC trajectory."""

    battery: str
    intervals: tuple[PlanInterval, ...]
    steps: tuple[PlanStep, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class Plan:
    """The plan for every battery over ``[created_at, end)``.

    ``shortfalls_wh`` names the batteries whose next precharge cannot reach its target in time
    (contract power, overrides, power limits) and by how much (stored Wh).
    """

    created_at: datetime
    end: datetime
    batteries: tuple[BatteryPlan, ...]
    shortfalls_wh: tuple[tuple[str, float], ...] = ()

    def battery(self, name: str) -> BatteryPlan:
        """Return the plan of battery ``name`` (``KeyError`` if it is not planned)."""
        for item in self.batteries:
            if item.battery == name:
                return item
        raise KeyError(name)
