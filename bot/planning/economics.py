"""When cycling pays: the explicit money rules behind every charge decision.

Energy is valued in the battery (stored, DC side). A stored kWh used in a peak hour at price
``p`` saves ``ηd × (p − wear)`` (it delivers ``ηd`` kWh to the house, each one billed ``p`` less
and costing ``wear`` in cell ageing). Storing it in an off-peak hour at price ``c`` costs
``c / ηc``. Charging pays when the first exceeds the second, which is the same as
``p > c / (ηc × ηd) + wear`` per kWh delivered.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from bot.tempo.model import TempoColor

from .model import ReasonCode, StrategySettings


def stored_value_eur_kwh(peak_price: float, discharge_efficiency: float, wear: float) -> float:
    """Return what one stored kWh saves when discharged in a peak hour at ``peak_price``."""
    return discharge_efficiency * (peak_price - wear)


def stored_cost_eur_kwh(offpeak_price: float, charge_efficiency: float) -> float:
    """Return what storing one kWh costs when bought at ``offpeak_price``."""
    return offpeak_price / charge_efficiency


def charge_margin_eur_kwh(
    offpeak_price: float,
    peak_price: float,
    *,
    charge_efficiency: float,
    discharge_efficiency: float,
    wear: float,
) -> float:
    """Return the gain per stored kWh of buying at ``offpeak_price`` to use at ``peak_price``."""
    value = stored_value_eur_kwh(peak_price, discharge_efficiency, wear)
    return value - stored_cost_eur_kwh(offpeak_price, charge_efficiency)


def top_up_worth(
    today_peak: float, next_peak: float, *, charge_eff: float, discharge_eff: float, wear: float
) -> bool:
    """Tell whether buying at today's peak price to use at the next peak price pays."""
    margin = charge_margin_eur_kwh(
        today_peak,
        next_peak,
        charge_efficiency=charge_eff,
        discharge_efficiency=discharge_eff,
        wear=wear,
    )
    return margin > 0


@dataclass(frozen=True, slots=True, kw_only=True)
class NightDecision:
    """What to store during one off-peak night for the following peak hours.

    ``fill``: charge to the strategy's target SoC. Otherwise ``energy_wh`` is the stored energy
    (above the floors, whole bank) to hold at 06:00, ``0`` meaning "do not charge".
    ``peak_price`` is the price the stored energy is expected to save at (``None`` if unknown).
    """

    reason: ReasonCode
    fill: bool
    energy_wh: float
    margin_eur_kwh: float | None
    peak_price: float | None


@dataclass(frozen=True, slots=True, kw_only=True)
class DayTariff:
    """What is known of one period of one Tempo day: its colour (or the possible ones), prices."""

    color: TempoColor | None
    possible: frozenset[TempoColor]
    prices_eur_kwh: Mapping[TempoColor, float]

    @property
    def colors(self) -> frozenset[TempoColor]:
        """Return the colour as a singleton when known, else the possible colours."""
        return frozenset({self.color}) if self.color is not None else self.possible

    def lowest(self) -> float:
        """Return the lowest price among the colours this period can take."""
        return min(self.prices_eur_kwh[color] for color in self.colors)

    def highest(self) -> float:
        """Return the highest price among the colours this period can take."""
        return max(self.prices_eur_kwh[color] for color in self.colors)


def red_like(settings: StrategySettings) -> frozenset[TempoColor]:
    """Return the colours the strategy precharges for unconditionally."""
    if settings.treat_white_as_red:
        return frozenset({TempoColor.RED, TempoColor.WHITE})
    return frozenset({TempoColor.RED})


def decide_night(
    night: DayTariff,
    peak: DayTariff,
    *,
    settings: StrategySettings,
    charge_eff: float,
    discharge_eff: float,
    peak_load_wh: float,
    usable_wh: float,
) -> NightDecision:
    """Decide what to store during ``night`` for the ``peak`` hours that follow it.

    Red (and white if treated as red) always fills to the target; an unknown colour that may be
    red fills too when the strategy asks for insurance. Otherwise charging must pay (see the module
    doc): if even the cheapest peak hour of any colour pays the energy back, fill (left-over
    energy is not lost, it serves later); if not, store only what the forecast peak load uses.
    """
    if not night.prices_eur_kwh or not peak.prices_eur_kwh:
        return NightDecision(
            reason=ReasonCode.NO_TARIFF,
            fill=False,
            energy_wh=0.0,
            margin_eur_kwh=None,
            peak_price=None,
        )
    wear = settings.wear_cost_eur_kwh
    offpeak = night.highest()

    def margin(peak_price: float) -> float:
        return charge_margin_eur_kwh(
            offpeak,
            peak_price,
            charge_efficiency=charge_eff,
            discharge_efficiency=discharge_eff,
            wear=wear,
        )

    strong = red_like(settings)
    if peak.color in strong:
        reason = (
            ReasonCode.PRECHARGE_RED
            if peak.color is TempoColor.RED
            else (ReasonCode.PRECHARGE_WHITE)
        )
        price = peak.prices_eur_kwh[peak.color]
        return NightDecision(
            reason=reason,
            fill=True,
            energy_wh=usable_wh,
            margin_eur_kwh=margin(price),
            peak_price=price,
        )
    if peak.color is None and peak.possible & strong and settings.precharge_when_unknown:
        price = max(peak.prices_eur_kwh[color] for color in peak.possible & strong)
        return NightDecision(
            reason=ReasonCode.PRECHARGE_UNKNOWN,
            fill=True,
            energy_wh=usable_wh,
            margin_eur_kwh=margin(price),
            peak_price=price,
        )
    price = peak.lowest()
    gain = margin(price)
    if gain <= 0:
        return NightDecision(
            reason=ReasonCode.NOT_WORTH,
            fill=False,
            energy_wh=0.0,
            margin_eur_kwh=gain,
            peak_price=price,
        )
    if margin(min(peak.prices_eur_kwh.values())) >= 0:
        return NightDecision(
            reason=ReasonCode.PRECHARGE_ECONOMIC,
            fill=True,
            energy_wh=usable_wh,
            margin_eur_kwh=gain,
            peak_price=price,
        )
    wanted = peak_load_wh / discharge_eff * settings.forecast_safety_factor
    return NightDecision(
        reason=ReasonCode.PRECHARGE_ECONOMIC,
        fill=False,
        energy_wh=min(usable_wh, wanted),
        margin_eur_kwh=gain,
        peak_price=price,
    )
