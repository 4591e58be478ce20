"""Typed access to the services from handlers (no untyped ``bot_data`` casts anywhere else)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, TypeAlias

from telegram import Update
from telegram.ext import Application, CallbackContext, ExtBot, JobQueue

from bot.services import Services
from bot.telegram_ui.delivery import AlertDeliverer
from bot.telegram_ui.dialog import DialogStore
from bot.telegram_ui.i18n import Lang, normalize_lang
from bot.telegram_ui.ratelimit import RateLimiter

LANG_KEY = "lang:{user_id}"


@dataclass(slots=True)
class BotData:
    """What the application keeps for its whole life."""

    services: Services
    dialogs: DialogStore
    limiter: RateLimiter = field(default_factory=RateLimiter)
    languages: dict[int, Lang] = field(default_factory=dict)
    """Languages users chose explicitly (persisted)."""
    seen_languages: dict[int, Lang] = field(default_factory=dict)
    """Languages of users' Telegram apps, as last seen (for push messages)."""
    strangers_told: set[int] = field(default_factory=set)
    deliverer: AlertDeliverer | None = None
    last_admin_error: float = -1e9
    last_tempo_ask: datetime | None = None
    backtest_running: bool = False
    """A strategy comparison is being computed (one at a time: it is CPU-heavy)."""


Context: TypeAlias = CallbackContext[ExtBot[None], dict[Any, Any], dict[Any, Any], BotData]
App: TypeAlias = Application[
    ExtBot[None], Context, dict[Any, Any], dict[Any, Any], BotData, JobQueue[Context]
]


def services(context: Context) -> Services:
    """The services of this bot."""
    return context.bot_data.services


def user_lang(update: Update | None, context: Context) -> Lang:
    """The reader's language: their choice, else their Telegram language, else the default."""
    data = context.bot_data
    default = normalize_lang(data.services.settings.language)
    user = update.effective_user if update else None
    if user is None:
        return default
    chosen = data.languages.get(user.id)
    if chosen is not None:
        return chosen
    return normalize_lang(user.language_code, default) if user.language_code else default


def chat_lang(chat_id: int, data: BotData) -> Lang:
    """The language to use for a push message to ``chat_id`` (a private chat = a user)."""
    default = normalize_lang(data.services.settings.language)
    return data.languages.get(chat_id) or data.seen_languages.get(chat_id) or default
