"""``python -m bot backtest``: options from the command line and settings, a report printed."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import TYPE_CHECKING

from bot.planning import StrategySettings

from .data import BacktestError
from .report import Lang, format_report
from .runner import BacktestOptions, run_backtest

if TYPE_CHECKING:
    from bot.settings import Settings


def options_from_args(settings: Settings, args: argparse.Namespace) -> BacktestOptions:
    """Return the backtest options: command-line values first, then the bot's settings."""
    wear = getattr(args, "wear", None)
    wear = 0.0 if wear is None else wear
    if wear < 0:
        raise BacktestError("the wear cost cannot be negative")
    kva = getattr(args, "contract_kva", None) or settings.contract_power_kva
    annual = getattr(args, "annual_kwh", None)
    if annual is not None and annual <= 0:
        raise BacktestError("the annual consumption must be positive")
    return BacktestOptions(
        season=getattr(args, "season", None) or "2022-2023",
        annual_kwh=annual,
        contract_kva=kva,
        wear_eur_kwh=wear,
        prices_file=settings.prices_file,
        strategy=StrategySettings(
            target_soc_pct=settings.precharge_target_soc_pct, wear_cost_eur_kwh=wear
        ),
    )


def run_backtest_command(
    settings: Settings, args: argparse.Namespace, *, echo: Callable[[str], None]
) -> int:
    """Run the backtest, print the table, write the chart if asked; return the exit code."""
    from bot.cli import CliError

    lang: Lang = getattr(args, "lang", None) or settings.language
    try:
        report = run_backtest(options_from_args(settings, args))
    except BacktestError as err:
        raise CliError(str(err)) from err
    echo(format_report(report, lang))
    chart_path = getattr(args, "chart", None)
    if chart_path is not None:
        from .chart import render_chart

        try:
            chart_path.write_bytes(render_chart(report, lang))
        except OSError as err:
            raise CliError(f"cannot write {chart_path}: {err.strerror}") from err
        echo(("Graphique écrit dans " if lang == "fr" else "Chart written to ") + str(chart_path))
    return 0
