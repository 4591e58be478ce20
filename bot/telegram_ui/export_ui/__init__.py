"""History export in the chat (feature ``ex``, /export): a period's samples as a CSV document."""

from __future__ import annotations

from bot.telegram_ui.export_ui.flow import export_command, on_button
from bot.telegram_ui.spec import CommandSpec, Feature

FEATURE = Feature(
    code="ex",
    commands=(CommandSpec(name="export", text_key="export.cmd", handler=export_command),),
    on_button=on_button,
)

__all__ = ["FEATURE"]
