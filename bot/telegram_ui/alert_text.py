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
        return fmt.day_month(datetime.fromisoformat(str(value)).date(), lang)
    except ValueError:
        return str(value)


def _tonight(p: dict[str, str | int | float | None], lang: Lang, tz: ZoneInfo) -> dict[str, object]:
    color = str(p.get("color"))
    known = TempoColor[color] if color in TempoColor.__members__ else None
    state = t(lang, "tempo.confirmed" if p.get("confirmed") else "tempo.provisional")
    values: dict[str, object] = {
        "day": _day(p.get("day"), lang),
        "color": fmt.color(known, lang),
        "state": f" ({state})",
    }
    if p.get("start") and p.get("end"):
        target = p.get("target")
        values["tonight"] = t(
            lang,
            "alert.plan_tonight.charge",
            start=_local_time(p["start"], tz, lang),
            end=_local_time(p["end"], tz, lang),
            power=fmt.power(float(p.get("power_w") or 0), lang),
            target=fmt.number(float(target), lang) if isinstance(target, int | float) else "—",
        )
    else:
        values["tonight"] = t(lang, "alert.plan_tonight.none")
    return values


def _report(p: dict[str, str | int | float | None], lang: Lang) -> dict[str, object]:
    price, cost = p.get("price"), p.get("cost")
    cost_text = ""
    if isinstance(price, int | float) and isinstance(cost, int | float):
        cost_text = t(
            lang,
            "alert.precharge_report.cost",
            price=fmt.euros(price, lang, 4),
            cost=fmt.euros(cost, lang),
        )
    target = p.get("target")
    return {
        "socs": " / ".join(str(p.get("socs") or "—").split(",")),
        "target": fmt.number(float(target), lang) if isinstance(target, int | float) else "—",
        "energy": fmt.energy(float(p.get("bought_wh") or 0), lang),
        "cost": cost_text,
    }


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
    if alert.kind is AlertKind.PLAN_TONIGHT:
        params.update(_tonight(p, lang, tz))
    if alert.kind is AlertKind.PRECHARGE_REPORT:
        params.update(_report(p, lang))
    if alert.kind is AlertKind.SAVINGS_DAILY:
        from bot.telegram_ui.savings_ui.alert import savings_alert_params

        params.update(savings_alert_params(p, lang))
    if alert.kind is AlertKind.PLAN_REFUSED:
        params["detail"] = fmt.escape(p.get("detail") or "—")
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
