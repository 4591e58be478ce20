"""TempoService: colour sources in a configured order with fallback, cached in a TempoDayStore.

A source's colour is accepted only if the hard rules allow it on that day (a red Saturday is a
source bug, never shown); otherwise the next source is asked. Answers are cached under the
never-downgrade rule. A colour for tomorrow seen before 10:40 Paris time is provisional: RTE's
binding publication is at 10:30 and earlier signals may still change.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.tempo.calendar import PARIS, local_instant, require_aware, tempo_day_at
from bot.tempo.errors import SourceResponseError, TempoSourceError
from bot.tempo.model import TempoColor, TempoDayRecord, TempoDayStore
from bot.tempo.rules import MAX_RED_RUN, calendar_colors, possible_colors
from bot.tempo.seasons import Season, SeasonCounters, season_counters
from bot.tempo.sources.base import SourceDay, TempoSource

_LOGGER = logging.getLogger(__name__)
CONFIRM_AFTER = time(10, 40)
HISTORY_SOURCE = "history"
ONE_DAY = timedelta(days=1)


@dataclass(frozen=True, slots=True, kw_only=True)
class SourceFailure:
    """One source that could not give a usable answer, and why."""

    source: str
    error: TempoSourceError


@dataclass(frozen=True, slots=True, kw_only=True)
class RefreshResult:
    """The outcome of asking the sources about one day; ``record`` is what the store now holds."""

    day: date
    record: TempoDayRecord | None
    fetched: bool
    answered: tuple[str, ...] = ()
    failures: tuple[SourceFailure, ...] = ()

    @property
    def all_failed(self) -> bool:
        """Tell whether sources were asked and none gave a usable answer (not even "unknown")."""
        return self.fetched and not self.answered and bool(self.failures)


@dataclass(frozen=True, slots=True, kw_only=True)
class DayOutlook:
    """What the bot can say about one Tempo day: its colour, or honest bounds."""

    day: date
    color: TempoColor | None
    confirmed: bool
    source: str | None
    fetched_at: datetime | None
    possible: frozenset[TempoColor]

    @property
    def known(self) -> bool:
        """Tell whether the colour is known (provisionally or for sure)."""
        return self.color is not None


@dataclass(frozen=True, slots=True, kw_only=True)
class BackfillResult:
    """The outcome of a season back-fill."""

    season: Season
    stored_days: int
    missing_days: int
    sources_used: tuple[str, ...] = ()
    failures: tuple[SourceFailure, ...] = ()


class TempoService:
    """Ask the sources in order, keep every answer in the store, answer from the store."""

    def __init__(
        self,
        *,
        sources: Sequence[TempoSource],
        store: TempoDayStore,
        tz: ZoneInfo = PARIS,
        confirm_after: time = CONFIRM_AFTER,
    ) -> None:
        self._sources = list(sources)
        self._store = store
        self._tz = tz
        self._confirm_after = confirm_after
        self._failing: set[str] = set()

    @property
    def source_names(self) -> tuple[str, ...]:
        """Return the source names in the order they are tried."""
        return tuple(source.name for source in self._sources)

    def replace_sources(self, sources: Sequence[TempoSource]) -> None:
        """Use ``sources`` (in that order) from the next request on."""
        self._sources = list(sources)

    def is_confirmed_at(self, day: date, now: datetime) -> bool:
        """Tell whether a final colour for ``day`` seen at ``now`` counts as confirmed."""
        return require_aware(now) >= local_instant(day - ONE_DAY, self._confirm_after, self._tz)

    async def known_colors(self, first: date, last: date) -> dict[date, TempoColor]:
        """Return the known colours of ``[first, last]`` from the store."""
        records = await self._store.get_days(first, last)
        return {record.day: record.color for record in records if record.color is not None}

    async def _context_colors(self, day: date) -> dict[date, TempoColor]:
        season = Season.of(day)
        first = min(season.first_day, day - timedelta(days=MAX_RED_RUN + 1))
        last = max(season.last_day, day + timedelta(days=MAX_RED_RUN + 1))
        return await self.known_colors(first, last)

    async def refresh_day(self, day: date, now: datetime, *, force: bool = False) -> RefreshResult:
        """Ask the sources about ``day`` unless it is already confirmed (or ``force``)."""
        cached = await self._store.get_day(day)
        if not force and cached is not None and cached.color is not None and cached.confirmed:
            return RefreshResult(day=day, record=cached, fetched=False)
        context = await self._context_colors(day)
        context.pop(day, None)
        allowed = possible_colors(day, context)
        answered: list[str] = []
        failures: list[SourceFailure] = []
        for source in self._sources:
            try:
                answer = await source.fetch_day(day, now=now)
                if answer.color is not None and answer.color not in allowed:
                    raise SourceResponseError(source.name, f"{answer.color} is impossible on {day}")
            except TempoSourceError as err:
                self._note_failure(source.name, err)
                failures.append(SourceFailure(source=source.name, error=err))
                continue
            self._note_success(source.name)
            answered.append(source.name)
            if answer.color is not None:
                stored = await self._store.put_day(self._record(answer, source.name, now))
                return RefreshResult(
                    day=day,
                    record=stored,
                    fetched=True,
                    answered=tuple(answered),
                    failures=tuple(failures),
                )
        kept: TempoDayRecord | None = cached
        if cached is None and answered:
            unknown = TempoDayRecord(
                day=day, color=None, confirmed=False, source=answered[0], fetched_at=now
            )
            kept = await self._store.put_day(unknown)
        return RefreshResult(
            day=day, record=kept, fetched=True, answered=tuple(answered), failures=tuple(failures)
        )

    def _record(self, answer: SourceDay, source: str, now: datetime) -> TempoDayRecord:
        confirmed = answer.final and self.is_confirmed_at(answer.day, now)
        return TempoDayRecord(
            day=answer.day,
            color=answer.color,
            confirmed=confirmed,
            source=source,
            fetched_at=require_aware(now),
        )

    def _note_failure(self, name: str, err: TempoSourceError) -> None:
        # Log the ok → failed transition once, like a coordinator; repeats go to debug.
        if name in self._failing:
            _LOGGER.debug("Tempo source %s still failing: %s", name, err)
        else:
            self._failing.add(name)
            _LOGGER.warning("Tempo source %s failed: %s", name, err)

    def _note_success(self, name: str) -> None:
        if name in self._failing:
            self._failing.discard(name)
            _LOGGER.info("Tempo source %s answers again", name)

    async def missing_days(self, first: date, last: date) -> list[date]:
        """Return the days of ``[first, last]`` whose colour the store does not know."""
        known = await self.known_colors(first, last)
        span = (last - first).days + 1
        return [
            first + timedelta(days=n) for n in range(span) if first + timedelta(days=n) not in known
        ]

    async def backfill_season(self, now: datetime) -> BackfillResult:
        """Fill the current season up to today from the sources' range endpoints, in order."""
        today = tempo_day_at(now, self._tz)
        season = Season.of(today)
        first, last = season.first_day, today
        stored = 0
        used: list[str] = []
        failures: list[SourceFailure] = []
        for source in self._sources:
            if not await self.missing_days(first, last):
                break
            try:
                answers = await source.fetch_range(first, last, now=now)
            except TempoSourceError as err:
                self._note_failure(source.name, err)
                failures.append(SourceFailure(source=source.name, error=err))
                continue
            self._note_success(source.name)
            used.append(source.name)
            for answer in answers:
                if answer.color is None or answer.color not in calendar_colors(answer.day):
                    continue
                await self._store.put_day(self._record(answer, source.name, now))
                stored += 1
        return BackfillResult(
            season=season,
            stored_days=stored,
            missing_days=len(await self.missing_days(first, last)),
            sources_used=tuple(used),
            failures=tuple(failures),
        )

    async def import_history(self, colors: Mapping[date, TempoColor], now: datetime) -> int:
        """Store past colours (e.g. the shipped history) as confirmed; return how many."""
        for day, color in colors.items():
            record = TempoDayRecord(
                day=day,
                color=color,
                confirmed=True,
                source=HISTORY_SOURCE,
                fetched_at=require_aware(now),
            )
            await self._store.put_day(record)
        return len(colors)

    async def outlook(self, day: date) -> DayOutlook:
        """Return what the store knows of ``day``, with the rules' bounds when unknown."""
        record = await self._store.get_day(day)
        context = await self._context_colors(day)
        if record is None or record.color is None:
            context.pop(day, None)
            return DayOutlook(
                day=day,
                color=None,
                confirmed=False,
                source=record.source if record else None,
                fetched_at=record.fetched_at if record else None,
                possible=possible_colors(day, context),
            )
        return DayOutlook(
            day=day,
            color=record.color,
            confirmed=record.confirmed,
            source=record.source,
            fetched_at=record.fetched_at,
            possible=frozenset({record.color}),
        )

    async def today_outlook(self, now: datetime) -> DayOutlook:
        """Return the outlook of the Tempo day in force at ``now``."""
        return await self.outlook(tempo_day_at(now, self._tz))

    async def tomorrow_outlook(self, now: datetime) -> DayOutlook:
        """Return the outlook of the Tempo day after the one in force at ``now``."""
        return await self.outlook(tempo_day_at(now, self._tz) + ONE_DAY)

    async def season_counters(self, now: datetime) -> SeasonCounters:
        """Return used/remaining days per colour of the current season (known days so far)."""
        today = tempo_day_at(now, self._tz)
        season = Season.of(today)
        colors = await self.known_colors(season.first_day, season.last_day)
        return season_counters(season, colors, through=today)
