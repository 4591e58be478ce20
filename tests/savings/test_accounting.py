"""Savings accounting on hand-computed days: prices, colours, DST days and the 1 Feb change."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from bot.savings import DaySavings, PeriodEnergy, account_day, summarize
from bot.tempo.model import TariffPeriod, TempoColor
from bot.tempo.prices import load_price_table
from tests.savings.helpers import bucket, held, local

PRICES = load_price_table()
B, W, R = TempoColor.BLUE, TempoColor.WHITE, TempoColor.RED


def _period(day_savings: DaySavings, battery_id: int, period: TariffPeriod) -> PeriodEnergy:
    battery = next(b for b in day_savings.batteries if b.battery_id == battery_id)
    return next(p for p in battery.periods if p.period is period)


def test_hand_computed_red_day_two_batteries() -> None:
    # Red Thursday 15 Jan 2026, prices of 1 Aug 2025: red HP 0.6468, red HC 0.1460 €/kWh.
    one = [
        *held(local(2026, 1, 15, 5), local(2026, 1, 15, 6), 1000.0),  # 14 Jan's night: not ours
        *held(local(2026, 1, 15, 7), local(2026, 1, 15, 11), 1000.0),  # HP: 4 kWh delivered
        *held(local(2026, 1, 15, 17), local(2026, 1, 15, 21), 1000.0),  # HP: 4 kWh delivered
        *held(local(2026, 1, 15, 22), local(2026, 1, 16, 2), -2000.0),  # HC: 8 kWh bought
        *held(local(2026, 1, 16, 6), local(2026, 1, 16, 7), 1000.0),  # 16 Jan: not ours
    ]
    two = held(local(2026, 1, 16, 2), local(2026, 1, 16, 5), -1000.0)  # HC after midnight: 3 kWh
    colors = {date(2026, 1, 14): B, date(2026, 1, 15): R, date(2026, 1, 16): W}

    day = account_day({1: one, 2: two}, colors, PRICES, date(2026, 1, 15))

    assert day.color is R
    assert day.discharged_wh == pytest.approx(8000.0)
    assert day.charged_wh == pytest.approx(11000.0)
    assert day.value_eur == pytest.approx(8 * 0.6468)
    assert day.cost_eur == pytest.approx(8 * 0.1460 + 3 * 0.1460)
    assert day.savings_eur == pytest.approx(5.1744 - 1.606)
    assert day.unpriced_wh == 0.0
    hp_one = _period(day, 1, TariffPeriod.HP)
    hc_one = _period(day, 1, TariffPeriod.HC)
    hc_two = _period(day, 2, TariffPeriod.HC)
    assert (hp_one.discharged_wh, hp_one.charged_wh) == pytest.approx((8000.0, 0.0))
    assert (hc_one.charged_wh, hc_one.cost_eur) == pytest.approx((8000.0, 1.168))
    assert (hc_two.charged_wh, hc_two.cost_eur) == pytest.approx((3000.0, 0.438))
    assert hc_two.color is R  # 02:00–05:00 on 16 Jan is billed at 15 Jan's colour
    assert [b.battery_id for b in day.batteries] == [1, 2]
    assert day.batteries[0].savings_eur == pytest.approx(5.1744 - 1.168)


def test_spring_dst_day_lasts_23_hours() -> None:
    # Tempo day 28 Mar 2026: 06:00 CET → 06:00 CEST (23 h); HC 22:00 → 06:00 is 7 h.
    everything = held(
        datetime(2026, 3, 28, 0, tzinfo=UTC), datetime(2026, 3, 29, 12, tzinfo=UTC), -1000.0
    )
    day = account_day({7: everything}, {date(2026, 3, 28): B}, PRICES, date(2026, 3, 28))
    hp, hc = _period(day, 7, TariffPeriod.HP), _period(day, 7, TariffPeriod.HC)
    assert hp.charged_wh == pytest.approx(16000.0)
    assert hc.charged_wh == pytest.approx(7000.0)
    assert day.cost_eur == pytest.approx(16 * 0.1612 + 7 * 0.1325)  # prices of 1 Feb 2026
    assert day.savings_eur == pytest.approx(-3.5067)


def test_autumn_dst_day_lasts_25_hours() -> None:
    everything = held(
        datetime(2025, 10, 25, 0, tzinfo=UTC), datetime(2025, 10, 26, 12, tzinfo=UTC), 1000.0
    )
    day = account_day({7: everything}, {date(2025, 10, 25): B}, PRICES, date(2025, 10, 25))
    assert day.discharged_wh == pytest.approx(25000.0)
    assert _period(day, 7, TariffPeriod.HC).discharged_wh == pytest.approx(9000.0)
    assert day.value_eur == pytest.approx(16 * 0.1494 + 9 * 0.1232)


def test_night_of_31_january_is_split_at_midnight_between_price_rows() -> None:
    # 31 Jan 2026 (white); the night runs into Sunday 1 Feb (blue), still billed white.
    night = held(local(2026, 1, 31, 22), local(2026, 2, 1, 6), -1000.0)
    colors = {date(2026, 1, 31): W, date(2026, 2, 1): B}
    day = account_day({1: night}, colors, PRICES, date(2026, 1, 31))
    assert day.charged_wh == pytest.approx(8000.0)
    # 22h–24h at the old white HC (0.1391), 00h–06h at the new one (0.1499).
    assert day.cost_eur == pytest.approx(2 * 0.1391 + 6 * 0.1499)
    assert day.cost_eur == pytest.approx(1.1776)
    next_day = account_day({1: night}, colors, PRICES, date(2026, 2, 1))
    assert next_day.charged_wh == 0.0


def test_unknown_colour_counts_energy_but_no_euros() -> None:
    buckets = held(local(2026, 1, 20, 8), local(2026, 1, 20, 10), 1500.0)
    day = account_day({1: buckets}, {}, PRICES, date(2026, 1, 20))
    assert day.color is None
    assert day.discharged_wh == pytest.approx(3000.0)
    assert day.unpriced_wh == pytest.approx(3000.0)
    assert day.value_eur == day.cost_eur == day.savings_eur == 0.0


def test_before_the_first_price_row_nothing_is_priced() -> None:
    buckets = held(local(2024, 12, 2, 8), local(2024, 12, 2, 9), 1000.0)
    day = account_day({1: buckets}, {date(2024, 12, 2): R}, PRICES, date(2024, 12, 2))
    assert day.unpriced_wh == pytest.approx(1000.0)
    assert day.savings_eur == 0.0


def test_a_bucket_across_22h_is_shared_pro_rata() -> None:
    # An hourly bucket 21:30 → 22:30 local: half HP, half HC of a white day.
    straddling = bucket(
        local(2026, 1, 13, 21) + timedelta(minutes=30), power_w=-2000.0, duration_s=3600
    )
    day = account_day({1: [straddling]}, {date(2026, 1, 13): W}, PRICES, date(2026, 1, 13))
    assert _period(day, 1, TariffPeriod.HP).charged_wh == pytest.approx(1000.0)
    assert _period(day, 1, TariffPeriod.HC).charged_wh == pytest.approx(1000.0)
    assert day.cost_eur == pytest.approx(0.1730 + 0.1391)


def test_no_buckets_is_an_empty_zero_day() -> None:
    day = account_day({}, {date(2026, 1, 13): W}, PRICES, date(2026, 1, 13))
    assert day.batteries == ()
    assert day.savings_eur == 0.0
    assert day.color is W


def test_summaries_add_days_within_bounds() -> None:
    colors = {date(2026, 1, d): R for d in range(1, 32)}
    days = [
        account_day(
            {1: held(local(2026, 1, d, 8), local(2026, 1, d, 9), 1000.0)},
            colors,
            PRICES,
            date(2026, 1, d),
        )
        for d in (13, 14, 15)
    ]
    span = summarize(days, date(2026, 1, 14), date(2026, 1, 31))
    assert [d.day for d in span.days] == [date(2026, 1, 14), date(2026, 1, 15)]
    assert span.discharged_wh == pytest.approx(2000.0)
    assert span.savings_eur == pytest.approx(2 * 0.6468)
