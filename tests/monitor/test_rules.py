"""Alert rules: thresholds with hysteresis, drift with a grace period, counters going back."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.alerts import AlertKind
from bot.monitor.rules import AlertRules, Reading, Thresholds

T0 = datetime(2026, 1, 15, 12, 0, tzinfo=UTC)


def _at(minutes: int, **fields: object) -> Reading:
    return Reading(battery="salon", at=T0 + timedelta(minutes=minutes), **fields)  # type: ignore[arg-type]


def _kinds(rules: AlertRules, readings: list[Reading]) -> list[AlertKind]:
    return [alert.kind for reading in readings for alert in rules.evaluate(reading)]


def test_low_soc_fires_once_and_rearms_only_above_hysteresis() -> None:
    rules = AlertRules(Thresholds(low_soc_pct=10))
    socs = [30, 10, 9, 11, 12, 9, 16, 10]
    kinds = _kinds(rules, [_at(i, soc_pct=s) for i, s in enumerate(socs)])
    assert kinds == [AlertKind.LOW_SOC, AlertKind.LOW_SOC]


def test_high_temperature_with_hysteresis() -> None:
    rules = AlertRules(Thresholds(high_temperature_c=45))
    temps = [30, 45, 46, 41, 44, 39, 47]
    assert _kinds(rules, [_at(i, temperature_c=t) for i, t in enumerate(temps)]) == [
        AlertKind.HIGH_TEMPERATURE,
        AlertKind.HIGH_TEMPERATURE,
    ]


def test_meter_lost_needs_two_reads_and_fires_once() -> None:
    rules = AlertRules()
    cts = [True, False, True, False, False, False, True, False, False]
    assert _kinds(rules, [_at(i, ct_connected=c) for i, c in enumerate(cts)]) == [
        AlertKind.METER_LOST,
        AlertKind.METER_LOST,
    ]


def test_mode_drift_respects_grace_and_needs_confirmation() -> None:
    rules = AlertRules(Thresholds(drift_grace=timedelta(seconds=90)))
    rules.expect_mode("salon", "Passive", T0)
    assert (
        rules.evaluate(Reading(battery="salon", at=T0 + timedelta(seconds=30), mode="Auto")) == []
    )
    assert _kinds(rules, [_at(2, mode="Auto")]) == []
    alerts = rules.evaluate(_at(3, mode="Auto"))
    assert [a.kind for a in alerts] == [AlertKind.MODE_DRIFT]
    assert alerts[0].params == {"expected": "Passive", "observed": "Auto"}
    assert _kinds(rules, [_at(4, mode="Auto"), _at(5, mode="Auto")]) == []
    assert _kinds(rules, [_at(6, mode="Passive"), _at(7, mode="UPS"), _at(8, mode="UPS")]) == [
        AlertKind.MODE_DRIFT
    ]


def test_no_expectation_no_drift() -> None:
    rules = AlertRules()
    assert _kinds(rules, [_at(i, mode="AI") for i in range(5)]) == []


def test_counter_backwards_is_reported_per_day() -> None:
    rules = AlertRules()
    readings = [
        _at(0, counters_wh={"grid_in": 1000.0}),
        _at(1, counters_wh={"grid_in": 1010.0}),
        _at(2, counters_wh={"grid_in": 5.0}),
        _at(3, counters_wh={"grid_in": 10.0}),
    ]
    alerts = [a for r in readings for a in rules.evaluate(r)]
    assert [a.kind for a in alerts] == [AlertKind.COUNTER_BACKWARDS]
    assert alerts[0].dedup_key == "counter_backwards:salon:2026-01-15"
