"""The backtest's inputs on a 30-min grid: a Tempo season, its colours, prices and house load."""

from __future__ import annotations

import csv
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta
from importlib.resources import files
from pathlib import Path
from zoneinfo import ZoneInfo

import numpy as np
import numpy.typing as npt

from bot.tempo.calendar import PARIS, tempo_day_bounds
from bot.tempo.model import TariffPeriod, TempoColor
from bot.tempo.prices import PriceTable, TempoPrices, priced_slices
from bot.tempo.seasons import Season

STEP = timedelta(minutes=30)
STEP_H = 0.5
WARMUP_DAYS = 7
FloatArray = npt.NDArray[np.float64]
LoadKey = tuple[int, int, int, int, int]


class BacktestError(Exception):
    """The backtest cannot run as asked; the message is one sentence for the user.

    ``code`` names the reason for callers that word it themselves (the chat translates it).
    """

    code: str = "error"


@dataclass(frozen=True, slots=True, kw_only=True)
class LoadProfile:
    """A measured year of half-hour mean power, keyed by local (month, day, hour, minute, repeat).

    ``repeat`` is 1 for the second 02:00/02:30 of an October DST night, else 0.
    """

    power_w: Mapping[LoadKey, float]
    annual_kwh: float
    origin: str


def shipped_load_path() -> Path:
    """Return the path of the household load curve shipped with the package."""
    return Path(str(files("bot.backtest").joinpath("data/load_profile_res.csv")))


def load_profile(path: Path | None = None) -> LoadProfile:
    """Read a ``timestamp,power_kw`` CSV (interval starts with UTC offsets) into a profile."""
    source = path or shipped_load_path()
    try:
        text = source.read_text(encoding="utf-8")
    except OSError as err:
        raise BacktestError(f"cannot read the load curve {source}: {err.strerror}") from err
    power: dict[LoadKey, float] = {}
    total_wh = 0.0
    for number, row in enumerate(csv.DictReader(text.splitlines()), start=2):
        try:
            stamp = datetime.fromisoformat(row["timestamp"])
            watts = float(row["power_kw"]) * 1000.0
        except (KeyError, TypeError, ValueError) as err:
            raise BacktestError(f"{source.name} row {number}: unreadable ({err})") from err
        key = (stamp.month, stamp.day, stamp.hour, stamp.minute, 0)
        if key in power:
            key = (*key[:4], 1)
        power[key] = watts
        total_wh += watts * STEP_H
    if not power:
        raise BacktestError(f"{source.name}: no load rows")
    return LoadProfile(power_w=power, annual_kwh=total_wh / 1000.0, origin=source.name)


def _profile_w(profile: LoadProfile, local: datetime, repeat: int, previous: float) -> float:
    day = 28 if (local.month, local.day) == (2, 29) else local.day
    key = (local.month, day, local.hour, local.minute, repeat)
    value = profile.power_w.get(key)
    if value is None:
        value = profile.power_w.get((*key[:4], 0))
    # A spring-forward hour missing from the file but present in the simulated year: carry on.
    return previous if value is None else value


def fixed_prices(table: PriceTable, effective: date | None) -> tuple[TempoPrices, PriceTable]:
    """Return the row in force on ``effective`` (default: the latest) as a table valid forever."""
    if not len(table):
        raise BacktestError("the price table is empty")
    row = table.rows[-1] if effective is None else table.in_force(effective)
    if row is None:
        raise BacktestError(f"no Tempo price row is in force on {effective}")
    return row, PriceTable([replace(row, effective_from=date(1970, 1, 1))])


@dataclass(frozen=True, slots=True, kw_only=True)
class HistorySource:
    """Where a run on the household's own stored history took its data (absent: shipped data)."""

    batteries: int
    """Batteries whose stored samples made the house load."""
    metered_pct: float
    """Share of the simulated half-hours that had a meter reading (the rest take the mean)."""
    price_dates: tuple[date, ...]
    """Effective dates of the price rows in force over the window, oldest first."""


@dataclass(frozen=True, slots=True, kw_only=True)
class SeasonData:
    """Everything the strategies may see, on one 30-min grid.

    Step ``i`` (0 ≤ i < ``steps``) starts at ``start + i × 30 min``; ``load_w`` also holds the
    ``warmup`` steps before ``start`` (history for the forecast), so step ``i``'s load is
    ``load_w[warmup + i]``. ``colors`` are the true colours (each strategy decides what it may
    know when).
    """

    season: Season
    start: datetime
    steps: int
    warmup: int
    load_w: FloatArray
    price: FloatArray
    offpeak: npt.NDArray[np.bool_]
    tempo_day: tuple[date, ...]
    colors: Mapping[date, TempoColor]
    prices: PriceTable
    price_row: TempoPrices
    annual_kwh: float
    first_day: date
    last_day: date
    tz: ZoneInfo
    history: HistorySource | None = None
    """Set when the data is the household's own stored history."""

    def instant(self, index: int) -> datetime:
        """Return the start of step ``index``."""
        return self.start + STEP * index

    def season_load(self) -> FloatArray:
        """Return the house load of the simulated steps (W)."""
        return self.load_w[self.warmup :]


