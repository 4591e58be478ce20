"""The backtest's text report (FR/EN): what was simulated, the table, and how to read it."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Literal

from .data import HistorySource
from .runner import BacktestReport, StrategyResult
from .strategies import StrategyKey

Lang = Literal["fr", "en"]

STRATEGY_NAMES: dict[Lang, dict[StrategyKey, str]] = {
    "fr": {
        StrategyKey.NO_BATTERY: "sans batterie",
        StrategyKey.NIGHTLY: "charge chaque nuit",
        StrategyKey.RED_ONLY: "précharge jours rouges",
        StrategyKey.PLANNER: "planificateur du bot",
        StrategyKey.OPTIMUM: "optimum (futur connu)",
    },
    "en": {
        StrategyKey.NO_BATTERY: "no battery",
        StrategyKey.NIGHTLY: "charge every night",
        StrategyKey.RED_ONLY: "precharge red days",
        StrategyKey.PLANNER: "the bot's planner",
        StrategyKey.OPTIMUM: "optimum (perfect foresight)",
    },
}

SHORT_NAMES: dict[Lang, dict[StrategyKey, str]] = {
    "fr": {
        StrategyKey.NO_BATTERY: "sans batterie",
        StrategyKey.NIGHTLY: "chaque nuit",
        StrategyKey.RED_ONLY: "jours rouges",
        StrategyKey.PLANNER: "planificateur",
        StrategyKey.OPTIMUM: "optimum",
    },
    "en": {
        StrategyKey.NO_BATTERY: "no battery",
        StrategyKey.NIGHTLY: "every night",
        StrategyKey.RED_ONLY: "red days",
        StrategyKey.PLANNER: "planner",
        StrategyKey.OPTIMUM: "optimum",
    },
}
"""Names that fit a phone-wide table (:func:`compact_table`)."""

_COMPACT_HEADERS: dict[Lang, tuple[str, ...]] = {
    "fr": ("stratégie", "éco. €", "% opt.", "kWh"),
    "en": ("strategy", "saved €", "% opt.", "kWh"),
}

_HEADERS: dict[Lang, tuple[str, ...]] = {
    "fr": (
        "stratégie",
        "coût €",
        "économie €",
        "% optimum",
        "kWh cyclés",
        "pic réseau W",
        "bridages",
    ),
    "en": ("strategy", "cost €", "saved €", "% optimum", "kWh cycled", "peak grid W", "cut steps"),
}

_TEXTS: dict[Lang, dict[str, str]] = {
    "fr": {
        "title": "Backtest Tempo — saison {season} ({first} → {last}, {days} jours)",
        "house": "Foyer : {kwh} kWh/an (courbe Linky mesurée d'un foyer réel, données "
        "@MathieuMf via github.com/Koicoubeh/EDFComparateur, CC BY-SA 4.0), abonnement {kva} kVA",
        "bank": "Batteries : {count} × {cap} kWh, ±{power} kW, plancher {floor} %, rendements "
        "{eta_c} % / {eta_d} %, usure {wear} €/kWh déchargé",
        "prices": "Prix : grille en vigueur au {date}{single} appliquée aux couleurs réelles de "
        "la saison {season} (HC bleu {bhc}, HP rouge {rhp} €/kWh)",
        "single": " (une seule source : à vérifier)",
        "note_cost": "Coût = énergie achetée + usure − énergie restée dans les batteries à la fin "
        "(valorisée au prix HC le moins cher). Le planificateur ne voit que le passé : la couleur "
        "du lendemain à partir de 11 h, la consommation jusqu'à l'instant présent.",
        "note_cut": "Bridages : demi-heures où la charge a dû être réduite pour rester sous "
        "l'abonnement (sans cela le disjoncteur aurait sauté).",
        "missing": "Optimum non calculé : {why}",
        "title_history": "Backtest Tempo — votre historique ({first} → {last}, {days} jours)",
        "history": "Votre historique : du {first} au {last} ({days} jours), {kwh} kWh consommés, "
        "prix en vigueur chaque jour ({rows}), abonnement {kva} kVA",
        "rows": "grille du {dates}",
        "rows_and": " puis du ",
    },
    "en": {
        "title": "Tempo backtest — season {season} ({first} → {last}, {days} days)",
        "house": "Household: {kwh} kWh/yr (measured Linky load of a real household, data "
        "@MathieuMf via github.com/Koicoubeh/EDFComparateur, CC BY-SA 4.0), contract {kva} kVA",
        "bank": "Batteries: {count} × {cap} kWh, ±{power} kW, floor {floor}%, efficiencies "
        "{eta_c}% / {eta_d}%, wear {wear} €/kWh discharged",
        "prices": "Prices: the grid in force on {date}{single} applied to the real colours of "
        "season {season} (blue HC {bhc}, red HP {rhp} €/kWh)",
        "single": " (single source: verify)",
        "note_cost": "Cost = energy bought + wear − energy left in the batteries at the end "
        "(valued at the cheapest off-peak price). The planner only sees the past: tomorrow's "
        "colour from 11:00, the load up to now.",
        "note_cut": "Cut steps: half-hours where charging had to be reduced to stay under the "
        "contract power (otherwise the breaker would have tripped).",
        "missing": "Optimum not computed: {why}",
        "title_history": "Tempo backtest — your history ({first} → {last}, {days} days)",
        "history": "Your history: {first} to {last} ({days} days), {kwh} kWh consumed, the "
        "prices in force each day ({rows}), contract {kva} kVA",
        "rows": "grid of {dates}",
        "rows_and": " then of ",
    },
}


def _number(value: float, lang: Lang, decimals: int = 2) -> str:
    text = f"{value:,.{decimals}f}"
    if lang == "fr":
        return text.replace(",", " ").replace(".", ",")
    return text


def _table(headers: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    widths = [max(len(row[i]) for row in (headers, *rows)) for i in range(len(headers))]

    def line(cells: Sequence[str]) -> str:
        first = cells[0].ljust(widths[0])
        rest = (cell.rjust(width) for cell, width in zip(cells[1:], widths[1:], strict=True))
        return "  ".join((first, *rest)).rstrip()

    rule = "  ".join("-" * width for width in widths)
    return "\n".join([line(headers), rule, *(line(row) for row in rows)])


def _row(result: StrategyResult, lang: Lang) -> list[str]:
    share = result.share_of_optimum_pct
    return [
        STRATEGY_NAMES[lang][result.key],
        _number(result.total_cost_eur, lang),
        _number(result.saved_eur, lang),
        "—" if share is None or result.key is StrategyKey.NO_BATTERY else _number(share, lang, 1),
        _number(result.cycled_kwh, lang, 0),
        _number(result.peak_grid_w, lang, 0),
        str(result.clipped_steps),
    ]


def _date(day: date, lang: Lang) -> str:
    return day.strftime("%d/%m/%Y" if lang == "fr" else "%Y-%m-%d")


def _bank_line(report: BacktestReport, lang: Lang) -> str:
    bank = report.options.bank
    return _TEXTS[lang]["bank"].format(
        count=bank.count,
        cap=_number(bank.capacity_wh / 1000, lang),
        power=_number(bank.max_charge_w / 1000, lang, 1),
        floor=_number(bank.min_soc_pct, lang, 0),
        eta_c=_number(bank.charge_efficiency * 100, lang, 0),
        eta_d=_number(bank.discharge_efficiency * 100, lang, 0),
        wear=_number(report.options.wear_eur_kwh, lang, 3),
    )


def _history_line(report: BacktestReport, history: HistorySource, lang: Lang) -> str:
    texts = _TEXTS[lang]
    dates = texts["rows_and"].join(_date(day, lang) for day in history.price_dates)
    return texts["history"].format(
        first=_date(report.first_day, lang),
        last=_date(report.last_day, lang),
        days=len(report.days),
        kwh=_number(report.consumed_kwh, lang, 0),
        rows=texts["rows"].format(dates=dates),
        kva=_number(report.options.contract_kva, lang, 1),
    )


def summary_lines(report: BacktestReport, lang: Lang = "fr") -> list[str]:
    """Return what was simulated: the data (shipped or the household's) and the bank."""
    texts = _TEXTS[lang]
    options, row = report.options, report.price_row
    if report.history is not None:
        return [_history_line(report, report.history, lang), _bank_line(report, lang)]
    return [
        texts["house"].format(
            kwh=_number(report.annual_kwh, lang, 0), kva=_number(options.contract_kva, lang, 1)
        ),
        _bank_line(report, lang),
        texts["prices"].format(
            date=row.effective_from.isoformat(),
            single=texts["single"] if row.single_source else "",
            season=report.season.label,
            bhc=_number(row.blue_hc_eur_per_kwh, lang, 4),
            rhp=_number(row.red_hp_eur_per_kwh, lang, 4),
        ),
    ]


def compact_table(report: BacktestReport, lang: Lang = "fr") -> str:
    """Return a phone-wide table: strategy, savings, share of the optimum, kWh cycled."""
    rows = []
    for result in report.results:
        share = result.share_of_optimum_pct
        no_share = share is None or result.key is StrategyKey.NO_BATTERY
        rows.append(
            [
                SHORT_NAMES[lang][result.key],
                _number(result.saved_eur, lang),
                "—" if no_share or share is None else _number(share, lang, 0),
                _number(result.cycled_kwh, lang, 0),
            ]
        )
    return _table(_COMPACT_HEADERS[lang], rows)


def format_report(report: BacktestReport, lang: Lang = "fr") -> str:
    """Return the report as plain text: context lines, the table, and notes."""
    texts = _TEXTS[lang]
    title = "title" if report.history is None else "title_history"
    lines = [
        texts[title].format(
            season=report.season.label,
            days=len(report.days),
            first=_date(report.first_day, lang),
            last=_date(report.last_day, lang),
        ),
        *summary_lines(report, lang),
        "",
        _table(_HEADERS[lang], [_row(result, lang) for result in report.results]),
        "",
        texts["note_cost"],
        texts["note_cut"],
    ]
    if report.optimum_missing:
        lines.append(texts["missing"].format(why=report.optimum_missing))
    return "\n".join(lines)
