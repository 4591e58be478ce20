"""/plan: the next 48 hours, and the household's orders (pause, force, resume, dry run)."""

from __future__ import annotations

from bot.telegram_ui.plan_ui.flow import CODE, on_button, plan_command
from bot.telegram_ui.spec import CommandSpec, Feature

FEATURE = Feature(
    code=CODE,
    commands=(CommandSpec(name="plan", text_key="cmd.plan", handler=plan_command),),
    on_button=on_button,
)

__all__ = ["FEATURE"]