def _grid_load(
    profile: LoadProfile, first: datetime, count: int, scale: float, tz: ZoneInfo
) -> FloatArray:
    values = np.empty(count)
    previous = 0.0
    seen: set[tuple[int, int, int, int]] = set()
    for index in range(count):
        local = (first + STEP * index).astimezone(tz)
        wall = (local.month, local.day, local.hour, local.minute)
        repeat = 1 if wall in seen else 0
        seen.add(wall)
        previous = _profile_w(profile, local, repeat, previous)
        values[index] = previous * scale
    return values


def lay_grid(
    season: Season,
    *,
    first: date,
    last: date,
    colors: Mapping[date, TempoColor],
    table: PriceTable,
    price_row: TempoPrices,
    load_w: FloatArray,
    warmup: int,
    annual_kwh: float,
    tz: ZoneInfo = PARIS,
    history: HistorySource | None = None,
) -> SeasonData:
    """Lay Tempo days ``first`` → ``last`` on a 30-min grid around a ready load array.

    ``load_w`` holds ``warmup`` steps before 06:00 on ``first``, then every simulated step. Each
    step is priced with its Tempo day's colour and the row of ``table`` in force on its local
    date (rows change at local midnight, a step boundary). ``price_row`` is the row the report
    shows and the end-of-period credit uses.
    """
    start = tempo_day_bounds(first, tz)[0]
    end = tempo_day_bounds(last, tz)[1]
    steps = round((end - start) / STEP)
    if len(load_w) != warmup + steps:
        raise ValueError(f"load has {len(load_w)} steps, expected {warmup} + {steps}")
    price = np.empty(steps)
    offpeak = np.zeros(steps, dtype=bool)
    tempo_days: list[date] = [first] * steps
    for piece in priced_slices(start, end, colors, table, tz):
        if piece.price_eur_per_kwh is None:
            raise BacktestError(f"no Tempo colour or price for {piece.tempo_day}")
        lo, hi = round((piece.start - start) / STEP), round((piece.end - start) / STEP)
        price[lo:hi] = piece.price_eur_per_kwh
        offpeak[lo:hi] = piece.period is TariffPeriod.HC
        tempo_days[lo:hi] = [piece.tempo_day] * (hi - lo)
    return SeasonData(
        season=season,
        start=start.astimezone(UTC),
        steps=steps,
        warmup=warmup,
        load_w=load_w,
        price=price,
        offpeak=offpeak,
        tempo_day=tuple(tempo_days),
        colors=dict(colors),
        prices=table,
        price_row=price_row,
        annual_kwh=annual_kwh,
        first_day=first,
        last_day=last,
        tz=tz,
        history=history,
    )


def build_season(
    season: Season,
    *,
    colors: Mapping[date, TempoColor],
    table: PriceTable,
    profile: LoadProfile,
    annual_kwh: float | None = None,
    price_date: date | None = None,
    first_day: date | None = None,
    days: int | None = None,
    tz: ZoneInfo = PARIS,
) -> SeasonData:
    """Lay ``season`` on a 30-min grid (06:00 on 1 Sep → the last day with a known colour).

    The load comes from ``profile`` and every step is priced with ONE row of ``table`` (see
    :func:`fixed_prices`). ``first_day`` and ``days`` narrow the window to part of the season.
    """
    first = season.first_day if first_day is None else first_day
    if not season.contains(first) or first not in colors:
        raise BacktestError(f"no Tempo colours for {first} in season {season.label}")
    stop = season.last_day if days is None else min(season.last_day, first + timedelta(days - 1))
    last = first
    while last + timedelta(days=1) in colors and last < stop:
        last += timedelta(days=1)
    start = tempo_day_bounds(first, tz)[0]
    end = tempo_day_bounds(last, tz)[1]
    steps = round((end - start) / STEP)
    warmup = WARMUP_DAYS * 48
    scale = 1.0 if annual_kwh is None else annual_kwh / profile.annual_kwh
    load = _grid_load(profile, start - STEP * warmup, warmup + steps, scale, tz)
    row, fixed = fixed_prices(table, price_date)
    return lay_grid(
        season,
        first=first,
        last=last,
        colors=colors,
        table=fixed,
        price_row=row,
        load_w=load,
        warmup=warmup,
        annual_kwh=profile.annual_kwh * scale,
        tz=tz,
    )
