"""Helpers shared by the schedules and settings end-to-end tests (bot, restart, dialogs, logs).

The bot here polls its batteries once at start and then only every hour of its clock: a
restart then never cancels a poll half-way through a database write (stopping the runtime
mid-write can leave SQLite locked for the next runtime; see the report to the lead).
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import pytest

from bot.app import BotRuntime
from bot.clock import ScaledClock
from bot.telegram_ui.dialog import DialogState
from bot.telegram_ui.ratelimit import RateLimiter
from tests.e2e.conftest import SPEED, START, Bot, bot_settings
from tests.fakes.telegram_api import FakeTelegramServer
from tests.fakes.telegram_user import FakeUser
from tests.fakes.telegram_values import ChatMessage
from tests.fakes.tempo_servers import CouleurTempoServer

POLL_EVERY_S = 3600.0


@asynccontextmanager
async def running_bot(
    tmp_path: Path, tempo: CouleurTempoServer, **extra: Any
) -> AsyncIterator[Bot]:
    """The real bot against the fakes (like the conftest's), polling once an hour."""
    async with FakeTelegramServer() as telegram:
        settings = bot_settings(telegram, tempo, tmp_path, poll_interval_s=POLL_EVERY_S, **extra)
        clock = ScaledClock(START, speed=SPEED)
        runtime = BotRuntime(settings, clock=clock, simulate=3)
        await runtime.start()
        bot = Bot(runtime=runtime, telegram=telegram, tempo=tempo, clock=clock, settings=settings)
        try:
            await until_registered(bot)
            yield roomy(bot)
        finally:
            await bot.runtime.stop()
            await runtime.stop()


async def dialog_of(bot: Bot, user_id: int) -> DialogState | None:
    """The user's open dialog, as the running bot sees it."""
    app = bot.runtime.application
    assert app is not None
    return await app.bot_data.dialogs.get(user_id, bot.clock.now())


async def until_registered(bot: Bot, within_s: float = 10.0) -> None:
    """Wait until every battery is polled and has its database id."""
    await bot.telegram.wait_until(
        lambda: all(s.battery_id is not None for s in bot.services.fleet.snapshots()) or None,
        timeout_s=within_s,
        what="every battery registered",
    )


def roomy(bot: Bot) -> Bot:
    """Lift the flood limit: these tests type faster than any household (30 a minute)."""
    app = bot.runtime.application
    assert app is not None
    app.bot_data.limiter = RateLimiter(burst=10_000, per_minute=60_000.0)
    return bot


@asynccontextmanager
async def restarted(bot: Bot) -> AsyncIterator[BotRuntime]:
    """Stop the bot and start a new one on the same settings and database (like a reboot)."""
    old = bot.runtime
    await old.stop()
    runtime = BotRuntime(bot.settings, clock=bot.clock, simulate=3)
    await runtime.start()
    bot.runtime = runtime
    roomy(bot)
    await until_registered(bot)
    try:
        yield runtime
    finally:
        await runtime.stop()
        bot.runtime = old


def no_bot_errors(caplog: pytest.LogCaptureFixture) -> None:
    """Fail if any bot logger wrote an ERROR (an exception in a handler, a missing text…)."""
    errors = [
        f"{r.name}: {r.getMessage()}"
        for r in caplog.records
        if r.levelno >= logging.ERROR and r.name.startswith("bot")
    ]
    assert errors == []


async def answer(user: FakeUser, text: str) -> ChatMessage:
    """Type ``text`` and return the bot's reply."""
    await user.send_text(text)
    return await user.next_message()


async def press_and_wait(user: FakeUser, message: ChatMessage, label: str) -> ChatMessage:
    """Press a button and return the message once edited."""
    current = user.current(message)
    await user.press(current, label)
    return await user.wait_for_edit(current)
