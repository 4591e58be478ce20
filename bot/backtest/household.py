"""The backtest on the household's own stored history (what the chat's "compare" button runs).

The database is read once, in the event loop (:func:`read_history`); everything after that is
pure and CPU-bound and runs in a worker thread (:func:`run_household`). The window is the latest
run of consecutive complete Tempo days, among the last ``days``, that each have a stored colour,
a price row and a meter reading for at least half of their half-hours. The house load is the
bot's own reconstruction, :func:`bot.execution.inputs.house_load_history` (meter + what the
batteries delivered), and every step is priced with the row in force on its date.
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from statistics import fmean
from zoneinfo import ZoneInfo

import numpy as np

from bot.execution.inputs import battery_state, house_load_history, strategy_settings
from bot.services import Services
from bot.settings import Settings
from bot.storage import Storage
from bot.storage.models import SampleBucket
from bot.tempo.calendar import PARIS, tempo_day_at, tempo_day_bounds
from bot.tempo.model import TempoColor
from bot.tempo.prices import PriceTable
from bot.tempo.seasons import Season

from .data import STEP, STEP_H, WARMUP_DAYS, BacktestError, HistorySource, SeasonData, lay_grid
from .physics import BankSpec
from .runner import BacktestOptions, BacktestReport, compare

DEFAULT_DAYS = 30
MIN_DAYS = 3
MIN_METERED = 0.5
"""A day counts when at least this share of its half-hours has a meter reading."""
BUCKET_S = round(STEP.total_seconds())
ONE_DAY = timedelta(days=1)


class HistoryTooShortError(BacktestError):
    """Not enough stored history for a comparison (``code`` says what is missing)."""

    def __init__(self, code: str, *, found_days: int, needed_days: int) -> None:
        messages = {
            "no_history": "no battery history is stored yet",
            "no_meter": "the stored history has no meter readings (house load unknown)",
            "too_short": "too little stored history",
        }
        super().__init__(
            f"{messages.get(code, code)}: {found_days} complete day(s) with a colour and "
            f"meter readings, {needed_days} needed"
        )
        self.code = code
        self.found_days = found_days
        self.needed_days = needed_days


@dataclass(frozen=True, slots=True, kw_only=True)
class StoredHistory:
    """What the database holds for a run: half-hour buckets per battery and Tempo colours."""

    days: tuple[date, ...]
    """The candidate complete Tempo days, oldest first."""
    start: datetime
    """Start of the read range (a warm-up week before the first candidate day), UTC."""
    per_battery: tuple[tuple[SampleBucket, ...], ...]
    """30-min buckets of every battery with samples in the range (removed ones included)."""
    colors: Mapping[date, TempoColor]
    """Stored colours from a week before the season of the first candidate through today."""
    tz: ZoneInfo


async def read_history(
    storage: Storage, *, now: datetime, days: int = DEFAULT_DAYS, tz: ZoneInfo = PARIS
) -> StoredHistory:
    """Read the last ``days`` complete Tempo days before ``now`` and a week before them."""
    if days < 1:
        raise ValueError("days must be at least 1")
    today = tempo_day_at(now, tz)
    first = today - ONE_DAY * days
    start = tempo_day_bounds(first, tz)[0] - ONE_DAY * WARMUP_DAYS
    end = tempo_day_bounds(today, tz)[0]
    per_battery = []
    for battery in await storage.batteries.list_all():
        buckets = await storage.samples.bucketed(battery.id, start, end, BUCKET_S)
        if buckets:
            per_battery.append(tuple(buckets))
    # The planner counts the season's colours so far (red/white days left): read them all.
    since = Season.of(first).first_day - ONE_DAY * WARMUP_DAYS
    records = await storage.tempo_days.get_days(since, today)
    return StoredHistory(
        days=tuple(first + ONE_DAY * offset for offset in range(days)),
        start=start,
        per_battery=tuple(per_battery),
        colors={r.day: r.color for r in records if r.color is not None},
        tz=tz,
    )


def _metered(history: StoredHistory) -> set[datetime]:
    """Starts of the half-hours where some battery had a meter reading."""
    return {
        bucket.start
        for buckets in history.per_battery
        for bucket in buckets
        if bucket.grid_import_wh is not None or bucket.grid_export_wh is not None
    }


def _day_ok(day: date, history: StoredHistory, metered: set[datetime], prices: PriceTable) -> bool:
    if day not in history.colors or prices.in_force(day) is None:
        return False
    start, end = tempo_day_bounds(day, history.tz)
    steps = round((end - start) / STEP)
    seen = sum(1 for index in range(steps) if start + STEP * index in metered)
    return seen >= MIN_METERED * steps


def _runs(days: Sequence[date], ok: Sequence[bool]) -> list[list[date]]:
    """Maximal runs of consecutive good days, oldest first."""
    runs: list[list[date]] = []
    current: list[date] = []
    for day, good in zip(days, ok, strict=True):
        if good:
            current.append(day)
        elif current:
            runs.append(current)
            current = []
    if current:
        runs.append(current)
    return runs


def choose_window(
    history: StoredHistory, prices: PriceTable, *, min_days: int = MIN_DAYS
) -> tuple[date, date]:
    """Return the latest run of at least ``min_days`` good days (else HistoryTooShortError)."""
    metered = _metered(history)
    runs = _runs(history.days, [_day_ok(d, history, metered, prices) for d in history.days])
    longest = max((len(run) for run in runs), default=0)
    chosen = next((run for run in reversed(runs) if len(run) >= min_days), None)
    if chosen is None:
        code = "too_short"
        if not history.per_battery:
            code = "no_history"
        elif not metered:
            code = "no_meter"
        raise HistoryTooShortError(code, found_days=longest, needed_days=min_days)
    return chosen[0], chosen[-1]


def household_season(
    history: StoredHistory, prices: PriceTable, *, min_days: int = MIN_DAYS
) -> SeasonData:
    """Lay the chosen window on the 30-min grid with the stored load, colours and real prices."""
    first, last = choose_window(history, prices, min_days=min_days)
    tz = history.tz
    start, end = tempo_day_bounds(first, tz)[0], tempo_day_bounds(last, tz)[1]
    steps = round((end - start) / STEP)
    metered = _metered(history)
    # Warm-up: from the first stored meter reading of the week before (the forecast copes with
    # less than a week).
    earliest = max(history.start, start - ONE_DAY * WARMUP_DAYS)
    before = [instant for instant in metered if earliest <= instant < start]
    warm_start = min(before, default=start)
    warmup = round((start - warm_start) / STEP)
    load = house_load_history(history.per_battery, start=warm_start, steps=warmup + steps)
    load_w = np.asarray(load, dtype=float)
    window_metered = sum(1 for instant in metered if start <= instant < end)
    days = (last - first).days + 1
    in_force = [prices.in_force(first + ONE_DAY * offset) for offset in range(days + 1)]
    rows = [row for row in in_force if row is not None]
    return lay_grid(
        Season.of(first),
        first=first,
        last=last,
        colors=history.colors,
        table=prices,
        price_row=rows[-1],
        load_w=load_w,
        warmup=warmup,
        annual_kwh=float(load_w[warmup:].sum() * STEP_H / 1000.0 * 365.0 / days),
        tz=tz,
        history=HistorySource(
            batteries=len(history.per_battery),
            metered_pct=window_metered / steps * 100.0,
            price_dates=tuple(sorted({row.effective_from for row in rows})),
        ),
    )


def household_options(settings: Settings, bank: BankSpec, season: str) -> BacktestOptions:
    """The options of a household run: the chat-editable settings in force and the bank."""
    return BacktestOptions(
        season=season,
        contract_kva=settings.contract_power_kva,
        wear_eur_kwh=settings.wear_cost_eur_kwh,
        bank=bank,
        strategy=strategy_settings(settings),
    )


def fleet_bank(svc: Services, now: datetime) -> BankSpec:
    """The watched batteries as one bank of identical units (the planner's view, averaged)."""
    states = []
    for snap in svc.fleet.snapshots():
        try:
            floor: float | None = svc.fleet.client(snap.name).soc_floor_pct
        except KeyError:
            floor = None
        states.append(battery_state(snap, floor, now))
    if not states:
        return BankSpec()
    return BankSpec(
        count=len(states),
        capacity_wh=fmean(s.capacity_wh for s in states),
        min_soc_pct=fmean(s.min_soc_pct for s in states),
        max_charge_w=fmean(s.max_charge_w for s in states),
        max_discharge_w=fmean(s.max_discharge_w for s in states),
    )


def run_household(
    history: StoredHistory, prices: PriceTable, options: BacktestOptions, *, min_days: int
) -> BacktestReport:
    """Build the grid and run every strategy (CPU-bound: call it in a worker thread)."""
    return compare(household_season(history, prices, min_days=min_days), options)


async def household_backtest(
    svc: Services, *, days: int = DEFAULT_DAYS, min_days: int = MIN_DAYS
) -> BacktestReport:
    """Compare the strategies on the household's last ``days`` stored days (off the loop)."""
    now = svc.clock.now()
    settings = svc.settings
    history = await read_history(svc.storage, now=now, days=days, tz=settings.tz)
    options = household_options(settings, fleet_bank(svc, now), Season.of(history.days[0]).label)
    return await asyncio.to_thread(run_household, history, svc.prices, options, min_days=min_days)
