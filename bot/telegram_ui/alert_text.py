"""Alerts in words: each kind's text in the reader's language, with local times and durations."""

from __future__ import annotations

import re
from datetime import datetime
from zoneinfo import ZoneInfo

from bot.alerts import Alert, AlertKind
from bot.telegram_ui import format as fmt
from bot.telegram_ui.i18n import CATALOGUES, Lang, t
from bot.tempo.model import TempoColor


def _duration(seconds: object, lang: Lang) -> str:
    value = float(seconds) if isinstance(seconds, int | float) else 0.0
    minutes = round(value / 60)
    if minutes < 90:
        return t(lang, "mode.minutes", n=max(1, minutes))
    return t(lang, "mode.hours", n=round(minutes / 60))


def _local_time(value: object, tz: ZoneInfo, lang: Lang) -> str:
    try:
        instant = datetime.fromisoformat(str(value))
    except ValueError:
        return str(value)
    return fmt.clock_time(instant.astimezone(tz), lang)


def _colors(value: object, lang: Lang) -> str:
    names = [v for v in str(value or "").split(",") if v in TempoColor.__members__]
    return " ".join(fmt.color(TempoColor[n], lang) for n in names) or "—"


def _day(value: object, lang: Lang) -> str:
    try:
        return datetime.fromisoformat(str(value)).strftime("%d/%m" if lang == "fr" else "%b %d")
    except ValueError:
        return str(value)


def render_alert(alert: Alert, lang: Lang, tz: ZoneInfo) -> str:
    """The message for ``alert`` (Telegram HTML)."""
    p = dict(alert.params)
    params: dict[str, object] = {k: ("—" if v is None else v) for k, v in p.items()}
    params["battery"] = fmt.escape(alert.battery or "")
    if "since" in p:
        params["since"] = _local_time(p["since"], tz, lang)
    if "duration_s" in p:
        params["duration"] = _duration(p["duration_s"], lang)
    for key in ("soc_pct", "temperature_c", "limit", "previous_wh", "value_wh"):
        if isinstance(p.get(key), int | float):
            params[key] = fmt.number(float(p[key]), lang)  # type: ignore[arg-type]
    if alert.kind is AlertKind.TEMPO_ANNOUNCEMENT:
        color = str(p.get("color"))
        known = TempoColor[color] if color in TempoColor.__members__ else None
        params["color"] = fmt.color(known, lang)
        confirmed = bool(p.get("confirmed"))
        params["state"] = f" ({t(lang, 'tempo.confirmed' if confirmed else 'tempo.provisional')})"
        params["day"] = _day(p.get("day"), lang)
    if alert.kind is AlertKind.TEMPO_UNKNOWN:
        params["day"] = _day(p.get("day"), lang)
        params["possible"] = _colors(p.get("possible"), lang)
        params.setdefault("hour", p.get("hour", 20))
    key = f"alert.{alert.kind.value}"
    if key not in CATALOGUES[lang]:
        return t(lang, "alert.generic", kind=alert.kind.value, battery=params["battery"])
    return t(lang, key, **params)


def alert_line(alert: Alert, lang: Lang, tz: ZoneInfo) -> str:
    """One plain-text line for terminals (``python -m bot status``)."""
    created = alert.created_at.astimezone(tz).strftime("%d/%m %H:%M")
    text = re.sub(r"<[^>]+>", "", render_alert(alert, lang, tz)).replace("\n", " ")
    return f"{created} {text}"


__all__ = ["alert_line", "render_alert"]
