"""The Tempo message: today, tomorrow (or what is still possible), days left, prices in force."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from bot.telegram_ui import format as fmt
from bot.telegram_ui.i18n import Lang, t
from bot.telegram_ui.status_view import TempoNow, tomorrow_parts
from bot.tempo import (
    DayOutlook,
    SeasonCounters,
    TariffPeriod,
    TempoColor,
    TempoPrices,
    hc_window,
    hp_window,
    period_at,
    tempo_day_at,
)

COLORS = (TempoColor.BLUE, TempoColor.WHITE, TempoColor.RED)


def period_now(now: datetime, tz: ZoneInfo) -> tuple[TariffPeriod, datetime]:
    """The current tariff period and when it ends."""
    day = tempo_day_at(now, tz)
    period = period_at(now, tz)
    end = hp_window(day, tz)[1] if period is TariffPeriod.HP else hc_window(day, tz)[1]
    return period, end


def tempo_now(today: DayOutlook, tomorrow: DayOutlook, now: datetime, tz: ZoneInfo) -> TempoNow:
    """Bundle what the status message shows about Tempo."""
    period, ends = period_now(now, tz)
    return TempoNow(today=today, tomorrow=tomorrow, period=period, period_ends_at=ends)


def render_tempo(
    *,
    tempo: TempoNow,
    counters: SeasonCounters | None,
    prices: TempoPrices | None,
    tz: ZoneInfo,
    lang: Lang,
) -> str:
    """The whole /tempo message (Telegram HTML)."""
    lines = [t(lang, "tempo.title")]
    lines.append(
        t(
            lang,
            "tempo.today",
            day=fmt.day_month(tempo.today.day, lang),
            color=fmt.color(tempo.today.color, lang),
            period=t(lang, f"period.{tempo.period.value}"),
            until=fmt.clock_time(tempo.period_ends_at.astimezone(tz), lang),
        )
    )
    tomorrow = tempo.tomorrow
    if tomorrow.color is not None:
        state = t(lang, "tempo.confirmed" if tomorrow.confirmed else "tempo.provisional")
        lines.append(
            t(
                lang,
                "tempo.tomorrow_known",
                day=fmt.day_month(tomorrow.day, lang),
                color=fmt.color(tomorrow.color, lang),
                state=state,
            )
        )
    else:
        possible = tomorrow_parts(tomorrow, lang)["detail"].strip(" ()") or "—"
        lines.append(
            t(
                lang,
                "tempo.tomorrow_unknown",
                day=fmt.day_month(tomorrow.day, lang),
                possible=possible,
            )
        )
    if counters is not None:
        lines += ["", t(lang, "tempo.remaining_title", season=counters.season.label)]
        for color in COLORS:
            lines.append(
                "  "
                + t(
                    lang,
                    "tempo.remaining",
                    color=fmt.color(color, lang),
                    remaining=counters.remaining(color),
                    total=counters.quota.get(color),
                )
            )
    if prices is not None:
        lines += [
            "",
            t(lang, "tempo.prices_title", since=prices.effective_from.strftime("%d/%m/%Y")),
        ]
        for color in COLORS:
            hc = prices.price_eur_per_kwh(color, TariffPeriod.HC)
            hp = prices.price_eur_per_kwh(color, TariffPeriod.HP)
            lines.append(
                "  "
                + t(
                    lang,
                    "tempo.price_row",
                    color=fmt.color(color, lang),
                    hc=fmt.euros(hc, lang, 4),
                    hp=fmt.euros(hp, lang, 4),
                )
            )
    return "\n".join(lines)
