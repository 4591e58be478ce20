"""The shared UDP transport: pacing per battery, (IP, id) matching, binding, closing."""

from __future__ import annotations

import asyncio
import itertools
import json
import socket

import pytest

from bot.clock import ManualClock
from bot.marstek.errors import MarstekConnectionError, MarstekTimeoutError, TransportClosedError
from bot.marstek.protocol import Reply
from bot.marstek.transport import MarstekTransport, TransportOptions
from tests.marstek.conftest import FakeFactory
from tests.marstek.fake_battery import Driver, FakeBattery

STATUS = {"id": 0}


async def test_round_trip_over_loopback(
    transport: MarstekTransport, fake: FakeBattery, driver: Driver
) -> None:
    reply = await driver.run(
        transport.exchange(fake.ip, fake.port, "ES.GetMode", STATUS, timeout_s=2.0)
    )
    assert reply.result is not None
    assert reply.result["mode"] == "Auto"
    assert reply.src == fake.src
    [request] = fake.received
    assert request.id == reply.id != 0
    assert request.params == STATUS


async def test_requests_to_one_battery_keep_the_gap(
    transport: MarstekTransport, fake: FakeBattery, driver: Driver
) -> None:
    for _ in range(3):
        await driver.run(transport.exchange(fake.ip, fake.port, "ES.GetMode", STATUS, timeout_s=2))
    times = [r.at_s for r in fake.received]
    assert [b - a >= 5.0 for a, b in itertools.pairwise(times)] == [True, True]
    assert len({r.id for r in fake.received}) == 3


async def test_one_request_in_flight_per_battery_but_batteries_in_parallel(
    transport: MarstekTransport, make_fake: FakeFactory, driver: Driver
) -> None:
    slow = await make_fake("127.0.0.2")
    other = await make_fake("127.0.0.3")
    slow.hold_replies = True  # the first request to `slow` gets no answer: it must time out

    async def both() -> list[Reply | BaseException]:
        gathered = await asyncio.gather(
            # A timeout longer than the gap: only the in-flight rule can hold the second back.
            transport.exchange(slow.ip, slow.port, "ES.GetMode", STATUS, timeout_s=8),
            transport.exchange(slow.ip, slow.port, "ES.GetStatus", STATUS, timeout_s=8),
            transport.exchange(other.ip, other.port, "ES.GetMode", STATUS, timeout_s=2),
            return_exceptions=True,
        )
        return list(gathered)

    results = await driver.run(both())
    assert isinstance(results[0], MarstekTimeoutError)
    assert isinstance(results[1], MarstekTimeoutError)
    assert not isinstance(results[2], BaseException)
    first, second = slow.received
    assert first.at_s == 0.0
    assert second.at_s >= 8.0  # not sent while the first was in flight
    assert other.received[0].at_s == 0.0


async def test_late_reply_is_dropped_and_never_answers_the_next_request(
    transport: MarstekTransport, fake: FakeBattery, driver: Driver
) -> None:
    fake.hold_replies = True
    with pytest.raises(MarstekTimeoutError):
        await driver.run(transport.exchange(fake.ip, fake.port, "ES.GetMode", STATUS, timeout_s=2))
    fake.hold_replies = False
    fake.state.mode = "Passive"
    late_id = fake.received[0].id

    async def next_request_with_late_reply_arriving() -> object:
        task = asyncio.ensure_future(
            transport.exchange(fake.ip, fake.port, "ES.GetStatus", STATUS, timeout_s=2)
        )
        await asyncio.sleep(0)
        fake.release_held()  # the old ES.GetMode reply, now late
        return await task

    reply = await driver.run(next_request_with_late_reply_arriving())
    assert reply.id != late_id  # type: ignore[attr-defined]
    assert "bat_cap" in reply.result  # type: ignore[attr-defined]


