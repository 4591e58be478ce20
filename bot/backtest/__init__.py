"""Season backtest: the bot's planner against simple strategies and the perfect-foresight optimum.

``run_backtest(options)`` simulates a Tempo season at 30-min resolution; ``format_report`` and
``render_chart`` present it. ``bot.backtest.household`` runs the same comparison on the
household's own stored history (the chat's "compare strategies"). See ``docs/backtest.md``.
SciPy (extra ``backtest``) is needed for the optimum only; matplotlib for the chart only.
"""

from __future__ import annotations

from bot.backtest.data import (
    BacktestError,
    HistorySource,
    SeasonData,
    build_season,
    lay_grid,
    load_profile,
)
from bot.backtest.optimum import OptimumUnavailableError, solve_optimum
from bot.backtest.physics import Bank, BankSpec
from bot.backtest.report import format_report
from bot.backtest.runner import (
    BacktestOptions,
    BacktestReport,
    StrategyResult,
    compare,
    load_season,
    run_backtest,
    run_trace,
)
from bot.backtest.strategies import PlannerPolicy, StrategyKey


def render_chart(report: BacktestReport, lang: str = "fr") -> bytes:
    """Render the backtest chart as PNG (matplotlib is imported only here)."""
    from bot.backtest.chart import render_chart as render

    return render(report, "en" if lang == "en" else "fr")


__all__ = [
    "BacktestError",
    "BacktestOptions",
    "BacktestReport",
    "Bank",
    "BankSpec",
    "HistorySource",
    "OptimumUnavailableError",
    "PlannerPolicy",
    "SeasonData",
    "StrategyKey",
    "StrategyResult",
    "build_season",
    "compare",
    "format_report",
    "lay_grid",
    "load_profile",
    "load_season",
    "render_chart",
    "run_backtest",
    "run_trace",
    "solve_optimum",
]
