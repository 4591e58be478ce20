"""Every feature beyond the core, in menu order. Adding a feature = one line here."""

from __future__ import annotations

from bot.telegram_ui import (
    backup_ui,
    batteries_ui,
    charts_ui,
    export_ui,
    plan_ui,
    savings_ui,
    schedules,
    settings_ui,
)
from bot.telegram_ui.spec import Feature

FEATURES: tuple[Feature, ...] = (
    plan_ui.FEATURE,
    charts_ui.FEATURE,
    savings_ui.FEATURE,
    batteries_ui.FEATURE,
    export_ui.FEATURE,
    backup_ui.FEATURE,
    schedules.FEATURE,
    settings_ui.FEATURE,
)


def feature(code: str) -> Feature | None:
    """The feature owning buttons and dialogs with this code."""
    return next((f for f in FEATURES if f.code == code), None)
