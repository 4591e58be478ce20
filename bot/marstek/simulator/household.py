"""Household load and PV profiles that drive Auto mode and the meter."""

from __future__ import annotations

import math
import random
from collections.abc import Callable
from datetime import datetime

from bot.marstek.simulator.control import LOCAL_TZ

PowerProfile = Callable[[datetime], float]
"""Instant → power in W (≥ 0)."""

NIGHT_LOAD_W = 300.0
_PEAKS = (  # (local hour, height W, width h): breakfast, lunch, evening cooking and lights
    (7.5, 900.0, 0.8),
    (12.5, 350.0, 1.0),
    (19.5, 1400.0, 1.3),
)


def no_pv(_at: datetime) -> float:
    """No PV production."""
    return 0.0


def constant(power_w: float) -> PowerProfile:
    """Return a profile that is ``power_w`` at every instant."""

    def profile(_at: datetime) -> float:
        return power_w

    return profile


def default_load_curve(seed: int | None = None) -> PowerProfile:
    """Return a plausible daily house load (≈300 W at night, morning and evening peaks).

    The shape is fixed; the seed only picks a per-house scale, a small time shift and the phase
    of a gentle wiggle, so the same seed always gives the same curve.
    """
    rng = random.Random(seed)
    scale = rng.uniform(0.8, 1.2)
    shift_h = rng.uniform(-0.5, 0.5)
    phase_a = rng.uniform(0.0, math.tau)
    phase_b = rng.uniform(0.0, math.tau)

    def load(at: datetime) -> float:
        local = at.astimezone(LOCAL_TZ)
        hour = local.hour + local.minute / 60 + local.second / 3600 - shift_h
        bumps = sum(
            height * math.exp(-(((hour - centre) / width) ** 2) / 2)
            for centre, height, width in _PEAKS
        )
        minutes = at.timestamp() / 60
        wiggle = 0.06 * math.sin(math.tau * minutes / 37 + phase_a) + 0.04 * math.sin(
            math.tau * minutes / 11 + phase_b
        )
        return max(0.0, (NIGHT_LOAD_W + bumps) * scale * (1 + wiggle))

    return load
