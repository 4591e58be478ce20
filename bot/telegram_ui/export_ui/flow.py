"""/export: the samples of the last 24 h, 7 or 30 days as a CSV document.

Buttons: ``v1|ex|<period>`` with a period of :data:`PERIODS`; anything else is stale.
"""

from __future__ import annotations

import asyncio
from datetime import timedelta

from telegram import InlineKeyboardMarkup, Update
from telegram.constants import ChatAction

from bot.telegram_ui import format as fmt
from bot.telegram_ui import keyboards
from bot.telegram_ui.callbacks import encode_feature
from bot.telegram_ui.context import Context, services, user_lang
from bot.telegram_ui.export_ui.csv_export import build_export, fit_for_upload
from bot.telegram_ui.handlers import edit, reply
from bot.telegram_ui.i18n import Lang, t

CODE = "ex"
PERIODS: dict[str, timedelta] = {
    "24h": timedelta(hours=24),
    "7d": timedelta(days=7),
    "30d": timedelta(days=30),
}
# Telegram bots may upload documents up to 50 MB.
UPLOAD_LIMIT_BYTES = 49_000_000


def picker(lang: Lang) -> InlineKeyboardMarkup:
    """The period buttons."""
    return keyboards.rows(
        [
            keyboards.button(t(lang, f"export.period.{code}"), encode_feature(CODE, code))
            for code in PERIODS
        ],
        keyboards.back_cancel(lang, None),
    )


async def export_command(update: Update, context: Context) -> None:
    """/export: choose the period."""
    lang = user_lang(update, context)
    await reply(update, context, t(lang, "export.pick"), picker(lang))


async def on_button(update: Update, context: Context, args: tuple[str, ...]) -> None:
    """A period was chosen: build the CSV and send it as a document."""
    query = update.callback_query
    if query is None:
        return
    lang = user_lang(update, context)
    if len(args) != 1 or args[0] not in PERIODS:
        await query.answer(t(lang, "error.stale_button"))
        await _picker_again(update, t(lang, "error.stale_button"), lang)
        return
    await query.answer()
    await send_export(update, context, args[0], lang)


async def send_export(update: Update, context: Context, code: str, lang: Lang) -> None:
    """Collect the rows of the period, write the CSV off the event loop and upload it."""
    chat = update.effective_chat
    if chat is None:
        return
    svc = services(context)
    span = t(lang, f"export.span.{code}")
    await edit(update, t(lang, "export.preparing", span=span))
    await context.bot.send_chat_action(chat.id, ChatAction.UPLOAD_DOCUMENT)
    end = svc.clock.now()
    start = end - PERIODS[code]
    batteries = [(b.id, b.name) for b in await svc.storage.batteries.list_all()]
    tz = svc.settings.tz
    export = await build_export(svc.storage.samples, batteries, start=start, end=end, tz=tz)
    if not export.rows:
        await _picker_again(update, t(lang, "export.empty", span=span), lang)
        return
    fitted = await asyncio.to_thread(fit_for_upload, export.data, UPLOAD_LIMIT_BYTES)
    if fitted is None:
        await edit(update, t(lang, "export.too_big", span=span), picker(lang))
        return
    content, compressed = fitted
    local_end = end.astimezone(tz)
    filename = f"marstek-export-{code}-{local_end:%Y%m%d-%H%M}.csv" + (".gz" if compressed else "")
    caption = t(
        lang,
        "export.caption",
        span=span,
        rows=fmt.number(export.rows, lang),
        batteries=export.batteries,
        tz=fmt.escape(tz.key),
    )
    if export.rolled_up:
        caption += "\n" + t(lang, "export.rollups", days=svc.settings.retention_days)
    if compressed:
        caption += "\n" + t(lang, "export.compressed")
    await context.bot.send_document(chat.id, document=content, filename=filename, caption=caption)
    await _picker_again(update, t(lang, "export.sent", span=span), lang)


async def _picker_again(update: Update, headline: str, lang: Lang) -> None:
    await edit(update, headline + "\n\n" + t(lang, "export.pick"), picker(lang))
