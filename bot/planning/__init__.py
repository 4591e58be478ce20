"""The pure planner: (Tempo days, prices, fleet state, household rules, overrides) → a 48 h plan.

Nothing here does I/O or reads a clock: the bot and the backtest build the same
:class:`PlanInputs` and call :func:`plan`. See ``docs/planning.md``.
"""

from __future__ import annotations

from bot.planning.economics import (
    DayTariff,
    NightDecision,
    charge_margin_eur_kwh,
    decide_night,
    stored_cost_eur_kwh,
    stored_value_eur_kwh,
    top_up_worth,
)
from bot.planning.forecast import HalfHourForecast, forecast_from_history
from bot.planning.model import (
    Action,
    ActionKind,
    BatteryPlan,
    BatteryState,
    Override,
    Plan,
    PlanInputs,
    PlanInterval,
    PlanStep,
    ReasonCode,
    ScheduleRule,
    Source,
    StrategySettings,
    TariffSlot,
)
from bot.planning.planner import plan
from bot.planning.queries import Transition, action_at, transitions
from bot.planning.slots import build_tariff_slots
from bot.planning.texts import reason_text

__all__ = [
    "Action",
    "ActionKind",
    "BatteryPlan",
    "BatteryState",
    "DayTariff",
    "HalfHourForecast",
    "NightDecision",
    "Override",
    "Plan",
    "PlanInputs",
    "PlanInterval",
    "PlanStep",
    "ReasonCode",
    "ScheduleRule",
    "Source",
    "StrategySettings",
    "TariffSlot",
    "Transition",
    "action_at",
    "build_tariff_slots",
    "charge_margin_eur_kwh",
    "decide_night",
    "forecast_from_history",
    "plan",
    "reason_text",
    "stored_cost_eur_kwh",
    "stored_value_eur_kwh",
    "top_up_worth",
    "transitions",
]
