"""Recurring jobs, on the injected clock (tests) and on the Telegram JobQueue (production)."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import pytest
from telegram.ext import Application

from bot import scheduling
from bot.clock import ManualClock, SystemClock
from bot.scheduling import ClockScheduler, JobQueueScheduler

T0 = datetime(2026, 3, 29, 0, 30, tzinfo=UTC)


class Recorder:
    """A step that records when it ran and asks to run again after ``every``."""

    def __init__(self, clock: ManualClock | SystemClock, every: timedelta) -> None:
        self.clock = clock
        self.every = every
        self.runs: list[datetime] = []
        self.fail_next = False

    async def __call__(self) -> datetime:
        self.runs.append(self.clock.now())
        if self.fail_next:
            self.fail_next = False
            raise RuntimeError("boom")
        return self.clock.now() + self.every


async def _settle() -> None:
    for _ in range(10):
        await asyncio.sleep(0)


async def test_clock_jobs_run_when_they_ask_and_can_be_woken() -> None:
    clock = ManualClock(T0)
    scheduler = ClockScheduler(clock)
    step = Recorder(clock, timedelta(minutes=5))
    job = scheduler.start("check", step)
    try:
        await _settle()
        assert step.runs == [T0]
        await clock.advance(timedelta(minutes=4))
        assert step.runs == [T0]
        await clock.advance(timedelta(minutes=1))
        assert step.runs == [T0, T0 + timedelta(minutes=5)]
        await clock.advance(timedelta(seconds=30))
        job.wake()
        await _settle()
        assert step.runs[-1] == T0 + timedelta(minutes=5, seconds=30)
        assert len(step.runs) == 3
    finally:
        await scheduler.stop()


async def test_a_failing_step_is_retried_later_not_lost() -> None:
    clock = ManualClock(T0)
    scheduler = ClockScheduler(clock)
    step = Recorder(clock, timedelta(minutes=5))
    step.fail_next = True
    scheduler.start("flaky", step, first=T0 + timedelta(minutes=1))
    try:
        await _settle()
        assert step.runs == []  # waits for ``first``
        await clock.advance(timedelta(minutes=1))
        assert step.runs == [T0 + timedelta(minutes=1)]
        await clock.advance(scheduling.RETRY_AFTER_ERROR)
        assert step.runs[-1] == T0 + timedelta(minutes=1) + scheduling.RETRY_AFTER_ERROR
    finally:
        await scheduler.stop()


async def test_the_telegram_job_queue_drives_the_same_steps(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(scheduling, "MIN_DELAY", timedelta(milliseconds=50))
    app = Application.builder().token("123:abc").build()
    assert app.job_queue is not None
    clock = SystemClock()
    scheduler = JobQueueScheduler(clock)
    step = Recorder(clock, timedelta(milliseconds=100))
    slow = Recorder(clock, timedelta(hours=1))
    # Jobs asked for before the queue exists wait for it (the services start first).
    scheduler.start("fast", step)
    job = scheduler.start("slow", slow)
    assert step.runs == []
    scheduler.attach(app.job_queue)
    await app.job_queue.start()
    try:
        for _ in range(100):
            if len(step.runs) >= 4:
                break
            await asyncio.sleep(0.05)
        assert len(step.runs) >= 4
        assert len(slow.runs) == 1  # its next run is an hour away
        assert {j.name for j in app.job_queue.jobs()} >= {"fast", "slow"}
        job.wake()
        for _ in range(40):
            if len(slow.runs) == 2:
                break
            await asyncio.sleep(0.05)
        assert len(slow.runs) == 2
        await scheduler.stop()
        await asyncio.sleep(0.1)
        assert not [j for j in app.job_queue.jobs() if j.name in {"fast", "slow"}]
        stopped_at = len(step.runs)
        await asyncio.sleep(0.3)
        assert len(step.runs) == stopped_at
    finally:
        await app.job_queue.stop()


async def test_stopping_cancels_a_step_running_on_the_job_queue() -> None:
    app = Application.builder().token("123:abc").build()
    assert app.job_queue is not None
    scheduler = JobQueueScheduler(SystemClock())
    started, cancelled = asyncio.Event(), asyncio.Event()

    async def long_check() -> datetime:
        started.set()
        try:
            await asyncio.sleep(60)
        except asyncio.CancelledError:
            cancelled.set()
            raise
        return datetime.now(UTC)

    scheduler.start("plan", long_check)
    scheduler.attach(app.job_queue)
    await app.job_queue.start()
    try:
        await asyncio.wait_for(started.wait(), timeout=5)
        await asyncio.wait_for(scheduler.stop(), timeout=5)
        assert cancelled.is_set()
    finally:
        await asyncio.wait_for(app.job_queue.stop(), timeout=5)  # nothing left to wait for
