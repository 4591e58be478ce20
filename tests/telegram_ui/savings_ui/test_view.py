"""The /economies text and the daily alert's numbers, per language (pure functions)."""

from __future__ import annotations

from datetime import UTC, date, datetime

from bot.alerts import Alert, AlertKind, Severity
from bot.savings import DaySavings
from bot.savings.daily import DailySettings
from bot.telegram_ui.alert_text import render_alert
from bot.telegram_ui.savings_ui.view import chart_days, overview, render_overview
from bot.tempo.calendar import PARIS
from bot.tempo.model import TempoColor


def _day(day: date, value_eur: float, *, unpriced_wh: float = 0.0) -> DaySavings:
    return DaySavings(
        day=day,
        color=TempoColor.RED,
        batteries=(),
        charged_wh=0.0,
        discharged_wh=1500.0,
        cost_eur=0.0,
        value_eur=value_eur,
        unpriced_wh=unpriced_wh,
    )


def test_overview_splits_today_month_season_total() -> None:
    days = [
        _day(date(2025, 8, 30), 1.0),
        _day(date(2025, 12, 31), 2.0),
        _day(date(2026, 1, 14), 4.0),
    ]
    view = overview(days, date(2026, 1, 14))
    assert (view.today.savings_eur, view.month.savings_eur) == (4.0, 4.0)
    assert (view.season.savings_eur, view.total.savings_eur) == (6.0, 7.0)
    assert view.total.first == date(2025, 8, 30)
    fr = render_overview(view, DailySettings(enabled=True, hour=7), "fr")
    assert "Aujourd'hui (🔴 Rouge) : <b>4,00\u00a0€</b>" in fr
    assert "Depuis l'installation (30/08/2025) : <b>7,00\u00a0€</b>" in fr
    assert "chaque jour à 07h00" in fr
    en = render_overview(view, DailySettings(), "en")
    assert "This month: <b>€4.00</b>" in en
    assert "Daily summary: off" in en


def test_unpriced_energy_is_mentioned_and_no_data_is_zero() -> None:
    text = render_overview(
        overview([_day(date(2026, 1, 14), 0.0, unpriced_wh=2500.0)], date(2026, 1, 14)),
        DailySettings(),
        "fr",
    )
    assert "2,5 kWh sans couleur Tempo ou sans prix connu" in text
    empty = overview([], date(2026, 1, 14))
    assert empty.today.color is None
    assert empty.total.savings_eur == 0.0


def test_chart_days_last_30_or_season() -> None:
    days = [_day(date(2025, 8, 31), 1.0), _day(date(2025, 12, 1), 1.0), _day(date(2026, 1, 1), 1.0)]
    assert [d.day for d in chart_days(days, date(2026, 1, 14), season=False)] == [date(2026, 1, 1)]
    assert [d.day for d in chart_days(days, date(2026, 1, 14), season=True)] == [
        date(2025, 12, 1),
        date(2026, 1, 1),
    ]


def test_daily_alert_is_rendered_per_language_and_survives_bad_params() -> None:
    alert = Alert(
        kind=AlertKind.SAVINGS_DAILY,
        severity=Severity.INFO,
        created_at=datetime(2026, 1, 15, 19, tzinfo=UTC),
        dedup_key="savings_daily:2026-01-14",
        params={
            "day": "2026-01-14",
            "color": "BLUE",
            "savings_eur": -0.1234,
            "charged_wh": 5000.0,
            "discharged_wh": 3000.0,
            "month_eur": 12.5,
            "season_eur": 80.0,
            "total_eur": 1234.5,
        },
    )
    fr = render_alert(alert, "fr", PARIS)
    assert "Économies du 14/01/2026</b> 🔵 Bleu" in fr
    assert "<b>−0,12\u00a0€</b> (rendu à la maison 3,0 kWh · acheté 5,0 kWh)" in fr
    assert "total : 1\u202f234,50\u00a0€" in fr
    assert "Savings on 2026-01-14" in render_alert(alert, "en", PARIS)
    broken = Alert(
        kind=AlertKind.SAVINGS_DAILY,
        severity=Severity.INFO,
        created_at=alert.created_at,
        dedup_key="x",
        params={"day": "<b>", "color": "PINK", "savings_eur": "lots"},
    )
    text = render_alert(broken, "fr", PARIS)
    assert "Économies du —" in text
    assert "❔ inconnu" in text
