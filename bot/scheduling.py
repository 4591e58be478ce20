"""Recurring jobs: a step runs, then says when it wants to run again.

The bot's periodic work (the plan check, the Tempo fetch, housekeeping, the daily summary) is
written as steps. In production python-telegram-bot's ``JobQueue`` (APScheduler, real clock)
drives them: :class:`JobQueueScheduler`. Tests, the simulator and commands without Telegram
drive the very same steps with a task sleeping on the injected clock, which a virtual clock can
accelerate or jump: :class:`ClockScheduler`. Either way a step can be woken early
(:meth:`RecurringJob.wake`), and a step that raises is logged and retried later.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta
from typing import Any, Protocol

from bot.clock import Clock

_log = logging.getLogger(__name__)

Step = Callable[[], Awaitable[datetime]]
"""Do the work once; return when to run next."""

RETRY_AFTER_ERROR = timedelta(minutes=10)
MIN_DELAY = timedelta(seconds=1)


class RecurringJob(Protocol):
    """A scheduled step."""

    def wake(self) -> None:
        """Run the step as soon as possible (after the current run, if one is going on)."""


class Scheduler(Protocol):
    """Runs steps at the instants they ask for."""

    def start(self, name: str, step: Step, *, first: datetime | None = None) -> RecurringJob:
        """Run ``step`` at ``first`` (default: now), then whenever it asks."""

    async def stop(self) -> None:
        """Stop every job (a run in progress is cancelled); safe to call twice."""


async def _run_step(name: str, step: Step, clock: Clock) -> datetime:
    """One run of ``step``, never raising: an error is logged and retried later."""
    try:
        wanted = await step()
    except Exception:
        _log.exception("%s failed; retrying in %s", name, RETRY_AFTER_ERROR)
        wanted = clock.now() + RETRY_AFTER_ERROR
    return max(wanted, clock.now() + MIN_DELAY)


class _ClockJob:
    def __init__(self, name: str, step: Step, clock: Clock) -> None:
        self.name = name
        self._step = step
        self._clock = clock
        self._wake = asyncio.Event()

    def wake(self) -> None:
        self._wake.set()

    async def loop(self, first: datetime | None) -> None:
        if first is not None:
            await self._sleep_until(first)
        while True:
            self._wake.clear()
            await self._sleep_until(await _run_step(self.name, self._step, self._clock))

    async def _sleep_until(self, when: datetime) -> None:
        seconds = (when - self._clock.now()).total_seconds()
        if seconds <= 0 or self._wake.is_set():
            return
        sleeper = asyncio.ensure_future(self._clock.sleep(seconds))
        waker = asyncio.ensure_future(self._wake.wait())
        try:
            await asyncio.wait((sleeper, waker), return_when=asyncio.FIRST_COMPLETED)
        finally:
            for task in (sleeper, waker):
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await task


class ClockScheduler:
    """Each job is a task sleeping on the injected clock (virtual clocks, no Telegram)."""

    def __init__(self, clock: Clock) -> None:
        self._clock = clock
        self._tasks: list[asyncio.Task[None]] = []

    def start(self, name: str, step: Step, *, first: datetime | None = None) -> RecurringJob:
        """Run ``step`` at ``first`` (default: now), then whenever it asks."""
        job = _ClockJob(name, step, self._clock)
        self._tasks.append(asyncio.create_task(job.loop(first), name=name))
        return job

    async def stop(self) -> None:
        """Cancel every job's task and wait for it."""
        tasks, self._tasks = self._tasks, []
        for task in tasks:
            task.cancel()
        for task in tasks:
            with contextlib.suppress(asyncio.CancelledError):
                await task


class JobQueue(Protocol):
    """What is used of ``telegram.ext.JobQueue``."""

    def run_once(
        self,
        callback: Any,
        when: Any,
        *,
        name: str | None = None,
        job_kwargs: dict[str, Any] | None = None,
    ) -> Any:
        """Schedule ``callback`` once at ``when``."""


class _QueuedJob:
    def __init__(self, name: str, step: Step, owner: JobQueueScheduler) -> None:
        self.name = name
        self._step = step
        self._owner = owner
        self._pending: Any = None
        self._task: asyncio.Task[Any] | None = None
        self._running = False
        self._again = False
        self._stopped = False

    def wake(self) -> None:
        if self._running:
            self._again = True
        elif self._owner.queue is not None and not self._stopped:
            self.schedule(self._owner.clock.now())

    def schedule(self, when: datetime) -> None:
        queue = self._owner.queue
        if queue is None or self._stopped:
            return
        self.cancel_pending()
        # No misfire limit: a late run (a busy loop, a suspended machine) must still happen,
        # or the chain of runs would end with it.
        self._pending = queue.run_once(
            self._run, when, name=self.name, job_kwargs={"misfire_grace_time": None}
        )

    def cancel_pending(self) -> None:
        if self._pending is not None:
            with contextlib.suppress(Exception):
                self._pending.schedule_removal()
            self._pending = None

    async def stop(self) -> None:
        self._stopped = True
        self.cancel_pending()
        task = self._task
        if task is not None and not task.done() and task is not asyncio.current_task():
            # The JobQueue would wait for a running step (a plan check can take a minute on
            # real batteries): a stopping bot cancels it, as it cancels any other task.
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task

    async def _run(self, _context: object) -> None:
        self._pending = None
        self._running = True
        self._task = asyncio.current_task()
        try:
            wanted = await _run_step(self.name, self._step, self._owner.clock)
        finally:
            self._running = False
            self._task = None
        if self._again:
            self._again = False
            wanted = self._owner.clock.now()
        self.schedule(wanted)


class JobQueueScheduler:
    """Jobs run by python-telegram-bot's JobQueue; started once :meth:`attach` gives the queue.

    Jobs asked for before then wait, so the services can start before the Application exists.
    """

    def __init__(self, clock: Clock) -> None:
        self.clock = clock
        self.queue: JobQueue | None = None
        self._jobs: list[tuple[_QueuedJob, datetime | None]] = []

    def attach(self, queue: JobQueue) -> None:
        """Hand the jobs to ``queue`` (they run once the Application starts)."""
        self.queue = queue
        for job, first in self._jobs:
            job.schedule(first or self.clock.now())

    def start(self, name: str, step: Step, *, first: datetime | None = None) -> RecurringJob:
        """Run ``step`` at ``first`` (default: now), then whenever it asks."""
        job = _QueuedJob(name, step, self)
        self._jobs.append((job, first))
        if self.queue is not None:
            job.schedule(first or self.clock.now())
        return job

    async def stop(self) -> None:
        """Remove every job from the queue and cancel the steps running."""
        jobs, self._jobs = self._jobs, []
        for job, _ in jobs:
            await job.stop()
