"""Prices as data: shipped rows, user override, data.gouv import, and the price at an instant."""

from __future__ import annotations

import itertools
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from bot.tempo.errors import TempoDataError
from bot.tempo.model import TariffPeriod, TempoColor
from bot.tempo.prices import (
    PriceTable,
    format_prices_csv,
    load_price_table,
    parse_datagouv_tempo_csv,
    parse_prices_csv,
    price_at,
    priced_slices,
)

BLUE, WHITE, RED = TempoColor.BLUE, TempoColor.WHITE, TempoColor.RED
HP, HC = TariffPeriod.HP, TariffPeriod.HC
HEADER = (
    "effective_from,blue_hc_eur_per_kwh,blue_hp_eur_per_kwh,white_hc_eur_per_kwh,"
    "white_hp_eur_per_kwh,red_hc_eur_per_kwh,red_hp_eur_per_kwh,single_source"
)


def utc(text: str) -> datetime:
    return datetime.fromisoformat(text).astimezone(UTC)


@pytest.fixture(scope="module")
def table() -> PriceTable:
    return load_price_table()


def test_shipped_table_has_the_documented_rows(table: PriceTable) -> None:
    assert table.change_dates() == (
        date(2025, 2, 1),
        date(2025, 8, 1),
        date(2026, 2, 1),
        date(2026, 8, 1),
    )
    feb_2026 = table.rows[2]
    assert feb_2026.price_eur_per_kwh(BLUE, HC) == 0.1325
    assert feb_2026.price_eur_per_kwh(WHITE, HP) == 0.1871
    assert feb_2026.price_eur_per_kwh(RED, HP) == 0.7060
    assert [row.single_source for row in table.rows] == [False, False, False, True]


def test_row_in_force_changes_at_midnight_on_its_date(table: PriceTable) -> None:
    assert table.in_force(date(2025, 1, 31)) is None
    assert table.in_force(date(2025, 2, 1)) is table.rows[0]
    assert table.in_force(date(2026, 1, 31)) is table.rows[1]
    assert table.in_force(date(2026, 2, 1)) is table.rows[2]
    assert table.in_force(date(2030, 1, 1)) is table.rows[3]


def test_hc_night_across_1_february_splits_prices_at_midnight(table: PriceTable) -> None:
    colors = {date(2026, 1, 31): WHITE, date(2026, 2, 1): BLUE}  # Saturday, Sunday
    assert price_at(utc("2026-01-31T21:00:00+01:00"), colors, table) == 0.1730  # old white HP
    assert price_at(utc("2026-01-31T23:00:00+01:00"), colors, table) == 0.1391  # old white HC
    assert price_at(utc("2026-02-01T00:00:00+01:00"), colors, table) == 0.1499  # new white HC
    assert price_at(utc("2026-02-01T05:59:59+01:00"), colors, table) == 0.1499
    assert price_at(utc("2026-02-01T06:00:00+01:00"), colors, table) == 0.1612  # new blue HP


def test_price_is_none_when_colour_or_row_unknown(table: PriceTable) -> None:
    assert price_at(utc("2026-01-15T12:00:00Z"), {}, table) is None
    assert price_at(utc("2024-01-15T12:00:00Z"), {date(2024, 1, 15): BLUE}, table) is None


def test_priced_slices_split_only_at_price_changes(table: PriceTable) -> None:
    colors = {date(2026, 1, 29): WHITE, date(2026, 1, 30): RED, date(2026, 1, 31): WHITE}
    start, end = utc("2026-01-29T06:00:00+01:00"), utc("2026-02-01T06:00:00+01:00")
    slices = list(priced_slices(start, end, colors, table))
    assert [(s.tempo_day, s.period, s.end - s.start, s.price_eur_per_kwh) for s in slices] == [
        (date(2026, 1, 29), HP, timedelta(hours=16), 0.1730),
        (date(2026, 1, 29), HC, timedelta(hours=8), 0.1391),  # ordinary midnight: no split
        (date(2026, 1, 30), HP, timedelta(hours=16), 0.6468),
        (date(2026, 1, 30), HC, timedelta(hours=8), 0.1460),
        (date(2026, 1, 31), HP, timedelta(hours=16), 0.1730),
        (date(2026, 1, 31), HC, timedelta(hours=2), 0.1391),  # until 1 Feb 00:00
        (date(2026, 1, 31), HC, timedelta(hours=6), 0.1499),  # new grid, same colour
    ]
    assert slices[0].start == start
    assert slices[-1].end == end
    assert all(a.end == b.start for a, b in itertools.pairwise(slices))


def test_unknown_colour_slices_carry_no_price(table: PriceTable) -> None:
    start = utc("2026-03-10T06:00:00+01:00")
    slices = list(priced_slices(start, start + timedelta(hours=24), {}, table))
    assert [s.price_eur_per_kwh for s in slices] == [None, None]
    assert [s.color for s in slices] == [None, None]


