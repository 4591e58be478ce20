"""Builds the python-telegram-bot Application: handlers from the command table, the button
router, the access gate, the error handler and the alert-delivery job."""

from __future__ import annotations

import logging
import time as walltime
from typing import Any

from telegram import Update
from telegram.constants import ParseMode
from telegram.error import TelegramError
from telegram.ext import (
    Application,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    Defaults,
    MessageHandler,
    TypeHandler,
    filters,
)

from bot.preferences import in_quiet_hours
from bot.services import Services
from bot.settings import Settings, parse_quiet_hours
from bot.storage.models import AlertDelivery
from bot.telegram_ui import handlers, keyboards, mode_flow
from bot.telegram_ui.access import STRANGERS_KEY, gate, is_admin, require_admin
from bot.telegram_ui.alert_text import render_alert
from bot.telegram_ui.callbacks import Action, Callback, parse, parse_feature
from bot.telegram_ui.commands import COMMANDS, register_commands
from bot.telegram_ui.context import App, BotData, Context, chat_lang, services, user_lang
from bot.telegram_ui.delivery import AlertDeliverer
from bot.telegram_ui.dialog import DialogStore
from bot.telegram_ui.feature_table import feature
from bot.telegram_ui.i18n import normalize_lang, t
from bot.telegram_ui.ratelimit import RateLimiter

_log = logging.getLogger(__name__)

ADMIN_ERROR_EVERY_S = 600.0
MODE_ACTIONS = {
    Action.MODE_START,
    Action.MODE_TARGET,
    Action.MODE_PICK,
    Action.PASSIVE_POWER,
    Action.PASSIVE_RUN,
    Action.MANUAL_POWER,
    Action.MANUAL_RUN,
}


async def on_button(update: Update, context: Context) -> None:
    """Route every inline-button press; forged or stale data does nothing harmful."""
    query = update.callback_query
    if query is None:
        return
    cb = parse(query.data)
    lang = user_lang(update, context)
    routed = parse_feature(query.data) if cb is None else None
    owner = feature(routed[0]) if routed else None
    if routed is not None and owner is not None and owner.on_button is not None:
        if owner.admin_only_buttons and not await require_admin(update, context):
            return
        await owner.on_button(update, context, routed[1])
        return
    if cb is None:
        _log.warning(
            "ignored unknown button data %r",
            query.data,
            extra={"user": update.effective_user.id if update.effective_user else "?"},
        )
        await query.answer(t(lang, "error.stale_button"))
        await handlers.edit(
            update,
            t(lang, "error.stale_button"),
            keyboards.main_menu(lang, admin=is_admin(update, context)),
        )
        return
    await _dispatch(update, context, cb)


async def _dispatch(update: Update, context: Context, cb: Callback) -> None:
    if cb.action in MODE_ACTIONS or cb.expires_at is not None:
        await mode_flow.on_callback(update, context, cb)
    elif cb.action is Action.STATUS:
        await handlers.status(update, context)
    elif cb.action is Action.STATUS_REFRESH:
        await handlers.refresh(update, context)
    elif cb.action is Action.TEMPO:
        await handlers.tempo(update, context)
    elif cb.action is Action.LANGUAGE:
        await handlers.set_language(update, context, cb.args[0])
    elif cb.action is Action.CANCEL:
        await handlers.cancel(update, context)
    else:
        await handlers.help_command(update, context)


async def on_text(update: Update, context: Context) -> None:
    """A typed answer goes to the open dialog's feature; anything else gets the menu."""
    lang = user_lang(update, context)
    user = update.effective_user
    if user is not None and update.message is not None and update.message.text is not None:
        dialog = await context.bot_data.dialogs.get(user.id, services(context).clock.now())
        owner = feature(dialog.feature) if dialog else None
        if dialog is not None and owner is not None and owner.on_text is not None:
            await owner.on_text(update, context, dialog)
            return
    await handlers.reply(
        update,
        context,
        t(lang, "unknown.text"),
        keyboards.main_menu(lang, admin=is_admin(update, context)),
    )


