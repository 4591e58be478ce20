"""When to ask for tomorrow's colour, and the alerts that follow (JobQueue-ready).

:meth:`TempoFetchScheduler.run` does whatever is due at the clock's ``now`` and returns the next
instant it wants to run; the Telegram layer schedules ``run_once`` jobs at that instant. The day:

- first start: back-fill the current season up to today;
- from ~10:40 Paris (jittered): ask for tomorrow; a confirmation check at ~11:00; then every
  ~30 min until tomorrow is known and confirmed; the next cycle is tomorrow's 10:40;
- when every source fails: exponential back-off with jitter (capped at the poll interval);
- one TEMPO_ANNOUNCEMENT when tomorrow's colour becomes known (again only if it changes); a
  colour already in the store at the scheduler's first look (a restart) is not announced again;
- one TEMPO_UNKNOWN per day if tomorrow is still unknown at ``unknown_alert_hour`` (20:00).
"""

from __future__ import annotations

import logging
import random
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.alerts.model import Alert, AlertKind, AlertSink, Severity
from bot.clock import Clock
from bot.tempo.calendar import PARIS, local_instant, tempo_day_at
from bot.tempo.model import TempoColor, TempoDayRecord
from bot.tempo.service import RefreshResult, TempoService

_LOGGER = logging.getLogger(__name__)
ONE_DAY = timedelta(days=1)


@dataclass(frozen=True, slots=True, kw_only=True)
class FetchScheduleConfig:
    """The fetch timetable (Paris wall times) and retry pacing."""

    first_fetch: time = time(10, 40)
    confirm_check: time = time(11, 0)
    poll_interval: timedelta = timedelta(minutes=30)
    jitter: timedelta = timedelta(minutes=2)
    backoff_initial: timedelta = timedelta(minutes=2)
    backoff_max: timedelta = timedelta(minutes=30)
    unknown_alert_hour: int = 20


@dataclass(slots=True)
class _DayState:
    seen: dict[date, TempoColor | None] = field(default_factory=dict)
    checked: set[date] = field(default_factory=set)
    unknown_alerted: set[date] = field(default_factory=set)

    def forget_before(self, day: date) -> None:
        self.seen = {d: c for d, c in self.seen.items() if d >= day}
        self.checked = {d for d in self.checked if d >= day}
        self.unknown_alerted = {d for d in self.unknown_alerted if d >= day}


