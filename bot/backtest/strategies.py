"""The strategies compared by the backtest, each a policy: (step, bank) → one action per unit.

The bot's own planner runs here exactly as in the bot: :func:`bot.planning.plan` on inputs built
by :func:`bot.planning.build_tariff_slots` and :func:`bot.planning.forecast_from_history`, fed only
what it would know at that moment — colours published by 11:00 the day before, the load up to
now — never the future.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from enum import StrEnum

import numpy as np
import numpy.typing as npt

from bot.planning import (
    Action,
    Plan,
    PlanInputs,
    StrategySettings,
    action_at,
    build_tariff_slots,
    forecast_from_history,
    plan,
)
from bot.planning.forecast import HISTORY_DAYS, STEPS_PER_DAY
from bot.tempo.model import TempoColor
from bot.tempo.rules import possible_colors

from .data import SeasonData
from .physics import Bank, BankSpec

COLOR_KNOWN_AT = time(11, 0)
"""Tomorrow's colour is taken as known from 11:00 Paris (RTE publishes ~10:30, EDF ~11:00)."""
PLAN_HORIZON = timedelta(hours=48)
Policy = Callable[[int, Bank], Sequence[Action]]


class StrategyKey(StrEnum):
    """The strategies, in the order of the report."""

    NO_BATTERY = "no_battery"
    NIGHTLY = "nightly"
    RED_ONLY = "red_only"
    PLANNER = "planner"
    OPTIMUM = "optimum"


def _charge_full(spec: BankSpec) -> list[Action]:
    return [Action.charge(spec.max_charge_w, 100.0)] * spec.count


def nightly_policy(data: SeasonData, spec: BankSpec) -> Policy:
    """Return the common manual set-up: charge at full power every night, self-consume by day."""
    charge = _charge_full(spec)
    follow = [Action.self_consumption()] * spec.count

    def policy(index: int, _bank: Bank) -> Sequence[Action]:
        return charge if data.offpeak[index] else follow

    return policy


def red_only_policy(data: SeasonData, spec: BankSpec) -> Policy:
    """Return "precharge at full power the night before a red day, self-consume by day"."""
    charge = _charge_full(spec)
    hold = [Action.hold()] * spec.count
    follow = [Action.self_consumption()] * spec.count
    # At 22:00 tomorrow's colour has been public since 11:00: reading it here is no look-ahead.
    before_red: npt.NDArray[np.bool_] = np.array(
        [data.colors.get(day + timedelta(days=1)) is TempoColor.RED for day in data.tempo_day]
    )

    def policy(index: int, _bank: Bank) -> Sequence[Action]:
        if not data.offpeak[index]:
            return follow
        return charge if before_red[index] else hold

    return policy


@dataclass(slots=True)
class _Knowledge:
    """The colours published so far, growing as the simulated clock passes 11:00 each day."""

    data: SeasonData
    known: dict[date, TempoColor]
    next_day: date
    bounds_cache: dict[date, frozenset[TempoColor]]

    def learn(self, now: datetime) -> None:
        local = now.astimezone(self.data.tz)
        published = local.date() + timedelta(days=1 if local.time() >= COLOR_KNOWN_AT else 0)
        while self.next_day <= published:
            color = self.data.colors.get(self.next_day)
            if color is not None:
                self.known[self.next_day] = color
                self.bounds_cache.clear()
            self.next_day += timedelta(days=1)

    def bounds(self, day: date) -> frozenset[TempoColor]:
        cached = self.bounds_cache.get(day)
        if cached is None:
            cached = possible_colors(day, self.known)
            self.bounds_cache[day] = cached
        return cached


class PlannerPolicy:
    """The bot's planner, called every step with only what the bot would know then."""

    def __init__(
        self,
        data: SeasonData,
        spec: BankSpec,
        *,
        contract_w: float,
        settings: StrategySettings,
        horizon: timedelta = PLAN_HORIZON,
    ) -> None:
        self._data = data
        self._spec = spec
        self._contract_w = contract_w
        self._settings = settings
        self._horizon = horizon
        # Everything published before the window is known (season counts need it).
        first = data.season.first_day
        self._knowledge = _Knowledge(
            data=data, known={}, next_day=first - timedelta(days=7), bounds_cache={}
        )
        self.last_plan: Plan | None = None
        """The plan made at the latest step (tests compare whole plans, not just actions)."""

    def __call__(self, index: int, bank: Bank) -> Sequence[Action]:
        """Plan at step ``index`` and return what each unit does now."""
        data = self._data
        now = data.instant(index)
        self._knowledge.learn(now)
        upto = data.warmup + index
        history = data.load_w[max(0, upto - HISTORY_DAYS * STEPS_PER_DAY) : upto].tolist()
        inputs = PlanInputs(
            now=now,
            slots=build_tariff_slots(
                now,
                now + self._horizon,
                colors=self._knowledge.known,
                prices=data.prices,
                bounds=self._knowledge.bounds,
                tz=data.tz,
            ),
            batteries=bank.states(),
            load=forecast_from_history(history, now=now),
            contract_power_va=self._contract_w,
            strategy=self._settings,
            horizon=self._horizon,
            tz=data.tz,
        )
        result = plan(inputs)
        self.last_plan = result
        actions = []
        for name in self._spec.names:
            interval = action_at(result, name, now)
            actions.append(interval.action if interval is not None else Action.hold())
        return actions