async def test_reply_from_another_ip_with_the_same_id_is_ignored(
    transport: MarstekTransport, make_fake: FakeFactory, driver: Driver
) -> None:
    target = await make_fake("127.0.0.2")
    stranger = await make_fake("127.0.0.3")
    target.hold_replies = True

    async def forge() -> None:
        task = asyncio.ensure_future(
            transport.exchange(target.ip, target.port, "ES.GetMode", STATUS, timeout_s=2)
        )
        for _ in range(200):
            await asyncio.sleep(0.001)
            if target.received:
                break
        request = target.received[0]
        forged = {"id": request.id, "src": stranger.src, "result": {"mode": "AI"}}
        stranger.send_raw(json.dumps(forged).encode(), request.source)
        stranger.send_raw(b"\x00garbage", request.source)
        await task

    with pytest.raises(MarstekTimeoutError):
        await driver.run(forge())


async def test_ids_wrap_within_16_bits_and_skip_zero(transport: MarstekTransport) -> None:
    transport._ids = itertools.count(65534)
    assert [transport._next_id("127.0.0.2") for _ in range(3)] == [65534, 65535, 1]


async def test_binding_the_api_port_reaches_firmware_that_answers_only_there(
    clock: ManualClock, fake: FakeBattery
) -> None:
    fake.reply_port = fake.port  # this firmware sends every reply to the API port
    options = TransportOptions(local_host="127.0.0.1", local_port=None, request_gap_s=5)
    async with MarstekTransport(clock=clock, options=options) as transport:
        driver = Driver(clock=clock, transport=transport, fakes=[fake])
        reply = await driver.run(
            transport.exchange(fake.ip, fake.port, "ES.GetMode", STATUS, timeout_s=2)
        )
        assert transport.local_address(fake.port) == ("127.0.0.1", fake.port)
    assert reply.result is not None


async def test_an_ephemeral_port_misses_such_firmware(
    transport: MarstekTransport, fake: FakeBattery, driver: Driver
) -> None:
    fake.reply_port = fake.port
    with pytest.raises(MarstekTimeoutError):
        await driver.run(transport.exchange(fake.ip, fake.port, "ES.GetMode", STATUS, timeout_s=2))


async def test_busy_api_port_falls_back_to_an_ephemeral_port(
    clock: ManualClock, fake: FakeBattery
) -> None:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as blocker:
        blocker.bind(("127.0.0.1", fake.port))
        options = TransportOptions(local_host="127.0.0.1", local_port=None)
        async with MarstekTransport(clock=clock, options=options) as transport:
            driver = Driver(clock=clock, transport=transport, fakes=[fake])
            await driver.run(
                transport.exchange(fake.ip, fake.port, "ES.GetMode", STATUS, timeout_s=2)
            )
            local = transport.local_address(fake.port)
            assert local is not None
            assert local[1] != fake.port
        fixed = TransportOptions(local_host="127.0.0.1", local_port=fake.port)
        async with MarstekTransport(clock=clock, options=fixed) as transport:
            with pytest.raises(MarstekConnectionError, match="cannot bind"):
                await transport.exchange(fake.ip, fake.port, "ES.GetMode", STATUS, timeout_s=2)


async def test_close_fails_pending_requests_and_refuses_new_ones(
    transport: MarstekTransport, fake: FakeBattery
) -> None:
    fake.hold_replies = True
    pending = asyncio.ensure_future(
        transport.exchange(fake.ip, fake.port, "ES.GetMode", STATUS, timeout_s=2)
    )
    for _ in range(200):
        await asyncio.sleep(0.001)
        if fake.received:
            break
    await transport.close()
    with pytest.raises(TransportClosedError):
        await pending
    with pytest.raises(TransportClosedError):
        await transport.exchange(fake.ip, fake.port, "ES.GetMode", STATUS, timeout_s=2)
    assert transport.local_address(fake.port) is None


async def test_a_lost_socket_is_reopened(
    transport: MarstekTransport, fake: FakeBattery, driver: Driver
) -> None:
    await driver.run(transport.exchange(fake.ip, fake.port, "ES.GetMode", STATUS, timeout_s=2))
    endpoint = transport._endpoints[0]
    assert endpoint.transport is not None
    endpoint.transport.abort()  # as if the OS had torn the socket down
    await asyncio.sleep(0)
    assert transport.local_address(fake.port) is None
    reply = await driver.run(
        transport.exchange(fake.ip, fake.port, "ES.GetMode", STATUS, timeout_s=2)
    )
    assert reply.result is not None
    assert transport.local_address(fake.port) is not None
