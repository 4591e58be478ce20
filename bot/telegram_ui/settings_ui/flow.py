"""/reglages: the household's preferences; admins change them, viewers read them.

Yes/no and choices are buttons, the Tempo sources a list of move/remove/add buttons, numbers
and quiet hours a typed answer (the dialog is persisted). Every change goes through
``Preferences.set`` — validated like the environment, stored with who and when, effective at
once — and the setting is shown again with its new value and who changed it.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any

from telegram import Update

from bot.preferences import PreferenceError
from bot.storage.models import StoredSetting
from bot.telegram_ui import format as fmt
from bot.telegram_ui.access import is_admin, require_admin
from bot.telegram_ui.context import Context, services, user_lang
from bot.telegram_ui.dialog import DialogState
from bot.telegram_ui.handlers import edit, reply
from bot.telegram_ui.i18n import Lang, t
from bot.telegram_ui.schedules.parsing import InputError
from bot.telegram_ui.settings_ui import views
from bot.telegram_ui.settings_ui.catalog import (
    BY_CODE,
    ITEMS,
    SettingItem,
    format_number,
    parse_number,
    parse_quiet_hours,
    reordered,
)

_log = logging.getLogger(__name__)

CODE = views.CODE
PREF_KEY = "pref:{name}"
RESET_KEY = "settings.reset:{name}"
_USER_TEXT = ("text",)

ButtonStep = Callable[[Update, Context, tuple[str, ...]], Awaitable[None]]


def _reader(update: Update) -> int | None:
    return update.effective_user.id if update.effective_user else None


def _list(update: Update, context: Context, lang: Lang) -> tuple[str, Any]:
    prefs = services(context).preferences
    values = {item.name: prefs.value(item.name) for item in ITEMS}
    overridden = {item.name for item in ITEMS if prefs.overridden(item.name)}
    admin = is_admin(update, context)
    text = views.list_text(values, overridden, lang, admin=admin)
    return text, views.list_keyboard(lang) if admin else None


async def settings_command(update: Update, context: Context) -> None:
    """/reglages: every setting; admins get the buttons to change them."""
    text, markup = _list(update, context, user_lang(update, context))
    await reply(update, context, text, markup)


async def _item_screen(update: Update, context: Context, item: SettingItem, note: str = "") -> None:
    """Show one setting (edit the pressed message, or answer a typed one)."""
    lang = user_lang(update, context)
    svc = services(context)
    store = svc.storage.settings
    entry: StoredSetting | None = None
    if svc.preferences.overridden(item.name):
        entry = await store.get_entry(PREF_KEY.format(name=item.name))
    reset = None if entry else await store.get_entry(RESET_KEY.format(name=item.name))
    value = svc.preferences.value(item.name)
    text = views.item_text(
        item,
        value,
        entry,
        reset,
        reader_id=_reader(update),
        lang=lang,
        tz=svc.settings.tz,
        rte_configured=bool(svc.settings.rte_client_id and svc.settings.rte_client_secret),
    )
    markup = views.item_keyboard(item, value, svc.preferences.overridden(item.name), lang)
    text = f"{note}\n\n{text}" if note else text
    if update.callback_query is not None:
        await edit(update, text, markup)
    else:
        await reply(update, context, text, markup)


async def _stale(update: Update, context: Context) -> None:
    lang = user_lang(update, context)
    text, markup = _list(update, context, lang)
    await edit(update, f"{t(lang, 'settings.stale')}\n\n{text}", markup)


def _explain(err: InputError, item: SettingItem, lang: Lang) -> str:
    params: dict[str, object] = {}
    for key, value in err.params.items():
        if key in ("minimum", "maximum") and isinstance(value, float):
            params[key] = format_number(value, item.unit, lang)
        elif key in _USER_TEXT:
            params[key] = fmt.escape(value)
        else:
            params[key] = value
    return "⚠️ " + t(lang, err.key, **params)


async def _close_dialog(update: Update, context: Context) -> None:
    user_id = _reader(update)
    if user_id is None:
        return
    dialogs = context.bot_data.dialogs
    current = await dialogs.get(user_id, services(context).clock.now())
    if current is not None and current.feature == CODE:
        await dialogs.close(user_id)


async def change(update: Update, context: Context, item: SettingItem, value: Any) -> None:
    """Store a new value through the preferences, then show the setting with a note."""
    lang = user_lang(update, context)
    user_id = _reader(update)
    try:
        await services(context).preferences.set(
            item.name, value, by=user_id if user_id is not None else "?"
        )
    except PreferenceError as err:
        await _close_dialog(update, context)
        note = "⚠️ " + t(lang, "settings.error.refused", reason=fmt.escape(err))
        await _item_screen(update, context, item, note)
        return
    await _close_dialog(update, context)
    await services(context).storage.settings.delete(RESET_KEY.format(name=item.name))
    label = t(lang, f"settings.label.{item.code}")
    await _item_screen(update, context, item, t(lang, "settings.done", label=label))


# --- buttons --------------------------------------------------------------------------------


def _item(code: str) -> SettingItem | None:
    return BY_CODE.get(code)


async def _on_list(update: Update, context: Context, _args: tuple[str, ...]) -> None:
    await _close_dialog(update, context)
    text, markup = _list(update, context, user_lang(update, context))
    await edit(update, text, markup)


async def _on_open(update: Update, context: Context, args: tuple[str, ...]) -> None:
    await _close_dialog(update, context)
    item = _item(args[0])
    if item is None:
        await _stale(update, context)
        return
    await _item_screen(update, context, item)


async def _on_change(update: Update, context: Context, args: tuple[str, ...]) -> None:
    item = _item(args[0])
    user_id = _reader(update)
    if item is None or item.kind not in ("float", "hours") or user_id is None:
        await _stale(update, context)
        return
    svc = services(context)
    state = DialogState(feature=CODE, step=item.code, started_at=svc.clock.now())
    await context.bot_data.dialogs.open(user_id, state)
    lang = user_lang(update, context)
    value = svc.preferences.value(item.name)
    await edit(update, views.ask_text(item, value, lang), views.ask_keyboard(item, lang))


def _button_value(item: SettingItem, arg: str) -> tuple[bool, Any]:
    """(valid, value) of a value button."""
    if item.kind == "bool" and arg in ("0", "1"):
        return True, arg == "1"
    if item.kind == "choice" and arg in item.choices:
        return True, arg
    if item.kind == "hours" and arg == "none":
        return True, ""
    return False, None


async def _on_value(update: Update, context: Context, args: tuple[str, ...]) -> None:
    item = _item(args[0])
    valid, value = _button_value(item, args[1]) if item is not None else (False, None)
    if item is None or not valid:
        await _stale(update, context)
        return
    await change(update, context, item, value)


async def _on_reset(update: Update, context: Context, args: tuple[str, ...]) -> None:
    item = _item(args[0])
    svc = services(context)
    if item is None or not svc.preferences.overridden(item.name):
        await _stale(update, context)
        return
    user_id = _reader(update)
    by = user_id if user_id is not None else "?"
    await svc.preferences.reset(item.name, by=by)
    await svc.storage.settings.set(RESET_KEY.format(name=item.name), True, by=by)
    _log.info("preference %s reset", item.name, extra={"user": user_id})
    lang = user_lang(update, context)
    label = t(lang, f"settings.label.{item.code}")
    await _item_screen(update, context, item, t(lang, "settings.done_reset", label=label))


async def _on_sources(update: Update, context: Context, args: tuple[str, ...]) -> None:
    item = _item("src")
    index = args[1]
    if item is None or not index.isascii() or not index.isdigit() or len(index) > 1:
        await _stale(update, context)
        return
    current = list(services(context).preferences.value(item.name))
    try:
        sources = reordered(current, args[0], int(index))
    except InputError as err:
        if err.key == "settings.stale":
            await _stale(update, context)
        else:
            await _item_screen(
                update, context, item, _explain(err, item, user_lang(update, context))
            )
        return
    await change(update, context, item, sources)


# action → (argument count, handler)
_STEPS: dict[str, tuple[int, ButtonStep]] = {
    "l": (0, _on_list),
    "o": (1, _on_open),
    "c": (1, _on_change),
    "v": (2, _on_value),
    "z": (1, _on_reset),
}


async def on_button(update: Update, context: Context, args: tuple[str, ...]) -> None:
    """Route a settings button (admins only: the router checked it)."""
    query = update.callback_query
    if query is None:
        return
    await query.answer()
    if len(args) == 2 and args[0] in ("su", "sr", "sa"):
        await _on_sources(update, context, args)
        return
    entry = _STEPS.get(args[0]) if args else None
    if entry is None or len(args) - 1 != entry[0]:
        await _stale(update, context)
        return
    await entry[1](update, context, args[1:])


async def on_text(update: Update, context: Context, dialog: DialogState) -> None:
    """A typed value for the setting being changed."""
    message = update.message
    if message is None or message.text is None:
        return
    if not await require_admin(update, context):
        await context.bot_data.dialogs.close(_reader(update) or 0)
        return
    lang = user_lang(update, context)
    item = _item(dialog.step)
    if item is None or item.kind not in ("float", "hours"):
        await _close_dialog(update, context)
        await reply(update, context, t(lang, "settings.stale"))
        return
    try:
        value: Any = (
            parse_number(item, message.text)
            if item.kind == "float"
            else parse_quiet_hours(message.text)
        )
    except InputError as err:
        current = services(context).preferences.value(item.name)
        text = f"{_explain(err, item, lang)}\n\n{views.ask_text(item, current, lang)}"
        await reply(update, context, text, views.ask_keyboard(item, lang))
        return
    await change(update, context, item, value)
