"""Run every strategy over one season and measure them on the same objective.

Objective: money spent on electricity (energy part; the subscription is the same for all) plus
wear (``wear_eur_kwh`` × kWh delivered by the batteries).
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import numpy as np
import numpy.typing as npt

from bot.planning import StrategySettings
from bot.tempo.history import load_history
from bot.tempo.model import TariffPeriod, TempoColor
from bot.tempo.prices import TempoPrices, load_price_table
from bot.tempo.seasons import Season

from .data import (
    STEP_H,
    BacktestError,
    FloatArray,
    HistorySource,
    SeasonData,
    build_season,
    load_profile,
)
from .optimum import solve_optimum
from .physics import Bank, BankSpec
from .strategies import (
    PlannerPolicy,
    Policy,
    StrategyKey,
    nightly_policy,
    red_only_policy,
)

ALL_STRATEGIES = tuple(StrategyKey)


@dataclass(frozen=True, slots=True, kw_only=True)
class BacktestOptions:
    """What to simulate; ``None`` = shipped data, the file's own consumption, latest prices."""

    season: str = "2022-2023"
    annual_kwh: float | None = None
    contract_kva: float = 9.0
    wear_eur_kwh: float = 0.0
    bank: BankSpec = field(default_factory=BankSpec)
    strategy: StrategySettings | None = None
    """Planner settings; ``None`` = defaults with this run's wear cost."""
    price_date: date | None = None
    prices_file: Path | None = None
    load_file: Path | None = None
    history_file: Path | None = None
    strategies: tuple[StrategyKey, ...] = ALL_STRATEGIES
    first_day: date | None = None
    """Start the simulation on this day of the season instead of 1 September."""
    days: int | None = None
    """Simulate only this many days."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Trace:
    """Per-step outcome of one strategy: grid import (W), battery AC energies (Wh), cut steps."""

    grid_w: FloatArray
    charged_wh: FloatArray
    discharged_wh: FloatArray
    clipped: npt.NDArray[np.bool_]
    stored_change_wh: float = 0.0
    """Stored energy at the end minus at the start (the whole bank)."""


@dataclass(frozen=True, slots=True, kw_only=True)
class StrategyResult:
    """One row of the report."""

    key: StrategyKey
    energy_cost_eur: float
    wear_cost_eur: float
    left_over_credit_eur: float
    """Energy left in the bank at the end, valued at what storing it again would cost."""
    saved_eur: float
    share_of_optimum_pct: float | None
    cycled_kwh: float
    peak_grid_w: float
    clipped_steps: int
    daily_saved_eur: tuple[float, ...]
    """Cumulative savings vs no battery at the end of each Tempo day of the season."""
    runtime_s: float

    @property
    def total_cost_eur(self) -> float:
        """Return energy + wear − the left-over credit."""
        return self.energy_cost_eur + self.wear_cost_eur - self.left_over_credit_eur


@dataclass(frozen=True, slots=True, kw_only=True)
class BacktestReport:
    """Everything :func:`format_report` and :func:`render_chart` show."""

    options: BacktestOptions
    season: Season
    first_day: date
    last_day: date
    days: tuple[date, ...]
    annual_kwh: float
    price_row: TempoPrices
    results: tuple[StrategyResult, ...]
    optimum_missing: str | None = None
    """Why the optimum row is absent (SciPy missing), if it is."""
    optimum_missing_code: str | None = None
    """The :attr:`BacktestError.code` of that reason (``scipy_missing`` …)."""
    consumed_kwh: float = 0.0
    """House consumption over the simulated days."""
    history: HistorySource | None = None
    """Set when the run used the household's own stored history."""

    def result(self, key: StrategyKey) -> StrategyResult | None:
        """Return the row of ``key`` if it was run."""
        return next((row for row in self.results if row.key is key), None)


def simulate(
    data: SeasonData, spec: BankSpec, policy: Policy, *, contract_w: float, steps: int | None = None
) -> Trace:
    """Run ``policy`` over the season (or its first ``steps``) with the bank physics."""
    count = data.steps if steps is None else min(steps, data.steps)
    bank = Bank(spec)
    load = data.season_load()
    grid, charged, discharged = np.zeros(count), np.zeros(count), np.zeros(count)
    clipped = np.zeros(count, dtype=bool)
    start_wh = sum(bank.energy_wh)
    for index in range(count):
        outcome = bank.step(policy(index, bank), float(load[index]), contract_w)
        grid[index] = outcome.grid_w
        charged[index] = outcome.charged_wh
        discharged[index] = outcome.discharged_wh
        clipped[index] = outcome.clipped
    return Trace(
        grid_w=grid,
        charged_wh=charged,
        discharged_wh=discharged,
        clipped=clipped,
        stored_change_wh=sum(bank.energy_wh) - start_wh,
    )


def terminal_value_eur_kwh(data: SeasonData, spec: BankSpec) -> float:
    """Return the value of a stored kWh left at the end: its cost in the cheapest off-peak hour."""
    row = data.price_row
    cheapest = min(row.price_eur_per_kwh(color, TariffPeriod.HC) for color in TempoColor)
    return cheapest / spec.charge_efficiency


def _no_battery(data: SeasonData) -> Trace:
    load = data.season_load().copy()
    zeros = np.zeros(data.steps)
    return Trace(
        grid_w=load, charged_wh=zeros, discharged_wh=zeros, clipped=np.zeros(data.steps, dtype=bool)
    )


