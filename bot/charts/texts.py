"""Words and number formats printed on the charts, in French (default) and English."""

from __future__ import annotations

from datetime import date

from bot.charts.model import Lang
from bot.tempo.model import TempoColor

_TEXTS: dict[str, tuple[str, str]] = {
    # key: (French, English)
    "history_title": ("Batteries — {span}", "Batteries — {span}"),
    "plan_title": ("Plan des prochaines {hours} h", "Plan for the next {hours} h"),
    "savings_title": ("Économies : {total} sur {days} jours", "Savings: {total} over {days} days"),
    "season_title": ("Saison Tempo {label}", "Tempo season {label}"),
    "soc_axis": ("Charge (%)", "Charge (%)"),
    "power_axis": ("Puissance (W)\n+ décharge / − charge", "Power (W)\n+ discharge / − charge"),
    "savings_axis": ("Économie du jour (€)", "Daily savings (€)"),
    "cumulative_axis": ("Cumul (€)", "Cumulative (€)"),
    "cumulative": ("Cumul", "Cumulative"),
    "hc": ("Heures creuses", "Off-peak hours"),
    "no_data": ("Pas encore de données", "No data yet"),
    "quota": (
        "{color} : {used} / {total} (reste {left})",
        "{color}: {used} / {total} ({left} left)",
    ),
    "today": ("Aujourd'hui", "Today"),
    "span_hours": ("{n} heures", "{n} hours"),
    "span_days": ("{n} jours", "{n} days"),
}

_COLOR_NAMES: dict[TempoColor | None, tuple[str, str]] = {
    TempoColor.BLUE: ("Bleu", "Blue"),
    TempoColor.WHITE: ("Blanc", "White"),
    TempoColor.RED: ("Rouge", "Red"),
    None: ("Inconnu", "Unknown"),
}

_WEEKDAYS_SHORT = (
    ("lun.", "mar.", "mer.", "jeu.", "ven.", "sam.", "dim."),
    ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"),
)
_WEEKDAY_INITIALS = (("L", "M", "M", "J", "V", "S", "D"), ("M", "T", "W", "T", "F", "S", "S"))
_MONTHS = (
    (
        "janvier", "février", "mars", "avril", "mai", "juin",
        "juillet", "août", "septembre", "octobre", "novembre", "décembre",
    ),
    (
        "January", "February", "March", "April", "May", "June",
        "July", "August", "September", "October", "November", "December",
    ),
)  # fmt: skip


def _index(lang: Lang) -> int:
    return 1 if lang == "en" else 0


def text(key: str, lang: Lang, **params: object) -> str:
    """Return the chart text ``key`` in ``lang``, formatted with ``params``."""
    return _TEXTS[key][_index(lang)].format(**params)


def color_name(color: TempoColor | None, lang: Lang) -> str:
    """Return the display name of a Tempo colour (``None`` = unknown)."""
    return _COLOR_NAMES[color][_index(lang)]


def weekday_short(weekday: int, lang: Lang) -> str:
    """Return the abbreviated weekday name (0 = Monday)."""
    return _WEEKDAYS_SHORT[_index(lang)][weekday]


def weekday_initial(weekday: int, lang: Lang) -> str:
    """Return the one-letter weekday header of a month grid (0 = Monday)."""
    return _WEEKDAY_INITIALS[_index(lang)][weekday]


def month_name(month: int, lang: Lang) -> str:
    """Return the month name (1 = January), capitalised."""
    return _MONTHS[_index(lang)][month - 1].capitalize()


def short_date(day: date, lang: Lang) -> str:
    """Return a compact date: ``16/01`` in French, ``Jan 16`` in English."""
    if lang == "fr":
        return f"{day.day:02d}/{day.month:02d}"
    return f"{month_name(day.month, lang)[:3]} {day.day}"


def format_number(value: float, lang: Lang, *, decimals: int = 0) -> str:
    """Format a number the way a reader of ``lang`` expects (French: decimal comma)."""
    formatted = f"{value:,.{decimals}f}".replace("-", "−")
    if lang == "fr":
        # French groups thousands with a narrow no-break space and uses a decimal comma.
        return formatted.replace(",", "\u202f").replace(".", ",")
    return formatted


def format_eur(value: float, lang: Lang) -> str:
    """Format an amount in euros: ``12,34 €`` in French, ``€12.34`` in English."""
    number = format_number(abs(value), lang, decimals=2)
    sign = "−" if round(value, 2) < 0 else ""
    return f"{sign}{number}\u00a0€" if lang == "fr" else f"{sign}€{number}"
