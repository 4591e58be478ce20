"""Tempo energy prices as data with effective dates, and the price in force at any instant.

Prices live in a CSV shipped with the package (``bot/tempo/data/prices.csv``), optionally
overridden row by row by a user file of the same format (``settings.prices_file``). The official
machine source, data.gouv.fr's Tempo price history, can be imported with
:func:`parse_datagouv_tempo_csv`.

Which row applies when: regulated changes take effect at **00:00 local time** on their date
(1 February, 1 August), and meters split consumption at midnight. So the row in force at an
instant is the one for the instant's *local calendar date*, while the *colour* is the Tempo day's.
The HC night 31 Jan 22:00 → 1 Feb 06:00 is therefore billed at 31 January's colour, with the
old prices until midnight and the new ones after.
"""

from __future__ import annotations

import csv
import io
from bisect import bisect_right
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from importlib.resources import files
from itertools import pairwise
from pathlib import Path
from zoneinfo import ZoneInfo

from bot.tempo.calendar import (
    PARIS,
    iter_tariff_periods,
    local_date,
    local_instant,
    period_at,
    require_aware,
    tempo_day_at,
)
from bot.tempo.errors import TempoDataError
from bot.tempo.model import TariffPeriod, TempoColor

PRICE_COLUMNS = (
    "blue_hc_eur_per_kwh",
    "blue_hp_eur_per_kwh",
    "white_hc_eur_per_kwh",
    "white_hp_eur_per_kwh",
    "red_hc_eur_per_kwh",
    "red_hp_eur_per_kwh",
)
CSV_HEADER = ("effective_from", *PRICE_COLUMNS, "single_source")
DATAGOUV_COLUMNS = (
    "PART_VARIABLE_HCBleu_TTC",
    "PART_VARIABLE_HPBleu_TTC",
    "PART_VARIABLE_HCBlanc_TTC",
    "PART_VARIABLE_HPBlanc_TTC",
    "PART_VARIABLE_HCRouge_TTC",
    "PART_VARIABLE_HPRouge_TTC",
)
MAX_PLAUSIBLE_EUR_PER_KWH = 5.0
# Rows of one period repeat per subscribed power; their energy prices must agree to the 1e-4 €.
SAME_PRICE_TOLERANCE = 0.00005
TRUE_WORDS = frozenset({"yes", "true", "1", "oui"})


@dataclass(frozen=True, slots=True, kw_only=True)
class TempoPrices:
    """The six energy prices (€/kWh incl. taxes) in force from ``effective_from`` 00:00 local."""

    effective_from: date
    blue_hc_eur_per_kwh: float
    blue_hp_eur_per_kwh: float
    white_hc_eur_per_kwh: float
    white_hp_eur_per_kwh: float
    red_hc_eur_per_kwh: float
    red_hp_eur_per_kwh: float
    single_source: bool = False

    def price_eur_per_kwh(self, color: TempoColor, period: TariffPeriod) -> float:
        """Return the price for ``color`` in ``period``."""
        name = f"{color.value.lower()}_{period.value.lower()}_eur_per_kwh"
        value: float = getattr(self, name)
        return value


class PriceTable:
    """Price rows sorted by effective date; answers "which prices were in force on this date"."""

    __slots__ = ("_rows", "_starts")

    def __init__(self, rows: Iterable[TempoPrices]) -> None:
        by_date: dict[date, TempoPrices] = {}
        for row in rows:
            if row.effective_from in by_date:
                raise TempoDataError(f"two price rows start on {row.effective_from}")
            by_date[row.effective_from] = row
        self._rows = tuple(by_date[day] for day in sorted(by_date))
        self._starts = [row.effective_from for row in self._rows]

    @property
    def rows(self) -> tuple[TempoPrices, ...]:
        """Return the rows, oldest first."""
        return self._rows

    def in_force(self, day: date) -> TempoPrices | None:
        """Return the row in force on calendar date ``day`` (``None`` before the first row)."""
        index = bisect_right(self._starts, day)
        return self._rows[index - 1] if index else None

    def merged_with(self, override: PriceTable) -> PriceTable:
        """Return this table with ``override``'s rows added, replacing rows of the same date."""
        merged = {row.effective_from: row for row in self._rows}
        merged.update({row.effective_from: row for row in override.rows})
        return PriceTable(merged.values())

    def change_dates(self) -> tuple[date, ...]:
        """Return every effective date, ascending."""
        return tuple(self._starts)

    def __len__(self) -> int:
        return len(self._rows)


