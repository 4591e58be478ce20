"""The perfect-foresight optimum: a linear programme solved exactly with SciPy's HiGHS.

It knows every colour and every half-hour of load in advance, and picks the bank's charge and
discharge for each step to minimise energy bought + wear. Variables per step ``t`` (kWh):
``c_t`` bought to charge, ``d_t`` delivered to the house, ``s_t`` stored at the end of the step:

    minimise   Σ p_t (c_t − d_t) + wear × d_t − terminal × s_T
    subject to s_t = s_{t−1} + ηc c_t − d_t / ηd,   floor ≤ s_t ≤ capacity,
               0 ≤ c_t ≤ dt × min(P_charge, max(contract − load_t, 0)),
               0 ≤ d_t ≤ dt × min(P_discharge, load_t)          (nothing is exported).

Charging and discharging in the same step never pays (it only loses energy), so bounding
``c_t`` by the contract headroom alone is exact. Identical units are pooled into one bank; the
constraint matrix is sparse (3 non-zeros per row), so a season (17,520 steps) solves in seconds.
SciPy is optional (extra ``backtest``): it is imported here only, when the optimum is asked for.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from .data import STEP_H, BacktestError, FloatArray
from .physics import BankSpec


class OptimumUnavailableError(BacktestError):
    """SciPy is not installed, so the LP optimum cannot be computed."""

    code = "scipy_missing"


@dataclass(frozen=True, slots=True, kw_only=True)
class OptimumResult:
    """The optimal schedule: per step, kWh bought to charge, delivered, and stored at the end."""

    charge_kwh: FloatArray
    discharge_kwh: FloatArray
    stored_kwh: FloatArray
    objective_eur: float


def _scipy() -> tuple[Any, Any]:
    try:
        from scipy import sparse
        from scipy.optimize import linprog
    except ImportError as err:
        raise OptimumUnavailableError(
            "the optimum needs SciPy: pip install 'marstek-automation[backtest]' (or scipy)"
        ) from err
    return sparse, linprog


def solve_optimum(
    *,
    load_w: FloatArray,
    price_eur_kwh: FloatArray,
    bank: BankSpec,
    contract_w: float,
    wear_eur_kwh: float,
    terminal_eur_kwh: float = 0.0,
    step_h: float = STEP_H,
) -> OptimumResult:
    """Return the cheapest schedule for the whole series (``load_w`` and prices per step).

    ``terminal_eur_kwh`` credits each stored kWh left at the end (so ending full is not a loss).
    """
    sparse, linprog = _scipy()
    steps = len(load_w)
    eta_c, eta_d = bank.charge_efficiency, bank.discharge_efficiency
    capacity = bank.count * bank.capacity_wh / 1000.0
    floor = bank.count * bank.floor_wh / 1000.0
    start_pct = bank.min_soc_pct if bank.start_soc_pct is None else bank.start_soc_pct
    stored0 = capacity * start_pct / 100.0
    load_kwh = np.asarray(load_w, dtype=float) * step_h / 1000.0
    headroom_kwh = np.maximum(contract_w * step_h / 1000.0 - load_kwh, 0.0)
    charge_max = np.minimum(bank.count * bank.max_charge_w * step_h / 1000.0, headroom_kwh)
    discharge_max = np.minimum(bank.count * bank.max_discharge_w * step_h / 1000.0, load_kwh)

    index = np.arange(steps)
    rows = np.concatenate([index, index, index, index[1:]])
    cols = np.concatenate([index, steps + index, 2 * steps + index, 2 * steps + index[:-1]])
    values = np.concatenate(
        [np.full(steps, -eta_c), np.full(steps, 1.0 / eta_d), np.ones(steps), -np.ones(steps - 1)]
    )
    a_eq = sparse.csr_array((values, (rows, cols)), shape=(steps, 3 * steps))
    b_eq = np.zeros(steps)
    b_eq[0] = stored0
    price = np.asarray(price_eur_kwh, dtype=float)
    cost = np.concatenate([price, wear_eur_kwh - price, np.zeros(steps)])
    cost[-1] = -terminal_eur_kwh
    lower = np.concatenate([np.zeros(2 * steps), np.full(steps, floor)])
    upper = np.concatenate([charge_max, discharge_max, np.full(steps, capacity)])
    result = linprog(
        cost,
        A_eq=a_eq,
        b_eq=b_eq,
        bounds=np.column_stack([lower, upper]),
        method="highs",
    )
    if result.status != 0:
        raise BacktestError(f"the optimum could not be computed: {result.message}")
    solution = np.asarray(result.x)
    return OptimumResult(
        charge_kwh=solution[:steps],
        discharge_kwh=solution[steps : 2 * steps],
        stored_kwh=solution[2 * steps :],
        objective_eur=float(result.fun),
    )
