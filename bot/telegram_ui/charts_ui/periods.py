"""The chart periods offered in the chat and the time window each one covers."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

QUARTER = timedelta(minutes=15)
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


@dataclass(frozen=True, slots=True, kw_only=True)
class ChartPeriod:
    """One period button: how far back, and the width of one point."""

    code: str
    span: timedelta
    bucket: timedelta


# Buckets are multiples of 15 minutes so that storage serves them from the rollups.
PERIODS: dict[str, ChartPeriod] = {
    period.code: period
    for period in (
        ChartPeriod(code="24h", span=timedelta(hours=24), bucket=QUARTER),
        ChartPeriod(code="7d", span=timedelta(days=7), bucket=timedelta(hours=1)),
        ChartPeriod(code="30d", span=timedelta(days=30), bucket=timedelta(hours=3)),
    )
}


def floor_to(instant: datetime, step: timedelta) -> datetime:
    """Round ``instant`` down to a multiple of ``step`` since the Unix epoch (UTC)."""
    return instant - (instant.astimezone(UTC) - _EPOCH) % step


def chart_window(now: datetime, period: ChartPeriod) -> tuple[datetime, datetime]:
    """``[start, end)`` of the chart shown at ``now``: ends at the next quarter hour, and starts
    on a bucket boundary so that the first point is a whole bucket."""
    end = floor_to(now, QUARTER)
    if end < now:
        end += QUARTER
    start = floor_to(end - period.span, period.bucket)
    return start.astimezone(UTC), end.astimezone(UTC)
