"""The household's preferences from the chat: /reglages (admins change, viewers read).

``catalog`` is pure (codes, bounds, parsers, formatters); ``views`` renders; ``flow`` handles
the updates and changes values only through :class:`bot.preferences.Preferences`.
"""

from __future__ import annotations

from bot.telegram_ui.settings_ui import flow
from bot.telegram_ui.spec import CommandSpec, Feature

FEATURE = Feature(
    code="se",
    commands=(
        CommandSpec(
            name="reglages",
            english="settings",
            text_key="settings.cmd",
            handler=flow.settings_command,
            admin_only=True,
        ),
    ),
    on_button=flow.on_button,
    on_text=flow.on_text,
    admin_only_buttons=True,
)

__all__ = ["FEATURE"]
