"""The library's view of time: any object with ``now()`` and ``async sleep()``.

Every wait of the library (request gaps, timeouts, write back-offs, read-back polls) goes through
an injected :class:`Clock`, so tests and the simulator can run it on virtual time. The protocol is
structural: ``bot.clock.SystemClock``, ``ScaledClock`` and ``ManualClock`` satisfy it without the
library importing them, because ``bot.marstek`` must not depend on the rest of the bot.
"""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from typing import Protocol, runtime_checkable


@runtime_checkable
class Clock(Protocol):
    """What the library needs from time."""

    def now(self) -> datetime:
        """Return the current instant as a timezone-aware UTC datetime."""
        ...

    async def sleep(self, seconds: float) -> None:
        """Wait ``seconds`` of this clock's time."""
        ...


class SystemClock:
    """The real clock (production)."""

    def now(self) -> datetime:
        """Return the real current instant in UTC."""
        return datetime.now(UTC)

    async def sleep(self, seconds: float) -> None:
        """Wait in real time."""
        await asyncio.sleep(max(0.0, seconds))
