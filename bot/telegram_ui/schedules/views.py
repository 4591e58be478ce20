"""Schedule rules in words and buttons: the list, one rule, and each question of the editor."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime, time, tzinfo

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.storage.models import ScheduleRule, StoredSetting
from bot.telegram_ui import format as fmt
from bot.telegram_ui import keyboards
from bot.telegram_ui.callbacks import encode_feature
from bot.telegram_ui.i18n import Lang, t
from bot.telegram_ui.schedules.draft import ALL, Draft
from bot.telegram_ui.schedules.parsing import ALL_DAYS, WEEKDAYS, WEEKEND
from bot.telegram_ui.schedules.validation import BatteryRef, RuleMode

CODE = "sc"
POWER_PRESETS_W = (500, 1000, 1500, 2000, 2500)
RULES_PER_ROW = 4
MAX_LIST_CHARS = 3500
MODES = tuple(RuleMode)


def data(*args: object) -> str:
    """Callback data of a schedules button."""
    return encode_feature(CODE, *args)


# --- values in words ------------------------------------------------------------------------


def days_label(mask: int, lang: Lang) -> str:
    """``tous les jours``, ``lun–ven``, ``week-end``, ``lun, mer, ven–dim``…"""
    named = {ALL_DAYS: "schedules.days.all", WEEKDAYS: "schedules.days.weekdays"}
    if mask in named:
        return t(lang, named[mask])
    if mask == WEEKEND:
        return t(lang, "schedules.days.weekend")
    runs: list[list[int]] = []
    for day in range(7):
        if mask & (1 << day):
            if runs and runs[-1][-1] == day - 1:
                runs[-1].append(day)
            else:
                runs.append([day])
    if len(runs) > 1 and runs[0][0] == 0 and runs[-1][-1] == 6:
        runs = [*runs[1:-1], runs[-1] + runs[0]]  # a run over the week-end: "ven–lun"
    parts: list[str] = []
    for run in runs:
        names = [t(lang, f"schedules.day.{day}") for day in run]
        parts.append(f"{names[0]}–{names[-1]}" if len(run) >= 3 else ", ".join(names))
    return ", ".join(parts)


def window_label(start: time, end: time, lang: Lang) -> str:
    """``22h00 → 06h00 (lendemain)``."""
    text = f"{fmt.clock_time_of(start, lang)} → {fmt.clock_time_of(end, lang)}"
    if end < start and end != time(0):
        text += t(lang, "schedules.next_day")
    return text


def mode_label(mode: str | None, power_w: float | None, lang: Lang) -> str:
    """``Auto (autoconsommation)``, ``charge à 1,5 kW``…; an unknown stored mode as is."""
    known = RuleMode.of(mode) if mode else None
    if known is None:
        return fmt.escape(mode or "?")
    if known.needs_power:
        return t(lang, f"schedules.mode.{known.value}_at", power=fmt.power(power_w, lang))
    return t(lang, f"schedules.mode.{known.value}")


def battery_label(battery_id: int | None, names: Mapping[int, str], lang: Lang) -> str:
    """Every battery, a battery's name, or its id when it is no longer known."""
    if battery_id is None:
        return t(lang, "schedules.battery.all")
    name = names.get(battery_id)
    if name is None:
        return t(lang, "schedules.battery.unknown", battery_id=battery_id)
    return fmt.escape(name)


def who_when(
    by: str, at: datetime, *, reader_id: int | None, lang: Lang, tz: tzinfo
) -> tuple[str, str]:
    """Who changed something (``vous`` for the reader) and when, in local time."""
    who = (
        t(lang, "schedules.you", user_id=by)
        if reader_id is not None and by == str(reader_id)
        else f"<code>{fmt.escape(by)}</code>"
    )
    local = at.astimezone(tz)
    when = t(
        lang,
        "schedules.when",
        date=local.strftime("%d/%m/%Y"),
        time=fmt.clock_time_of(local.time(), lang),
    )
    return who, when


