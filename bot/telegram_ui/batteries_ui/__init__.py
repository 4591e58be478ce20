"""Battery management in the chat (feature ``bt``, /batteries): list, discover, add, rename,
remove. Changes are for admins; the list lives in the database."""

from __future__ import annotations

from bot.telegram_ui.batteries_ui.dialogs import on_text
from bot.telegram_ui.batteries_ui.flow import batteries_command, on_button
from bot.telegram_ui.spec import CommandSpec, Feature

FEATURE = Feature(
    code="bt",
    commands=(CommandSpec(name="batteries", text_key="batteries.cmd", handler=batteries_command),),
    on_button=on_button,
    on_text=on_text,
    admin_only_buttons=True,
)

__all__ = ["FEATURE"]
