"""The /batteries list message and its keyboard, shared by the buttons and the dialogs."""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update

from bot.telegram_ui import keyboards
from bot.telegram_ui.batteries_ui.view import battery_list, battery_ref
from bot.telegram_ui.callbacks import encode_feature
from bot.telegram_ui.context import Context, services
from bot.telegram_ui.handlers import edit
from bot.telegram_ui.i18n import Lang, t

CODE = "bt"


def list_markup(context: Context, lang: Lang, *, admin: bool) -> InlineKeyboardMarkup | None:
    """Rename / remove per battery, then discover and refresh (admins only)."""
    if not admin:
        return None
    names = services(context).fleet.names
    lines: list[list[InlineKeyboardButton]] = [
        [
            keyboards.button(f"✏️ {name}", encode_feature(CODE, "r", *battery_ref(i, name))),
            keyboards.button(f"🗑 {name}", encode_feature(CODE, "x", *battery_ref(i, name))),
        ]
        for i, name in enumerate(names)
    ]
    lines.append(
        [
            keyboards.button(t(lang, "batteries.button.discover"), encode_feature(CODE, "d")),
            keyboards.button(t(lang, "button.refresh"), encode_feature(CODE, "l")),
        ]
    )
    return keyboards.rows(*lines)


def list_text(context: Context, lang: Lang) -> str:
    """The current list of watched batteries."""
    return battery_list(services(context).fleet.snapshots(), lang)


async def show_list(update: Update, context: Context, lang: Lang, prefix: str = "") -> None:
    """Show the list in the pressed message, with an optional line above it."""
    await edit(update, prefix + list_text(context, lang), list_markup(context, lang, admin=True))


async def stale(update: Update, context: Context, lang: Lang) -> None:
    """A forged or outdated button: say so and show the current list."""
    query = update.callback_query
    if query is not None:
        await query.answer(t(lang, "error.stale_button"))
    await show_list(update, context, lang, t(lang, "error.stale_button") + "\n\n")
