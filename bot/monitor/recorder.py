"""Turns snapshots into stored samples, written in batches (one transaction per batch)."""

from __future__ import annotations

import asyncio
import logging
from datetime import datetime, timedelta
from typing import Protocol

from bot.monitor.snapshot import BatterySnapshot
from bot.storage.models import Sample

_log = logging.getLogger(__name__)

# A meter reading older than this is not attributed to a sample.
METER_FRESHNESS = timedelta(minutes=10)


class SampleSink(Protocol):
    """Where batches of samples go (the storage repository)."""

    async def insert_batch(self, batch: list[Sample]) -> int:
        """Store ``batch`` (duplicates ignored); return how many rows were new."""
        ...


def sample_from(snapshot: BatterySnapshot, at: datetime) -> Sample | None:
    """The sample for a successful poll at ``at``, or None if the reading lacks SoC or power."""
    status = snapshot.status
    if snapshot.battery_id is None or status is None:
        return None
    if status.soc_pct is None or status.ac_power_w is None:
        return None
    meter = snapshot.meter
    fresh_meter = (
        meter is not None
        and snapshot.meter_at is not None
        and (at - snapshot.meter_at <= METER_FRESHNESS)
    )
    return Sample(
        battery_id=snapshot.battery_id,
        at=at,
        soc_pct=status.soc_pct,
        ac_power_w=status.ac_power_w,
        battery_power_w=status.battery_power_w,
        pv_power_w=status.pv_power_w,
        grid_power_w=meter.total_power_w if fresh_meter and meter is not None else None,
        mode=snapshot.mode.value if snapshot.mode is not None else None,
        temperature_c=snapshot.temperature_c,
        grid_in_wh=status.ac_in_energy_wh,
        grid_out_wh=status.ac_out_energy_wh,
    )


class SampleRecorder:
    """Buffer samples and write them every ``batch_size`` samples or ``max_delay``."""

    def __init__(
        self, sink: SampleSink, *, batch_size: int = 30, max_delay: timedelta = timedelta(minutes=1)
    ) -> None:
        self._sink = sink
        self._batch_size = batch_size
        self._max_delay = max_delay
        self._buffer: list[Sample] = []
        self._lock = asyncio.Lock()
        self.written = 0

    @property
    def buffered(self) -> int:
        """Samples not yet written."""
        return len(self._buffer)

    async def record(self, snapshot: BatterySnapshot, at: datetime) -> None:
        """Add the sample of this poll; write the batch when it is full or old enough."""
        sample = sample_from(snapshot, at)
        if sample is not None:
            self._buffer.append(sample)
        if self._buffer and (
            len(self._buffer) >= self._batch_size or at - self._buffer[0].at >= self._max_delay
        ):
            await self.flush()

    async def flush(self) -> bool:
        """Write every buffered sample now; False if the write failed (they stay buffered)."""
        async with self._lock:
            if not self._buffer:
                return True
            batch = list(self._buffer)
            try:
                await self._sink.insert_batch(batch)
            except Exception as err:  # kept and retried: a busy database is not a loss
                _log.warning("could not write %d samples (%s); will retry", len(batch), err)
                return False
            del self._buffer[: len(batch)]
            self.written += len(batch)
            return True

    async def close(self, *, tries: int = 3, pause_s: float = 0.5) -> None:
        """Last flush when the bot stops, retried briefly; only then is a loss an error."""
        for attempt in range(tries):
            if await self.flush():
                return
            if attempt + 1 < tries:
                await asyncio.sleep(pause_s)
        _log.error("%d samples could not be written before stopping", self.buffered)
