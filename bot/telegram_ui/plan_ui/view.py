"""The /plan message: the next 48 h per battery (what, when, why), orders in force, chart data."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime
from zoneinfo import ZoneInfo

from bot.charts.model import BatteryPlan as ChartBatteryPlan
from bot.charts.model import PlanSeries
from bot.charts.model import PlanStep as ChartStep
from bot.execution.overrides import StoredOverride
from bot.planning import reason_text
from bot.planning.model import ActionKind, BatteryPlan, Plan, PlanInterval
from bot.telegram_ui import format as fmt
from bot.telegram_ui.i18n import Lang, t
from bot.tempo.model import TempoColor

MAX_LINES_PER_BATTERY = 12


def _when(instant: datetime, now: datetime, tz: ZoneInfo, lang: Lang) -> str:
    local = instant.astimezone(tz)
    text = fmt.clock_time(local, lang)
    if local.date() != now.astimezone(tz).date():
        text = (f"{local:%d/%m} " if lang == "fr" else f"{local:%m/%d} ") + text
    return text


def action_text(interval: PlanInterval, lang: Lang) -> str:
    """The action of an interval in words."""
    action = interval.action
    if action.kind is ActionKind.CHARGE:
        target = fmt.percent(action.target_soc_pct, lang) if action.target_soc_pct else "—"
        return t(
            lang,
            "plan.action.charge",
            power=fmt.power(abs(action.power_w or 0), lang),
            target=target,
        )
    if action.kind is ActionKind.DISCHARGE:
        return t(lang, "plan.action.discharge", power=fmt.power(abs(action.power_w or 0), lang))
    return t(lang, f"plan.action.{action.kind.value}", mode=action.device_mode or "")


def _signature(battery: BatteryPlan) -> tuple[object, ...]:
    return tuple((i.start, i.end, i.action, i.reason) for i in battery.intervals)


def battery_lines(battery: BatteryPlan, *, now: datetime, tz: ZoneInfo, lang: Lang) -> list[str]:
    """One line per interval of one battery (at most :data:`MAX_LINES_PER_BATTERY`)."""
    lines = []
    for interval in battery.intervals[:MAX_LINES_PER_BATTERY]:
        start = max(interval.start, now)
        same_day = start.astimezone(tz).date() == interval.end.astimezone(tz).date()
        end = (
            fmt.clock_time(interval.end.astimezone(tz), lang)
            if same_day
            else _when(interval.end, now, tz, lang)
        )
        action = action_text(interval, lang)
        reason = reason_text(interval, lang, now=now, tz=tz)
        line = t(
            lang,
            "plan.line",
            start=_when(start, now, tz, lang),
            end=end,
            action=action,
            reason=fmt.escape(reason),
        )
        if reason == action:  # "autoconsommation · autoconsommation" says it once
            line = line.rsplit(" · ", 1)[0]
        lines.append(line)
    return lines


def override_line(item: StoredOverride, now: datetime, tz: ZoneInfo, lang: Lang) -> str:
    """One order in force."""
    power = fmt.power(abs(item.power_w or 0), lang)
    what = t(lang, f"plan.override.{item.kind}", power=power)
    return t(
        lang,
        "plan.override",
        what=what,
        until=_when(item.end, now, tz, lang),
        who=fmt.escape(item.by),
    )


def render_plan_text(
    plan: Plan,
    *,
    overrides: Sequence[StoredOverride],
    now: datetime,
    tz: ZoneInfo,
    lang: Lang,
    dry_run: bool,
) -> str:
    """The whole /plan message (Telegram HTML); identical batteries are shown once."""
    lines = [t(lang, "plan.title", time=fmt.clock_time(now.astimezone(tz), lang))]
    if dry_run:
        lines.append(t(lang, "plan.dry_run"))
    groups: dict[tuple[object, ...], list[BatteryPlan]] = {}
    for battery in plan.batteries:
        groups.setdefault(_signature(battery), []).append(battery)
    for members in groups.values():
        names = (
            t(lang, "plan.all")
            if len(members) == len(plan.batteries) and len(members) > 1
            else ", ".join(fmt.escape(m.battery) for m in members)
        )
        lines += ["", f"<b>{names}</b>"]
        lines += battery_lines(members[0], now=now, tz=tz, lang=lang)
    for short_name, missing_wh in plan.shortfalls_wh:
        lines.append(
            t(
                lang,
                "plan.shortfall",
                battery=fmt.escape(short_name),
                energy=fmt.energy(missing_wh, lang),
            )
        )
    if overrides:
        lines += ["", t(lang, "plan.overrides_title")]
        lines += [override_line(o, now, tz, lang) for o in overrides]
    return "\n".join(lines)


def plan_series(plan: Plan, colors: Mapping[date, TempoColor | None]) -> PlanSeries:
    """The chart's view of the plan (field for field)."""
    return PlanSeries(
        start_utc=plan.created_at,
        end_utc=plan.end,
        batteries=tuple(
            ChartBatteryPlan(
                name=b.battery,
                steps=tuple(
                    ChartStep(
                        start_utc=s.start,
                        end_utc=s.end,
                        power_w=s.power_w,
                        soc_start_pct=s.soc_start_pct,
                        soc_end_pct=s.soc_end_pct,
                    )
                    for s in b.steps
                ),
            )
            for b in plan.batteries
        ),
        tempo_colors=dict(colors),
    )
