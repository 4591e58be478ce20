"""Numbers, powers, durations and colours written the way each language writes them."""

from __future__ import annotations

import html
from datetime import date, datetime, time, timedelta

from bot.telegram_ui.i18n import Lang, t
from bot.tempo.model import TempoColor

COLOR_EMOJI = {TempoColor.BLUE: "🔵", TempoColor.WHITE: "⚪", TempoColor.RED: "🔴"}
UNKNOWN_EMOJI = "❔"
MINUS = "−"


def number(value: float, lang: Lang, decimals: int = 0) -> str:
    """Format ``value`` with the language's decimal separator and a real minus sign."""
    rounded = round(value, decimals)
    text = f"{abs(rounded):,.{decimals}f}"
    if lang == "fr":
        text = text.replace(",", "\u202f").replace(".", ",")
    return (MINUS if rounded < 0 else "") + text


def power(watts: float | None, lang: Lang) -> str:
    """``850 W`` below 1 kW, ``1,2 kW`` above; ``—`` when unknown."""
    if watts is None:
        return "—"
    if abs(watts) >= 1000:
        return f"{number(watts / 1000, lang, 1)} kW"
    return f"{number(watts, lang)} W"


def energy(wh: float | None, lang: Lang) -> str:
    """``850 Wh`` or ``12,3 kWh``."""
    if wh is None:
        return "—"
    if abs(wh) >= 1000:
        return f"{number(wh / 1000, lang, 1)} kWh"
    return f"{number(wh, lang)} Wh"


def percent(value: float | None, lang: Lang) -> str:
    """``57 %`` (French spacing) or ``57%``."""
    if value is None:
        return "—"
    return f"{number(value, lang)}\u202f%" if lang == "fr" else f"{number(value, lang)}%"


def euros(value: float, lang: Lang, decimals: int = 2) -> str:
    """``0,7060 €`` or ``€0.7060``."""
    return (
        f"{number(value, lang, decimals)}\u00a0€"
        if lang == "fr"
        else f"€{number(value, lang, decimals)}"
    )


def age(delta: timedelta, lang: Lang) -> str:
    """How old a reading is, briefly: ``12 s``, ``3 min``, ``2 h``."""
    seconds = max(0, int(delta.total_seconds()))
    if seconds < 90:
        return t(lang, "age.seconds", n=seconds)
    if seconds < 90 * 60:
        return t(lang, "age.minutes", n=round(seconds / 60))
    if seconds < 48 * 3600:
        return t(lang, "age.hours", n=round(seconds / 3600))
    return t(lang, "age.days", n=round(seconds / 86400))


def clock_time(instant: datetime, lang: Lang) -> str:
    """``22h00`` in French, ``22:00`` in English (the instant must already be local)."""
    return clock_time_of(instant.time(), lang)


def day_month(day: date, lang: Lang) -> str:
    """``15/01`` in French, ``Jan 15`` in English."""
    return day.strftime("%d/%m" if lang == "fr" else "%b %d")


def color(value: TempoColor | None, lang: Lang) -> str:
    """Emoji and name of a Tempo colour (or unknown)."""
    if value is None:
        return f"{UNKNOWN_EMOJI} {t(lang, 'color.unknown')}"
    return f"{COLOR_EMOJI[value]} {t(lang, 'color.' + value.value.lower())}"


def escape(text: object) -> str:
    """Escape user-provided or device-provided text for HTML parse mode."""
    return html.escape(str(text), quote=False)


def clock_time_of(moment: time, lang: Lang) -> str:
    """A wall-clock time: ``22h00`` in French, ``22:00`` in English."""
    return moment.strftime("%Hh%M" if lang == "fr" else "%H:%M")