async def on_error(update: object, context: Context) -> None:
    """Log the traceback, tell the user in one sentence, tell the admins (10 min apart at most)."""
    _log.error("error while handling an update", exc_info=context.error)
    tg_update = update if isinstance(update, Update) else None
    lang = user_lang(tg_update, context)
    try:
        if tg_update is not None and tg_update.callback_query is not None:
            await tg_update.callback_query.answer(t(lang, "error.generic"), show_alert=True)
        elif tg_update is not None and tg_update.effective_chat is not None:
            await context.bot.send_message(tg_update.effective_chat.id, t(lang, "error.generic"))
    except TelegramError:
        pass
    data = context.bot_data
    now = walltime.monotonic()
    if now - data.last_admin_error < ADMIN_ERROR_EVERY_S:
        return
    data.last_admin_error = now
    summary = f"{type(context.error).__name__}: {context.error}"[:300]
    for admin in services(context).settings.admins:
        try:
            await context.bot.send_message(
                admin, t(chat_lang(admin, data), "error.admin", error=_escape(summary))
            )
        except TelegramError:
            continue


def _escape(text: str) -> str:
    from bot.telegram_ui.format import escape

    return escape(text)


async def deliver_alerts(context: Context) -> None:
    """Job: send the outbox's due alerts."""
    deliverer: AlertDeliverer | None = context.bot_data.deliverer
    if deliverer is not None:
        await deliverer.deliver_due()


def _renderer(data: BotData) -> Any:
    settings = data.services.settings

    def render(delivery: AlertDelivery) -> str:
        return render_alert(delivery.alert, chat_lang(delivery.chat_id, data), settings.tz)

    return render


def _quiet_now(svc: Services) -> bool:
    settings = svc.settings
    local = svc.clock.now().astimezone(settings.tz).time()
    return in_quiet_hours(local, parse_quiet_hours(settings.quiet_hours))


async def prepare(app: App) -> None:
    """After ``initialize()``: load stored choices, publish the commands, start the jobs."""
    data = app.bot_data
    svc = data.services
    entries = await svc.storage.settings.all()
    for key, entry in entries.items():
        if key.startswith("lang:") and key[5:].lstrip("-").isdigit():
            data.languages[int(key[5:])] = normalize_lang(str(entry.value))
    strangers = entries.get(STRANGERS_KEY)
    if strangers is not None and isinstance(strangers.value, list):
        data.strangers_told.update(int(v) for v in strangers.value)
    try:
        await register_commands(app.bot, admins=svc.settings.admins)
    except TelegramError as err:
        _log.warning("could not publish the command menu: %s", err)
    data.deliverer = AlertDeliverer(
        bot=app.bot,
        outbox=svc.storage.alerts,
        clock=svc.clock,
        render=_renderer(data),
        quiet=lambda: _quiet_now(svc),
    )
    if app.job_queue is not None:
        app.job_queue.run_repeating(
            deliver_alerts,
            interval=svc.settings.alert_delivery_interval_s,
            first=0.5,
            name="deliver-alerts",
        )


def build_application(settings: Settings, svc: Services) -> App:
    """The Application, ready to initialize; handlers and jobs derive from the tables above."""
    if settings.telegram_token is None:
        raise ValueError("no Telegram token")

    class _Data(BotData):
        def __init__(self) -> None:
            super().__init__(
                services=svc,
                dialogs=DialogStore(svc.storage.settings),
                limiter=RateLimiter(
                    burst=settings.rate_limit_burst, per_minute=settings.rate_limit_per_minute
                ),
            )

    app: App = (
        Application.builder()
        .token(settings.telegram_token.get_secret_value())
        .base_url(settings.telegram_base_url)
        .base_file_url(settings.telegram_base_file_url)
        .context_types(ContextTypes(bot_data=_Data))
        .defaults(Defaults(parse_mode=ParseMode.HTML, tzinfo=settings.tz))
        .concurrent_updates(8)
        # A second connection lets the shutdown's final getUpdates pass the pending long poll.
        .get_updates_connection_pool_size(2)
        .build()  # type: ignore[assignment]
    )
    app.add_handler(TypeHandler(Update, gate), group=-1)
    for command in COMMANDS:
        app.add_handler(CommandHandler(command.names, command.handler))
    app.add_handler(CallbackQueryHandler(on_button))
    app.add_handler(MessageHandler(filters.ALL & ~filters.StatusUpdate.ALL, on_text))
    app.add_error_handler(on_error)
    return app
