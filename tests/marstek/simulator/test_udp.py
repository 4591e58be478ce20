"""Real UDP on loopback with a raw socket (not the client library): replies, discovery, faults."""

from __future__ import annotations

import asyncio
import json
import socket
from typing import Any

from bot.marstek.simulator import Simulator, find_free_udp_port
from tests.marstek.simulator.conftest import EXTRA_WINDOW_S, RawClient, wait_received

PASSIVE = {"id": 0, "config": {"mode": "Passive", "passive_cfg": {"power": -500, "cd_time": 60}}}


def decode(data: bytes) -> dict[str, Any]:
    """Decode one reply."""
    message: dict[str, Any] = json.loads(data)
    return message


async def test_request_gets_a_pretty_printed_reply_from_the_unit(
    sim: Simulator, raw: RawClient
) -> None:
    raw.send("127.0.0.3", "ES.GetStatus", {"id": 0}, request_id=4242)
    data, addr = await raw.receive()
    assert addr == ("127.0.0.3", sim.port)
    assert b"\n\t" in data
    reply = decode(data)
    assert reply["id"] == 4242
    assert reply["src"] == "VenusE 3.0-0c587b17df02"
    assert reply["result"]["bat_cap"] == 5120
    assert "jsonrpc" not in reply


async def test_broadcast_discovery_gets_one_reply_per_unit(sim: Simulator, raw: RawClient) -> None:
    raw.send("127.255.255.255", "Marstek.GetDevice", {"ble_mac": "0"}, request_id=0)
    replies = await raw.receive_n(3)
    by_host = {addr[0]: decode(data) for data, addr in replies}
    assert len(replies) == 3
    assert [request.via_broadcast for request in sim.units[0].recent_requests] == [True]
    assert sorted(by_host) == ["127.0.0.2", "127.0.0.3", "127.0.0.4"]
    for host, reply in by_host.items():
        assert reply["id"] == 0
        assert reply["result"]["ip"] == host
        assert reply["src"] == f"VenusE 3.0-{reply['result']['ble_mac']}"


async def test_discovery_for_one_mac_and_non_discovery_broadcasts(
    sim: Simulator, raw: RawClient
) -> None:
    raw.send("127.255.255.255", "Marstek.GetDevice", {"ble_mac": "0c587b17df03"}, request_id=0)
    raw.send("127.255.255.255", "ES.GetStatus", {"id": 0}, request_id=9)
    for unit in sim.units:
        await wait_received(unit, 2)
    replies = await raw.receive_all(EXTRA_WINDOW_S)
    assert [addr[0] for _, addr in replies] == ["127.0.0.4"]


async def test_protocol_errors(sim: Simulator, raw: RawClient) -> None:
    raw.send_raw("127.0.0.2", b"{not json")
    assert decode((await raw.receive())[0])["error"]["code"] == -32700
    raw.send_raw("127.0.0.2", b'{"id": 5, "params": {}}')
    assert decode((await raw.receive())[0]) | {"src": ""} == {
        "id": 5,
        "src": "",
        "error": {"code": -32600, "message": "Invalid Request"},
    }
    reply = await raw.call("127.0.0.2", "Nope.Method", {}, request_id=6)
    assert (reply["id"], reply["error"]["code"]) == (6, -32601)
    reply = await raw.call("127.0.0.2", "ES.GetMode", {"id": 0}, request_id=65536 + 7)
    assert reply["id"] == 7  # ids are 16-bit on the device


async def test_empty_datagram_is_ignored(sim: Simulator, raw: RawClient) -> None:
    unit = sim.unit("127.0.0.2")
    raw.send_raw("127.0.0.2", b"")
    await wait_received(unit, 1)
    assert await raw.receive_all(EXTRA_WINDOW_S) == []
    assert (await raw.call("127.0.0.2", "ES.GetMode", {"id": 0}))["result"]["mode"] == "Auto"


async def test_loss_duplicate_and_silence(sim: Simulator, raw: RawClient) -> None:
    unit = sim.unit("0C:58:7B:17:DF:01")
    unit.faults.loss_rate = 1.0
    raw.send("127.0.0.2", "ES.SetMode", PASSIVE)
    await wait_received(unit, 1)
    assert await raw.receive_all(EXTRA_WINDOW_S) == []
    assert unit.mode == "Auto"  # a lost request never reached the device
    assert (unit.requests_received, unit.writes_received) == (1, 1)
    unit.faults.loss_rate = 0.0
    unit.faults.duplicate_rate = 1.0
    raw.send("127.0.0.2", "ES.GetMode", {"id": 0}, request_id=11)
    replies = await raw.receive_n(2)
    assert [decode(data)["id"] for data, _ in replies] == [11, 11]
    unit.faults.duplicate_rate = 0.0
    unit.faults.silent = True
    raw.send("127.255.255.255", "Marstek.GetDevice", {"ble_mac": "0"}, request_id=0)
    raw.send("127.0.0.2", "ES.GetMode", {"id": 0})
    replies = await raw.receive_n(2)
    await wait_received(unit, 4)
    assert sorted(addr[0] for _, addr in replies) == ["127.0.0.3", "127.0.0.4"]


