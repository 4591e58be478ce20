"""Fault injection and getUpdates semantics of the fake Bot API, seen through a bare PTB Bot."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import UTC, datetime, timedelta

import pytest
from telegram import Bot, Message
from telegram.error import (
    BadRequest,
    Conflict,
    EndPointNotFound,
    InvalidToken,
    NetworkError,
    RetryAfter,
    TimedOut,
)

from bot.clock import ManualClock
from tests.fakes.telegram_api import FakeTelegramServer, Fault, FaultKind, OutageMode
from tests.fakes.telegram_user import FakeUser


def _seconds(value: int | float | timedelta) -> float:
    """RetryAfter.retry_after is an int today and a timedelta with PTB_TIMEDELTA=1."""
    return value.total_seconds() if isinstance(value, timedelta) else float(value)


async def send_with_retry(
    send: Callable[[], Awaitable[Message]], sleep: Callable[[float], Awaitable[None]]
) -> tuple[Message, list[float]]:
    """The test's own retry policy: on RetryAfter wait what Telegram asked, then retry."""
    waits: list[float] = []
    for _ in range(5):
        try:
            return await send(), waits
        except RetryAfter as exc:
            waits.append(_seconds(exc.retry_after))
            await sleep(waits[-1])
    raise AssertionError(f"still flooded after waiting {waits}")


@pytest.fixture
def clock() -> ManualClock:
    """Virtual time: 429 bans end only when the test advances it."""
    return ManualClock(datetime(2025, 1, 15, 12, 0, tzinfo=UTC))


@pytest.fixture
async def flood_bot(clock: ManualClock) -> AsyncIterator[tuple[FakeTelegramServer, Bot]]:
    """A fake on a manual clock and a bot talking to it."""
    async with (
        FakeTelegramServer(clock=clock) as server,
        Bot(server.token, base_url=server.base_url) as client,
    ):
        yield server, client


async def test_retry_after_is_raised_enforced_and_honoured(
    flood_bot: tuple[FakeTelegramServer, Bot], clock: ManualClock
) -> None:
    telegram, bot = flood_bot
    alice = FakeUser(telegram, 1001, "Alice")
    telegram.inject(Fault.retry_after(3), method="sendMessage")

    with pytest.raises(RetryAfter) as first:
        await bot.send_message(alice.chat_id, "1")
    with pytest.raises(RetryAfter):  # retrying at once: still inside the flood window
        await bot.send_message(alice.chat_id, "2")
    await bot.get_me()  # other methods are not banned
    message, waits = await send_with_retry(
        lambda: bot.send_message(alice.chat_id, "3"), clock.advance
    )

    assert _seconds(first.value.retry_after) == 3
    assert waits == [3.0]
    assert message.text == "3"
    assert [m.text for m in alice.messages] == ["3"]
    statuses = [(c.status, c.fault) for c in telegram.calls_to("sendMessage")]
    assert statuses == [
        (429, FaultKind.RETRY_AFTER),
        (429, FaultKind.RETRY_AFTER),
        (429, FaultKind.RETRY_AFTER),
        (200, None),
    ]
    assert telegram.calls_to("sendMessage")[0].description == "Too Many Requests: retry after 3"


async def test_unenforced_retry_after_answers_exactly_n_times(
    flood_bot: tuple[FakeTelegramServer, Bot],
) -> None:
    telegram, bot = flood_bot
    alice = FakeUser(telegram, 1001, "Alice")
    telegram.inject(Fault.retry_after(30, enforced=False), times=2)

    for _ in range(2):
        with pytest.raises(RetryAfter):
            await bot.send_message(alice.chat_id, "x")
    await bot.send_message(alice.chat_id, "x")

    assert [c.status for c in telegram.calls] == [200, 429, 429, 200]  # getMe came first


@pytest.mark.parametrize(
    ("status", "expected"), [(500, "Internal Server Error"), (502, "Bad Gateway")]
)
async def test_server_errors_surface_as_network_errors(
    telegram: FakeTelegramServer, bot: Bot, status: int, expected: str
) -> None:
    alice = FakeUser(telegram, 1001, "Alice")
    telegram.inject(Fault.http_error(status, expected), method="sendMessage")

    with pytest.raises(NetworkError, match=expected):
        await bot.send_message(alice.chat_id, "x")
    await bot.send_message(alice.chat_id, "y")

    assert [m.text for m in alice.messages] == ["y"]


async def test_dropped_connection_is_a_network_error(
    telegram: FakeTelegramServer, bot: Bot
) -> None:
    alice = FakeUser(telegram, 1001, "Alice")
    telegram.inject(Fault.drop(), method="sendMessage")

    with pytest.raises(NetworkError) as caught:
        await bot.send_message(alice.chat_id, "x")

    assert not isinstance(caught.value, TimedOut)
    assert telegram.calls_to("sendMessage")[-1].status is None
    assert alice.messages == []


