"""The status message: every battery, the bank total, and where we are in the Tempo day."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from bot.monitor.snapshot import BatterySnapshot
from bot.telegram_ui import format as fmt
from bot.telegram_ui.i18n import Lang, t
from bot.tempo import DayOutlook, TariffPeriod

IDLE_BELOW_W = 20.0


@dataclass(frozen=True, slots=True, kw_only=True)
class TempoNow:
    """Where we are in the Tempo calendar at the moment of the status."""

    today: DayOutlook
    tomorrow: DayOutlook
    period: TariffPeriod
    period_ends_at: datetime


def flow(power_w: float | None, lang: Lang) -> str:
    """``⬇️ charge 1,2 kW`` / ``⬆️ décharge 850 W`` / ``⏸ au repos`` (+ = discharging)."""
    if power_w is None or abs(power_w) < IDLE_BELOW_W:
        return t(lang, "status.flow.idle")
    key = "status.flow.discharging" if power_w > 0 else "status.flow.charging"
    return t(lang, key, power=fmt.power(abs(power_w), lang))


def battery_line(snap: BatterySnapshot, now: datetime, tz: ZoneInfo, lang: Lang) -> str:
    """One battery's line (several when it is in trouble)."""
    name = fmt.escape(snap.name)
    if not snap.reachable:
        since = fmt.clock_time((snap.unreachable_since or now).astimezone(tz), lang)
        last = ""
        age = snap.age(now)
        if snap.soc_pct is not None and age is not None:
            last = t(
                lang,
                "status.unreachable_last",
                soc=fmt.percent(snap.soc_pct, lang),
                age=fmt.age(age, lang),
            )
        line = t(lang, "status.unreachable", name=name, since=since, last=last)
        if snap.api_disabled_suspected:
            line += "\n" + t(lang, "status.api_disabled_hint")
        return line
    age = snap.age(now)
    if snap.status is None or age is None:
        return t(lang, "status.waiting", name=name)
    mode = snap.mode.value if snap.mode is not None else t(lang, "status.mode_unknown")
    temp = f" · {fmt.number(snap.temperature_c, lang)} °C" if snap.temperature_c is not None else ""
    return t(
        lang,
        "status.line",
        name=name,
        soc=fmt.percent(snap.soc_pct, lang),
        flow=flow(snap.ac_power_w, lang),
        mode=mode,
        temp=temp,
        age=fmt.age(age, lang),
    )


def bank_line(snaps: Sequence[BatterySnapshot], lang: Lang) -> str | None:
    """The bank total: energy stored, capacity, and the net flow."""
    known = [s for s in snaps if s.status is not None and s.soc_pct is not None]
    if not known:
        return None
    capacity = sum(s.capacity_wh or 0.0 for s in known)
    stored = sum((s.soc_pct or 0.0) * (s.capacity_wh or 0.0) / 100 for s in known)
    power = sum(s.ac_power_w or 0.0 for s in known if s.reachable)
    return t(
        lang,
        "status.total",
        stored=fmt.energy(stored, lang),
        capacity=fmt.energy(capacity, lang),
        flow=flow(power, lang),
    )


def tempo_lines(tempo: TempoNow | None, tz: ZoneInfo, lang: Lang) -> list[str]:
    """Today's colour and period, tomorrow's colour (or what is still possible)."""
    if tempo is None:
        return [t(lang, "status.tempo_unavailable")]
    today = t(
        lang,
        "status.tempo_today",
        color=fmt.color(tempo.today.color, lang),
        period=t(lang, f"period.{tempo.period.value}"),
        until=fmt.clock_time(tempo.period_ends_at.astimezone(tz), lang),
    )
    return [today, t(lang, "status.tempo_tomorrow", **tomorrow_parts(tempo.tomorrow, lang))]


def tomorrow_parts(outlook: DayOutlook, lang: Lang) -> dict[str, str]:
    """The colour and the detail in brackets for tomorrow."""
    if outlook.color is not None:
        state = t(lang, "tempo.confirmed" if outlook.confirmed else "tempo.provisional")
        return {"color": fmt.color(outlook.color, lang), "detail": f" ({state})"}
    possible = " ".join(fmt.COLOR_EMOJI[c] for c in sorted(outlook.possible, key=_order))
    return {"color": fmt.color(None, lang), "detail": f" ({possible})" if possible else ""}


def _order(color: object) -> int:
    return ["BLUE", "WHITE", "RED"].index(str(color))


def render_status(
    snaps: Sequence[BatterySnapshot],
    *,
    now: datetime,
    tz: ZoneInfo,
    lang: Lang,
    tempo: TempoNow | None,
    pending_alerts: int = 0,
) -> str:
    """The whole status message (Telegram HTML)."""
    lines = [t(lang, "status.title", time=fmt.clock_time(now.astimezone(tz), lang))]
    if not snaps:
        lines.append(t(lang, "status.none"))
    lines += [battery_line(s, now, tz, lang) for s in snaps]
    total = bank_line(snaps, lang)
    if total and len(snaps) > 1:
        lines.append(total)
    lines.append("")
    lines += tempo_lines(tempo, tz, lang)
    if pending_alerts:
        lines.append(t(lang, "status.alerts_pending", n=pending_alerts))
    return "\n".join(lines)
