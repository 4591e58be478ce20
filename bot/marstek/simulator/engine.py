"""Device physics on the clock: pending mode changes, lazy sub-stepped integration, meter."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.marstek.simulator.clock import Clock
from bot.marstek.simulator.control import ControlState, ModeCommand
from bot.marstek.simulator.household import PowerProfile, no_pv
from bot.marstek.simulator.methods import Snapshot
from bot.marstek.simulator.physics import Pack
from bot.marstek.simulator.profiles import UnitConfig

MAX_STEP_S = 60.0
"""Longest integration sub-step; steps also stop on every UTC minute (manual slot edges)."""
_IDLE_TEMP_C = 24.0
_FULL_LOAD_WARMING_C = 8.0
_SECONDS_PER_HOUR = 3600.0


@dataclass(frozen=True, slots=True, kw_only=True)
class _Pending:
    at: datetime
    command: ModeCommand


def _next_minute(at: datetime) -> datetime:
    return at.replace(second=0, microsecond=0) + timedelta(minutes=1)


class Engine:
    """The state of one unit, integrated lazily up to ``clock.now()`` when asked."""

    def __init__(
        self, config: UnitConfig, *, clock: Clock, rng: random.Random, load_w: PowerProfile
    ) -> None:
        self._config = config
        self._clock = clock
        self._rng = rng
        self.pack = Pack(
            capacity_wh=config.capacity_wh,
            max_power_w=config.max_power_w,
            dod_pct=config.dod_pct,
            soc_pct=config.initial_soc_pct,
            standby_w=config.standby_w,
        )
        self.control = ControlState()
        self._pending: list[_Pending] = []
        self._load = load_w
        self._pv: PowerProfile = no_pv
        self._grid_import_wh = 0.0
        self._grid_export_wh = 0.0
        self._last = clock.now()

    @property
    def pending_changes(self) -> int:
        """Mode changes acknowledged but not in effect yet."""
        return len(self._pending)

    def catch_up(self) -> None:
        """Integrate from the last instant to ``clock.now()`` in sub-steps."""
        until = self._clock.now()
        while self._last < until:
            self._apply_due(self._last)
            end = min(until, _next_minute(self._last), self._last + timedelta(seconds=MAX_STEP_S))
            if self._pending:
                end = min(end, self._pending[0].at)
            event = self.control.next_event(self._last)
            if event is not None:
                end = min(end, event)
            self._step(end)
        self._apply_due(self._last)

    def power_w(self) -> float:
        """AC power at the last integrated instant (+ = discharging)."""
        return self.pack.limit(self._wanted_at(self._last))

    def grid_power_w(self) -> float:
        """Meter power at the last integrated instant (+ = import)."""
        return self._net_load_w(self._last) - self.power_w()

    def set_household(self, load_w: PowerProfile, pv_w: PowerProfile | None) -> None:
        """Replace the house load and PV from the last integrated instant on."""
        self._load = load_w
        self._pv = pv_w if pv_w is not None else no_pv

    def submit(self, command: ModeCommand) -> None:
        """Apply ``command`` after the configured apply delay (at once when it is zero)."""
        low, high = self._config.apply_delay_s
        delay_s = self._rng.uniform(low, high) if high > 0 else 0.0
        if delay_s <= 0 and not self._pending:
            self.control.apply(command, self._last)
            return
        at = self._last + timedelta(seconds=delay_s)
        if self._pending:
            at = max(at, self._pending[-1].at)  # changes apply in the order they were sent
        self._pending.append(_Pending(at=at, command=command))

    def apply_now(self, command: ModeCommand) -> None:
        """Apply ``command`` immediately (a change made in the app)."""
        self.control.apply(command, self._last)

    def reset(self) -> None:
        """Back to Auto with no slots, no pending change and the configured DOD."""
        self.control = ControlState()
        self._pending.clear()
        self.pack.dod_pct = self._config.dod_pct

    def snapshot(self) -> Snapshot:
        """Return the state at the last integrated instant."""
        power_w = self.power_w()
        return Snapshot(
            soc_pct=self.pack.soc_pct,
            mode=self.control.mode,
            ac_power_w=power_w,
            grid_power_w=self._net_load_w(self._last) - power_w,
            pv_power_w=0.0,
            capacity_wh=self.pack.capacity_wh,
            floor_pct=self.pack.floor_pct,
            ac_output_wh=self.pack.ac_output_wh,
            ac_input_wh=self.pack.ac_input_wh,
            grid_import_wh=self._grid_import_wh,
            grid_export_wh=self._grid_export_wh,
            bat_temp_c=_IDLE_TEMP_C + _FULL_LOAD_WARMING_C * abs(power_w) / self.pack.max_power_w,
        )

    def _net_load_w(self, at: datetime) -> float:
        return self._load(at) - self._pv(at)

    def _wanted_at(self, at: datetime) -> float:
        return self.control.wanted_power_w(
            at, net_load_w=self._net_load_w(at), max_power_w=self._config.max_power_w
        )

    def _apply_due(self, at: datetime) -> None:
        while self._pending and self._pending[0].at <= at:
            change = self._pending.pop(0)
            self.control.apply(change.command, change.at)

    def _step(self, end: datetime) -> None:
        start = self._last
        seconds = (end - start).total_seconds()
        wanted_w = self._wanted_at(start)
        power_w = self.pack.limit(wanted_w)
        grid_w = self._net_load_w(start) - power_w
        # A full pack that is told to charge keeps its electronics on grid power instead of
        # draining the cells and topping up again every minute.
        topped_up = wanted_w < 0 and self.pack.is_full
        used_s = self.pack.run(power_w, seconds, standby_from_grid=topped_up)
        if used_s < seconds:
            end = start + timedelta(seconds=used_s)
            if end <= start:  # sub-microsecond remainder: the pack is at its limit anyway
                end = start + timedelta(microseconds=1)
            used_s = (end - start).total_seconds()
        if grid_w >= 0:
            self._grid_import_wh += grid_w * used_s / _SECONDS_PER_HOUR
        else:
            self._grid_export_wh += -grid_w * used_s / _SECONDS_PER_HOUR
        self._last = end
