"""Pure savings accounting: one Tempo day's energy per battery and tariff period, valued in €.

Energy comes from :class:`~bot.storage.models.SampleBucket` s (the database integrates power over
time with a maximum gap, so an outage adds nothing and lifetime counters, which glitch, are never
read). A bucket's energy is spread over the tariff slices it overlaps in proportion to time; with
the 15-minute epoch-aligned buckets the storage serves, every bucket lies inside one slice because
Europe/Paris offsets are whole hours.

Sign convention: energy *discharged* went to the house and is valued at the price of the moment it
was delivered; energy *charged* was bought at the price of its moment. Savings = value − cost.
Energy in a slice whose colour or price is unknown is counted in ``unpriced_wh`` and in no €.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from bot.storage.models import SampleBucket
from bot.tempo.calendar import PARIS, tempo_day_bounds
from bot.tempo.model import TariffPeriod, TempoColor
from bot.tempo.prices import PricedSlice, PriceTable, priced_slices

WH_PER_KWH = 1000.0


@dataclass(frozen=True, slots=True, kw_only=True)
class PeriodEnergy:
    """One battery's energy in one tariff period (HP or HC) of one Tempo day, and its €."""

    period: TariffPeriod
    color: TempoColor | None
    charged_wh: float = 0.0
    discharged_wh: float = 0.0
    cost_eur: float = 0.0
    value_eur: float = 0.0
    unpriced_wh: float = 0.0

    @property
    def savings_eur(self) -> float:
        """Value delivered minus cost bought, in €."""
        return self.value_eur - self.cost_eur


@dataclass(frozen=True, slots=True, kw_only=True)
class BatteryDay:
    """One battery's Tempo day: HP then HC."""

    battery_id: int
    periods: tuple[PeriodEnergy, ...]

    @property
    def charged_wh(self) -> float:
        """Energy bought over the day."""
        return sum(p.charged_wh for p in self.periods)

    @property
    def discharged_wh(self) -> float:
        """Energy delivered to the house over the day."""
        return sum(p.discharged_wh for p in self.periods)

    @property
    def savings_eur(self) -> float:
        """The battery's savings over the day."""
        return sum(p.savings_eur for p in self.periods)


@dataclass(frozen=True, slots=True, kw_only=True)
class DaySavings:
    """Every battery's Tempo day ``day`` (06:00 → 06:00 local), with the day's totals."""

    day: date
    color: TempoColor | None
    batteries: tuple[BatteryDay, ...]
    charged_wh: float
    discharged_wh: float
    cost_eur: float
    value_eur: float
    unpriced_wh: float

    @property
    def savings_eur(self) -> float:
        """Value delivered minus cost bought, in €."""
        return self.value_eur - self.cost_eur


@dataclass(frozen=True, slots=True, kw_only=True)
class PeriodSavings:
    """Totals over Tempo days ``first`` … ``last`` (a month, a season, since installation)."""

    first: date
    last: date
    days: tuple[DaySavings, ...]
    charged_wh: float
    discharged_wh: float
    cost_eur: float
    value_eur: float
    unpriced_wh: float

    @property
    def savings_eur(self) -> float:
        """Value delivered minus cost bought, in €."""
        return self.value_eur - self.cost_eur


class _Accumulator:
    """Mutable sums for one battery and period while the buckets are read."""

    __slots__ = ("charged_wh", "cost_eur", "discharged_wh", "unpriced_wh", "value_eur")

    def __init__(self) -> None:
        self.charged_wh = self.discharged_wh = 0.0
        self.cost_eur = self.value_eur = self.unpriced_wh = 0.0

    def add(self, charged_wh: float, discharged_wh: float, price: float | None) -> None:
        self.charged_wh += charged_wh
        self.discharged_wh += discharged_wh
        if price is None:
            self.unpriced_wh += charged_wh + discharged_wh
        else:
            self.cost_eur += charged_wh / WH_PER_KWH * price
            self.value_eur += discharged_wh / WH_PER_KWH * price


def _overlap_s(start: datetime, end: datetime, piece: PricedSlice) -> float:
    return max(0.0, (min(end, piece.end) - max(start, piece.start)).total_seconds())


def _spread(
    bucket: SampleBucket, slices: Sequence[PricedSlice], sums: Mapping[TariffPeriod, _Accumulator]
) -> None:
    """Add one bucket to the periods it overlaps, pro rata of time (clipped to the day)."""
    end = _end_of(bucket)
    for piece in slices:
        share = _overlap_s(bucket.start, end, piece) / bucket.duration_s
        if share > 0.0:
            sums[piece.period].add(
                bucket.charged_wh * share, bucket.discharged_wh * share, piece.price_eur_per_kwh
            )


def account_day(
    buckets_by_battery: Mapping[int, Sequence[SampleBucket]],
    colors: Mapping[date, TempoColor],
    prices: PriceTable,
    day: date,
    tz: ZoneInfo = PARIS,
) -> DaySavings:
    """Account Tempo day ``day``: each battery's energy and € per period, and the day's totals.

    Buckets outside the day are ignored (only their part inside the day counts), so callers may
    pass a wider range.
    """
    start, end = tempo_day_bounds(day, tz)
    slices = list(priced_slices(start, end, colors, prices, tz))
    color = colors.get(day)
    batteries: list[BatteryDay] = []
    for battery_id in sorted(buckets_by_battery):
        sums = {period: _Accumulator() for period in TariffPeriod}
        for bucket in buckets_by_battery[battery_id]:
            if bucket.duration_s > 0 and bucket.start < end and _end_of(bucket) > start:
                _spread(bucket, slices, sums)
        periods = tuple(
            PeriodEnergy(
                period=period,
                color=color,
                charged_wh=acc.charged_wh,
                discharged_wh=acc.discharged_wh,
                cost_eur=acc.cost_eur,
                value_eur=acc.value_eur,
                unpriced_wh=acc.unpriced_wh,
            )
            for period, acc in sums.items()
        )
        batteries.append(BatteryDay(battery_id=battery_id, periods=periods))
    every = [p for b in batteries for p in b.periods]
    return DaySavings(
        day=day,
        color=color,
        batteries=tuple(batteries),
        charged_wh=sum(p.charged_wh for p in every),
        discharged_wh=sum(p.discharged_wh for p in every),
        cost_eur=sum(p.cost_eur for p in every),
        value_eur=sum(p.value_eur for p in every),
        unpriced_wh=sum(p.unpriced_wh for p in every),
    )


def _end_of(bucket: SampleBucket) -> datetime:
    return bucket.start + timedelta(seconds=bucket.duration_s)


def summarize(days: Iterable[DaySavings], first: date, last: date) -> PeriodSavings:
    """Add up the days of ``[first, last]`` (days outside are left out)."""
    kept = tuple(sorted((d for d in days if first <= d.day <= last), key=lambda d: d.day))
    return PeriodSavings(
        first=first,
        last=last,
        days=kept,
        charged_wh=sum(d.charged_wh for d in kept),
        discharged_wh=sum(d.discharged_wh for d in kept),
        cost_eur=sum(d.cost_eur for d in kept),
        value_eur=sum(d.value_eur for d in kept),
        unpriced_wh=sum(d.unpriced_wh for d in kept),
    )
