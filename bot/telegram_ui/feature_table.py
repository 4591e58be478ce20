"""Every feature beyond the core, in menu order. Adding a feature = one line here."""

from __future__ import annotations

from bot.telegram_ui.spec import Feature

FEATURES: tuple[Feature, ...] = ()


def feature(code: str) -> Feature | None:
    """The feature owning buttons and dialogs with this code."""
    return next((f for f in FEATURES if f.code == code), None)
