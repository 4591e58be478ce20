"""Bank physics at 30-min resolution: power limits, efficiencies, DOD floor, contract power.

Like the battery simulator, but with constant efficiencies (the LP optimum needs them linear):
a battery charged with ``E`` Wh from the grid stores ``ηc × E``; ``S`` stored Wh deliver
``ηd × S`` to the house. Self-consumption covers the house load only (nothing is exported), the
batteries following it share the load by their power. Charging is cut back so the grid draw
stays under the contract power (a real bank would trip the breaker): such steps are counted.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from bot.planning.model import (
    CHARGING_MODES,
    SELF_CONSUMING_MODES,
    Action,
    ActionKind,
    BatteryState,
)

from .data import STEP_H


@dataclass(frozen=True, slots=True, kw_only=True)
class BankSpec:
    """The battery bank: ``count`` identical units (default 3 × Venus E)."""

    count: int = 3
    capacity_wh: float = 5120.0
    min_soc_pct: float = 12.0
    max_charge_w: float = 2500.0
    max_discharge_w: float = 2500.0
    charge_efficiency: float = 0.94
    discharge_efficiency: float = 0.94
    start_soc_pct: float | None = None
    """SoC at the start of the season (default: the DOD floor, an empty bank)."""

    @property
    def names(self) -> tuple[str, ...]:
        """Return the units' names."""
        return tuple(f"Venus {index + 1}" for index in range(self.count))

    @property
    def floor_wh(self) -> float:
        """Return one unit's stored energy at the DOD floor."""
        return self.capacity_wh * self.min_soc_pct / 100.0

    def battery(self, name: str, soc_pct: float) -> BatteryState:
        """Return one unit as the planner sees it."""
        return BatteryState(
            name=name,
            soc_pct=soc_pct,
            capacity_wh=self.capacity_wh,
            min_soc_pct=self.min_soc_pct,
            max_charge_w=self.max_charge_w,
            max_discharge_w=self.max_discharge_w,
            charge_efficiency=self.charge_efficiency,
            discharge_efficiency=self.discharge_efficiency,
        )


@dataclass(frozen=True, slots=True, kw_only=True)
class StepResult:
    """What one 30-min step did: grid import, battery AC energies, whether charging was cut."""

    grid_w: float
    charged_wh: float
    discharged_wh: float
    clipped: bool


class Bank:
    """The bank's stored energy, moved step by step by the actions of a strategy."""

    def __init__(self, spec: BankSpec) -> None:
        self.spec = spec
        start = spec.min_soc_pct if spec.start_soc_pct is None else spec.start_soc_pct
        self.energy_wh = [spec.capacity_wh * start / 100.0] * spec.count

    def soc_pct(self) -> list[float]:
        """Return each unit's SoC."""
        return [energy / self.spec.capacity_wh * 100.0 for energy in self.energy_wh]

    def states(self) -> tuple[BatteryState, ...]:
        """Return the units as the planner sees them."""
        return tuple(
            self.spec.battery(name, soc)
            for name, soc in zip(self.spec.names, self.soc_pct(), strict=True)
        )

    def _floor(self, action: Action) -> float:
        spec = self.spec
        floor = spec.floor_wh
        for pct in (action.floor_soc_pct, action.target_soc_pct):
            if pct is not None and action.kind is not ActionKind.CHARGE:
                floor = max(floor, spec.capacity_wh * pct / 100.0)
        return floor

    def step(self, actions: Sequence[Action], load_w: float, contract_w: float) -> StepResult:
        """Apply ``actions`` (one per unit) for 30 min against ``load_w`` of house load."""
        spec = self.spec
        charge = [0.0] * spec.count
        give = [0.0] * spec.count
        followers: list[int] = []
        for index, action in enumerate(actions):
            stored = self.energy_wh[index]
            kind = action.kind
            if kind is ActionKind.CHARGE or (
                kind is ActionKind.DEVICE_MODE and action.device_mode in CHARGING_MODES
            ):
                power = spec.max_charge_w if action.power_w is None else -action.power_w
                ceiling = spec.capacity_wh * (action.target_soc_pct or 100.0) / 100.0
                room = max(ceiling - stored, 0.0) / spec.charge_efficiency
                charge[index] = min(min(power, spec.max_charge_w) * STEP_H, room)
            elif kind is ActionKind.DISCHARGE:
                available = max(stored - self._floor(action), 0.0) * spec.discharge_efficiency
                power = min(action.power_w or 0.0, spec.max_discharge_w)
                give[index] = min(power * STEP_H, available)
            elif kind is ActionKind.SELF_CONSUMPTION or (
                kind is ActionKind.DEVICE_MODE and action.device_mode in SELF_CONSUMING_MODES
            ):
                followers.append(index)
        load_wh = load_w * STEP_H
        self._follow(actions, followers, max(load_wh - sum(give), 0.0), give)
        delivered = sum(give)
        allowed = max(contract_w * STEP_H - (load_wh - delivered), 0.0)
        wanted = sum(charge)
        clipped = wanted > allowed + 1e-9
        if clipped:
            charge = [value * allowed / wanted for value in charge]
        for index in range(spec.count):
            self.energy_wh[index] += (
                charge[index] * spec.charge_efficiency - give[index] / spec.discharge_efficiency
            )
        grid_wh = max(load_wh - delivered + sum(charge), 0.0)
        return StepResult(
            grid_w=grid_wh / STEP_H,
            charged_wh=sum(charge),
            discharged_wh=delivered,
            clipped=clipped,
        )

    def _follow(
        self, actions: Sequence[Action], followers: list[int], need_wh: float, give: list[float]
    ) -> None:
        """Share ``need_wh`` of house load among the self-consuming units (water-filling)."""
        spec = self.spec
        room = {
            index: min(
                spec.max_discharge_w * STEP_H,
                max(self.energy_wh[index] - self._floor(actions[index]), 0.0)
                * spec.discharge_efficiency,
            )
            for index in followers
        }
        active = [index for index in followers if room[index] > 0]
        while need_wh > 1e-9 and active:
            share = need_wh / len(active)
            taken = 0.0
            for index in active:
                amount = min(share, room[index])
                give[index] += amount
                room[index] -= amount
                taken += amount
            need_wh -= taken
            active = [index for index in active if room[index] > 1e-9]
