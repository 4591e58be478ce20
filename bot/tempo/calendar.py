"""Tempo calendar arithmetic: which Tempo day, HP or HC, and which windows, at any instant.

A Tempo day ``D`` runs 06:00 on ``D`` → 06:00 on ``D+1`` local time (Europe/Paris); HP is
06:00–22:00 and HC 22:00–06:00. So calendar day ``D+1`` 00:00–06:00 still belongs to Tempo day
``D``. Every function here is pure, takes timezone-aware datetimes, returns UTC datetimes, and
accepts another time zone for tests. Local wall times are built with ``datetime.combine`` on
06:00 and 22:00, which never fall in a DST gap or fold in Europe/Paris (switches happen at
02:00/03:00), so the Tempo day spanning the March switch lasts 23 h and the October one 25 h.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.tempo.model import TariffPeriod, TempoColor

PARIS = ZoneInfo("Europe/Paris")
DAY_START = time(6, 0)
HC_START = time(22, 0)
ONE_DAY = timedelta(days=1)


@dataclass(frozen=True, slots=True, kw_only=True)
class TariffSlice:
    """One stretch of constant tariff period within one Tempo day, ``[start, end)`` in UTC."""

    start: datetime
    end: datetime
    tempo_day: date
    period: TariffPeriod

    @property
    def duration(self) -> timedelta:
        """How long the slice lasts."""
        return self.end - self.start


def require_aware(instant: datetime) -> datetime:
    """Return ``instant`` in UTC; refuse naive datetimes (they are always a bug here)."""
    if instant.tzinfo is None or instant.utcoffset() is None:
        raise ValueError(f"naive datetime {instant!r}: Tempo calendar needs timezone-aware values")
    return instant.astimezone(UTC)


def local_instant(day: date, at: time, tz: ZoneInfo = PARIS) -> datetime:
    """Return the UTC instant of wall time ``at`` on calendar date ``day`` in ``tz``."""
    return datetime.combine(day, at, tzinfo=tz).astimezone(UTC)


def local_date(instant: datetime, tz: ZoneInfo = PARIS) -> date:
    """Return the calendar date of ``instant`` in ``tz`` (not the Tempo day)."""
    return require_aware(instant).astimezone(tz).date()


def tempo_day_at(instant: datetime, tz: ZoneInfo = PARIS) -> date:
    """Return the Tempo day ``instant`` belongs to (00:00–06:00 belongs to the previous day)."""
    local = require_aware(instant).astimezone(tz)
    if local.time() < DAY_START:
        return local.date() - ONE_DAY
    return local.date()


def period_at(instant: datetime, tz: ZoneInfo = PARIS) -> TariffPeriod:
    """Return HP (06:00–22:00) or HC (22:00–06:00) at ``instant``."""
    local_time = require_aware(instant).astimezone(tz).time()
    if DAY_START <= local_time < HC_START:
        return TariffPeriod.HP
    return TariffPeriod.HC


def tempo_day_bounds(day: date, tz: ZoneInfo = PARIS) -> tuple[datetime, datetime]:
    """Return the UTC ``[start, end)`` of Tempo day ``day`` (06:00 → 06:00 next day)."""
    return local_instant(day, DAY_START, tz), local_instant(day + ONE_DAY, DAY_START, tz)


def hp_window(day: date, tz: ZoneInfo = PARIS) -> tuple[datetime, datetime]:
    """Return the UTC ``[start, end)`` of the HP hours of Tempo day ``day`` (06:00–22:00)."""
    return local_instant(day, DAY_START, tz), local_instant(day, HC_START, tz)


def hc_window(day: date, tz: ZoneInfo = PARIS) -> tuple[datetime, datetime]:
    """Return the UTC ``[start, end)`` of the HC night of Tempo day ``day`` (22:00 → 06:00)."""
    return local_instant(day, HC_START, tz), local_instant(day + ONE_DAY, DAY_START, tz)


def period_window(
    day: date, period: TariffPeriod, tz: ZoneInfo = PARIS
) -> tuple[datetime, datetime]:
    """Return the UTC window of ``period`` within Tempo day ``day``."""
    return hp_window(day, tz) if period is TariffPeriod.HP else hc_window(day, tz)


def color_at(
    instant: datetime, colors: Mapping[date, TempoColor], tz: ZoneInfo = PARIS
) -> TempoColor | None:
    """Return the colour in force at ``instant`` given known days (``None`` if unknown)."""
    return colors.get(tempo_day_at(instant, tz))


def iter_tariff_periods(
    start: datetime, end: datetime, tz: ZoneInfo = PARIS
) -> Iterator[TariffSlice]:
    """Yield the HP/HC slices covering ``[start, end)``, clipped to the range, in order."""
    start_utc, end_utc = require_aware(start), require_aware(end)
    day = tempo_day_at(start_utc, tz)
    while True:
        for period in (TariffPeriod.HP, TariffPeriod.HC):
            window_start, window_end = period_window(day, period, tz)
            if window_start >= end_utc:
                return
            clipped_start, clipped_end = max(window_start, start_utc), min(window_end, end_utc)
            if clipped_start < clipped_end:
                yield TariffSlice(
                    start=clipped_start, end=clipped_end, tempo_day=day, period=period
                )
        day += ONE_DAY


def next_local_time(after: datetime, at: time, tz: ZoneInfo = PARIS) -> datetime:
    """Return the first UTC instant strictly after ``after`` whose wall time in ``tz`` is ``at``."""
    after_utc = require_aware(after)
    day = after_utc.astimezone(tz).date()
    candidate = local_instant(day, at, tz)
    while candidate <= after_utc:
        day += ONE_DAY
        candidate = local_instant(day, at, tz)
    return candidate