def rule_line(rule: ScheduleRule, names: Mapping[int, str], lang: Lang) -> str:
    """One line: state, number, days, hours, action, batteries."""
    return t(
        lang,
        "schedules.rule_line",
        icon="✅" if rule.enabled else "⏸",
        rule_id=rule.id,
        days=days_label(rule.days_mask, lang),
        window=window_label(rule.start, rule.end, lang),
        action=mode_label(rule.mode, rule.power_w, lang),
        battery=battery_label(rule.battery_id, names, lang),
    )


# --- the list and one rule -------------------------------------------------------------------


def list_text(
    rules: Sequence[ScheduleRule], names: Mapping[int, str], lang: Lang, *, admin: bool
) -> str:
    """Every rule, one per line, and what the reader may do."""
    lines = [t(lang, "schedules.title")]
    size = 0
    for index, rule in enumerate(rules):
        line = rule_line(rule, names, lang)
        size += len(line) + 1
        if size > MAX_LIST_CHARS:  # Telegram refuses messages over 4096 characters
            lines.append(t(lang, "schedules.more", n=len(rules) - index))
            break
        lines.append(line)
    if not rules:
        lines.append(t(lang, "schedules.none"))
    lines += ["", t(lang, "schedules.hint_admin" if admin else "schedules.hint_viewer")]
    return "\n".join(lines)


def list_keyboard(rules: Sequence[ScheduleRule], lang: Lang) -> InlineKeyboardMarkup:
    """A button per rule, then « Add »."""
    buttons = [
        keyboards.button(t(lang, "schedules.button.rule", rule_id=r.id), data("r", r.id))
        for r in rules
    ]
    lines = [buttons[i : i + RULES_PER_ROW] for i in range(0, len(buttons), RULES_PER_ROW)]
    lines.append([keyboards.button(t(lang, "schedules.button.add"), data("a"))])
    return keyboards.rows(*lines)


def rule_text(
    rule: ScheduleRule,
    names: Mapping[int, str],
    change: StoredSetting | None,
    *,
    reader_id: int | None,
    lang: Lang,
    tz: tzinfo,
) -> str:
    """One rule in full, with who created it and who changed it last."""
    created_by, created_at = who_when(
        rule.created_by, rule.created_at, reader_id=reader_id, lang=lang, tz=tz
    )
    lines = [
        t(lang, "schedules.rule_title", rule_id=rule.id),
        t(lang, "schedules.field.battery", value=battery_label(rule.battery_id, names, lang)),
        t(lang, "schedules.field.days", value=days_label(rule.days_mask, lang)),
        t(lang, "schedules.field.window", value=window_label(rule.start, rule.end, lang)),
        t(lang, "schedules.field.mode", value=mode_label(rule.mode, rule.power_w, lang)),
        t(lang, "schedules.state.on" if rule.enabled else "schedules.state.off"),
        t(lang, "schedules.created", who=created_by, when=created_at),
    ]
    if change is not None and isinstance(change.value, dict):
        action = str(change.value.get("action", "edited"))
        if action not in ("created", "edited", "enabled", "disabled"):
            action = "edited"
        if action != "created":
            who, when = who_when(
                change.updated_by, change.updated_at, reader_id=reader_id, lang=lang, tz=tz
            )
            lines.append(t(lang, f"schedules.changed.{action}", who=who, when=when))
    return "\n".join(lines)


def rule_keyboard(rule: ScheduleRule, lang: Lang) -> InlineKeyboardMarkup:
    """Switch on/off, change, delete, back to the list."""
    toggle = "schedules.button.disable" if rule.enabled else "schedules.button.enable"
    return keyboards.rows(
        [
            keyboards.button(t(lang, toggle), data("t", rule.id)),
            keyboards.button(t(lang, "schedules.button.edit"), data("e", rule.id)),
        ],
        [keyboards.button(t(lang, "schedules.button.delete"), data("d", rule.id))],
        [keyboards.button(t(lang, "schedules.button.list"), data("l"))],
    )


def edit_keyboard(rule: ScheduleRule, lang: Lang) -> InlineKeyboardMarkup:
    """Which field to change."""
    fields = ["battery", "days", "start", "end", "mode"]
    mode = RuleMode.of(rule.mode)
    if mode is not None and mode.needs_power:
        fields.append("power")
    buttons = [
        keyboards.button(t(lang, f"schedules.button.field.{field}"), data("f", rule.id, field))
        for field in fields
    ]
    return keyboards.rows(buttons[:3], buttons[3:], keyboards.back_cancel(lang, data("r", rule.id)))


