"""History export: stored samples (and, beyond retention, 15-minute rollups) as CSV bytes.

Power keeps the bot's one sign convention and says it in the column names: ``ac_power`` and
``battery_power`` are positive when the battery discharges to the house, ``grid_power`` is
positive when the house imports from the grid. Times are local ISO 8601 with their UTC offset,
so the hour repeated in October stays unambiguous.
"""

from __future__ import annotations

import asyncio
import csv
import gzip
import io
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol
from zoneinfo import ZoneInfo

from bot.storage.models import Sample, SampleBucket
from bot.storage.samples import ROLLUP_S

SAMPLE = "sample"
ROLLUP = "rollup_15min"
COLUMNS = (
    "time_local",
    "battery",
    "source",
    "soc_pct",
    "ac_power_w_pos_discharge",
    "battery_power_w_pos_discharge",
    "pv_power_w",
    "grid_power_w_pos_import",
    "mode",
    "temperature_c",
    "grid_in_counter_wh",
    "grid_out_counter_wh",
)
_ROLLUP = timedelta(seconds=ROLLUP_S)
CHUNK = timedelta(hours=6)


class SampleSource(Protocol):
    """Where the rows come from (``SampleRepository``)."""

    async def between(self, battery_id: int, start: datetime, end: datetime) -> list[Sample]:
        """Raw samples of ``[start, end)``."""
        ...

    async def bucketed(
        self, battery_id: int, start: datetime, end: datetime, bucket_s: int
    ) -> list[SampleBucket]:
        """Buckets of ``[start, end)``."""
        ...


@dataclass(frozen=True, slots=True, kw_only=True)
class ExportRow:
    """One line of the export: a raw sample, or a 15-minute average where raw ones are gone."""

    at: datetime
    battery: str
    source: str
    soc_pct: float
    ac_power_w: float
    battery_power_w: float | None = None
    pv_power_w: float | None = None
    grid_power_w: float | None = None
    mode: str | None = None
    temperature_c: float | None = None
    grid_in_wh: float | None = None
    grid_out_wh: float | None = None


def sample_row(battery: str, sample: Sample) -> ExportRow:
    """The line of one raw sample."""
    return ExportRow(
        at=sample.at,
        battery=battery,
        source=SAMPLE,
        soc_pct=sample.soc_pct,
        ac_power_w=sample.ac_power_w,
        battery_power_w=sample.battery_power_w,
        pv_power_w=sample.pv_power_w,
        grid_power_w=sample.grid_power_w,
        mode=sample.mode,
        temperature_c=sample.temperature_c,
        grid_in_wh=sample.grid_in_wh,
        grid_out_wh=sample.grid_out_wh,
    )


def rollup_row(battery: str, bucket: SampleBucket) -> ExportRow:
    """The line of one 15-minute rollup (averages; the other columns are empty)."""
    return ExportRow(
        at=bucket.start,
        battery=battery,
        source=ROLLUP,
        soc_pct=bucket.soc_avg_pct,
        ac_power_w=bucket.ac_power_avg_w,
    )


@dataclass(frozen=True, slots=True, kw_only=True)
class Export:
    """The CSV file and what the caption says about it."""

    data: bytes
    rows: int
    batteries: int
    rolled_up: bool
    """Some lines are 15-minute averages (raw samples of that time were pruned)."""


def _floor_quarter(instant: datetime) -> datetime:
    epoch = datetime(1970, 1, 1, tzinfo=instant.tzinfo)
    return instant - (instant - epoch) % _ROLLUP


async def _chunk_rows(
    samples: SampleSource,
    battery_id: int,
    name: str,
    start: datetime,
    end: datetime,
    *,
    seen_raw: bool,
) -> tuple[list[ExportRow], bool]:
    """One battery's rows of ``[start, end)``, and whether it has had raw samples so far.

    Before a battery's oldest raw sample, its 15-minute rollups stand in for the samples that
    retention pruned (a rollup exists only where samples did).
    """
    raw = await samples.between(battery_id, start, end)
    rows: list[ExportRow] = []
    if not seen_raw:
        pruned_until = _floor_quarter(raw[0].at) if raw else end
        if pruned_until > start:
            older = await samples.bucketed(battery_id, start, pruned_until, ROLLUP_S)
            rows.extend(rollup_row(name, bucket) for bucket in older)
    rows.extend(sample_row(name, sample) for sample in raw)
    return rows, seen_raw or bool(raw)


async def build_export(
    samples: SampleSource,
    batteries: Sequence[tuple[int, str]],
    *,
    start: datetime,
    end: datetime,
    tz: ZoneInfo,
    chunk: timedelta = CHUNK,
) -> Export:
    """The CSV of every battery's rows of ``[start, end)``, in time order.

    Read and written ``chunk`` by ``chunk``: each query turns a few thousand rows into objects
    on the event loop (not ~100 000 at once), and the text is written in a worker thread.
    """
    parts = [_header()]
    seen_raw = dict.fromkeys((battery_id for battery_id, _ in batteries), False)
    count, rolled_up = 0, False
    named: set[str] = set()
    chunk_start = start
    while chunk_start < end:
        chunk_end = min(chunk_start + chunk, end)
        rows: list[ExportRow] = []
        for battery_id, name in batteries:
            found, seen_raw[battery_id] = await _chunk_rows(
                samples, battery_id, name, chunk_start, chunk_end, seen_raw=seen_raw[battery_id]
            )
            rows.extend(found)
        rows.sort(key=lambda row: (row.at, row.battery))
        parts.append(await asyncio.to_thread(to_csv, rows, tz, header=False))
        count += len(rows)
        rolled_up = rolled_up or any(row.source == ROLLUP for row in rows)
        named.update(row.battery for row in rows)
        chunk_start = chunk_end
    return Export(data=b"".join(parts), rows=count, batteries=len(named), rolled_up=rolled_up)


def _cell(value: float | str | None) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    return repr(round(float(value), 3) + 0.0)  # + 0.0 turns -0.0 into 0.0


def _header() -> bytes:
    return (",".join(COLUMNS) + "\n").encode()


def to_csv(rows: Sequence[ExportRow], tz: ZoneInfo, *, header: bool = True) -> bytes:
    """CSV lines (UTF-8, comma-separated), after the header line unless ``header`` is False."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    if header:
        writer.writerow(COLUMNS)
    for row in rows:
        writer.writerow(
            [
                row.at.astimezone(tz).isoformat(timespec="seconds"),
                row.battery,
                row.source,
                *map(
                    _cell,
                    (
                        row.soc_pct,
                        row.ac_power_w,
                        row.battery_power_w,
                        row.pv_power_w,
                        row.grid_power_w,
                        row.mode,
                        row.temperature_c,
                        row.grid_in_wh,
                        row.grid_out_wh,
                    ),
                ),
            ]
        )
    return buffer.getvalue().encode()


def fit_for_upload(data: bytes, limit_bytes: int) -> tuple[bytes, bool] | None:
    """``(bytes, compressed)`` under ``limit_bytes`` (gzip if needed), or None if even that is
    too big."""
    if len(data) <= limit_bytes:
        return data, False
    packed = gzip.compress(data, mtime=0)
    return (packed, True) if len(packed) <= limit_bytes else None
