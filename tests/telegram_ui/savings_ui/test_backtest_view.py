"""The strategy comparison in the chat (pure): table, reference, cut steps, no optimum, errors."""

from __future__ import annotations

import sys
from datetime import date

import numpy as np
import pytest

from bot.backtest import BacktestError, BacktestOptions, BacktestReport, BankSpec, StrategyKey
from bot.backtest.data import HistorySource, lay_grid
from bot.backtest.household import HistoryTooShortError
from bot.backtest.runner import compare
from bot.telegram_ui.savings_ui.view import backtest_caption, backtest_error_text, render_backtest
from bot.tempo.model import TempoColor
from bot.tempo.prices import load_price_table
from bot.tempo.seasons import Season

PRICES = load_price_table()
FIRST, LAST = date(2026, 1, 12), date(2026, 1, 14)
COLORS = {FIRST: TempoColor.BLUE, date(2026, 1, 13): TempoColor.RED, LAST: TempoColor.WHITE}


def _report(*, contract_kva: float = 9.0) -> BacktestReport:
    steps = 3 * 48
    data = lay_grid(
        Season.of(FIRST),
        first=FIRST,
        last=LAST,
        colors=COLORS,
        table=PRICES,
        price_row=PRICES.rows[1],
        load_w=np.full(steps, 1800.0),
        warmup=0,
        annual_kwh=1800.0 * 8.76,
        history=HistorySource(batteries=1, metered_pct=100.0, price_dates=(date(2025, 8, 1),)),
    )
    options = BacktestOptions(contract_kva=contract_kva, bank=BankSpec(count=2))
    return compare(data, options)


def test_french_text_has_the_history_the_reference_and_a_phone_wide_table() -> None:
    report = _report()
    text = render_backtest(report, "fr")
    assert text.startswith("🧪 <b>Les stratégies sur votre historique</b>")
    assert "Votre historique : du 12/01/2026 au 14/01/2026 (3 jours), 130 kWh consommés" in text
    reference = report.result(StrategyKey.NO_BATTERY)
    assert reference is not None
    assert f"aurait coûté <b>{reference.total_cost_eur:.2f}\u00a0€</b>".replace(".", ",") in text
    table = text.split("<pre>")[1].split("</pre>")[0]
    lines = table.splitlines()
    assert lines[0].split() == ["stratégie", "éco.", "€", "%", "opt.", "kWh"]
    assert [line.split("  ")[0] for line in lines[2:]] == [
        "sans batterie",
        "chaque nuit",
        "jours rouges",
        "planificateur",
        "optimum",
    ]
    assert max(len(line) for line in lines) <= 34
    assert len(text) <= 4096
    assert "Optimum non calculé" not in text
    assert "bridée" not in text
    assert backtest_caption(report, "en").endswith("2026-01-12 to 2026-01-14.")


def test_cut_steps_are_named_when_a_strategy_hits_the_contract() -> None:
    report = _report(contract_kva=3.0)  # 1.8 kW of house + 5 kW of charging at night
    nightly = report.result(StrategyKey.NIGHTLY)
    assert nightly is not None
    assert nightly.clipped_steps > 0
    text = render_backtest(report, "en")
    assert f"every night {nightly.clipped_steps} half-hour(s)" in text


def test_missing_scipy_keeps_the_table_and_says_why(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "scipy", None)
    monkeypatch.setitem(sys.modules, "scipy.optimize", None)
    report = _report()
    french = render_backtest(report, "fr")
    assert "Optimum non calculé : SciPy n'est pas installé" in french
    assert "planificateur" in french
    table = french.split("<pre>")[1].split("</pre>")[0]
    assert "optimum" not in table
    assert "SciPy is not installed" in render_backtest(report, "en")


@pytest.mark.parametrize(
    ("code", "french", "english"),
    [
        ("no_history", "au moins 3 jours Tempo complets", "at least 3 complete Tempo days"),
        ("no_meter", "aucune mesure du compteur", "no meter readings"),
        ("too_short", "(1 pour l'instant)", "(1 so far)"),
    ],
)
def test_too_little_history_is_one_sentence(code: str, french: str, english: str) -> None:
    err = HistoryTooShortError(code, found_days=1, needed_days=3)
    assert french in backtest_error_text(err, "fr")
    assert english in backtest_error_text(err, "en")


def test_other_errors_get_a_generic_sentence() -> None:
    text = backtest_error_text(BacktestError("no Tempo colour or price for 2026-01-13"), "fr")
    assert text == "🧪 La comparaison n'a pas pu être faite sur votre historique."
