"""The simulator's own view of time: any object with ``now()`` and ``async sleep()``.

``bot.clock.SystemClock``, ``ScaledClock`` and ``ManualClock`` all satisfy :class:`Clock`; the
simulator does not import them because ``bot.marstek`` must not depend on the rest of the bot.
"""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from typing import Protocol, runtime_checkable


@runtime_checkable
class Clock(Protocol):
    """What the simulator needs from time."""

    def now(self) -> datetime:
        """Return the current instant as a timezone-aware UTC datetime."""
        ...

    async def sleep(self, seconds: float) -> None:
        """Wait ``seconds`` of this clock's time."""
        ...


class RealClock:
    """Real time, the default when no clock is injected."""

    def now(self) -> datetime:
        """Return the real current instant in UTC."""
        return datetime.now(UTC)

    async def sleep(self, seconds: float) -> None:
        """Wait in real time."""
        await asyncio.sleep(max(0.0, seconds))
