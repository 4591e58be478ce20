"""EDF Tempo: calendar rules, prices with effective dates, colour sources with fallback.

The planner and charts use the pure functions (:mod:`bot.tempo.calendar`, :mod:`bot.tempo.rules`,
:mod:`bot.tempo.prices`); the bot wires :class:`TempoService` (sources + store) and drives it with
:class:`TempoFetchScheduler`. See ``docs/tempo.md``.
"""

from __future__ import annotations

from bot.tempo.calendar import (
    PARIS,
    TariffSlice,
    color_at,
    hc_window,
    hp_window,
    iter_tariff_periods,
    period_at,
    tempo_day_at,
    tempo_day_bounds,
)
from bot.tempo.errors import TempoDataError, TempoError, TempoSourceError
from bot.tempo.history import load_history
from bot.tempo.model import TariffPeriod, TempoColor, TempoDayRecord, TempoDayStore
from bot.tempo.prices import PricedSlice, PriceTable, TempoPrices, load_price_table, price_at
from bot.tempo.rules import possible_colors, validate_season
from bot.tempo.schedule import FetchScheduleConfig, TempoFetchScheduler
from bot.tempo.seasons import Season, SeasonCounters, season_counters
from bot.tempo.service import DayOutlook, TempoService
from bot.tempo.sources import SourceDay, SourceEndpoints, TempoSource, build_sources
from bot.tempo.store import InMemoryTempoDayStore, merge_day_records

__all__ = [
    "PARIS",
    "DayOutlook",
    "FetchScheduleConfig",
    "InMemoryTempoDayStore",
    "PriceTable",
    "PricedSlice",
    "Season",
    "SeasonCounters",
    "SourceDay",
    "SourceEndpoints",
    "TariffPeriod",
    "TariffSlice",
    "TempoColor",
    "TempoDataError",
    "TempoDayRecord",
    "TempoDayStore",
    "TempoError",
    "TempoFetchScheduler",
    "TempoPrices",
    "TempoService",
    "TempoSource",
    "TempoSourceError",
    "build_sources",
    "color_at",
    "hc_window",
    "hp_window",
    "iter_tariff_periods",
    "load_history",
    "load_price_table",
    "merge_day_records",
    "period_at",
    "possible_colors",
    "price_at",
    "season_counters",
    "tempo_day_at",
    "tempo_day_bounds",
    "validate_season",
]
