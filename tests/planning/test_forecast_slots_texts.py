"""Load forecast, tariff slots, reason texts and plan queries."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from bot.planning import (
    Action,
    HalfHourForecast,
    PlanInterval,
    ReasonCode,
    Source,
    action_at,
    build_tariff_slots,
    forecast_from_history,
    plan,
    reason_text,
)
from bot.tempo.model import TariffPeriod, TempoColor
from bot.tempo.prices import load_price_table

from .scenario import B, R, W, at, make_inputs

NOW = datetime(2026, 1, 14, 12, 0, tzinfo=UTC)


def test_forecast_repeats_the_weighted_daily_profile() -> None:
    day = [100.0] * 24 + [1000.0] * 24  # low the first 12 h of each day, high after
    older = [200.0] * 48
    result = forecast_from_history(older * 6 + day, now=NOW, horizon=timedelta(hours=48))
    assert len(result.values_w) == 96
    weights = (3.0, 2.0, 1.5, 1.0, 1.0, 1.0, 1.0)
    low = (3.0 * 100.0 + 200.0 * sum(weights[1:])) / sum(weights)
    assert result.values_w[0] == pytest.approx(low)
    assert result.values_w[48] == pytest.approx(low)
    assert result.values_w[47] > result.values_w[0]


def test_forecast_with_little_or_no_history() -> None:
    assert forecast_from_history([300.0, 500.0], now=NOW).values_w[0] == 400.0
    assert forecast_from_history([], now=NOW, default_w=700.0).values_w[-1] == 700.0


def test_forecast_queries() -> None:
    forecast = HalfHourForecast(NOW, (1000.0, 3000.0, 2000.0))
    half = timedelta(minutes=30)
    assert forecast.energy_wh(NOW, NOW + 2 * half) == pytest.approx(2000.0)
    assert forecast.energy_wh(NOW + half / 2, NOW + half * 1.5) == pytest.approx(1000.0)
    assert forecast.peak_w(NOW, NOW + half) == 1000.0
    assert forecast.peak_w(NOW + half / 2, NOW + 2 * half) == 3000.0
    # Beyond the covered range, the last value repeats.
    assert forecast.energy_wh(NOW + 3 * half, NOW + 5 * half) == pytest.approx(2000.0)
    assert forecast.time_to_draw(NOW, 1000.0) == NOW + half + half / 3
    # A half share draws 250 Wh in the first 30 min, then 750 Wh in the next 30 min.
    assert forecast.time_to_draw(NOW, 1000.0, share=0.5) == NOW + 2 * half
    with pytest.raises(ValueError, match="timezone-aware"):
        HalfHourForecast(datetime(2026, 1, 1), (1.0,))  # noqa: DTZ001


def test_slots_follow_tempo_days_prices_and_possible_colours() -> None:
    start = at("2026-01-31 20:00")  # prices change at midnight, 1 February
    slots = build_tariff_slots(
        start, start + timedelta(hours=24), colors={date(2026, 1, 31): W}, prices=load_price_table()
    )
    first, before, after, sunday = slots[:4]
    assert (first.period, first.color, first.price_eur_kwh) == (TariffPeriod.HP, W, 0.1730)
    # The HC night is billed at Saturday's colour, with the old prices until midnight.
    assert before.tempo_day == after.tempo_day == date(2026, 1, 31)
    assert before.end == after.start == at("2026-02-01 00:00")
    assert (before.price_eur_kwh, after.price_eur_kwh) == (0.1391, 0.1499)
    assert sunday.color is None
    assert sunday.possible_colors == frozenset({TempoColor.BLUE})  # Sunday is always blue
    assert sunday.price_eur_kwh is None
    assert sunday.prices_eur_kwh[TempoColor.BLUE] == 0.1612
    monday = next(slot for slot in slots if slot.tempo_day == date(2026, 2, 2))
    assert monday.possible_colors == frozenset(TempoColor)
    assert slots[-1].end >= start + timedelta(hours=48)  # one day of look-ahead


def test_reason_texts_in_both_languages() -> None:
    def interval(reason: ReasonCode, action: Action | None = None, **params: str) -> PlanInterval:
        return PlanInterval(
            start=NOW,
            end=NOW,
            action=action or Action.hold(),
            reason=reason,
            source=Source.STRATEGY,
            reason_params=tuple(params.items()),
        )

    assert reason_text(interval(ReasonCode.RULE, rule="Auto 07h–22h")) == "règle : Auto 07h–22h"
    pause = interval(ReasonCode.OVERRIDE, until="2026-01-14T18:00")
    assert reason_text(pause) == "pause jusqu'à 18h"
    assert reason_text(pause, "en") == "pause until 18:00"
    mode = interval(ReasonCode.OVERRIDE, Action.device("UPS"), until="2026-01-14T18:30")
    assert reason_text(mode) == "mode UPS jusqu'à 18h30"
    assert reason_text(interval(ReasonCode.TARGET_REACHED, target="100"), "en") == (
        "target 100% reached"
    )
    for code in ReasonCode:
        assert reason_text(interval(code), "fr")
        assert reason_text(interval(code), "en")


def test_action_at_outside_the_plan_is_none() -> None:
    result = plan(make_inputs("2026-01-14 22:00", {"2026-01-14": B, "2026-01-15": R}))
    assert action_at(result, "Venus 1", at("2026-01-14 21:59")) is None
    assert action_at(result, "Venus 1", at("2026-01-16 22:00")) is None
    with pytest.raises(KeyError):
        action_at(result, "Venus 9", at("2026-01-14 23:00"))


def test_actions_validate_their_fields() -> None:
    assert Action.charge(1500, 100).power_w == -1500
    assert Action.discharge(800).direction == 1
    assert Action.device("UPS").direction == -1
    assert Action.device("Manual").direction == 0
    with pytest.raises(ValueError, match="CHARGE"):
        Action(kind=Action.charge(1, 1).kind, power_w=100)
    with pytest.raises(ValueError, match="device_mode"):
        Action(kind=Action.device("Auto").kind)
