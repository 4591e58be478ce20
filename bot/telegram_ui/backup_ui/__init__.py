"""Database backup from the chat (feature ``bk``, /backup, admins only)."""

from __future__ import annotations

from bot.telegram_ui.backup_ui.flow import backup_command
from bot.telegram_ui.spec import CommandSpec, Feature

FEATURE = Feature(
    code="bk",
    commands=(
        CommandSpec(name="backup", text_key="backup.cmd", handler=backup_command, admin_only=True),
    ),
)

__all__ = ["FEATURE"]