async def test_slow_answer_times_out_but_is_still_applied(
    telegram: FakeTelegramServer, bot: Bot
) -> None:
    alice = FakeUser(telegram, 1001, "Alice")
    telegram.inject(Fault.delay(0.3), method="sendMessage")

    with pytest.raises(TimedOut):
        await bot.send_message(alice.chat_id, "lent", read_timeout=0.05)
    applied = await alice.wait_for(lambda m: m.text == "lent", timeout=5)

    assert applied.message_id == 1  # like Telegram: the client gave up, the message exists


@pytest.mark.parametrize("mode", [OutageMode.REFUSE, OutageMode.DROP, OutageMode.BAD_GATEWAY])
async def test_outage_fails_every_call_until_switched_off(
    telegram: FakeTelegramServer, bot: Bot, mode: OutageMode
) -> None:
    port = telegram.port
    async with telegram.outage(mode):
        with pytest.raises(NetworkError):
            await bot.get_me()
        with pytest.raises(NetworkError):
            await bot.get_me()

    assert (await bot.get_me()).username == "marstek_test_bot"
    assert telegram.port == port
    expected_recorded = 0 if mode is OutageMode.REFUSE else 2
    assert sum(c.fault is mode for c in telegram.calls) == expected_recorded


async def test_wrong_token_and_unknown_method(telegram: FakeTelegramServer, bot: Bot) -> None:
    with pytest.raises(EndPointNotFound):
        await bot.do_api_request("frobnicate", api_kwargs={"x": 1})
    with pytest.raises(InvalidToken):
        async with Bot("42:wrong", base_url=telegram.base_url):
            pass

    assert [c.method for c in telegram.unknown_calls] == ["frobnicate"]
    assert telegram.calls[-1].status == 401


async def test_get_updates_offset_limit_and_long_poll(
    telegram: FakeTelegramServer, bot: Bot
) -> None:
    alice = FakeUser(telegram, 1001, "Alice")
    for text in ("a", "b", "c"):
        await alice.send_text(text)

    unconfirmed = await bot.get_updates(timeout=0)
    again = await bot.get_updates(timeout=0)
    first = await bot.get_updates(offset=unconfirmed[0].update_id, limit=1)
    rest = await bot.get_updates(offset=first[0].update_id + 1)
    empty = await bot.get_updates(offset=rest[-1].update_id + 1, timeout=timedelta(seconds=0.05))
    waiting = asyncio.create_task(bot.get_updates(offset=rest[-1].update_id + 1, timeout=30))
    await telegram.wait_until(lambda: telegram.waiting_polls == 1, what="the long poll")
    await alice.send_text("d")
    async with asyncio.timeout(5):  # woken by the new message, not by the 30 s timeout
        woken = await waiting

    assert [u.message.text for u in unconfirmed if u.message] == ["a", "b", "c"]
    assert [u.update_id for u in again] == [u.update_id for u in unconfirmed]
    assert [u.message.text for u in first if u.message] == ["a"]
    assert [u.message.text for u in rest if u.message] == ["b", "c"]
    assert empty == ()
    assert [u.message.text for u in woken if u.message] == ["d"]


async def test_allowed_updates_filters_and_a_second_poller_conflicts(
    telegram: FakeTelegramServer, bot: Bot
) -> None:
    alice = FakeUser(telegram, 1001, "Alice")
    await alice.send_text("ignored")
    await alice.press_forged("cb", message=await alice.send("/start"))

    callbacks = await bot.get_updates(allowed_updates=["callback_query"])
    offset = callbacks[-1].update_id + 1
    first_poll = asyncio.create_task(bot.get_updates(offset=offset, timeout=30))
    await telegram.wait_until(lambda: telegram.waiting_polls == 1, what="the first long poll")
    # a second bot instance (PTB gives each Bot a single getUpdates connection)
    async with Bot(telegram.token, base_url=telegram.base_url) as twin:
        second = await twin.get_updates(offset=offset, timeout=0)

    assert [u.callback_query.data for u in callbacks if u.callback_query] == ["cb"]
    assert second == ()
    with pytest.raises(Conflict):
        await first_poll


async def test_webhook_blocks_get_updates_until_deleted(
    telegram: FakeTelegramServer, bot: Bot
) -> None:
    await bot.set_webhook("https://example.invalid/hook")
    with pytest.raises(Conflict, match="webhook is active"):
        await bot.get_updates()
    await bot.delete_webhook()

    assert await bot.get_updates() == ()
    assert (await bot.get_webhook_info()).url == ""


async def test_bad_request_for_a_bad_offset_type(telegram: FakeTelegramServer, bot: Bot) -> None:
    with pytest.raises(BadRequest, match="offset"):
        await bot.do_api_request("getUpdates", api_kwargs={"offset": "abc"})
