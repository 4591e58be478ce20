"""Push messages: alerts and the Tempo announcement reach the right people, in their language,
in order, exactly once — through 429s, outages and a restart of the bot."""

from __future__ import annotations

import asyncio
import io
import logging
from collections.abc import Iterator
from datetime import UTC, datetime, time, timedelta

import pytest

from bot.alerts import Alert, AlertKind, Severity
from bot.app import BotRuntime
from bot.logging_setup import configure_logging
from tests.e2e.conftest import ADMIN_ID, VIEWER_ID, Bot, until_polled
from tests.fakes.telegram_user import FakeUser
from tests.fakes.telegram_values import Fault, OutageMode
from tests.tempo.conftest import PARIS


def _low_soc(bot: Bot, index: int) -> Alert:
    return Alert(
        kind=AlertKind.LOW_SOC,
        severity=Severity.WARNING,
        created_at=bot.clock.now(),
        dedup_key=f"test-low-soc:{index}",
        battery=f"Venus {index}",
        params={"soc_pct": 5 + index, "limit": 10},
    )


def _alert_texts(user: FakeUser) -> list[str]:
    return [m.content for m in user.messages if m.content.startswith("🪫")]


async def _english(bob: FakeUser) -> None:
    await bob.send("/language")
    picker = await bob.next_message()
    await bob.press(picker, "🇬🇧 English")
    await bob.wait_for_edit(picker)


async def test_silent_battery_alert_reaches_admin_and_viewer_in_their_language(bot: Bot) -> None:
    await until_polled(bot)
    alice, bob = bot.user(ADMIN_ID, "Alice"), bot.user(VIEWER_ID, "Bob", "en")
    await _english(bob)
    bot.services.simulator.units[1].faults.silent = True  # type: ignore[union-attr]
    french = await alice.wait_for(lambda m: "ne répond plus" in m.content, timeout=30)
    english = await bob.wait_for(lambda m: "has not answered" in m.content, timeout=10)
    assert "Venus 2" in french.content
    assert "Venus 2" in english.content


async def test_429_retry_after_is_honoured_and_nothing_is_sent_twice(bot: Bot) -> None:
    alice = bot.user(ADMIN_ID, "Alice")
    bot.telegram.inject(Fault.retry_after(30), method="sendMessage")
    for index in (1, 2):
        await bot.services.storage.alerts.raise_alert(_low_soc(bot, index))
    await alice.wait_for(lambda m: "Venus 2" in m.content, timeout=20)
    calls = bot.telegram.calls_to("sendMessage")
    refused = [c for c in calls if c.status == 429]
    accepted = [
        c for c in calls if c.status == 200 and c.params.get("chat_id") in (ADMIN_ID, str(ADMIN_ID))
    ]
    assert refused
    assert accepted[0].at - refused[0].at >= timedelta(seconds=30)
    assert [("Venus 1" in t, "Venus 2" in t) for t in _alert_texts(alice)] == [
        (True, False),
        (False, True),
    ]


async def test_ten_minute_outage_loses_nothing_and_duplicates_nothing(bot: Bot) -> None:
    alice, bob = bot.user(ADMIN_ID, "Alice"), bot.user(VIEWER_ID, "Bob")
    await bot.telegram.set_outage(OutageMode.REFUSE)
    for index in range(1, 6):  # one alert every two minutes during a ten-minute outage
        await bot.services.storage.alerts.raise_alert(_low_soc(bot, index))
        bot.clock.jump(timedelta(minutes=2))
        await asyncio.sleep(0.3)
    assert _alert_texts(alice) == []
    await bot.telegram.set_outage(None)
    for user in (alice, bob):
        await user.wait_for(lambda m: "Venus 5" in m.content, timeout=30)
    for user in (alice, bob):
        texts = _alert_texts(user)
        assert [f"Venus {i}" in text for i, text in enumerate(texts, start=1)] == [True] * 5
        assert len(texts) == 5


