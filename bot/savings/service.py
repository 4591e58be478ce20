"""Savings over days, months, seasons and since installation, read from storage on demand.

Days are valued from the 15-minute rollups. A settled day (over for an hour, colour known) can no
longer change, so its account is kept in a :class:`SettledDays` cache shared by the process:
`/economies` then reads only the days still in progress instead of the whole history (a year
of three batteries: ~1.2 s uncached, see ``bench/bench_savings.py``). The cache lives in memory
only; a restart recomputes once.
"""

from __future__ import annotations

import calendar
from bisect import bisect_left, bisect_right
from collections import defaultdict
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import func, select

from bot.savings.accounting import DaySavings, PeriodSavings, account_day, summarize
from bot.storage import Storage
from bot.storage.models import SampleBucket
from bot.storage.tables import sample_rollups, samples
from bot.tempo.calendar import tempo_day_at, tempo_day_bounds
from bot.tempo.prices import PriceTable
from bot.tempo.seasons import Season
from bot.tempo.service import TempoService

# Hourly buckets, merged in SQL from the 15-minute rollups: every Tempo boundary (06:00, 22:00,
# midnight for prices) is a whole UTC hour in Europe/Paris, so nothing is lost, with 4× fewer rows.
BUCKET_S = 3600
ONE_DAY = timedelta(days=1)
SETTLE = timedelta(hours=1)
"""A day's samples are all written (and rolled up) this long after it ends."""


class SettledDays:
    """Accounts of Tempo days that can no longer change, kept for the life of the process."""

    def __init__(self) -> None:
        self._days: dict[date, DaySavings] = {}

    def get(self, day: date) -> DaySavings | None:
        """The kept account of ``day``, if any."""
        return self._days.get(day)

    def keep(self, account: DaySavings) -> None:
        """Keep a settled day's account."""
        self._days[account.day] = account


class SavingsService:
    """Answers "how much did the batteries save" for any span of Tempo days.

    With ``settled`` and ``now``, days over for :data:`SETTLE` whose colour is known are
    accounted once and then served from the cache.
    """

    def __init__(
        self,
        storage: Storage,
        tempo: TempoService,
        prices: PriceTable,
        tz: ZoneInfo,
        *,
        settled: SettledDays | None = None,
        now: datetime | None = None,
    ) -> None:
        self._storage = storage
        self._tempo = tempo
        self._prices = prices
        self._tz = tz
        self._settled = settled
        self._now = now

    async def days(self, first: date, last: date) -> list[DaySavings]:
        """Account every Tempo day of ``[first, last]``, oldest first (none if ``last < first``)."""
        if last < first:
            return []
        all_days = [first + ONE_DAY * offset for offset in range((last - first).days + 1)]
        settled = self._settled
        found: dict[date, DaySavings] = {}
        if settled is not None:
            for day in all_days:
                kept = settled.get(day)
                if kept is not None:
                    found[day] = kept
        for run_first, run_last in _runs([day for day in all_days if day not in found]):
            for account in await self._account(run_first, run_last):
                found[account.day] = account
                if settled is not None and self._is_settled(account):
                    settled.keep(account)
        return [found[day] for day in all_days]

    def _is_settled(self, account: DaySavings) -> bool:
        if self._now is None or account.color is None:
            return False
        return tempo_day_bounds(account.day, self._tz)[1] + SETTLE <= self._now

    async def _account(self, first: date, last: date) -> list[DaySavings]:
        """Value the days ``[first, last]`` from storage."""
        start, _ = tempo_day_bounds(first, self._tz)
        _, end = tempo_day_bounds(last, self._tz)
        colors = await self._tempo.known_colors(first, last)
        all_days = [first + ONE_DAY * offset for offset in range((last - first).days + 1)]
        starts = [tempo_day_bounds(day, self._tz)[0] for day in all_days]
        per_day: dict[date, dict[int, list[SampleBucket]]] = defaultdict(dict)
        for battery in await self._storage.batteries.list_all():
            buckets = await self._storage.samples.bucketed(battery.id, start, end, BUCKET_S)
            for bucket in buckets:
                for index in _day_indexes(starts, bucket):
                    per_day[all_days[index]].setdefault(battery.id, []).append(bucket)
        return [
            account_day(per_day.get(day, {}), colors, self._prices, day, self._tz)
            for day in all_days
        ]

    async def day(self, day: date) -> DaySavings:
        """Account one Tempo day (06:00 → 06:00 local)."""
        (result,) = await self.days(day, day)
        return result

    async def span(self, first: date, last: date) -> PeriodSavings:
        """Totals over the Tempo days ``[first, last]``."""
        return summarize(await self.days(first, last), first, last)

    async def month(self, year: int, month: int, *, until: date | None = None) -> PeriodSavings:
        """Totals over the Tempo days of a calendar month (stopping at ``until`` if given)."""
        first = date(year, month, 1)
        last = date(year, month, calendar.monthrange(year, month)[1])
        return await self.span(first, _clip(last, until))

    async def season(self, season: Season, *, until: date | None = None) -> PeriodSavings:
        """Totals over a Tempo season, 1 September → 31 August (stopping at ``until``)."""
        return await self.span(season.first_day, _clip(season.last_day, until))

    async def installed_on(self) -> date | None:
        """The first Tempo day with a battery or a sample (``None`` before any)."""
        firsts = [b.created_at for b in await self._storage.batteries.list_all()]
        async with self._storage.db.session(write=False) as session:
            for column in (samples.c.at, sample_rollups.c.bucket_start):
                first = await session.scalar(select(func.min(column)))
                if first is not None:
                    firsts.append(first)
        return tempo_day_at(min(firsts), self._tz) if firsts else None

    async def total(self, *, until: date, since: date | None = None) -> PeriodSavings:
        """Totals since ``since`` (default: the installation) through ``until``."""
        first = since if since is not None else await self.installed_on()
        return await self.span(first or until, until)


def _day_indexes(starts: list[datetime], bucket: SampleBucket) -> range:
    """Indexes of the days (by their start instants) a bucket overlaps: one, or two at 06:00."""
    end = bucket.start + timedelta(seconds=bucket.duration_s)
    first = max(0, bisect_right(starts, bucket.start) - 1)
    last = max(first, bisect_left(starts, end) - 1)
    return range(first, last + 1)


def _runs(days: list[date]) -> list[tuple[date, date]]:
    """Consecutive stretches of ``days`` (ascending) as (first, last) pairs."""
    runs: list[tuple[date, date]] = []
    for day in days:
        if runs and runs[-1][1] + ONE_DAY == day:
            runs[-1] = (runs[-1][0], day)
        else:
            runs.append((day, day))
    return runs


def _clip(last: date, until: date | None) -> date:
    return last if until is None else min(last, until)
