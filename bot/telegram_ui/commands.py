"""The one table of commands: it drives both the handlers and ``set_my_commands`` (FR and EN)."""

from __future__ import annotations

from telegram import Bot, BotCommand, BotCommandScopeChat
from telegram.error import TelegramError

from bot.telegram_ui import handlers, mode_flow
from bot.telegram_ui.feature_table import FEATURES
from bot.telegram_ui.i18n import LANGUAGES, t
from bot.telegram_ui.spec import CommandSpec

CORE_COMMANDS: tuple[CommandSpec, ...] = (
    CommandSpec(name="start", text_key="cmd.start", handler=handlers.start),
    CommandSpec(name="status", text_key="cmd.status", handler=handlers.status),
    CommandSpec(name="mode", text_key="cmd.mode", handler=mode_flow.mode_command, admin_only=True),
    CommandSpec(name="tempo", text_key="cmd.tempo", handler=handlers.tempo),
)
TAIL_COMMANDS: tuple[CommandSpec, ...] = (
    CommandSpec(name="language", text_key="cmd.language", handler=handlers.language),
    CommandSpec(name="help", text_key="cmd.help", handler=handlers.help_command),
    CommandSpec(name="cancel", text_key="cmd.cancel", handler=handlers.cancel),
)
COMMANDS: tuple[CommandSpec, ...] = (
    *CORE_COMMANDS,
    *(command for feature in FEATURES for command in feature.commands),
    *TAIL_COMMANDS,
)


def visible_commands(*, admin: bool) -> list[CommandSpec]:
    """The commands a user with this role may use, in menu order."""
    return [c for c in COMMANDS if admin or not c.admin_only]


async def register_commands(bot: Bot, *, admins: list[int]) -> None:
    """Publish the command menu in French (default) and English; admins get the full list."""
    set_my_commands = bot.set_my_commands
    for lang in LANGUAGES:
        code = None if lang == "fr" else lang
        viewer_menu = [
            BotCommand(c.name_in(lang), t(lang, c.text_key)) for c in visible_commands(admin=False)
        ]
        await set_my_commands(viewer_menu, language_code=code)
        admin_menu = [
            BotCommand(c.name_in(lang), t(lang, c.text_key)) for c in visible_commands(admin=True)
        ]
        for admin in admins:
            try:
                await set_my_commands(
                    admin_menu, scope=BotCommandScopeChat(admin), language_code=code
                )
            except TelegramError:
                continue  # an admin who never opened the chat: the default menu will do
