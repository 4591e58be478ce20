"""What /economies shows, as pure functions of accounted days (no I/O)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, time, timedelta

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
