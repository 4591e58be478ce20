"""The backtest chart: cumulative savings through the season, and the final savings per strategy."""

from __future__ import annotations

from bot.charts.drawing import new_figure, to_png

from .report import STRATEGY_NAMES, Lang
from .runner import BacktestReport
from .strategies import StrategyKey

COLORS = {
    StrategyKey.NIGHTLY: "#d97706",
    StrategyKey.RED_ONLY: "#ef4444",
    StrategyKey.PLANNER: "#2563eb",
    StrategyKey.OPTIMUM: "#111827",
}
_TITLES = {
    "fr": (
        "Économies cumulées vs sans batterie (€)",
        "Économie sur la saison (€)",
        "Backtest Tempo {season}",
    ),
    "en": (
        "Cumulative savings vs no battery (€)",
        "Savings over the season (€)",
        "Tempo backtest {season}",
    ),
}
_HISTORY_TITLES = {
    "fr": ("Économie sur la période (€)", "Vos données : {first} → {last}", "%d/%m/%Y"),
    "en": ("Savings over the period (€)", "Your data: {first} → {last}", "%Y-%m-%d"),
}


def render_chart(report: BacktestReport, lang: Lang = "fr") -> bytes:
    """Render the savings of each strategy through the season and in total, as PNG bytes."""
    figure = new_figure(1400, 700)
    line_ax, bar_ax = figure.subplots(1, 2, width_ratios=(2.2, 1))
    line_title, bar_title, title = _TITLES[lang]
    title = title.format(season=report.season.label)
    if report.history is not None:
        bar_title, history_title, day_format = _HISTORY_TITLES[lang]
        title = history_title.format(
            first=report.first_day.strftime(day_format), last=report.last_day.strftime(day_format)
        )
    rows = [row for row in report.results if row.key is not StrategyKey.NO_BATTERY]
    for row in rows:
        line_ax.plot(
            list(report.days),
            row.daily_saved_eur,
            label=STRATEGY_NAMES[lang][row.key],
            color=COLORS[row.key],
            linewidth=2.4 if row.key is StrategyKey.PLANNER else 1.6,
            linestyle="--" if row.key is StrategyKey.OPTIMUM else "-",
        )
    line_ax.set_title(line_title)
    line_ax.grid(alpha=0.3)
    line_ax.legend(loc="upper left")
    line_ax.tick_params(axis="x", labelrotation=30)
    names = [STRATEGY_NAMES[lang][row.key] for row in rows]
    values = [row.saved_eur for row in rows]
    bars = bar_ax.barh(names, values, color=[COLORS[row.key] for row in rows])
    bar_ax.bar_label(bars, labels=[f"{value:.0f} €" for value in values], padding=3)
    bar_ax.invert_yaxis()
    bar_ax.set_title(bar_title)
    bar_ax.set_xlim(0, max([*values, 1.0]) * 1.25)
    figure.suptitle(title, fontweight="bold")
    return to_png(figure)
