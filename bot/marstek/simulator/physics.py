"""Energy physics of one battery pack: efficiency, limits and integration over a time step."""

from __future__ import annotations

from dataclasses import dataclass

EFFICIENCY = 0.95
"""Charge and discharge efficiency at or above :data:`LOW_POWER_W` (round trip ≈ 0.90)."""
LOW_POWER_EFFICIENCY = 0.80
"""Efficiency near 0 W: inverters are poor at low load."""
LOW_POWER_W = 250.0
_EPSILON_PCT = 1e-9
_SECONDS_PER_HOUR = 3600.0


def efficiency(power_w: float) -> float:
    """Return the conversion efficiency at this AC power (either sign)."""
    magnitude = abs(power_w)
    if magnitude >= LOW_POWER_W:
        return EFFICIENCY
    return LOW_POWER_EFFICIENCY + (EFFICIENCY - LOW_POWER_EFFICIENCY) * magnitude / LOW_POWER_W


@dataclass(slots=True, kw_only=True)
class Pack:
    """State of charge and AC energy counters of one battery.

    AC power sign: + = discharging to the house, − = charging.
    """

    capacity_wh: float
    max_power_w: float
    dod_pct: float
    soc_pct: float
    standby_w: float = 3.0
    ac_output_wh: float = 0.0
    """Lifetime AC energy delivered to the house."""
    ac_input_wh: float = 0.0
    """Lifetime AC energy absorbed from the house/grid."""

    @property
    def floor_pct(self) -> float:
        """Lowest SoC the unit discharges to (100 − DOD)."""
        return 100.0 - self.dod_pct

    @property
    def is_full(self) -> bool:
        """Tell whether the pack can take no more charge."""
        return self.soc_pct >= 100.0 - _EPSILON_PCT

    @property
    def is_empty(self) -> bool:
        """Tell whether the pack has reached its DOD floor."""
        return self.soc_pct <= self.floor_pct + _EPSILON_PCT

    def limit(self, wanted_w: float) -> float:
        """Clamp a wanted AC power to the power limits and to what the SoC allows."""
        power = max(-self.max_power_w, min(self.max_power_w, wanted_w))
        if (power > 0 and self.is_empty) or (power < 0 and self.is_full):
            return 0.0
        return power

    def run(self, ac_power_w: float, seconds: float, *, standby_from_grid: bool = False) -> float:
        """Integrate ``seconds`` at this (already limited) AC power; return the seconds used.

        Less than ``seconds`` is used when the SoC reaches 100 % or the DOD floor first; the
        caller then re-evaluates the power for the rest of the step.
        """
        if seconds <= 0:
            return 0.0
        if ac_power_w == 0:
            self._idle(seconds, standby_from_grid=standby_from_grid)
            return seconds
        per_hour_pct = 100.0 / self.capacity_wh
        if ac_power_w < 0:
            stored_w = -ac_power_w * efficiency(ac_power_w)
            room_pct = 100.0 - self.soc_pct
            used = min(seconds, room_pct / (stored_w * per_hour_pct) * _SECONDS_PER_HOUR)
            gained_pct = stored_w * per_hour_pct * used / _SECONDS_PER_HOUR
            self.soc_pct = 100.0 if used < seconds else self.soc_pct + gained_pct
            self.ac_input_wh += -ac_power_w * used / _SECONDS_PER_HOUR
            return max(used, 0.0)
        drawn_w = ac_power_w / efficiency(ac_power_w)
        available_pct = self.soc_pct - self.floor_pct
        used = min(seconds, available_pct / (drawn_w * per_hour_pct) * _SECONDS_PER_HOUR)
        lost_pct = drawn_w * per_hour_pct * used / _SECONDS_PER_HOUR
        self.soc_pct = self.floor_pct if used < seconds else self.soc_pct - lost_pct
        self.ac_output_wh += ac_power_w * used / _SECONDS_PER_HOUR
        return max(used, 0.0)

    def _idle(self, seconds: float, *, standby_from_grid: bool) -> None:
        if standby_from_grid:
            self.ac_input_wh += self.standby_w * seconds / _SECONDS_PER_HOUR
            return
        # At the floor the BMS sleeps: standby no longer drains the cells.
        if self.is_empty:
            return
        drained_pct = self.standby_w * seconds / _SECONDS_PER_HOUR * 100.0 / self.capacity_wh
        self.soc_pct = max(self.floor_pct, self.soc_pct - drained_pct)
