"""The LP optimum against brute force on tiny instances."""

from __future__ import annotations

import itertools
import random
import sys

import numpy as np
import pytest

from bot.backtest import BankSpec, OptimumUnavailableError, solve_optimum

STEP_H = 0.5
# One 2 kWh battery, no floor, ±2 kW (1 kWh per half hour), 80 % in, 100 % out: every bound of
# the instance below lands on the 0.1 kWh grid, so the LP's optimal vertex does too.
BANK = BankSpec(
    count=1,
    capacity_wh=2000.0,
    min_soc_pct=0.0,
    max_charge_w=2000.0,
    max_discharge_w=2000.0,
    charge_efficiency=0.8,
    discharge_efficiency=1.0,
)


def brute_force(
    load_wh: list[float],
    price: list[float],
    bank: BankSpec,
    *,
    contract_w: float,
    wear: float,
    grid_wh: float = 100.0,
) -> float:
    """Return the cheapest cost over every stored-energy path on the grid (exhaustive search).

    Charging and discharging in the same step never pays, so a path of stored energies fixes
    what is bought and delivered in each step; every path is priced, infeasible ones dropped.
    """
    floor = bank.count * bank.floor_wh
    levels = np.arange(floor, bank.capacity_wh * bank.count + 1e-9, grid_wh)
    paths = np.array(list(itertools.product(levels, repeat=len(load_wh))))
    change = np.diff(paths, axis=1, prepend=floor)
    bought = np.where(change > 0, change / bank.charge_efficiency, 0.0)
    delivered = np.where(change < 0, -change * bank.discharge_efficiency, 0.0)
    load = np.array(load_wh)
    headroom = np.maximum(contract_w * STEP_H - load, 0.0)
    feasible = (
        (bought <= np.minimum(bank.count * bank.max_charge_w * STEP_H, headroom) + 1e-9)
        & (delivered <= np.minimum(bank.count * bank.max_discharge_w * STEP_H, load) + 1e-9)
    ).all(axis=1)
    cost = ((load + bought - delivered) * np.array(price) + wear * delivered).sum(axis=1) / 1000
    return float(cost[feasible].min())


def lp_cost(load_wh: list[float], price: list[float], bank: BankSpec, **kwargs: float) -> float:
    load_w = np.array(load_wh) / STEP_H
    result = solve_optimum(load_w=load_w, price_eur_kwh=np.array(price), bank=bank, **kwargs)
    return float(np.dot(price, load_wh) / 1000.0 + result.objective_eur)


def test_lp_equals_brute_force_on_a_tiny_instance() -> None:
    load = [400.0, 800.0, 1200.0, 400.0]
    price = [0.10, 0.50, 0.60, 0.12]
    for wear in (0.0, 0.02, 0.2):
        exact = brute_force(load, price, BANK, contract_w=1e6, wear=wear)
        assert lp_cost(load, price, BANK, contract_w=1e6, wear_eur_kwh=wear) == pytest.approx(
            exact, abs=1e-7
        )


def test_lp_respects_the_contract_power() -> None:
    load = [1500.0, 800.0, 1200.0, 400.0]
    price = [0.10, 0.50, 0.60, 0.12]
    # 4 kW contract: 500 Wh of room in the first step, i.e. 400 Wh stored.
    exact = brute_force(load, price, BANK, contract_w=4000.0, wear=0.0)
    assert lp_cost(load, price, BANK, contract_w=4000.0, wear_eur_kwh=0.0) == pytest.approx(
        exact, abs=1e-7
    )
    free = lp_cost(load, price, BANK, contract_w=1e6, wear_eur_kwh=0.0)
    assert free < exact  # the constraint binds


def test_lp_is_never_worse_than_any_enumerated_schedule() -> None:
    rng = random.Random(7)
    bank = BankSpec(
        count=2,
        capacity_wh=1000.0,
        min_soc_pct=10.0,
        max_charge_w=1200.0,
        max_discharge_w=1000.0,
        charge_efficiency=0.93,
        discharge_efficiency=0.91,
    )
    for _ in range(4):
        load = [rng.choice([200.0, 700.0, 1300.0]) for _ in range(4)]
        price = [rng.choice([0.13, 0.16, 0.19, 0.70]) for _ in range(4)]
        wear = rng.choice([0.0, 0.03])
        lp = lp_cost(load, price, bank, contract_w=3000.0, wear_eur_kwh=wear)
        grid = brute_force(load, price, bank, contract_w=3000.0, wear=wear, grid_wh=100.0)
        assert lp <= grid + 1e-9
        assert grid - lp < 0.05  # the 100 Wh grid is coarse, but not that coarse


def test_solution_obeys_the_bank_physics() -> None:
    rng = np.random.default_rng(3)
    load_w = rng.uniform(200, 3000, 96)
    price = np.where(np.arange(96) % 48 < 16, 0.13, 0.70)
    bank = BankSpec()
    result = solve_optimum(
        load_w=load_w, price_eur_kwh=price, bank=bank, contract_w=6000.0, wear_eur_kwh=0.02
    )
    stored = bank.count * bank.floor_wh / 1000.0 + np.cumsum(
        result.charge_kwh * bank.charge_efficiency
        - result.discharge_kwh / bank.discharge_efficiency
    )
    assert np.allclose(stored, result.stored_kwh, atol=1e-6)
    assert (result.stored_kwh <= 15.36 + 1e-6).all()
    assert (result.stored_kwh >= 15.36 * 0.12 - 1e-6).all()
    assert (result.discharge_kwh <= load_w * STEP_H / 1000.0 + 1e-6).all()
    assert (load_w * STEP_H / 1000.0 + result.charge_kwh <= 3.0 + 1e-6).all()
    assert (np.minimum(result.charge_kwh, result.discharge_kwh) < 1e-6).all()


def test_missing_scipy_gives_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "scipy", None)
    monkeypatch.setitem(sys.modules, "scipy.optimize", None)
    with pytest.raises(OptimumUnavailableError, match="SciPy"):
        solve_optimum(
            load_w=np.ones(4), price_eur_kwh=np.ones(4), bank=BANK, contract_w=1e4, wear_eur_kwh=0.0
        )
