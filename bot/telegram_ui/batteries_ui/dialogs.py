"""Typed names for /batteries: adding a discovered battery and renaming one.

The question opens a dialog stored in the database (``feature="bt"``, step ``add`` or
``rename``, the draft in ``data``), so an answer typed after a restart of the bot still lands
here. A refused name keeps the dialog open for another try; /cancel closes it.
"""

from __future__ import annotations

import logging
from contextlib import suppress

from telegram import Update
from telegram.error import TelegramError

from bot.monitor.manager import MAX_NAME, BatteryError
from bot.telegram_ui import format as fmt
from bot.telegram_ui import keyboards
from bot.telegram_ui.access import require_admin
from bot.telegram_ui.batteries_ui.listing import CODE, list_markup, list_text
from bot.telegram_ui.batteries_ui.view import (
    Found,
    default_name,
    name_problem,
    stored_found,
    watched_as,
)
from bot.telegram_ui.callbacks import encode_feature
from bot.telegram_ui.context import Context, services, user_lang
from bot.telegram_ui.dialog import DialogState
from bot.telegram_ui.handlers import edit, reply
from bot.telegram_ui.i18n import Lang, t

_log = logging.getLogger(__name__)

DISCOVERED_KEY = "batteries.discovered"
ADD = "add"
RENAME = "rename"


async def start_add(update: Update, context: Context, mac: str, lang: Lang) -> None:
    """ "Add" pressed on a discovery answer: ask for a name, proposing a default."""
    query, user = update.callback_query, update.effective_user
    if query is None or user is None:
        return
    svc = services(context)
    now = svc.clock.now()
    found = stored_found(await svc.storage.settings.get(DISCOVERED_KEY), mac, now)
    if found is None:
        await query.answer(t(lang, "batteries.discovery_stale"), show_alert=True)
        return
    watch = watched_as(found, svc.fleet.snapshots())
    if watch is not None:
        text = t(lang, "batteries.already_watched", name=fmt.escape(watch.name))
        await query.answer(text, show_alert=True)
        return
    await query.answer()
    proposed = default_name(svc.fleet.names)
    message_id = query.message.message_id if query.message is not None else None
    await context.bot_data.dialogs.open(
        user.id,
        DialogState(
            feature=CODE,
            step=ADD,
            started_at=now,
            data={**found.to_json(), "default": proposed},
            message_id=message_id,
        ),
    )
    markup = keyboards.rows(
        [
            keyboards.button(
                t(lang, "batteries.button.keep_name", name=proposed), encode_feature(CODE, "ad")
            )
        ],
        keyboards.back_cancel(lang, None),
    )
    text = t(
        lang,
        "batteries.ask_add_name",
        model=fmt.escape(found.model),
        address=fmt.escape(f"{found.host}:{found.port}"),
        default=fmt.escape(proposed),
    )
    await edit(update, text, markup)


async def accept_default(update: Update, context: Context, lang: Lang) -> None:
    """ "Keep the proposed name" pressed: add under the dialog's default name."""
    query, user = update.callback_query, update.effective_user
    if query is None or user is None:
        return
    dialog = await context.bot_data.dialogs.get(user.id, services(context).clock.now())
    if dialog is None or dialog.feature != CODE or dialog.step != ADD:
        await query.answer(t(lang, "error.stale_button"), show_alert=True)
        return
    await query.answer()
    await _add(update, context, dialog, str(dialog.data.get("default", "")), lang)


async def start_rename(update: Update, context: Context, name: str, lang: Lang) -> None:
    """ "Rename" pressed: ask for the new name."""
    query, user = update.callback_query, update.effective_user
    if query is None or user is None:
        return
    message_id = query.message.message_id if query.message is not None else None
    await context.bot_data.dialogs.open(
        user.id,
        DialogState(
            feature=CODE,
            step=RENAME,
            started_at=services(context).clock.now(),
            data={"old": name},
            message_id=message_id,
        ),
    )
    markup = keyboards.rows(keyboards.back_cancel(lang, None))
    await edit(update, t(lang, "batteries.ask_rename", name=fmt.escape(name)), markup)


