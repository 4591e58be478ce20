"""Tariff slots for the planner, from the Tempo calendar, the known colours and the price table."""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping
from datetime import date, datetime, timedelta
from functools import lru_cache
from types import MappingProxyType
from zoneinfo import ZoneInfo

from bot.tempo.calendar import PARIS, local_date, require_aware
from bot.tempo.model import TariffPeriod, TempoColor
from bot.tempo.prices import PriceTable, TempoPrices, priced_slices
from bot.tempo.rules import possible_colors

from .model import TariffSlot

LOOKAHEAD = timedelta(days=1)
"""How far past the plan's horizon slots are built: the last night looks at the next day."""

ColorBounds = Callable[[date], frozenset[TempoColor]]
_NO_PRICES: Mapping[TempoColor, float] = MappingProxyType({})


@lru_cache(maxsize=64)
def _by_color(row: TempoPrices, period: TariffPeriod) -> Mapping[TempoColor, float]:
    """Return the price of every colour in ``period`` (read-only; shared between slots)."""
    return MappingProxyType({color: row.price_eur_per_kwh(color, period) for color in TempoColor})


def build_tariff_slots(
    start: datetime,
    end: datetime,
    *,
    colors: Mapping[date, TempoColor],
    prices: PriceTable,
    confirmed: Collection[date] | None = None,
    bounds: ColorBounds | None = None,
    tz: ZoneInfo = PARIS,
) -> tuple[TariffSlot, ...]:
    """Return the slots covering ``[start, end + LOOKAHEAD)``, split at HP/HC and price changes.

    ``colors`` holds the known days only; an unknown day gets the colours the Tempo rules still
    allow (``bounds``, default :func:`bot.tempo.rules.possible_colors` over ``colors``).
    ``confirmed`` lists days whose colour is binding (default: every known day).
    """
    bound = bounds or (lambda day: possible_colors(day, colors))
    slots: list[TariffSlot] = []
    for piece in priced_slices(
        require_aware(start), require_aware(end) + LOOKAHEAD, colors, prices, tz
    ):
        row = prices.in_force(local_date(piece.start, tz))
        by_color = _by_color(row, piece.period) if row is not None else _NO_PRICES
        color = piece.color
        slots.append(
            TariffSlot(
                start=piece.start,
                end=piece.end,
                tempo_day=piece.tempo_day,
                period=piece.period,
                color=color,
                possible_colors=frozenset({color}) if color else bound(piece.tempo_day),
                confirmed=color is not None and (confirmed is None or piece.tempo_day in confirmed),
                prices_eur_kwh=by_color,
            )
        )
    return tuple(slots)
