"""Charts in the chat (feature ``ch``, /graphiques): history per battery and the Tempo season."""

from __future__ import annotations

from bot.telegram_ui.charts_ui.flow import charts_command, on_button
from bot.telegram_ui.spec import CommandSpec, Feature

FEATURE = Feature(
    code="ch",
    commands=(
        CommandSpec(
            name="graphiques", english="charts", text_key="charts.cmd", handler=charts_command
        ),
    ),
    on_button=on_button,
)

__all__ = ["FEATURE"]
