"""The one source of "now" for the whole bot, so tests can run on a virtual clock.

Every component takes a :class:`Clock` instead of calling ``datetime.now()``. Production uses
:class:`SystemClock`; tests and the simulator use :class:`ScaledClock` (virtual time runs N times
faster than real time, and can jump forward) or :class:`ManualClock` (time moves only when the
test says so). The battery simulator accepts any object with the same ``now``/``sleep`` methods.

The ``Clock`` protocol and the ``SystemClock`` live in the battery library (which must stand
alone, so it cannot import this module); they are re-exported here for the rest of the bot.
"""

from __future__ import annotations

import asyncio
import heapq
import itertools
import time
from datetime import UTC, datetime, timedelta

from bot.marstek.clock import Clock, SystemClock

__all__ = ["Clock", "ManualClock", "ScaledClock", "SystemClock"]


def _require_aware(value: datetime) -> datetime:
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError("clock start must be timezone-aware")
    return value.astimezone(UTC)


_JUMP_CHECK_S = 0.05  # how often a scaled sleeper notices a jump (real seconds)


class ScaledClock:
    """Virtual time that runs ``speed`` times faster than real time and can jump forward.

    ``now()`` is ``start + speed × real elapsed + jumps``; ``sleep(d)`` waits until ``now()``
    has moved ``d`` seconds on, so a jump also wakes every sleeper whose deadline it passed
    (a test that skips "to 10:45" sees the 10:40 job run at once).
    """

    def __init__(self, start: datetime | None = None, *, speed: float = 1.0) -> None:
        if speed <= 0:
            raise ValueError("speed must be positive")
        self._start = _require_aware(start) if start is not None else datetime.now(UTC)
        self._speed = speed
        self._real_origin = time.monotonic()
        self._jumped = timedelta(0)

    @property
    def speed(self) -> float:
        """How many virtual seconds pass per real second."""
        return self._speed

    def now(self) -> datetime:
        """Return the current virtual instant in UTC."""
        elapsed = (time.monotonic() - self._real_origin) * self._speed
        return self._start + self._jumped + timedelta(seconds=elapsed)

    def jump(self, delta: timedelta) -> None:
        """Move virtual time forward by ``delta`` at once."""
        if delta < timedelta(0):
            raise ValueError("a clock never goes backwards")
        self._jumped += delta

    def jump_to(self, instant: datetime) -> None:
        """Move virtual time forward to ``instant`` (no-op if it is already past)."""
        delta = _require_aware(instant) - self.now()
        if delta > timedelta(0):
            self.jump(delta)

    async def sleep(self, seconds: float) -> None:
        """Wait ``seconds`` of virtual time (cut short by a jump past the deadline)."""
        deadline = self.now() + timedelta(seconds=max(0.0, seconds))
        while (remaining := (deadline - self.now()).total_seconds()) > 0:  # noqa: ASYNC110 - a jump must cut the wait short
            await asyncio.sleep(min(remaining / self._speed, _JUMP_CHECK_S))


class ManualClock:
    """Virtual time that moves only when :meth:`advance` is awaited; deterministic for tests.

    Sleepers wake in deadline order, and each one gets the event loop before time moves further,
    so a test that advances one hour sees every periodic task run at its own instants.
    """

    def __init__(self, start: datetime) -> None:
        self._now = _require_aware(start)
        self._waiters: list[tuple[datetime, int, asyncio.Future[None]]] = []
        self._seq = itertools.count()

    def now(self) -> datetime:
        """Return the current virtual instant in UTC."""
        return self._now

    async def sleep(self, seconds: float) -> None:
        """Wait until the clock has been advanced by ``seconds``."""
        if seconds <= 0:
            await asyncio.sleep(0)
            return
        future: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        deadline = self._now + timedelta(seconds=seconds)
        heapq.heappush(self._waiters, (deadline, next(self._seq), future))
        await future

    async def advance(self, delta: timedelta | float) -> None:
        """Move time forward, waking every sleeper whose deadline is reached, in order."""
        step = delta if isinstance(delta, timedelta) else timedelta(seconds=delta)
        if step < timedelta(0):
            raise ValueError("a clock never goes backwards")
        target = self._now + step
        while self._waiters and self._waiters[0][0] <= target:
            deadline, _, future = heapq.heappop(self._waiters)
            self._now = max(self._now, deadline)
            if not future.done():
                future.set_result(None)
            await _let_others_run()
        self._now = target
        await _let_others_run()

    async def advance_to(self, instant: datetime) -> None:
        """Move time forward to ``instant``."""
        delta = _require_aware(instant) - self._now
        await self.advance(max(delta, timedelta(0)))


async def _let_others_run(rounds: int = 5) -> None:
    # Several zero-sleeps: a woken task may itself await a few already-finished futures.
    for _ in range(rounds):
        await asyncio.sleep(0)
