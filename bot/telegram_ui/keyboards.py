"""Inline keyboards, built in one place from callback data and texts."""

from __future__ import annotations

from collections.abc import Sequence

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.telegram_ui.callbacks import Action, encode
from bot.telegram_ui.i18n import Lang, t


def button(text: str, data: str) -> InlineKeyboardButton:
    """One button."""
    return InlineKeyboardButton(text, callback_data=data)


def rows(*lines: Sequence[InlineKeyboardButton]) -> InlineKeyboardMarkup:
    """A keyboard from rows of buttons."""
    return InlineKeyboardMarkup([list(line) for line in lines if line])


def main_menu(lang: Lang, *, admin: bool) -> InlineKeyboardMarkup:
    """The menu shown by /start and /help."""
    first = [button(t(lang, "menu.status"), encode(Action.STATUS))]
    if admin:
        first.append(button(t(lang, "menu.mode"), encode(Action.MODE_START)))
    return rows(
        first,
        [
            button(t(lang, "menu.tempo"), encode(Action.TEMPO)),
            button(t(lang, "menu.help"), encode(Action.MENU)),
        ],
    )


def status_keyboard(lang: Lang, *, admin: bool) -> InlineKeyboardMarkup:
    """Refresh, plus shortcuts."""
    second = [button(t(lang, "menu.tempo"), encode(Action.TEMPO))]
    if admin:
        second.insert(0, button(t(lang, "menu.mode"), encode(Action.MODE_START)))
    return rows([button(t(lang, "button.refresh"), encode(Action.STATUS_REFRESH))], second)


def back_cancel(lang: Lang, back: str | None) -> list[InlineKeyboardButton]:
    """The bottom row of every step: « Back and ✖️ Cancel."""
    line = [button(t(lang, "button.cancel"), encode(Action.CANCEL))]
    if back is not None:
        line.insert(0, button(t(lang, "button.back"), back))
    return line
