"""The daily savings alert's parameters in the reader's language (called by alert_text)."""

from __future__ import annotations

from datetime import date

from bot.telegram_ui import format as fmt
from bot.telegram_ui.i18n import Lang
from bot.tempo.model import TempoColor

Params = dict[str, str | int | float | None]


def _eur(value: object, lang: Lang) -> str:
    return fmt.euros(float(value), lang) if isinstance(value, int | float) else "—"


def _wh(value: object, lang: Lang) -> str:
    return fmt.energy(float(value), lang) if isinstance(value, int | float) else "—"


def savings_alert_params(p: Params, lang: Lang) -> dict[str, object]:
    """Format the numbers of a SAVINGS_DAILY alert (€, Wh, day, colour)."""
    color = str(p.get("color"))
    try:
        day = date.fromisoformat(str(p.get("day")))
        day_text = day.strftime("%d/%m/%Y") if lang == "fr" else day.isoformat()
    except ValueError:
        day_text = "—"
    return {
        "day": day_text,
        "color": fmt.color(TempoColor[color] if color in TempoColor.__members__ else None, lang),
        "savings": _eur(p.get("savings_eur"), lang),
        "charged": _wh(p.get("charged_wh"), lang),
        "discharged": _wh(p.get("discharged_wh"), lang),
        "month": _eur(p.get("month_eur"), lang),
        "season": _eur(p.get("season_eur"), lang),
        "total": _eur(p.get("total_eur"), lang),
    }