def _make_row(
    effective_from: date, values: Sequence[float], *, single_source: bool = False
) -> TempoPrices:
    blue_hc, blue_hp, white_hc, white_hp, red_hc, red_hp = values
    return TempoPrices(
        effective_from=effective_from,
        blue_hc_eur_per_kwh=blue_hc,
        blue_hp_eur_per_kwh=blue_hp,
        white_hc_eur_per_kwh=white_hc,
        white_hp_eur_per_kwh=white_hp,
        red_hc_eur_per_kwh=red_hc,
        red_hp_eur_per_kwh=red_hp,
        single_source=single_source,
    )


def _parse_price(text: str, where: str) -> float:
    try:
        value = float(text.strip().replace(",", "."))
    except ValueError as err:
        raise TempoDataError(f"{where}: « {text} » is not a price") from err
    if not 0.0 < value < MAX_PLAUSIBLE_EUR_PER_KWH:
        raise TempoDataError(f"{where}: {value} €/kWh is not a plausible price")
    return value


def _parse_iso_date(text: str, where: str) -> date:
    try:
        return date.fromisoformat(text.strip())
    except ValueError as err:
        raise TempoDataError(f"{where}: « {text} » is not a YYYY-MM-DD date") from err


def parse_prices_csv(text: str, *, origin: str = "prices") -> PriceTable:
    """Parse the project's price CSV (``#`` comments allowed; ``single_source`` optional)."""
    lines = [
        line for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")
    ]
    reader = csv.DictReader(lines)
    missing = [name for name in CSV_HEADER[:-1] if name not in (reader.fieldnames or [])]
    if missing:
        raise TempoDataError(f"{origin}: missing column(s) {', '.join(missing)}")
    rows: list[TempoPrices] = []
    for number, record in enumerate(reader, start=2):
        where = f"{origin} row {number}"
        values = [_parse_price(record[name] or "", where) for name in PRICE_COLUMNS]
        flag = (record.get("single_source") or "").strip().lower()
        effective_from = _parse_iso_date(record["effective_from"] or "", where)
        rows.append(_make_row(effective_from, values, single_source=flag in TRUE_WORDS))
    if not rows:
        raise TempoDataError(f"{origin}: no price rows")
    return PriceTable(rows)


def shipped_prices_text() -> str:
    """Return the text of the price CSV shipped in the package."""
    return files("bot.tempo").joinpath("data/prices.csv").read_text(encoding="utf-8")


def load_price_table(user_file: Path | None = None) -> PriceTable:
    """Return the shipped prices, overridden row by row by ``user_file`` if given."""
    table = parse_prices_csv(shipped_prices_text(), origin="prices.csv")
    if user_file is None:
        return table
    try:
        text = user_file.read_text(encoding="utf-8-sig")
    except OSError as err:
        raise TempoDataError(f"cannot read price file {user_file}: {err.strerror}") from err
    return table.merged_with(parse_prices_csv(text, origin=str(user_file)))


