"""Report text, chart PNG and the ``python -m bot backtest`` command, on a short window."""

from __future__ import annotations

import argparse
import sys
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

import bot.backtest.cli as backtest_cli
from bot.backtest import (
    BacktestError,
    BacktestOptions,
    BacktestReport,
    StrategyKey,
    format_report,
    render_chart,
    run_backtest,
)
from bot.cli import CliError
from bot.settings import Settings

WINDOW = BacktestOptions(season="2022-2023", first_day=date(2023, 1, 16), days=7, wear_eur_kwh=0.02)


@pytest.fixture(scope="module")
def report() -> BacktestReport:
    return run_backtest(WINDOW)


def test_report_rows_and_orders(report: BacktestReport) -> None:
    assert [row.key for row in report.results] == list(StrategyKey)
    none = report.result(StrategyKey.NO_BATTERY)
    optimum = report.result(StrategyKey.OPTIMUM)
    assert none is not None
    assert optimum is not None
    assert (none.saved_eur, none.cycled_kwh) == (0.0, 0.0)
    assert optimum.share_of_optimum_pct == pytest.approx(100.0)
    for row in report.results:
        assert row.saved_eur <= optimum.saved_eur + 1e-6
        assert len(row.daily_saved_eur) == len(report.days) == 7
        assert row.daily_saved_eur[-1] == pytest.approx(row.saved_eur)
        assert row.total_cost_eur == pytest.approx(none.total_cost_eur - row.saved_eur)


def test_report_text_in_both_languages(report: BacktestReport) -> None:
    french = format_report(report, "fr")
    assert "planificateur du bot" in french
    assert "grille en vigueur au 2026-08-01" in french
    assert "CC BY-SA 4.0" in french
    assert "16/01/2023 → 22/01/2023, 7 jours" in french
    english = format_report(report, "en")
    assert "optimum (perfect foresight)" in english
    assert "single source: verify" in english


def test_chart_is_a_png(report: BacktestReport) -> None:
    png = render_chart(report, "en")
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    assert len(png) > 10_000


def test_missing_scipy_drops_only_the_optimum(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "scipy", None)
    monkeypatch.setitem(sys.modules, "scipy.optimize", None)
    partial = run_backtest(replace(WINDOW, days=2, strategies=(StrategyKey.OPTIMUM,)))
    assert [row.key for row in partial.results] == [StrategyKey.NO_BATTERY]
    assert partial.optimum_missing is not None
    assert "SciPy" in format_report(partial, "en")


def test_command_prints_the_table_and_writes_the_chart(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, report: BacktestReport
) -> None:
    seen: list[BacktestOptions] = []

    def fake_run(options: BacktestOptions) -> BacktestReport:
        seen.append(options)
        return report

    monkeypatch.setattr(backtest_cli, "run_backtest", fake_run)
    lines: list[str] = []
    chart = tmp_path / "out.png"
    args = argparse.Namespace(
        season="2021-2022", annual_kwh=5000.0, contract_kva=None, wear=0.02, chart=chart, lang="en"
    )
    settings = Settings(contract_power_kva=6.0, precharge_target_soc_pct=90.0)
    assert backtest_cli.run_backtest_command(settings, args, echo=lines.append) == 0
    (options,) = seen
    assert (options.season, options.annual_kwh, options.contract_kva) == ("2021-2022", 5000.0, 6.0)
    assert options.strategy is not None
    assert options.strategy.target_soc_pct == 90.0
    assert options.strategy.wear_cost_eur_kwh == 0.02
    assert "the bot's planner" in lines[0]
    assert lines[-1] == f"Chart written to {chart}"
    assert chart.read_bytes().startswith(b"\x89PNG")


def test_command_errors_are_one_sentence(monkeypatch: pytest.MonkeyPatch) -> None:
    args = argparse.Namespace(
        season="2099", annual_kwh=None, contract_kva=None, wear=None, chart=None, lang=None
    )
    with pytest.raises(CliError, match="2099"):
        backtest_cli.run_backtest_command(Settings(), args, echo=print)
    args.season, args.wear = "2022-2023", -1.0
    with pytest.raises(CliError, match="negative"):
        backtest_cli.run_backtest_command(Settings(), args, echo=print)

    def broken(_options: BacktestOptions) -> BacktestReport:
        raise BacktestError("no Tempo colours for 2030-09-01")

    monkeypatch.setattr(backtest_cli, "run_backtest", broken)
    args.wear = None
    with pytest.raises(CliError, match="2030"):
        backtest_cli.run_backtest_command(Settings(), args, echo=print)
