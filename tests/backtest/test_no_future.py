"""The backtest's planner never reads the future: a poisoned future leaves the past unchanged."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import date, timedelta

import numpy as np
import pytest

from bot.backtest import Bank, BankSpec, PlannerPolicy, SeasonData, build_season, load_profile
from bot.backtest.runner import Trace, simulate
from bot.planning import Action, Plan, StrategySettings
from bot.tempo.history import load_history
from bot.tempo.model import TempoColor
from bot.tempo.prices import load_price_table
from bot.tempo.seasons import Season

SPEC = BankSpec()
CONTRACT_W = 9000.0
FLIP = {
    TempoColor.RED: TempoColor.BLUE,
    TempoColor.BLUE: TempoColor.RED,
    TempoColor.WHITE: TempoColor.RED,
}


@pytest.fixture(scope="module")
def window() -> SeasonData:
    """Twelve January days of 2022-2023 with two red streaks (17–20 and 23–27 Jan)."""
    return build_season(
        Season(start_year=2022),
        colors=load_history(),
        table=load_price_table(),
        profile=load_profile(),
        first_day=date(2023, 1, 14),
        days=12,
    )


def poison(data: SeasonData, cut: int) -> SeasonData:
    """Return ``data`` with everything unknowable at step ``cut`` replaced by garbage."""
    now = data.instant(cut).astimezone(data.tz)
    published = now.date() + timedelta(days=1 if now.hour >= 11 else 0)
    colors = {day: FLIP[c] if day > published else c for day, c in data.colors.items()}
    rng = np.random.default_rng(1)
    load = data.load_w.copy()
    load[data.warmup + cut :] = rng.uniform(0.0, 9000.0, len(load) - data.warmup - cut)
    price = data.price.copy()
    price[cut:] = rng.uniform(0.0, 2.0, len(price) - cut)
    return replace(data, colors=colors, load_w=load, price=price)


class Recording:
    """Wraps a policy and keeps every answer."""

    def __init__(self, policy: PlannerPolicy) -> None:
        self.policy = policy
        self.actions: list[Sequence[Action]] = []
        self.plans: list[Plan | None] = []

    def __call__(self, index: int, bank: Bank) -> Sequence[Action]:
        actions = self.policy(index, bank)
        self.actions.append(tuple(actions))
        self.plans.append(self.policy.last_plan)
        return actions


def run(data: SeasonData, steps: int, wear: float) -> tuple[Recording, Trace]:
    policy = Recording(
        PlannerPolicy(
            data, SPEC, contract_w=CONTRACT_W, settings=StrategySettings(wear_cost_eur_kwh=wear)
        )
    )
    trace = simulate(data, SPEC, policy, contract_w=CONTRACT_W, steps=steps)
    return policy, trace


@pytest.mark.parametrize("wear", [0.0, 0.02])
def test_poisoned_future_changes_nothing_before_it(window: SeasonData, wear: float) -> None:
    # Cut on Thursday 19 January 09:00: Friday's colour (red) is not published yet.
    cut = (24 * 5 + 3) * 2
    assert window.instant(cut).astimezone(window.tz).strftime("%a %d %H:%M") == "Thu 19 09:00"
    horizon = cut + 2 * 24 * 2  # run two more days past the cut
    honest, honest_trace = run(window, horizon, wear)
    poisoned_data = poison(window, cut)
    poisoned, poisoned_trace = run(poisoned_data, horizon, wear)
    # The plan at step ``cut`` itself may only use loads before it: compare it too.
    assert poisoned.actions[: cut + 1] == honest.actions[: cut + 1]
    # Whole 48 h plans (reasons, SoC trajectories from the load forecast), not just actions.
    assert poisoned.plans[: cut + 1] == honest.plans[: cut + 1]
    for name in ("grid_w", "charged_wh", "discharged_wh"):
        before = getattr(honest_trace, name)[:cut]
        assert np.array_equal(before, getattr(poisoned_trace, name)[:cut]), name
    # The poison is real: once Friday's (flipped) colour is published the plans part ways.
    assert poisoned.actions[cut + 1 :] != honest.actions[cut + 1 :]


def test_the_planner_charges_before_each_red_day_of_the_window(window: SeasonData) -> None:
    _, trace = run(window, window.steps, 0.02)
    charged_by_day: dict[date, float] = {}
    for index, day in enumerate(window.tempo_day):
        charged_by_day[day] = charged_by_day.get(day, 0.0) + trace.charged_wh[index]
    for day, charged in charged_by_day.items():
        tomorrow_red = window.colors[day + timedelta(days=1)] is TempoColor.RED
        # Before a red day the bank is refilled; with wear, blue nights before blue days stay idle.
        assert (charged > 5000) == tomorrow_red or window.colors[day + timedelta(days=1)] is (
            TempoColor.WHITE
        ), day
