"""Availability of one battery: a small state machine that reports transitions, not polls.

A battery is "unreachable" after N consecutive failed polls and "back" on the first success;
after a sustained silence (default 15 min) it is "probably API disabled" — the Open API
switching itself off is the field failure users of every Marstek integration meet most.
Each transition is reported once per outage.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum


class Availability(StrEnum):
    """What the bot currently believes about a battery."""

    UNKNOWN = "unknown"
    AVAILABLE = "available"
    UNREACHABLE = "unreachable"


class Transition(StrEnum):
    """A change worth one log line and one alert."""

    UNREACHABLE = "unreachable"
    API_DISABLED = "api_disabled"
    BACK = "back"


@dataclass(frozen=True, slots=True, kw_only=True)
class TransitionEvent:
    """One transition, with what the alert text needs."""

    transition: Transition
    at: datetime
    failures: int
    silent_since: datetime | None


class AvailabilityTracker:
    """Track consecutive failures of one battery and emit transitions."""

    def __init__(self, *, unreachable_after: int = 3, api_silence: timedelta) -> None:
        self._threshold = unreachable_after
        self._api_silence = api_silence
        self.state = Availability.UNKNOWN
        self.failures = 0
        self.last_success: datetime | None = None
        self.first_failure: datetime | None = None
        self._api_disabled_reported = False

    @property
    def api_disabled_suspected(self) -> bool:
        """Tell whether the current outage has lasted long enough to blame the Open API."""
        return self._api_disabled_reported

    def success(self, now: datetime) -> TransitionEvent | None:
        """Record a good poll; return BACK if the battery was unreachable."""
        event = None
        if self.state is Availability.UNREACHABLE:
            event = TransitionEvent(
                transition=Transition.BACK,
                at=now,
                failures=self.failures,
                silent_since=self.first_failure,
            )
        self.state = Availability.AVAILABLE
        self.failures = 0
        self.first_failure = None
        self.last_success = now
        self._api_disabled_reported = False
        return event

    def failure(self, now: datetime) -> TransitionEvent | None:
        """Record a failed poll; return UNREACHABLE or API_DISABLED on the polls that cross."""
        self.failures += 1
        if self.first_failure is None:
            self.first_failure = now
        if self.state is not Availability.UNREACHABLE and self.failures >= self._threshold:
            self.state = Availability.UNREACHABLE
            return self._event(Transition.UNREACHABLE, now)
        if (
            self.state is Availability.UNREACHABLE
            and not self._api_disabled_reported
            and now - self.first_failure >= self._api_silence
        ):
            self._api_disabled_reported = True
            return self._event(Transition.API_DISABLED, now)
        return None

    def _event(self, transition: Transition, now: datetime) -> TransitionEvent:
        return TransitionEvent(
            transition=transition, at=now, failures=self.failures, silent_since=self.first_failure
        )
