"""The real bot, started the way ``python -m bot run --simulate 3`` starts it, against fakes.

- Telegram: the fake Bot API server on 127.0.0.1 (real HTTP, long polling).
- Batteries: three simulated Venus E units over UDP on 127.0.0.2-4.
- Tempo: a fake api-couleur-tempo.fr on 127.0.0.1 serving a known calendar.
Bot and simulator share one clock running 20× faster than real time, so verifying a mode
change (5–30 s on real units) takes a fraction of a second here.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from bot.app import BotRuntime
from bot.clock import ScaledClock
from bot.services import Services
from bot.settings import Settings, load_settings
from tests.fakes.telegram_api import FakeTelegramServer
from tests.fakes.telegram_user import FakeUser
from tests.fakes.tempo_servers import CouleurTempoServer

ADMIN_ID = 1001
VIEWER_ID = 2002
STRANGER_ID = 3003
# Wednesday 14 January 2026, 09:00 UTC (10:00 in Paris, HP of a blue day; tomorrow red).
START = datetime(2026, 1, 14, 9, 0, tzinfo=UTC)
SPEED = 20.0
CALENDAR = {
    date(2026, 1, 12): "BLUE",
    date(2026, 1, 13): "WHITE",
    date(2026, 1, 14): "BLUE",
    date(2026, 1, 15): "RED",
}


@dataclass
class Bot:
    """Handles on everything a test may poke."""

    runtime: BotRuntime
    telegram: FakeTelegramServer
    tempo: CouleurTempoServer
    clock: ScaledClock
    settings: Settings

    @property
    def services(self) -> Services:
        assert self.runtime.services is not None
        return self.runtime.services

    def user(self, user_id: int, name: str, lang: str | None = "fr") -> FakeUser:
        return FakeUser(self.telegram, user_id, name, language_code=lang)


@pytest.fixture
def tempo_server() -> Iterator[CouleurTempoServer]:
    with CouleurTempoServer(CALENDAR, today=START.date()) as server:
        yield server


def bot_settings(
    telegram: FakeTelegramServer, tempo: CouleurTempoServer, data_dir: Path, **extra: Any
) -> Settings:
    """Settings of a bot wired to the fakes."""
    values: dict[str, Any] = {
        **telegram.settings_overrides(),
        "admins": [ADMIN_ID],
        "viewers": [VIEWER_ID],
        "data_dir": data_dir,
        "tempo_sources": ["api-couleur-tempo"],
        "tempo_api_couleur_tempo_url": tempo.base_url,
        "tempo_request_timeout_s": 2.0,
        "telegram_poll_timeout_s": 1.0,
        "alert_delivery_interval_s": 0.2,
        "poll_interval_s": 30.0,
        "automation": False,  # UI tests drive the batteries by hand; planning tests turn it on
    }
    values.update(extra)
    return load_settings(**values)


@asynccontextmanager
async def running_bot(
    tmp_path: Path, tempo: CouleurTempoServer, **extra: Any
) -> AsyncIterator[Bot]:
    """The bot with three simulated batteries, wired to the fakes (``extra``: settings)."""
    clock = ScaledClock(START, speed=SPEED)
    async with FakeTelegramServer(clock=clock) as telegram:
        settings = bot_settings(telegram, tempo, tmp_path, **extra)
        runtime = BotRuntime(settings, clock=clock, simulate=3)
        await runtime.start()
        try:
            yield Bot(
                runtime=runtime, telegram=telegram, tempo=tempo, clock=clock, settings=settings
            )
        finally:
            await runtime.stop()


@pytest.fixture
async def bot(
    tmp_path: Path, tempo_server: CouleurTempoServer, monkeypatch: pytest.MonkeyPatch
) -> AsyncIterator[Bot]:
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    async with running_bot(tmp_path, tempo_server) as started:
        yield started


async def until_polled(bot: Bot, within_s: float = 10.0) -> None:
    """Wait until every battery has been read once."""
    await bot.telegram.wait_until(
        lambda: all(s.status is not None for s in bot.services.fleet.snapshots()) or None,
        timeout_s=within_s,
        what="a first poll of every battery",
    )


def later(clock: ScaledClock, **delta: float) -> datetime:
    """An instant after the clock's now."""
    return clock.now() + timedelta(**delta)