async def test_undelivered_alerts_survive_a_restart_and_delivered_ones_are_not_resent(
    bot: Bot,
) -> None:
    alice = bot.user(ADMIN_ID, "Alice")
    await bot.services.storage.alerts.raise_alert(_low_soc(bot, 1))
    await alice.wait_for(lambda m: "Venus 1" in m.content, timeout=10)
    await bot.telegram.set_outage(OutageMode.DROP)
    await bot.services.storage.alerts.raise_alert(_low_soc(bot, 2))
    await bot.services.storage.alerts.raise_alert(_low_soc(bot, 3))
    await asyncio.sleep(0.5)
    await bot.runtime.stop()
    await bot.telegram.set_outage(None)
    second = BotRuntime(bot.settings, clock=bot.clock, simulate=3)
    await second.start()
    try:
        await alice.wait_for(lambda m: "Venus 3" in m.content, timeout=20)
        await asyncio.sleep(0.5)
    finally:
        await second.stop()
    texts = _alert_texts(alice)
    assert len(texts) == 3
    assert ["Venus 1" in texts[0], "Venus 2" in texts[1], "Venus 3" in texts[2]] == [True] * 3


async def test_tomorrows_colour_is_announced_once_after_1040(bot: Bot) -> None:
    alice, bob = bot.user(ADMIN_ID, "Alice"), bot.user(VIEWER_ID, "Bob", "en")
    await _english(bob)
    at_1045 = datetime.combine(bot.clock.now().astimezone(PARIS).date(), time(10, 45), PARIS)
    bot.clock.jump_to(at_1045.astimezone(UTC))
    french = await alice.wait_for(lambda m: m.content.startswith("📅 Demain"), timeout=20)
    english = await bob.wait_for(lambda m: m.content.startswith("📅 Tomorrow"), timeout=10)
    assert "🔴 Rouge" in french.content
    assert "confirmé" in french.content
    assert "🔴 Red" in english.content
    bot.clock.jump(timedelta(hours=2))  # later checks of the same colour announce nothing new
    await asyncio.sleep(1.0)
    assert sum(m.content.startswith("📅 Demain") for m in alice.messages) == 1


async def test_a_flood_gets_one_warning(bot: Bot) -> None:
    alice = bot.user(ADMIN_ID, "Alice")
    for _ in range(20):
        await alice.send("/help")
    await alice.wait_for(lambda m: "Trop de demandes" in m.content, timeout=10)
    await bot.telegram.wait_until(
        lambda: bot.telegram.state.pending_update_count == 0, timeout_s=5, what="updates read"
    )
    await asyncio.sleep(0.5)
    warnings = [m for m in alice.messages if "Trop de demandes" in m.content]
    answers = [m for m in alice.messages if "Commandes" in m.content]
    assert len(warnings) == 1
    assert 1 <= len(answers) < 20


@pytest.fixture
def log_stream() -> Iterator[io.StringIO]:
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    stream = io.StringIO()
    yield stream
    for handler in list(root.handlers):
        root.removeHandler(handler)
    for handler in handlers:
        root.addHandler(handler)
    root.setLevel(level)


async def test_the_token_never_reaches_the_logs(bot: Bot, log_stream: io.StringIO) -> None:
    token = bot.settings.telegram_token.get_secret_value()  # type: ignore[union-attr]
    configure_logging(level="DEBUG", secrets=[token], stream=log_stream)
    alice = bot.user(ADMIN_ID, "Alice")
    await alice.send("/status")
    status = await alice.next_message()
    await alice.press(status, "🔄 Actualiser")
    await alice.wait_for_edit(status)
    bot.telegram.inject(Fault.http_error(500), method="sendMessage")
    await bot.services.storage.alerts.raise_alert(_low_soc(bot, 1))
    await alice.wait_for(lambda m: "Venus 1" in m.content and "🪫" in m.content, timeout=10)
    output = log_stream.getvalue()
    assert len(output) > 1000  # DEBUG logging really ran
    assert token not in output
    assert token.split(":")[1] not in output