def _optimum(data: SeasonData, options: BacktestOptions, contract_w: float) -> Trace:
    solution = solve_optimum(
        load_w=data.season_load(),
        price_eur_kwh=data.price,
        bank=options.bank,
        contract_w=contract_w,
        wear_eur_kwh=options.wear_eur_kwh,
        terminal_eur_kwh=terminal_value_eur_kwh(data, options.bank),
    )
    start_wh = sum(Bank(options.bank).energy_wh)
    charged = solution.charge_kwh * 1000.0
    discharged = solution.discharge_kwh * 1000.0
    grid = np.maximum(data.season_load() * STEP_H - discharged + charged, 0.0) / STEP_H
    return Trace(
        grid_w=grid,
        charged_wh=charged,
        discharged_wh=discharged,
        clipped=np.zeros(data.steps, dtype=bool),
        stored_change_wh=float(solution.stored_kwh[-1] * 1000.0 - start_wh),
    )


def _daily_cost(data: SeasonData, step_cost: FloatArray, days: tuple[date, ...]) -> FloatArray:
    index = {day: position for position, day in enumerate(days)}
    per_day = np.zeros(len(days))
    np.add.at(per_day, [index[day] for day in data.tempo_day], step_cost)
    return per_day


def run_trace(
    key: StrategyKey, data: SeasonData, options: BacktestOptions, *, steps: int | None = None
) -> Trace:
    """Return the per-step trace of one strategy (``steps`` limits the simulated part)."""
    contract_w = options.contract_kva * 1000.0
    if key is StrategyKey.NO_BATTERY:
        return _no_battery(data)
    if key is StrategyKey.OPTIMUM:
        return _optimum(data, options, contract_w)
    if key is StrategyKey.NIGHTLY:
        policy = nightly_policy(data, options.bank)
    elif key is StrategyKey.RED_ONLY:
        policy = red_only_policy(data, options.bank)
    else:
        settings = options.strategy or StrategySettings(wear_cost_eur_kwh=options.wear_eur_kwh)
        policy = PlannerPolicy(data, options.bank, contract_w=contract_w, settings=settings)
    return simulate(data, options.bank, policy, contract_w=contract_w, steps=steps)


def load_season(options: BacktestOptions) -> SeasonData:
    """Build the season's grid from the options' data files (shipped ones by default)."""
    try:
        season = Season.parse(options.season)
    except ValueError as err:
        raise BacktestError(str(err)) from err
    return build_season(
        season,
        colors=load_history(options.history_file),
        table=load_price_table(options.prices_file),
        profile=load_profile(options.load_file),
        annual_kwh=options.annual_kwh,
        price_date=options.price_date,
        first_day=options.first_day,
        days=options.days,
    )


def run_backtest(options: BacktestOptions) -> BacktestReport:
    """Run the chosen strategies over the season and compare them (see ``docs/backtest.md``)."""
    return compare(load_season(options), options)


def compare(data: SeasonData, options: BacktestOptions) -> BacktestReport:
    """Run the chosen strategies over ready grid data (``options.season`` and files unused)."""
    days = tuple(sorted(set(data.tempo_day)))
    wear = options.wear_eur_kwh
    terminal = terminal_value_eur_kwh(data, options.bank)
    reference = data.season_load() * STEP_H / 1000.0 * data.price
    reference_daily = _daily_cost(data, reference, days)
    keys = [
        StrategyKey.NO_BATTERY,
        *(k for k in options.strategies if k is not StrategyKey.NO_BATTERY),
    ]
    traces: dict[StrategyKey, tuple[Trace, float]] = {}
    missing: str | None = None
    missing_code: str | None = None
    for key in keys:
        started = time.perf_counter()
        try:
            trace = run_trace(key, data, options)
        except BacktestError as err:
            if key is not StrategyKey.OPTIMUM:
                raise
            missing, missing_code = str(err), err.code
            continue
        traces[key] = (trace, time.perf_counter() - started)
    saved_by_key: dict[StrategyKey, float] = {}
    rows = []
    for key, (trace, runtime) in traces.items():
        step_cost = (
            trace.grid_w * STEP_H / 1000.0 * data.price + wear * trace.discharged_wh / 1000.0
        )
        saved_daily = np.cumsum(reference_daily - _daily_cost(data, step_cost, days))
        saved_daily[-1] += terminal * trace.stored_change_wh / 1000.0
        saved_by_key[key] = float(saved_daily[-1])
        rows.append((key, trace, runtime, saved_daily))
    best = saved_by_key.get(StrategyKey.OPTIMUM)
    results = tuple(
        StrategyResult(
            key=key,
            energy_cost_eur=float((trace.grid_w * STEP_H / 1000.0 * data.price).sum()),
            wear_cost_eur=float(wear * trace.discharged_wh.sum() / 1000.0),
            left_over_credit_eur=terminal * trace.stored_change_wh / 1000.0,
            saved_eur=saved_by_key[key],
            share_of_optimum_pct=(
                saved_by_key[key] / best * 100.0 if best is not None and best > 0 else None
            ),
            cycled_kwh=float(trace.discharged_wh.sum() / 1000.0),
            peak_grid_w=float(trace.grid_w.max()),
            clipped_steps=int(trace.clipped.sum()),
            daily_saved_eur=tuple(float(value) for value in saved_daily),
            runtime_s=runtime,
        )
        for key, trace, runtime, saved_daily in rows
    )
    return BacktestReport(
        options=options,
        season=data.season,
        first_day=data.first_day,
        last_day=data.last_day,
        days=days,
        annual_kwh=data.annual_kwh,
        price_row=data.price_row,
        results=results,
        optimum_missing=missing,
        optimum_missing_code=missing_code,
        consumed_kwh=float(data.season_load().sum() * STEP_H / 1000.0),
        history=data.history,
    )
