"""The optional daily savings summary: settings, when it is due, and the job raising it.

The summary of Tempo day ``D`` is due at the chosen local hour once ``D`` is over (it ends at
06:00 on ``D+1``). It is raised as a :data:`AlertKind.SAVINGS_DAILY` alert into the outbox, so
delivery, retries, quiet hours and languages are the delivery layer's business. Each day's
alert is raised at most once (its key is checked and inserted in one transaction), so neither a
restart nor two racing callers repeat a summary; a summary more than ``GRACE`` late (the bot was
down) is skipped rather than sent out of time.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from bot.alerts.model import Alert, AlertKind, Severity
from bot.savings.service import SavingsService
from bot.storage.settings_store import SettingsStore
from bot.storage.types import JsonValue
from bot.tempo.calendar import ONE_DAY, local_instant, tempo_day_at
from bot.tempo.seasons import Season

if TYPE_CHECKING:
    from bot.services import Services

_log = logging.getLogger(__name__)

DAILY_KEY = "savings.daily"
DEFAULT_HOUR = 20
GRACE = timedelta(hours=3)
MAX_SLEEP_S = 600.0


@dataclass(frozen=True, slots=True, kw_only=True)
class DailySettings:
    """Whether the daily summary is sent, and at which local hour (0–23)."""

    enabled: bool = False
    hour: int = DEFAULT_HOUR


def parse_daily(value: JsonValue) -> DailySettings:
    """Read the stored setting; anything malformed means the default (off, 20h)."""
    if not isinstance(value, dict):
        return DailySettings()
    enabled, hour = value.get("enabled"), value.get("hour")
    valid_hour = isinstance(hour, int) and not isinstance(hour, bool) and 0 <= hour <= 23
    return DailySettings(
        enabled=enabled is True,
        hour=hour if valid_hour else DEFAULT_HOUR,  # type: ignore[arg-type]
    )


async def load_daily(store: SettingsStore) -> DailySettings:
    """The daily summary setting as stored."""
    return parse_daily(await store.get(DAILY_KEY))


async def save_daily(store: SettingsStore, value: DailySettings, *, by: str | int) -> None:
    """Store the daily summary setting (``hour`` must be 0–23)."""
    if not 0 <= value.hour <= 23:
        raise ValueError("hour must be 0–23")
    await store.set(DAILY_KEY, {"enabled": value.enabled, "hour": value.hour}, by=by)


def due_at(day: date, hour: int, tz: ZoneInfo) -> datetime:
    """When the summary of Tempo day ``day`` is due: the first ``hour``:00 after it ended."""
    # The day ends at 06:00 on day+1: an hour before 06:00 is on the morning after that.
    return local_instant(day + ONE_DAY * (1 if hour >= 6 else 2), time(hour), tz)


def latest_due(now: datetime, hour: int, tz: ZoneInfo) -> tuple[date, datetime]:
    """The newest Tempo day whose summary is due at ``now``, and when it became due."""
    day = tempo_day_at(now, tz) - ONE_DAY
    while due_at(day, hour, tz) > now:
        day -= ONE_DAY
    return day, due_at(day, hour, tz)


def summary_key(day: date) -> str:
    """The de-duplication key of the summary of Tempo day ``day``."""
    return f"savings_daily:{day.isoformat()}"


async def summary_alert(savings: SavingsService, day: date, now: datetime) -> Alert:
    """The alert summarising Tempo day ``day``, with the month, season and total to date."""
    account = await savings.day(day)
    month = await savings.month(day.year, day.month, until=day)
    season = await savings.season(Season.of(day), until=day)
    total = await savings.total(until=day)
    return Alert(
        kind=AlertKind.SAVINGS_DAILY,
        severity=Severity.INFO,
        created_at=now,
        dedup_key=summary_key(day),
        params={
            "day": day.isoformat(),
            "color": None if account.color is None else account.color.value,
            "savings_eur": round(account.savings_eur, 4),
            "charged_wh": round(account.charged_wh, 1),
            "discharged_wh": round(account.discharged_wh, 1),
            "month_eur": round(month.savings_eur, 4),
            "season_eur": round(season.savings_eur, 4),
            "total_eur": round(total.savings_eur, 4),
        },
    )


async def send_due_summary(services: Services, now: datetime) -> date | None:
    """Raise the summary due at ``now`` if it was not sent yet; return the day reported."""
    config = await load_daily(services.storage.settings)
    if not config.enabled:
        return None
    tz = services.settings.tz
    day, due = latest_due(now, config.hour, tz)
    outbox = services.storage.alerts
    if now - due > GRACE or await outbox.was_raised(summary_key(day)):
        return None
    savings = services.savings()
    if await outbox.enqueue(await summary_alert(savings, day, now), once=True) is None:
        return None  # another caller raised it while the figures were computed
    _log.info("daily savings summary raised for %s", day)
    return day


def seconds_to_next_check(now: datetime, hour: int, tz: ZoneInfo) -> float:
    """How long to sleep: until the next due hour, at most ``MAX_SLEEP_S`` (settings change)."""
    _, last_due = latest_due(now, hour, tz)
    next_due = last_due + ONE_DAY
    while next_due <= now:  # a 23 h day: add another
        next_due += ONE_DAY
    return max(1.0, min(MAX_SLEEP_S, (next_due - now).total_seconds()))


async def daily_summary_step(services: Services) -> datetime:
    """Raise the summary if one is due; return when to look again (schedule it once)."""
    now = services.clock.now()
    await send_due_summary(services, now)
    hour = (await load_daily(services.storage.settings)).hour
    return now + timedelta(seconds=seconds_to_next_check(now, hour, services.settings.tz))