async def on_text(update: Update, context: Context, dialog: DialogState) -> None:
    """A name typed while a ``bt`` dialog is open."""
    lang = user_lang(update, context)
    text = update.message.text if update.message is not None else None
    if text is None:
        return
    if not await require_admin(update, context):
        await _close(update, context, dialog)
        return
    if dialog.step == ADD:
        await _add(update, context, dialog, text, lang)
    elif dialog.step == RENAME:
        await _rename(update, context, dialog, text, lang)
    else:
        await _close(update, context, dialog)
        await reply(update, context, t(lang, "batteries.dialog_lost"))


async def _add(
    update: Update, context: Context, dialog: DialogState, text: str, lang: Lang
) -> None:
    svc = services(context)
    found = Found.from_json(dialog.data)
    if found is None:
        await _close(update, context, dialog)
        await reply(update, context, t(lang, "batteries.dialog_lost"))
        return
    watch = watched_as(found, svc.fleet.snapshots())
    if watch is not None:
        await _close(update, context, dialog)
        text = t(lang, "batteries.already_watched", name=fmt.escape(watch.name))
        await reply(update, context, text)
        return
    if not await _name_ok(update, context, text, lang):
        return
    try:
        snap = await svc.batteries.add(text, found.host, found.port)
    except BatteryError as err:
        await _refused(update, context, str(err), lang)
        return
    await _close(update, context, dialog)
    await _done(
        update,
        context,
        t(
            lang,
            "batteries.added",
            name=fmt.escape(snap.name),
            address=fmt.escape(f"{snap.host}:{snap.port}"),
        ),
        lang,
    )


async def _rename(
    update: Update, context: Context, dialog: DialogState, text: str, lang: Lang
) -> None:
    svc = services(context)
    old = str(dialog.data.get("old", ""))
    if old not in svc.fleet.names:
        await _close(update, context, dialog)
        await reply(update, context, t(lang, "batteries.gone", name=fmt.escape(old)))
        return
    if " ".join(text.split()) == old:
        await _close(update, context, dialog)
        await _done(update, context, t(lang, "batteries.same_name", name=fmt.escape(old)), lang)
        return
    if not await _name_ok(update, context, text, lang, current=old):
        return
    try:
        snap = await svc.batteries.rename(old, text)
    except BatteryError as err:
        await _refused(update, context, str(err), lang)
        return
    await _close(update, context, dialog)
    renamed = t(lang, "batteries.renamed", old=fmt.escape(old), new=fmt.escape(snap.name))
    await _done(update, context, renamed, lang)


async def _name_ok(
    update: Update, context: Context, text: str, lang: Lang, *, current: str | None = None
) -> bool:
    """Check a typed name; on a problem, explain it (the dialog stays open)."""
    problem = name_problem(text, services(context).fleet.names, current=current)
    if problem is None:
        return True
    name = fmt.escape(" ".join(text.split())[:60])
    reason = t(lang, problem, name=name, max=MAX_NAME, length=len(" ".join(text.split())))
    await reply(update, context, t(lang, "batteries.name_refused", reason=reason))
    return False


async def _refused(update: Update, context: Context, reason: str, lang: Lang) -> None:
    # The manager's own sentence (French): only reached when it refuses what the UI accepted.
    await reply(update, context, t(lang, "batteries.name_refused", reason=fmt.escape(reason)))


async def _done(update: Update, context: Context, headline: str, lang: Lang) -> None:
    await reply(
        update,
        context,
        headline + "\n\n" + list_text(context, lang),
        list_markup(context, lang, admin=True),
    )


async def _close(update: Update, context: Context, dialog: DialogState) -> None:
    """Close the dialog and take the buttons off its question."""
    user, chat = update.effective_user, update.effective_chat
    if user is not None:
        await context.bot_data.dialogs.close(user.id)
    if chat is not None and dialog.message_id is not None:
        with suppress(TelegramError):
            await context.bot.edit_message_reply_markup(chat.id, dialog.message_id)