async def test_reject_writes_and_ack_without_apply_decrement(
    sim: Simulator, raw: RawClient
) -> None:
    unit = sim.unit("127.0.0.4")
    unit.faults.reject_writes = 2
    unit.faults.ack_without_apply = 1
    answers = []
    for request_id in (1, 2, 3, 4):
        reply = await raw.call("127.0.0.4", "ES.SetMode", PASSIVE, request_id=request_id)
        answers.append(reply["result"]["set_result"])
        if request_id == 3:
            assert unit.mode == "Auto"  # acknowledged, not applied
    assert answers == [False, False, True, True]
    assert (unit.faults.reject_writes, unit.faults.ack_without_apply) == (0, 0)
    assert unit.mode == "Passive"
    assert unit.writes_received == 4


async def test_late_reply_uses_the_event_loop(sim: Simulator, raw: RawClient) -> None:
    unit = sim.unit("127.0.0.2")
    unit.faults.late_rate = 1.0
    unit.faults.late_delay_s = 0.2
    raw.send("127.0.0.2", "ES.GetMode", {"id": 0}, request_id=21)
    assert await raw.receive_all(0.05) == []  # cannot be early: the delay is 0.2 s
    data, _ = await raw.receive()
    assert decode(data)["id"] == 21


async def test_latency_delays_replies(sim: Simulator, raw: RawClient) -> None:
    sim.unit("127.0.0.2").faults.latency_s = (0.15, 0.2)
    raw.send("127.0.0.2", "ES.GetMode", {"id": 0}, request_id=22)
    raw.send("127.0.0.3", "ES.GetMode", {"id": 0}, request_id=23)
    first, _ = await raw.receive()
    second, _ = await raw.receive()
    assert [decode(first)["id"], decode(second)["id"]] == [23, 22]


async def test_every_reply_fits_one_datagram(sim: Simulator, raw: RawClient) -> None:
    methods = ["Marstek.GetDevice", "ES.GetStatus", "ES.GetMode", "Bat.GetStatus",
               "EM.GetStatus", "Wifi.GetStatus", "BLE.GetStatus", "PV.GetStatus"]  # fmt: skip
    for request_id, method in enumerate(methods, start=1):
        raw.send("127.0.0.2", method, {"id": 0}, request_id=request_id)
        data, _ = await raw.receive()
        assert 100 < len(data) <= 1460, method


async def test_reply_to_api_port_quirk(sim: Simulator, raw: RawClient) -> None:
    unit = sim.unit("127.0.0.3")
    unit.faults.reply_to_api_port = True
    api_side = RawClient(sim.port, bind_port=sim.port)
    try:
        raw.send("127.0.0.3", "ES.GetMode", {"id": 0}, request_id=31)
        data, addr = await api_side.receive()
        assert (decode(data)["id"], addr[0]) == (31, "127.0.0.3")
        assert await raw.receive_all(EXTRA_WINDOW_S) == []
    finally:
        api_side.close()


async def test_seed_makes_loss_reproducible() -> None:
    answered: list[set[int]] = []
    for _ in range(2):
        async with Simulator(1, seed=99, broadcast_address=None) as sim:
            sim.units[0].faults.loss_rate = 0.5
            client = RawClient(sim.port)
            try:
                for request_id in range(1, 31):
                    client.send("127.0.0.2", "ES.GetMode", {"id": 0}, request_id=request_id)
                await wait_received(sim.units[0], 30)
                replies = await client.receive_all(EXTRA_WINDOW_S)
            finally:
                client.close()
            answered.append({decode(data)["id"] for data, _ in replies})
    assert answered[0] == answered[1]
    assert 0 < len(answered[0]) < 30


async def test_fleet_lookup_describe_and_restart() -> None:
    sim = Simulator(2, port=find_free_udp_port(["127.0.0.2", "127.0.0.3", "127.255.255.255"]))
    expected = f"VenusE 3.0 0c587b17df01 at 127.0.0.2:{sim.port} (venus_e3_v153, ver 153)"
    assert sim.describe()[0] == expected
    assert sim.unit("b4e62d3a5c02") is sim.units[1]
    await sim.start()
    await sim.stop()
    async with sim:  # the port is free again after stop
        probe = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        try:
            probe.bind(("127.0.0.2", sim.port))  # no SO_REUSEADDR: must fail while running
            bound = True
        except OSError:
            bound = False
        finally:
            probe.close()
        assert not bound
    await asyncio.sleep(0)