def delete_keyboard(rule: ScheduleRule, expires_at: int, lang: Lang) -> InlineKeyboardMarkup:
    """« Confirm the deletion » (valid two minutes) and back."""
    return keyboards.rows(
        [
            keyboards.button(
                t(lang, "schedules.button.confirm_delete"), data("dd", rule.id, expires_at)
            )
        ],
        keyboards.back_cancel(lang, data("r", rule.id)),
    )


# --- the editor's questions ------------------------------------------------------------------


def draft_summary(draft: Draft, names: Mapping[int, str], lang: Lang) -> list[str]:
    """The answers given so far, one per line."""
    lines: list[str] = []
    if draft.battery is not None:
        battery = None if draft.battery == ALL else draft.battery_id
        lines.append(t(lang, "schedules.field.battery", value=battery_label(battery, names, lang)))
    if draft.days_mask is not None:
        lines.append(t(lang, "schedules.field.days", value=days_label(draft.days_mask, lang)))
    if draft.start is not None and draft.end is not None:
        window = window_label(draft.start, draft.end, lang)
        lines.append(t(lang, "schedules.field.window", value=window))
    elif draft.start is not None:
        start = fmt.clock_time_of(draft.start, lang)
        lines.append(t(lang, "schedules.field.start", value=start))
    if draft.mode is not None and (not draft.mode.needs_power or draft.power_w is not None):
        value = mode_label(draft.mode.value, draft.power_w, lang)
        lines.append(t(lang, "schedules.field.mode", value=value))
    return lines


def question(
    step: str,
    draft: Draft,
    *,
    batteries: Sequence[BatteryRef],
    names: Mapping[int, str],
    max_power_w: int,
    lang: Lang,
) -> tuple[str, InlineKeyboardMarkup]:
    """The text and buttons asking ``step`` (the answers so far shown above it)."""
    header = (
        t(lang, "schedules.edit_title", rule_id=draft.rule_id)
        if draft.editing
        else t(lang, "schedules.add_title")
    )
    summary = [] if draft.editing else draft_summary(draft, names, lang)
    params: dict[str, object] = {"limit": fmt.power(max_power_w, lang)}
    text = "\n".join([header, *summary, "", t(lang, f"schedules.ask.{step}", **params)])
    return text, keyboards.rows(*_answer_buttons(step, draft, batteries, max_power_w, lang))


def _answer_buttons(
    step: str, draft: Draft, batteries: Sequence[BatteryRef], max_power_w: int, lang: Lang
) -> list[list[InlineKeyboardButton]]:
    button = keyboards.button
    lines: list[list[InlineKeyboardButton]] = []
    if step == "battery":
        lines += [[button(fmt.escape(b.name), data("b", b.battery_id))] for b in batteries]
        lines.append([button(t(lang, "schedules.battery.all"), data("b", ALL))])
    elif step == "days":
        lines.append(
            [
                button(t(lang, f"schedules.button.days.{preset}"), data("dy", preset))
                for preset in ("all", "wk", "we")
            ]
        )
    elif step == "mode":
        labels = [button(t(lang, f"schedules.mode.{m.value}"), data("m", m.value)) for m in MODES]
        lines += [labels[:2], labels[2:4], labels[4:]]
    elif step == "power":
        presets = [p for p in POWER_PRESETS_W if p <= max_power_w]
        lines.append([button(fmt.power(p, lang), data("p", p)) for p in presets])
    elif step == "confirm":
        lines.append([button(t(lang, "schedules.button.save"), data("s"))])
    if step in ("end", "confirm") and not draft.editing:
        lines.append(
            [
                button(t(lang, "schedules.button.field.days"), data("g", "days")),
                button(t(lang, "schedules.button.field.start"), data("g", "start")),
            ]
        )
    back = data("r", draft.rule_id) if draft.editing else None
    lines.append(keyboards.back_cancel(lang, back))
    return lines
