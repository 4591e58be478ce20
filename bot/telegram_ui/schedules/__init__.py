"""The household's schedule rules from the chat: /horaires lists them, admins edit them.

``parsing`` and ``validation`` are pure (typed times, days and powers; overlaps and limits);
``draft`` is the rule being written; ``views`` renders; ``conversation`` and ``flow`` handle
the updates.
"""

from __future__ import annotations

from bot.telegram_ui.schedules import conversation, flow
from bot.telegram_ui.spec import CommandSpec, Feature

FEATURE = Feature(
    code="sc",
    commands=(
        CommandSpec(
            name="horaires",
            english="schedules",
            text_key="schedules.cmd",
            handler=flow.schedules_command,
        ),
    ),
    on_button=flow.on_button,
    on_text=conversation.on_text,
    admin_only_buttons=True,
)

__all__ = ["FEATURE"]
