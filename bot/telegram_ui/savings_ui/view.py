"""What /economies shows, as pure functions of accounted days and reports (no I/O)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, time, timedelta

from bot.backtest.data import BacktestError
from bot.backtest.household import HistoryTooShortError
from bot.backtest.report import SHORT_NAMES, compact_table, summary_lines
from bot.backtest.runner import BacktestReport
from bot.backtest.strategies import StrategyKey
from bot.savings.accounting import DaySavings, PeriodSavings, summarize
from bot.savings.daily import DailySettings
from bot.telegram_ui import format as fmt
from bot.telegram_ui.i18n import Lang, t
from bot.tempo.seasons import Season

CHART_DAYS = 30


@dataclass(frozen=True, slots=True, kw_only=True)
class Overview:
    """Today, this month, this season and the total, all ending on Tempo day ``today``."""

    today: DaySavings
    month: PeriodSavings
    season: PeriodSavings
    season_label: str
    total: PeriodSavings


def overview(days: Sequence[DaySavings], today: date) -> Overview:
    """Split the days since installation into today / month / season / total."""
    season = Season.of(today)
    first = days[0].day if days else today
    current = next((d for d in days if d.day == today), None)
    if current is None:
        current = DaySavings(
            day=today,
            color=None,
            batteries=(),
            charged_wh=0.0,
            discharged_wh=0.0,
            cost_eur=0.0,
            value_eur=0.0,
            unpriced_wh=0.0,
        )
    return Overview(
        today=current,
        month=summarize(days, today.replace(day=1), today),
        season=summarize(days, season.first_day, today),
        season_label=season.label,
        total=summarize(days, min(first, today), today),
    )


def short_day(day: date, lang: Lang) -> str:
    """``14/01/2026`` or ``2026-01-14``."""
    return day.strftime("%d/%m/%Y") if lang == "fr" else day.isoformat()


def hour_text(hour: int, lang: Lang) -> str:
    """``20h00`` or ``20:00``."""
    return fmt.clock_time_of(time(hour), lang)


def render_overview(view: Overview, daily: DailySettings, lang: Lang) -> str:
    """The /economies message (Telegram HTML)."""
    text = t(
        lang,
        "savings.overview",
        color=fmt.color(view.today.color, lang),
        today=fmt.euros(view.today.savings_eur, lang),
        discharged=fmt.energy(view.today.discharged_wh, lang),
        charged=fmt.energy(view.today.charged_wh, lang),
        month=fmt.euros(view.month.savings_eur, lang),
        season=view.season_label,
        season_eur=fmt.euros(view.season.savings_eur, lang),
        since=short_day(view.total.first, lang),
        total=fmt.euros(view.total.savings_eur, lang),
    )
    if view.total.unpriced_wh >= 1.0:
        text += t(lang, "savings.unpriced", energy=fmt.energy(view.total.unpriced_wh, lang))
    if daily.enabled:
        return text + t(lang, "savings.daily_on", hour=hour_text(daily.hour, lang))
    return text + t(lang, "savings.daily_off")


def chart_days(days: Sequence[DaySavings], today: date, *, season: bool) -> list[DaySavings]:
    """The days a chart shows: the last 30, or the season so far (from the first data)."""
    first = Season.of(today).first_day if season else today - timedelta(days=CHART_DAYS - 1)
    return [d for d in days if first <= d.day <= today]


def render_backtest(report: BacktestReport, lang: Lang) -> str:
    """The strategy comparison on the household's history (Telegram HTML, phone-wide table)."""
    lines = [t(lang, "savings.backtest.title")]
    lines += [fmt.escape(line) for line in summary_lines(report, lang)]
    reference = report.result(StrategyKey.NO_BATTERY)
    if reference is not None:
        cost = fmt.euros(reference.total_cost_eur, lang)
        lines.append(t(lang, "savings.backtest.reference", cost=cost))
    lines.append(f"<pre>{fmt.escape(compact_table(report, lang))}</pre>")
    lines.append(t(lang, "savings.backtest.note"))
    cut = [
        t(
            lang,
            "savings.backtest.cut_item",
            name=fmt.escape(SHORT_NAMES[lang][row.key]),
            count=row.clipped_steps,
        )
        for row in report.results
        if row.clipped_steps
    ]
    if cut:
        lines.append(t(lang, "savings.backtest.cut", items=", ".join(cut)))
    if report.optimum_missing_code is not None:
        code = "scipy_missing" if report.optimum_missing_code == "scipy_missing" else "error"
        lines.append(t(lang, f"savings.backtest.no_optimum.{code}"))
    return "\n".join(lines)


def backtest_error_text(err: BacktestError, lang: Lang) -> str:
    """One clear sentence for a comparison that could not run (never a traceback)."""
    if isinstance(err, HistoryTooShortError):
        return t(
            lang,
            f"savings.backtest.error.{err.code}",
            needed=err.needed_days,
            found=err.found_days,
        )
    return t(lang, "savings.backtest.error.error")


def backtest_caption(report: BacktestReport, lang: Lang) -> str:
    """The chart's caption."""
    return t(
        lang,
        "savings.backtest.caption",
        first=short_day(report.first_day, lang),
        last=short_day(report.last_day, lang),
    )
