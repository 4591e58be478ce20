"""Bank physics and the season grid."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path

import numpy as np
import pytest

from bot.backtest import BacktestError, Bank, BankSpec, SeasonData, build_season, load_profile
from bot.backtest.data import fixed_prices
from bot.planning import Action
from bot.tempo.history import load_history
from bot.tempo.model import TempoColor
from bot.tempo.prices import load_price_table
from bot.tempo.seasons import Season

SPEC = BankSpec()
SHARED_LOAD = Path("/work/shared/data/load_profile_res.csv")


def bank_at(soc_pct: float, spec: BankSpec = SPEC) -> Bank:
    return Bank(replace(spec, start_soc_pct=soc_pct))


def test_charging_obeys_power_target_and_efficiency() -> None:
    bank = bank_at(50.0)
    result = bank.step([Action.charge(3000, 100)] * 3, load_w=0.0, contract_w=12000.0)
    assert result.charged_wh == pytest.approx(3 * 2500 * 0.5)  # capped at 2.5 kW each
    assert bank.energy_wh[0] == pytest.approx(2560 + 1250 * 0.94)
    near_full = bank_at(99.0)
    near_full.step([Action.charge(2500, 100)] * 3, load_w=0.0, contract_w=12000.0)
    assert near_full.energy_wh[0] == pytest.approx(5120.0)


def test_charging_is_cut_to_stay_under_the_contract() -> None:
    bank = bank_at(20.0)
    result = bank.step([Action.charge(2500, 100)] * 3, load_w=4000.0, contract_w=9000.0)
    assert result.clipped
    assert result.grid_w == pytest.approx(9000.0)
    assert result.charged_wh == pytest.approx(5000 * 0.5)


def test_self_consumption_shares_the_load_and_stops_at_the_floor() -> None:
    bank = bank_at(13.0)  # 51.2 Wh above the 12 % floor each
    result = bank.step([Action.self_consumption()] * 3, load_w=3000.0, contract_w=9000.0)
    assert result.discharged_wh == pytest.approx(3 * 51.2 * 0.94)
    assert all(energy == pytest.approx(SPEC.floor_wh) for energy in bank.energy_wh)
    assert result.grid_w == pytest.approx(3000.0 - result.discharged_wh / 0.5)
    reserve = bank_at(50.0)
    reserve.step([Action.self_consumption(49.0)] * 3, load_w=3000.0, contract_w=9000.0)
    assert reserve.soc_pct()[0] == pytest.approx(49.0)


def test_self_consumption_never_exports_and_one_unit_takes_over() -> None:
    bank = bank_at(80.0)
    bank.energy_wh[1] = SPEC.floor_wh
    result = bank.step([Action.self_consumption()] * 3, load_w=1000.0, contract_w=9000.0)
    assert result.discharged_wh == pytest.approx(500.0)
    assert result.grid_w == pytest.approx(0.0)
    assert bank.energy_wh[1] == SPEC.floor_wh
    assert bank.energy_wh[0] == pytest.approx(0.8 * 5120 - 250 / 0.94)


def test_hold_and_forced_discharge() -> None:
    bank = bank_at(60.0)
    actions = [Action.hold(), Action.discharge(1000, 55.0), Action.device("Auto")]
    result = bank.step(actions, load_w=200.0, contract_w=9000.0)
    assert bank.energy_wh[0] == pytest.approx(0.6 * 5120)
    assert bank.energy_wh[1] == pytest.approx(0.55 * 5120)  # stopped at its target
    assert bank.energy_wh[2] == pytest.approx(0.6 * 5120)  # forced discharge covered the house
    assert result.grid_w == 0.0


@pytest.fixture(scope="module")
def season_2022() -> SeasonData:
    return build_season(
        Season(start_year=2022),
        colors=load_history(),
        table=load_price_table(),
        profile=load_profile(),
    )


def test_season_grid_covers_the_year_in_tempo_days(season_2022: SeasonData) -> None:
    data = season_2022
    assert data.steps == 365 * 48
    days = data.tempo_day
    assert (days[0], days[-1]) == (date(2022, 9, 1), date(2023, 8, 31))
    # The Saturday Tempo days (06:00 → 06:00) hold the DST switches of Sunday night.
    assert days.count(date(2022, 10, 29)) == 50
    assert days.count(date(2023, 3, 25)) == 46
    assert not np.isnan(data.load_w).any()
    assert data.annual_kwh == pytest.approx(7302.6, abs=0.1)


def test_season_prices_follow_the_colours(season_2022: SeasonData) -> None:
    data = season_2022
    row = data.price_row
    assert row.effective_from == load_price_table().rows[-1].effective_from
    for index in (0, 20, 40, 5000, 9000, 12000):
        color = data.colors[data.tempo_day[index]]
        period = "hc" if data.offpeak[index] else "hp"
        expected = getattr(row, f"{color.value.lower()}_{period}_eur_per_kwh")
        assert data.price[index] == expected
    reds = sum(1 for day in set(data.tempo_day) if data.colors[day] is TempoColor.RED)
    assert reds == 22


def test_load_is_the_measured_curve_scaled(season_2022: SeasonData) -> None:
    data = season_2022
    # 2022-09-01 06:00 is the 2,316th half hour of the file (it starts 2022-07-29 00:00).
    first = load_profile().power_w[(9, 1, 6, 0, 0)]
    assert data.season_load()[0] == pytest.approx(first)
    doubled = build_season(
        Season(start_year=2022),
        colors=load_history(),
        table=load_price_table(),
        profile=load_profile(),
        annual_kwh=2 * 7302.599,
        days=2,
    )
    assert doubled.season_load()[0] == pytest.approx(2 * first, rel=1e-6)
    assert doubled.steps == 96


def test_shipped_load_curve_is_the_shared_file() -> None:
    if not SHARED_LOAD.exists():
        pytest.skip("shared data folder not present")
    from bot.backtest.data import shipped_load_path

    assert shipped_load_path().read_bytes() == SHARED_LOAD.read_bytes()


def test_partial_and_missing_seasons() -> None:
    history = load_history()
    partial = build_season(
        Season(start_year=2025),
        colors=history,
        table=load_price_table(),
        profile=load_profile(),
        first_day=date(2026, 6, 1),
    )
    assert partial.last_day == max(history)
    with pytest.raises(BacktestError, match="2013"):
        build_season(
            Season(start_year=2013),
            colors=history,
            table=load_price_table(),
            profile=load_profile(),
        )


def test_price_row_choice() -> None:
    table = load_price_table()
    row, fixed = fixed_prices(table, date(2025, 9, 1))
    assert row.effective_from == date(2025, 8, 1)
    assert fixed.in_force(date(2014, 1, 1)) is not None
    with pytest.raises(BacktestError, match="2020"):
        fixed_prices(table, date(2020, 1, 1))


def test_unreadable_load_file(tmp_path: Path) -> None:
    bad = tmp_path / "load.csv"
    bad.write_text("timestamp,power_kw\nyesterday,1\n", encoding="utf-8")
    with pytest.raises(BacktestError, match="row 2"):
        load_profile(bad)
    with pytest.raises(BacktestError, match="cannot read"):
        load_profile(tmp_path / "missing.csv")
