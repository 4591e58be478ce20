"""Fixtures for the fake Telegram tests: a server on 127.0.0.1 and a bare PTB Bot pointed at it."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from telegram import Bot

from tests.fakes.telegram_api import FakeTelegramServer


@pytest.fixture
async def telegram() -> AsyncIterator[FakeTelegramServer]:
    """A running fake Bot API server, stopped after the test."""
    async with FakeTelegramServer() as server:
        yield server


@pytest.fixture
async def bot(telegram: FakeTelegramServer) -> AsyncIterator[Bot]:
    """An initialized PTB ``Bot`` talking to the fake (no Updater, no handlers)."""
    async with Bot(
        telegram.token, base_url=telegram.base_url, base_file_url=telegram.base_file_url
    ) as client:
        yield client
