"""The planner's push messages read well in both languages."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.alerts import Alert, AlertKind, Severity
from bot.telegram_ui.alert_text import render_alert
from bot.tempo.calendar import PARIS

NOW = datetime(2026, 1, 14, 18, 0, tzinfo=UTC)


def test_evening_message_says_what_happens_tonight() -> None:
    alert = Alert(
        kind=AlertKind.PLAN_TONIGHT,
        severity=Severity.INFO,
        created_at=NOW,
        dedup_key="x",
        params={
            "day": "2026-01-15",
            "color": "RED",
            "confirmed": 1,
            "start": "2026-01-14T21:00:00+00:00",
            "end": "2026-01-15T04:30:00+00:00",
            "power_w": 1200,
            "target": 100,
            "batteries": 3,
        },
    )
    assert render_alert(alert, "fr", PARIS) == (
        "📅 Demain (15/01) : 🔴 Rouge (confirmé)\n"
        "Cette nuit : recharge 22h00–05h30 à 1,2 kW par batterie, objectif 100 %."
    )
    assert "Tonight: charging 22:00–05:30 at 1.2 kW per battery, target 100%." in render_alert(
        alert, "en", PARIS
    )


def test_morning_report_gives_energy_and_cost() -> None:
    alert = Alert(
        kind=AlertKind.PRECHARGE_REPORT,
        severity=Severity.INFO,
        created_at=NOW,
        dedup_key="y",
        params={
            "socs": "99,100,98",
            "target": 100.0,
            "bought_wh": 10450,
            "price": 0.1575,
            "cost": 1.65,
        },
    )
    text = render_alert(alert, "fr", PARIS)
    assert "SoC 99 / 100 / 98 %" in text
    assert "10,4 kWh achetés à 0,1575\u00a0€/kWh, soit 1,65\u00a0€" in text
