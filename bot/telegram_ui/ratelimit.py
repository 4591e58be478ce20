"""Per-user rate limit: a token bucket that says "refuse" and "warn once" separately."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime


@dataclass(slots=True)
class _Bucket:
    tokens: float
    updated: datetime
    warned: bool = False


@dataclass(slots=True)
class RateLimiter:
    """Allow ``burst`` actions at once and ``per_minute`` sustained, per user."""

    burst: int = 8
    per_minute: float = 30.0
    _buckets: dict[int, _Bucket] = field(default_factory=dict)

    def check(self, user_id: int, now: datetime) -> tuple[bool, bool]:
        """Return ``(allowed, warn)``: ``warn`` is true only on the first refusal of a flood."""
        bucket = self._buckets.get(user_id)
        if bucket is None:
            bucket = self._buckets[user_id] = _Bucket(tokens=float(self.burst), updated=now)
        elapsed = max(0.0, (now - bucket.updated).total_seconds())
        bucket.tokens = min(float(self.burst), bucket.tokens + elapsed * self.per_minute / 60.0)
        bucket.updated = now
        if bucket.tokens >= 1.0:
            bucket.tokens -= 1.0
            if bucket.tokens >= 1.0:
                bucket.warned = False
            return True, False
        warn = not bucket.warned
        bucket.warned = True
        return False, warn
