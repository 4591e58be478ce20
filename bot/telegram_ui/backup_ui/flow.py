"""/backup (admins): a consistent copy of the live database, sent as a document.

The copy is SQLite's online backup (the bot keeps running and writing meanwhile), written to a
private temporary directory that is removed once the document is sent, whatever happens.
"""

from __future__ import annotations

import asyncio
import logging
import shutil
import tempfile
from pathlib import Path

from telegram import Update
from telegram.constants import ChatAction

from bot.storage.backup import backup
from bot.storage.errors import BackupError
from bot.telegram_ui import format as fmt
from bot.telegram_ui.access import require_admin
from bot.telegram_ui.context import Context, services, user_lang
from bot.telegram_ui.handlers import reply
from bot.telegram_ui.i18n import t

_log = logging.getLogger(__name__)

# Telegram bots may upload documents up to 50 MB.
UPLOAD_LIMIT_BYTES = 49_000_000


async def backup_command(update: Update, context: Context) -> None:
    """/backup: send the admin a consistent copy of the database."""
    if not await require_admin(update, context):
        return
    chat = update.effective_chat
    if chat is None:
        return
    lang = user_lang(update, context)
    svc = services(context)
    local_now = svc.clock.now().astimezone(svc.settings.tz)
    filename = f"marstek-{local_now:%Y%m%d-%H%M}.db"
    await context.bot.send_chat_action(chat.id, ChatAction.UPLOAD_DOCUMENT)
    try:
        data = await _consistent_copy(svc.db.url, filename)
    except BackupError as err:
        _log.warning("backup from the chat failed: %s", err)
        await reply(update, context, t(lang, "backup.failed", reason=fmt.escape(err)))
        return
    size = fmt.number(len(data) / 1e6, lang, 1)
    if len(data) > UPLOAD_LIMIT_BYTES:
        await reply(update, context, t(lang, "backup.too_big", size=size))
        return
    caption = t(
        lang,
        "backup.caption",
        when=local_now.strftime("%d/%m/%Y %H:%M"),
        size=size,
        filename=filename,
    )
    await context.bot.send_document(chat.id, document=data, filename=filename, caption=caption)


async def _consistent_copy(db_url: str, filename: str) -> bytes:
    """The bytes of an online backup, taken in a private temporary folder removed at once."""
    folder = Path(await asyncio.to_thread(tempfile.mkdtemp, prefix="marstek-backup-"))
    try:
        copy = await backup(db_url, folder / filename)
        return await asyncio.to_thread(copy.read_bytes)
    except OSError as err:
        raise BackupError(f"the copy could not be read back: {err}") from err
    finally:
        await asyncio.to_thread(shutil.rmtree, folder, True)