def test_user_file_overrides_and_adds_rows(tmp_path: Path) -> None:
    user = tmp_path / "prices.csv"
    user.write_text(
        "# my corrected prices\n"
        f"{HEADER}\n"
        "2026-08-01,0.1400,0.1700,0.1600,0.2000,0.1700,0.7500,no\n"
        "2027-02-01,0.1500,0.1800,0.1700,0.2100,0.1800,0.8000,\n",
        encoding="utf-8",
    )
    merged = load_price_table(user)
    assert len(merged) == 5
    aug = merged.in_force(date(2026, 8, 1))
    assert aug is not None
    assert aug.price_eur_per_kwh(RED, HP) == 0.7500
    assert not aug.single_source
    feb = merged.in_force(date(2027, 3, 1))
    assert feb is not None
    assert feb.price_eur_per_kwh(BLUE, HC) == 0.1500
    assert merged.in_force(date(2025, 3, 1)) == load_price_table().rows[0]


def test_formatted_table_parses_back_identically(table: PriceTable) -> None:
    assert parse_prices_csv(format_prices_csv(table)).rows == table.rows


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("effective_from,blue_hc_eur_per_kwh\n2026-01-01,0.1\n", "missing column"),
        (f"{HEADER}\n2026-02-01,abc,0.1,0.1,0.1,0.1,0.1,no\n", "not a price"),
        (f"{HEADER}\n2026-02-01,0.1,0.1,0.1,0.1,0.1,65.86,no\n", "plausible"),
        (f"{HEADER}\n2026-02-31,0.1,0.1,0.1,0.1,0.1,0.6,no\n", "YYYY-MM-DD"),
        (
            f"{HEADER}\n2026-02-01,0.1,0.1,0.1,0.1,0.1,0.6,no\n2026-02-01,0.1,0.1,0.1,0.1,0.1,0.6,no\n",
            "two price rows",
        ),
        (f"{HEADER}\n", "no price rows"),
    ],
)
def test_bad_price_files_are_refused(body: str, message: str) -> None:
    with pytest.raises(TempoDataError, match=message):
        parse_prices_csv(body)


def test_missing_user_file_is_a_data_error(tmp_path: Path) -> None:
    with pytest.raises(TempoDataError, match="cannot read"):
        load_price_table(tmp_path / "nope.csv")


DATAGOUV_HEADER = (
    "\ufeffDATE_DEBUT;DATE_FIN;P_SOUSCRITE;PART_FIXE_TTC;PART_VARIABLE_HCBleu_TTC;"
    "PART_VARIABLE_HPBleu_TTC;PART_VARIABLE_HCBlanc_TTC;PART_VARIABLE_HPBlanc_TTC;"
    "PART_VARIABLE_HCRouge_TTC;PART_VARIABLE_HPRouge_TTC"
)


def datagouv_row(start: str, end: str, power: int, prices: str, fixed: str = "200,04") -> str:
    return f"{start};{end};{power};{fixed};{prices}"


def test_datagouv_import_merges_powers_and_reads_both_date_formats() -> None:
    feb = "0,1325;0,1612;0,1499;0,1871;0,1575;0,706"
    aug = "0,1232;0,1494;0,1391;0,173;0,146;0,6468"
    text = "\n".join(
        [
            DATAGOUV_HEADER,
            datagouv_row("01/08/2025", "31/01/2026", 6, aug),
            datagouv_row("01/08/2025", "31/01/2026", 9, aug, fixed="250,2"),
            datagouv_row("2026-02-01", "", 6, feb),
            datagouv_row("2026-02-01", "", 9, feb),
            datagouv_row("2026-02-01", "", 3, ";;;;;"),  # power not offered: empty prices
        ]
    )
    imported = parse_datagouv_tempo_csv(text)
    assert imported.change_dates() == (date(2025, 8, 1), date(2026, 2, 1))
    shipped = load_price_table()
    for day in imported.change_dates():
        assert imported.in_force(day) == shipped.in_force(day)


def test_datagouv_rows_disagreeing_between_powers_are_refused() -> None:
    text = "\n".join(
        [
            DATAGOUV_HEADER,
            datagouv_row("01/02/2026", "", 6, "0,1325;0,1612;0,1499;0,1871;0,1575;0,706"),
            datagouv_row("01/02/2026", "", 9, "0,1325;0,1612;0,1499;0,1871;0,1575;0,716"),
        ]
    )
    with pytest.raises(TempoDataError, match="differ between powers"):
        parse_datagouv_tempo_csv(text)


@pytest.mark.parametrize(
    "text",
    [
        "DATE_DEBUT;P_SOUSCRITE\n01/02/2026;6\n",
        DATAGOUV_HEADER + "\n",
        DATAGOUV_HEADER + "\n" + datagouv_row("31/02/2026", "", 6, "0,1;0,1;0,1;0,1;0,1;0,6"),
    ],
)
def test_bad_datagouv_files_are_refused(text: str) -> None:
    with pytest.raises(TempoDataError):
        parse_datagouv_tempo_csv(text)
