"""Fault knobs of one simulated unit, mutable while the simulator runs."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(slots=True, kw_only=True)
class Faults:
    """What goes wrong between the client and one unit (tests change these live)."""

    loss_rate: float = 0.0
    """Probability that a request is dropped, and, independently, that its reply is dropped."""
    latency_s: tuple[float, float] = (0.0, 0.0)
    """Real-time reply delay, drawn uniformly in this range."""
    late_rate: float = 0.0
    """Probability that a reply is sent ``late_delay_s`` later than its latency."""
    late_delay_s: float = 3.0
    duplicate_rate: float = 0.0
    """Probability that a reply is sent twice."""
    reject_writes: int = 0
    """The next N valid ``ES.SetMode`` calls answer ``set_result: false`` and change nothing."""
    ack_without_apply: int = 0
    """The next N valid writes answer ``set_result: true`` but change nothing."""
    silent: bool = False
    """Open API switched off: nothing is answered, not even discovery."""
    reply_to_api_port: bool = False
    """Reply to (client IP, API port) instead of the request's source port (a firmware quirk)."""

    def take_reject(self) -> bool:
        """Consume one pending rejection; tell whether this write must be rejected."""
        if self.reject_writes > 0:
            self.reject_writes -= 1
            return True
        return False

    def take_ack_without_apply(self) -> bool:
        """Consume one pending "acknowledged but not applied"; tell whether it applies now."""
        if self.ack_without_apply > 0:
            self.ack_without_apply -= 1
            return True
        return False
