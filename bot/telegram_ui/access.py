"""Who may do what: the gate every update passes first, and the admin-only guard.

Strangers get one polite refusal (ever) and nothing else, and each admin is told once per
stranger; allowed users are rate-limited with a single warning per flood. Viewers may read
everything and change nothing.
"""

from __future__ import annotations

import logging

from telegram import Update
from telegram.error import TelegramError
from telegram.ext import ApplicationHandlerStop

from bot.telegram_ui import format as fmt
from bot.telegram_ui.context import Context, chat_lang, services, user_lang
from bot.telegram_ui.i18n import normalize_lang, t

_log = logging.getLogger(__name__)

STRANGERS_KEY = "telegram.strangers"


async def gate(update: Update, context: Context) -> None:
    """Run before every handler: refuse strangers, limit floods (stops the update if so)."""
    user = update.effective_user
    if user is None:
        raise ApplicationHandlerStop
    svc = services(context)
    if not svc.settings.is_allowed(user.id):
        await _refuse_stranger(update, context)
        raise ApplicationHandlerStop
    if user.language_code:
        context.bot_data.seen_languages[user.id] = normalize_lang(user.language_code)
    allowed, warn = context.bot_data.limiter.check(user.id, svc.clock.now())
    if not allowed:
        if update.callback_query is not None:
            await update.callback_query.answer(
                t(user_lang(update, context), "access.rate_limited") if warn else None
            )
        elif warn and update.effective_chat is not None:
            await context.bot.send_message(
                update.effective_chat.id, t(user_lang(update, context), "access.rate_limited")
            )
        _log.info("rate limited", extra={"user": user.id})
        raise ApplicationHandlerStop


async def _refuse_stranger(update: Update, context: Context) -> None:
    user = update.effective_user
    if user is None:
        return
    data = context.bot_data
    if user.id in data.strangers_told:
        if update.callback_query is not None:
            await update.callback_query.answer()
        return
    data.strangers_told.add(user.id)
    store = services(context).storage.settings
    await store.set(STRANGERS_KEY, sorted(data.strangers_told), by="bot")
    lang = normalize_lang(user.language_code, normalize_lang(services(context).settings.language))
    _log.warning("refused a stranger", extra={"user": user.id})
    if update.callback_query is not None:
        await update.callback_query.answer(t(lang, "access.stranger"), show_alert=True)
    elif update.effective_chat is not None:
        await context.bot.send_message(update.effective_chat.id, t(lang, "access.stranger"))
    who = fmt.escape(user.full_name) + (f" (@{fmt.escape(user.username)})" if user.username else "")
    for admin in services(context).settings.admins:
        try:
            await context.bot.send_message(
                admin,
                t(chat_lang(admin, data), "access.admin_notice", who=who, user_id=user.id),
            )
        except TelegramError as err:
            _log.warning("could not tell admin %s about a stranger: %s", admin, err)


def is_admin(update: Update, context: Context) -> bool:
    """Tell whether the update's user is an administrator."""
    user = update.effective_user
    return user is not None and services(context).settings.is_admin(user.id)


async def require_admin(update: Update, context: Context) -> bool:
    """Return True for admins; tell viewers politely that they are read-only."""
    if is_admin(update, context):
        return True
    text = t(user_lang(update, context), "access.read_only")
    if update.callback_query is not None:
        await update.callback_query.answer(text, show_alert=True)
    elif update.effective_chat is not None:
        await context.bot.send_message(update.effective_chat.id, text)
    return False
