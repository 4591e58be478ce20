"""Settings in words and buttons: the list, one setting with its controls."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import tzinfo
from typing import Any

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.settings import TEMPO_SOURCE_NAMES
from bot.storage.models import StoredSetting
from bot.telegram_ui import keyboards
from bot.telegram_ui.callbacks import encode_feature
from bot.telegram_ui.i18n import Lang, t
from bot.telegram_ui.schedules.views import who_when
from bot.telegram_ui.settings_ui.catalog import ITEMS, SettingItem, format_value, source_label

CODE = "se"
ITEMS_PER_ROW = 2


def data(*args: object) -> str:
    """Callback data of a settings button."""
    return encode_feature(CODE, *args)


def list_text(values: Mapping[str, Any], overridden: set[str], lang: Lang, *, admin: bool) -> str:
    """Every setting and its value; ✏️ marks the ones changed from the chat."""
    lines = [t(lang, "settings.title")]
    for item in ITEMS:
        mark = " ✏️" if item.name in overridden else ""
        value = format_value(item, values[item.name], lang)
        lines.append(
            t(lang, "settings.line", label=t(lang, f"settings.label.{item.code}"), value=value)
            + mark
        )
    lines += ["", t(lang, "settings.hint_admin" if admin else "settings.hint_viewer")]
    return "\n".join(lines)


def list_keyboard(lang: Lang) -> InlineKeyboardMarkup:
    """A button per setting."""
    buttons = [
        keyboards.button(t(lang, f"settings.label.{item.code}"), data("o", item.code))
        for item in ITEMS
    ]
    return keyboards.rows(
        *(buttons[i : i + ITEMS_PER_ROW] for i in range(0, len(buttons), ITEMS_PER_ROW))
    )


def item_text(
    item: SettingItem,
    value: Any,
    entry: StoredSetting | None,
    reset: StoredSetting | None,
    *,
    reader_id: int | None,
    lang: Lang,
    tz: tzinfo,
    rte_configured: bool,
) -> str:
    """One setting: what it does, its value, and who set it (or that it is the default)."""
    lines = [
        t(lang, "settings.item_title", label=t(lang, f"settings.label.{item.code}")),
        t(lang, f"settings.help.{item.code}"),
        "",
        t(lang, "settings.value", value=format_value(item, value, lang)),
    ]
    if entry is not None:
        who, when = who_when(
            entry.updated_by, entry.updated_at, reader_id=reader_id, lang=lang, tz=tz
        )
        lines.append(t(lang, "settings.changed_by", who=who, when=when))
    elif reset is not None:
        who, when = who_when(
            reset.updated_by, reset.updated_at, reader_id=reader_id, lang=lang, tz=tz
        )
        lines.append(t(lang, "settings.reset_by", who=who, when=when))
    else:
        lines.append(t(lang, "settings.default"))
    if item.kind == "float" and item.minimum is not None and item.maximum is not None:
        low = format_value(item, item.minimum, lang)
        high = format_value(item, item.maximum, lang)
        lines.append(t(lang, "settings.bounds", minimum=low, maximum=high))
    if item.kind == "order" and "rte" in value and not rte_configured:
        lines.append(t(lang, "settings.rte_needs_keys"))
    return "\n".join(lines)


def item_keyboard(
    item: SettingItem, value: Any, overridden: bool, lang: Lang
) -> InlineKeyboardMarkup:
    """The controls of one setting, then reset (when changed) and back."""
    lines = _controls(item, value, lang)
    if overridden:
        lines.append([keyboards.button(t(lang, "settings.button.reset"), data("z", item.code))])
    lines.append([keyboards.button(t(lang, "settings.button.list"), data("l"))])
    return keyboards.rows(*lines)


def _controls(item: SettingItem, value: Any, lang: Lang) -> list[list[InlineKeyboardButton]]:
    button = keyboards.button
    if item.kind in ("float", "hours"):
        line = [button(t(lang, "settings.button.change"), data("c", item.code))]
        if item.kind == "hours" and value:
            line.append(button(t(lang, "settings.button.no_quiet"), data("v", item.code, "none")))
        return [line]
    if item.kind == "bool":
        return [
            [
                button(_ticked(t(lang, "settings.yes"), value is True), data("v", item.code, "1")),
                button(_ticked(t(lang, "settings.no"), value is False), data("v", item.code, "0")),
            ]
        ]
    if item.kind == "choice":
        return [
            [
                button(
                    _ticked(t(lang, f"settings.choice.{c}"), c == value), data("v", item.code, c)
                )
                for c in item.choices
            ]
        ]
    return _source_controls(list(value), lang)


def _source_controls(current: list[str], lang: Lang) -> list[list[InlineKeyboardButton]]:
    lines: list[list[InlineKeyboardButton]] = []
    for index, name in enumerate(TEMPO_SOURCE_NAMES):
        label = source_label(name, lang)
        if name not in current:
            lines.append([keyboards.button(f"➕ {label}", data("sa", index))])
            continue
        line: list[InlineKeyboardButton] = []
        if current.index(name) > 0:
            line.append(keyboards.button(f"⬆️ {label}", data("su", index)))
        if len(current) > 1:
            line.append(keyboards.button(f"➖ {label}", data("sr", index)))
        lines.append(line)
    return lines


def _ticked(label: str, current: bool) -> str:
    return f"✅ {label}" if current else label


def ask_text(item: SettingItem, value: Any, lang: Lang) -> str:
    """The question asking a new value for a typed setting."""
    current = format_value(item, value, lang)
    label = t(lang, f"settings.label.{item.code}")
    if item.kind == "hours":
        return t(lang, "settings.ask.hours", label=label, value=current)
    low = format_value(item, item.minimum, lang) if item.minimum is not None else "—"
    high = format_value(item, item.maximum, lang) if item.maximum is not None else "—"
    return t(lang, "settings.ask.number", label=label, value=current, minimum=low, maximum=high)


def ask_keyboard(item: SettingItem, lang: Lang) -> InlineKeyboardMarkup:
    """Under a question: back to the setting, or cancel."""
    return keyboards.rows(keyboards.back_cancel(lang, data("o", item.code)))
