"""Short handlers for reading things: start, help, status (with Refresh), Tempo, language."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from telegram import Message, Update
from telegram.constants import ParseMode
from telegram.error import BadRequest

from bot.telegram_ui import keyboards
from bot.telegram_ui.access import is_admin
from bot.telegram_ui.callbacks import Action, encode
from bot.telegram_ui.context import Context, services, user_lang
from bot.telegram_ui.i18n import LANGUAGES, Lang, t
from bot.telegram_ui.status_view import TempoNow, render_status
from bot.telegram_ui.tempo_view import render_tempo, tempo_now
from bot.tempo import TempoError

_log = logging.getLogger(__name__)

TEMPO_ASK_EVERY = timedelta(minutes=5)


async def reply(update: Update, context: Context, text: str, markup: object = None) -> Message:
    """Answer in the update's chat (HTML)."""
    chat = update.effective_chat
    if chat is None:
        raise ValueError("no chat to answer in")
    return await context.bot.send_message(
        chat.id,
        text,
        parse_mode=ParseMode.HTML,
        reply_markup=markup,  # type: ignore[arg-type]
    )


async def edit(update: Update, text: str, markup: object = None) -> None:
    """Replace the pressed message's text and keyboard (an unchanged message is fine)."""
    query = update.callback_query
    if query is None:
        return
    try:
        await query.edit_message_text(
            text,
            parse_mode=ParseMode.HTML,
            reply_markup=markup,  # type: ignore[arg-type]
        )
    except BadRequest as err:
        if "not modified" not in str(err).lower():
            raise


async def start(update: Update, context: Context) -> None:
    """/start: a short welcome and the menu."""
    lang = user_lang(update, context)
    name = update.effective_user.first_name if update.effective_user else ""
    await reply(
        update,
        context,
        t(lang, "start.welcome", name=name),
        keyboards.main_menu(lang, admin=is_admin(update, context)),
    )


def help_text(update: Update, context: Context, lang: Lang) -> str:
    """The help message: the commands this user may use, and their role."""
    from bot.telegram_ui.commands import visible_commands

    admin = is_admin(update, context)
    lines = [t(lang, "help.title")]
    lines += [f"/{c.name_in(lang)} — {t(lang, c.text_key)}" for c in visible_commands(admin=admin)]
    lines += ["", t(lang, "help.role_admin" if admin else "help.role_viewer")]
    return "\n".join(lines)


async def help_command(update: Update, context: Context) -> None:
    """/help: commands, role and the menu."""
    lang = user_lang(update, context)
    markup = keyboards.main_menu(lang, admin=is_admin(update, context))
    if update.callback_query is not None:
        await update.callback_query.answer()
        await edit(update, help_text(update, context, lang), markup)
        return
    await reply(update, context, help_text(update, context, lang), markup)


async def _tempo_now(context: Context) -> TempoNow | None:
    svc = services(context)
    now = svc.clock.now()
    try:
        today = await svc.tempo.today_outlook(now)
        tomorrow = await svc.tempo.tomorrow_outlook(now)
        if (today.color is None or tomorrow.color is None) and _may_ask_sources(context, now):
            # Someone is looking: ask the sources now rather than wait for the schedule.
            for outlook in (today, tomorrow):
                if outlook.color is None:
                    await svc.tempo.refresh_day(outlook.day, now)
            today = await svc.tempo.today_outlook(now)
            tomorrow = await svc.tempo.tomorrow_outlook(now)
    except (TempoError, OSError) as err:
        _log.warning("Tempo outlook unavailable: %s", err)
        return None
    return tempo_now(today, tomorrow, now, svc.settings.tz)


def _may_ask_sources(context: Context, now: datetime) -> bool:
    data = context.bot_data
    if data.last_tempo_ask is not None and now - data.last_tempo_ask < TEMPO_ASK_EVERY:
        return False
    data.last_tempo_ask = now
    return True


async def status_text(update: Update, context: Context) -> str:
    """The status message for this reader, from the coordinator's snapshots."""
    svc = services(context)
    pending = await svc.storage.alerts.count_pending()
    return render_status(
        svc.fleet.snapshots(),
        now=svc.clock.now(),
        tz=svc.settings.tz,
        lang=user_lang(update, context),
        tempo=await _tempo_now(context),
        pending_alerts=pending,
    )


async def status(update: Update, context: Context) -> None:
    """/status, or the Status button: the last known state with a Refresh button."""
    lang = user_lang(update, context)
    markup = keyboards.status_keyboard(lang, admin=is_admin(update, context))
    if update.callback_query is not None:
        await update.callback_query.answer()
        await edit(update, await status_text(update, context), markup)
        return
    await reply(update, context, await status_text(update, context), markup)


async def refresh(update: Update, context: Context) -> None:
    """Refresh button: poll every battery live, then edit the message in place."""
    query = update.callback_query
    if query is None:
        return
    await query.answer()
    await services(context).fleet.refresh()
    lang = user_lang(update, context)
    await edit(
        update,
        await status_text(update, context),
        keyboards.status_keyboard(lang, admin=is_admin(update, context)),
    )


async def tempo(update: Update, context: Context) -> None:
    """/tempo: today, tomorrow, days left and prices."""
    svc = services(context)
    lang = user_lang(update, context)
    now_tempo = await _tempo_now(context)
    if now_tempo is None:
        text = t(lang, "tempo.unavailable")
    else:
        counters = await svc.tempo.season_counters(svc.clock.now())
        prices = svc.prices.in_force(svc.clock.now().astimezone(svc.settings.tz).date())
        text = render_tempo(
            tempo=now_tempo, counters=counters, prices=prices, tz=svc.settings.tz, lang=lang
        )
    markup = keyboards.rows(
        [
            keyboards.button(t(lang, "menu.status"), encode(Action.STATUS)),
            keyboards.button(t(lang, "menu.help"), encode(Action.MENU)),
        ]
    )
    if update.callback_query is not None:
        await update.callback_query.answer()
        await edit(update, text, markup)
        return
    await reply(update, context, text, markup)


async def language(update: Update, context: Context) -> None:
    """/language: choose French or English."""
    lang = user_lang(update, context)
    markup = keyboards.rows(
        [
            keyboards.button("🇫🇷 Français", encode(Action.LANGUAGE, "fr")),
            keyboards.button("🇬🇧 English", encode(Action.LANGUAGE, "en")),
        ]
    )
    await reply(update, context, t(lang, "language.pick"), markup)


async def set_language(update: Update, context: Context, choice: str) -> None:
    """Language button: remember the choice (persisted) and confirm in that language."""
    query, user = update.callback_query, update.effective_user
    if query is None or user is None or choice not in LANGUAGES:
        return
    lang: Lang = "en" if choice == "en" else "fr"
    context.bot_data.languages[user.id] = lang
    await services(context).storage.settings.set(f"lang:{user.id}", lang, by=str(user.id))
    await query.answer()
    await edit(
        update, t(lang, "language.set"), keyboards.main_menu(lang, admin=is_admin(update, context))
    )


async def cancel(update: Update, context: Context) -> None:
    """/cancel or ✖️: abandon whatever was in progress (an open dialog included)."""
    lang = user_lang(update, context)
    if update.effective_user is not None:
        await context.bot_data.dialogs.close(update.effective_user.id)
    if update.callback_query is not None:
        await update.callback_query.answer()
        await edit(update, t(lang, "cancelled"))
        return
    await reply(update, context, t(lang, "cancelled"))
