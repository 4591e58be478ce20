"""Money saved in the chat (feature ``sv``, /economies): totals in € and a chart."""

from __future__ import annotations

from bot.telegram_ui.savings_ui.flow import CODE, on_button, savings_command
from bot.telegram_ui.spec import CommandSpec, Feature

FEATURE = Feature(
    code=CODE,
    commands=(
        CommandSpec(
            name="economies", english="savings", text_key="savings.cmd", handler=savings_command
        ),
    ),
    on_button=on_button,
)

__all__ = ["FEATURE"]
