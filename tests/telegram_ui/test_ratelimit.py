"""The per-user rate limit refuses floods and warns once per flood."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.telegram_ui.ratelimit import RateLimiter

T0 = datetime(2026, 1, 15, 12, 0, tzinfo=UTC)


def test_burst_then_refusal_with_a_single_warning() -> None:
    limiter = RateLimiter(burst=3, per_minute=6)
    results = [limiter.check(1, T0) for _ in range(6)]
    assert [allowed for allowed, _ in results] == [True, True, True, False, False, False]
    assert [warn for _, warn in results] == [False, False, False, True, False, False]


def test_tokens_refill_and_users_are_independent() -> None:
    limiter = RateLimiter(burst=2, per_minute=6)
    for _ in range(3):
        limiter.check(1, T0)
    assert limiter.check(2, T0) == (True, False)
    assert limiter.check(1, T0 + timedelta(seconds=10)) == (True, False)
    assert limiter.check(1, T0 + timedelta(seconds=10))[0] is False