class TempoFetchScheduler:
    """Drive :class:`TempoService` through the day; call :meth:`run` at the time it returns."""

    def __init__(
        self,
        *,
        service: TempoService,
        alerts: AlertSink,
        clock: Clock,
        config: FetchScheduleConfig | None = None,
        tz: ZoneInfo = PARIS,
        rng: random.Random | None = None,
    ) -> None:
        self._service = service
        self._alerts = alerts
        self._clock = clock
        self._config = config or FetchScheduleConfig()
        self._tz = tz
        self._rng = rng or random.Random()
        self._backfilled = False
        self._consecutive_failures = 0
        self._state = _DayState()

    @property
    def consecutive_failures(self) -> int:
        """Return how many runs in a row ended with every source failing."""
        return self._consecutive_failures

    async def run(self) -> datetime:
        """Do what is due now; return the UTC instant of the next run."""
        now = self._clock.now()
        today = tempo_day_at(now, self._tz)
        tomorrow = today + ONE_DAY
        self._state.forget_before(today)
        if tomorrow not in self._state.seen:
            # What the store already knows at the first look (e.g. after a restart) is old news.
            self._state.seen[tomorrow] = (await self._service.outlook(tomorrow)).color
        failed = await self._backfill(now)
        failed = await self._ensure_known(today, now) or failed
        first_fetch = self._at(today, self._config.first_fetch)
        if now < first_fetch:
            planned = first_fetch + self._late_jitter()
        else:
            result = await self._check_tomorrow(tomorrow, now)
            failed = result.all_failed or failed
            await self._announce(tomorrow, result.record, now)
            planned = self._after_check(tomorrow, result.record, now)
        planned = await self._handle_unknown_alert(today, tomorrow, now, planned)
        self._consecutive_failures = self._consecutive_failures + 1 if failed else 0
        if failed:
            planned = min(planned, now + self._backoff())
        return max(planned, now + timedelta(seconds=1))

    def _at(self, day: date, wall: time) -> datetime:
        return local_instant(day, wall, self._tz)

    def _late_jitter(self) -> timedelta:
        return timedelta(seconds=self._rng.uniform(0, self._config.jitter.total_seconds()))

    def _poll_delay(self) -> timedelta:
        spread = self._config.jitter.total_seconds()
        return self._config.poll_interval + timedelta(seconds=self._rng.uniform(-spread, spread))

    def _backoff(self) -> timedelta:
        exponent = min(self._consecutive_failures - 1, 16)
        ceiling = min(self._config.backoff_initial * (1 << exponent), self._config.backoff_max)
        # "Equal jitter": at least half the delay, so retries never bunch up at zero.
        return ceiling * self._rng.uniform(0.5, 1.0)

    async def _backfill(self, now: datetime) -> bool:
        if self._backfilled:
            return False
        result = await self._service.backfill_season(now)
        if result.sources_used or not result.failures:
            self._backfilled = True
            _LOGGER.info(
                "Tempo back-fill of %s: %d days stored from %s, %d still missing",
                result.season.label,
                result.stored_days,
                ", ".join(result.sources_used) or "no source",
                result.missing_days,
            )
            return False
        return True

    async def _ensure_known(self, day: date, now: datetime) -> bool:
        if (await self._service.outlook(day)).known:
            return False
        return (await self._service.refresh_day(day, now)).all_failed

    async def _check_tomorrow(self, tomorrow: date, now: datetime) -> RefreshResult:
        confirm_at = self._at(tomorrow - ONE_DAY, self._config.confirm_check)
        outlook = await self._service.outlook(tomorrow)
        settled = outlook.known and outlook.confirmed
        if settled and (tomorrow in self._state.checked or now < confirm_at):
            return await self._service.refresh_day(tomorrow, now)
        result = await self._service.refresh_day(tomorrow, now, force=settled)
        if now >= confirm_at:
            self._state.checked.add(tomorrow)
        return result

    def _after_check(
        self, tomorrow: date, record: TempoDayRecord | None, now: datetime
    ) -> datetime:
        confirm_at = self._at(tomorrow - ONE_DAY, self._config.confirm_check)
        known_confirmed = record is not None and record.color is not None and record.confirmed
        if known_confirmed and tomorrow in self._state.checked:
            return self._at(tomorrow, self._config.first_fetch) + self._late_jitter()
        if now < confirm_at:
            return confirm_at + self._late_jitter()
        return now + self._poll_delay()

    async def _announce(self, day: date, record: TempoDayRecord | None, now: datetime) -> None:
        if record is None or record.color is None or self._state.seen.get(day) is record.color:
            return
        self._state.seen[day] = record.color
        await self._alerts.raise_alert(
            Alert(
                kind=AlertKind.TEMPO_ANNOUNCEMENT,
                severity=Severity.INFO,
                created_at=now,
                dedup_key=f"tempo_announcement:{day.isoformat()}:{record.color.value}",
                params={
                    "day": day.isoformat(),
                    "color": record.color.value,
                    "confirmed": record.confirmed,
                    "source": record.source,
                },
            )
        )

    async def _handle_unknown_alert(
        self, today: date, tomorrow: date, now: datetime, planned: datetime
    ) -> datetime:
        if tomorrow in self._state.unknown_alerted:
            return planned
        outlook = await self._service.outlook(tomorrow)
        if outlook.known:
            return planned
        alert_at = self._at(today, time(self._config.unknown_alert_hour))
        if now < alert_at:
            return min(planned, alert_at)
        self._state.unknown_alerted.add(tomorrow)
        possible = ",".join(color.value for color in TempoColor if color in outlook.possible)
        await self._alerts.raise_alert(
            Alert(
                kind=AlertKind.TEMPO_UNKNOWN,
                severity=Severity.WARNING,
                created_at=now,
                dedup_key=f"tempo_unknown:{tomorrow.isoformat()}",
                params={"day": tomorrow.isoformat(), "possible": possible},
            )
        )
        return planned
