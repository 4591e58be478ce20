"""The sample recorder keeps what it could not write and retries before giving up at stop."""

from __future__ import annotations

import logging
from datetime import UTC, datetime

import pytest

from bot.monitor.recorder import SampleRecorder
from bot.storage.models import Sample

AT = datetime(2026, 1, 14, 9, 0, tzinfo=UTC)


class FlakySink:
    def __init__(self, failures: int) -> None:
        self.failures = failures
        self.rows: list[Sample] = []

    async def insert_batch(self, batch: list[Sample]) -> int:
        if self.failures:
            self.failures -= 1
            raise RuntimeError("database is locked")
        self.rows += batch
        return len(batch)


def _recorder(sink: FlakySink) -> SampleRecorder:
    recorder = SampleRecorder(sink, batch_size=100)
    recorder._buffer.append(Sample(battery_id=1, at=AT, soc_pct=50.0, ac_power_w=100.0))
    return recorder


async def test_a_busy_database_is_retried_at_stop_and_nothing_is_lost(
    caplog: pytest.LogCaptureFixture,
) -> None:
    sink = FlakySink(failures=2)
    recorder = _recorder(sink)
    assert await recorder.flush() is False
    assert recorder.buffered == 1
    await recorder.close(pause_s=0)
    assert len(sink.rows) == 1
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]


async def test_a_loss_at_stop_is_an_error(caplog: pytest.LogCaptureFixture) -> None:
    recorder = _recorder(FlakySink(failures=10))
    await recorder.close(pause_s=0)
    assert recorder.buffered == 1
    assert [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR] == [
        "1 samples could not be written before stopping"
    ]