def format_prices_csv(table: PriceTable) -> str:
    """Render ``table`` in the project's CSV format (for a user override file)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_HEADER)
    for row in table.rows:
        prices = [f"{getattr(row, name):.4f}" for name in PRICE_COLUMNS]
        writer.writerow(
            [row.effective_from.isoformat(), *prices, "yes" if row.single_source else "no"]
        )
    return out.getvalue()


def _parse_datagouv_date(text: str, where: str) -> date:
    value = text.strip()
    if "/" in value:
        day, month, year = value.split("/")
        try:
            return date(int(year), int(month), int(day))
        except ValueError as err:
            raise TempoDataError(f"{where}: « {text} » is not a dd/mm/yyyy date") from err
    return _parse_iso_date(value, where)


def parse_datagouv_tempo_csv(text: str) -> PriceTable:
    """Import data.gouv.fr's Tempo price history (``;``, decimal comma, one row per power).

    Rows with an empty price (a power not offered then) are skipped; rows of one period must
    carry the same energy prices whatever the subscribed power, else :class:`TempoDataError`.
    """
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")), delimiter=";")
    fields = [name.strip() for name in reader.fieldnames or []]
    missing = [name for name in ("DATE_DEBUT", *DATAGOUV_COLUMNS) if name not in fields]
    if missing:
        raise TempoDataError(f"data.gouv file: missing column(s) {', '.join(missing)}")
    periods: dict[date, TempoPrices] = {}
    for number, raw in enumerate(reader, start=2):
        record = {(key or "").strip(): (value or "") for key, value in raw.items()}
        if not all(record[name].strip() for name in DATAGOUV_COLUMNS):
            continue
        where = f"data.gouv row {number}"
        values = [_parse_price(record[column], where) for column in DATAGOUV_COLUMNS]
        row = _make_row(_parse_datagouv_date(record["DATE_DEBUT"], where), values)
        seen = periods.setdefault(row.effective_from, row)
        if any(
            abs(getattr(seen, name) - getattr(row, name)) > SAME_PRICE_TOLERANCE
            for name in PRICE_COLUMNS
        ):
            raise TempoDataError(
                f"{where}: energy prices from {row.effective_from} differ between powers"
            )
    if not periods:
        raise TempoDataError("data.gouv file: no complete Tempo price row")
    return PriceTable(periods.values())


def price_at(
    instant: datetime,
    colors: Mapping[date, TempoColor],
    table: PriceTable,
    tz: ZoneInfo = PARIS,
) -> float | None:
    """Return the €/kWh price at ``instant`` (``None`` if the colour or the prices are unknown)."""
    color = colors.get(tempo_day_at(instant, tz))
    row = table.in_force(local_date(instant, tz))
    if color is None or row is None:
        return None
    return row.price_eur_per_kwh(color, period_at(instant, tz))


@dataclass(frozen=True, slots=True, kw_only=True)
class PricedSlice:
    """A stretch ``[start, end)`` (UTC) with one Tempo day, period, colour and price."""

    start: datetime
    end: datetime
    tempo_day: date
    period: TariffPeriod
    color: TempoColor | None
    price_eur_per_kwh: float | None


def priced_slices(
    start: datetime,
    end: datetime,
    colors: Mapping[date, TempoColor],
    table: PriceTable,
    tz: ZoneInfo = PARIS,
) -> Iterator[PricedSlice]:
    """Yield the tariff slices of ``[start, end)`` with their price, split at price changes."""
    start_utc, end_utc = require_aware(start), require_aware(end)
    changes = [local_instant(day, time(0), tz) for day in table.change_dates()]
    for tariff in iter_tariff_periods(start_utc, end_utc, tz):
        cuts = [tariff.start, *(c for c in changes if tariff.start < c < tariff.end), tariff.end]
        color = colors.get(tariff.tempo_day)
        for piece_start, piece_end in pairwise(cuts):
            row = table.in_force(local_date(piece_start, tz))
            price = row.price_eur_per_kwh(color, tariff.period) if row and color else None
            yield PricedSlice(
                start=piece_start,
                end=piece_end,
                tempo_day=tariff.tempo_day,
                period=tariff.period,
                color=color,
                price_eur_per_kwh=price,
            )
