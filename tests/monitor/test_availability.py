"""Availability transitions: one event per transition, never one per poll."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.monitor.availability import Availability, AvailabilityTracker, Transition

T0 = datetime(2026, 1, 15, 12, 0, tzinfo=UTC)


def test_silence_gives_unreachable_then_api_disabled_then_back_once_each() -> None:
    tracker = AvailabilityTracker(unreachable_after=3, api_silence=timedelta(minutes=15))
    assert tracker.success(T0) is None
    events = []
    for minute in range(1, 40):
        event = tracker.failure(T0 + timedelta(minutes=minute))
        if event:
            events.append(event)
    assert [e.transition for e in events] == [Transition.UNREACHABLE, Transition.API_DISABLED]
    assert events[0].at == T0 + timedelta(minutes=3)
    assert events[1].at == T0 + timedelta(minutes=16)
    assert tracker.state is Availability.UNREACHABLE
    back = tracker.success(T0 + timedelta(minutes=41))
    assert back is not None
    assert back.transition is Transition.BACK
    assert back.silent_since == T0 + timedelta(minutes=1)
    assert tracker.success(T0 + timedelta(minutes=42)) is None


def test_failures_below_threshold_raise_nothing_and_reset_on_success() -> None:
    tracker = AvailabilityTracker(unreachable_after=3, api_silence=timedelta(minutes=15))
    for _ in range(5):
        assert tracker.failure(T0) is None
        assert tracker.failure(T0) is None
        assert tracker.success(T0) is None
    assert tracker.state is Availability.AVAILABLE


def test_first_poll_failing_from_start_counts_too() -> None:
    tracker = AvailabilityTracker(unreachable_after=1, api_silence=timedelta(minutes=5))
    event = tracker.failure(T0)
    assert event is not None
    assert event.transition is Transition.UNREACHABLE
