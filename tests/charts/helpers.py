"""Shared builders for the chart tests: synthetic series and a PNG header reader."""

from __future__ import annotations

import struct
from datetime import UTC, date, datetime, timedelta

from bot.charts.model import BatteryHistory, HistoryPoint, HistorySeries
from bot.tempo.model import TempoColor

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def utc(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    """Return a UTC datetime."""
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


def png_size(data: bytes) -> tuple[int, int]:
    """Return (width, height) from a PNG's IHDR chunk; fail if the bytes are not a PNG."""
    assert data[:8] == PNG_SIGNATURE, "not a PNG signature"
    length, kind = struct.unpack(">I4s", data[8:16])
    assert kind == b"IHDR"
    assert length == 13
    width, height = struct.unpack(">II", data[16:24])
    return width, height


def assert_sensible_png(data: bytes) -> tuple[int, int]:
    """Check the bytes are a PNG of phone-friendly size and weight; return its size."""
    width, height = png_size(data)
    assert 800 <= width <= 2400
    assert 600 <= height <= 2400
    assert 10_000 <= len(data) <= 1_000_000
    assert data.endswith(b"IEND\xaeB`\x82"), "PNG not terminated by IEND"
    return width, height


def cycling_colors(first: date, days: int) -> dict[date, TempoColor | None]:
    """Return Tempo colours cycling blue, white, red, unknown from ``first``."""
    cycle = (TempoColor.BLUE, TempoColor.WHITE, TempoColor.RED, None)
    return {first + timedelta(days=index): cycle[index % 4] for index in range(days)}


def synthetic_history(
    *, end: datetime, days: int, bucket: timedelta, batteries: int = 3, gap: bool = True
) -> HistorySeries:
    """Return a plausible history: a daily SoC cycle, HC charging, one gap in battery 2."""
    start = end - timedelta(days=days)
    count = int((end - start) / bucket)
    histories = []
    for battery in range(batteries):
        points = []
        for index in range(count):
            instant = start + index * bucket
            if gap and battery == 1 and count // 3 <= index < count // 3 + 4:
                continue
            hour = instant.hour + instant.minute / 60
            charging = hour >= 21 or hour < 5
            soc = 20.0 + 3.0 * ((hour - 21) % 24) if charging else 95.0 - 4.0 * (hour - 5)
            points.append(
                HistoryPoint(
                    bucket_start_utc=instant,
                    soc_avg_pct=soc,
                    soc_min_pct=max(0.0, soc - 3),
                    soc_max_pct=min(100.0, soc + 3),
                    power_avg_w=-1200.0 if charging else 400.0 + 150 * battery,
                )
            )
        histories.append(BatteryHistory(name=f"Venus {battery + 1}", points=tuple(points)))
    first_day = (start - timedelta(days=1)).date()
    return HistorySeries(
        start_utc=start,
        end_utc=end,
        bucket=bucket,
        batteries=tuple(histories),
        tempo_colors=cycling_colors(first_day, days + 2),
    )
