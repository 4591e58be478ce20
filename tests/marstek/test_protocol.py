"""Wire format: requests as the device expects them, replies as real firmware sends them."""

from __future__ import annotations

import json

import pytest

from bot.marstek.errors import MarstekApiError, MarstekResponseError, MethodNotAvailableError
from bot.marstek.protocol import (
    decode_reply,
    encode_request,
    mac_from_src,
    normalize_ipv4,
    normalize_mac,
)

# Real units often pretty-print, with tabs and newlines.
PRETTY_STATUS = (
    b'{\n\t"id":\t17,\n\t"src":\t"VenusE 3.0-0c587b17df4f",\n\t"result":\t{\n\t\t"id":\t0,'
    b'\n\t\t"bat_soc":\t31,\n\t\t"ongrid_power":\t-95\n\t}\n}'
)


def test_request_is_compact_json_without_jsonrpc_member() -> None:
    data = encode_request(17, "ES.GetStatus", {"id": 0})
    assert json.loads(data) == {"id": 17, "method": "ES.GetStatus", "params": {"id": 0}}
    assert b"jsonrpc" not in data
    assert b" " not in data


@pytest.mark.parametrize("bad_id", [-1, 65536])
def test_request_ids_are_16_bit(bad_id: int) -> None:
    with pytest.raises(ValueError, match="outside"):
        encode_request(bad_id, "ES.GetMode", {"id": 0})


def test_pretty_printed_reply_decodes() -> None:
    reply = decode_reply(PRETTY_STATUS)
    assert reply.id == 17
    assert reply.src == "VenusE 3.0-0c587b17df4f"
    assert reply.unwrap("ES.GetStatus") == {"id": 0, "bat_soc": 31, "ongrid_power": -95}


def test_error_reply_raises_api_error_with_its_data() -> None:
    reply = decode_reply(
        b'{"id":5,"src":"VenusC-aa","error":{"code":-32602,"message":"Invalid params","data":12}}'
    )
    with pytest.raises(MarstekApiError) as caught:
        reply.unwrap("ES.SetMode")
    assert (caught.value.code, caught.value.data) == (-32602, 12)
    assert not isinstance(caught.value, MethodNotAvailableError)


def test_method_not_found_is_its_own_error() -> None:
    reply = decode_reply(b'{"id":5,"error":{"code":-32601,"message":"Method not found"}}')
    with pytest.raises(MethodNotAvailableError):
        reply.unwrap("PV.GetStatus")


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"\xff\xfe",
        b"not json",
        b"[1,2]",
        b'{"src":"x","result":{}}',
        b'{"id":"7","result":{}}',
        b'{"id":true,"result":{}}',
        b'{"id":7}',
        b'{"id":7,"result":[1]}',
        b'{"id":7,"error":"boom"}',
        b'{"id":7,"error":{"message":"no code"}}',
    ],
)
def test_unusable_datagrams_raise_response_error(data: bytes) -> None:
    with pytest.raises(MarstekResponseError):
        decode_reply(data)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("192.168.1.50", "192.168.1.50"),
        ("10.01.05.02", "10.1.5.2"),
        (" 010.000.001.007 ", "10.0.1.7"),
        ("256.1.1.1", None),
        ("battery.local", None),
        ("1.2.3", None),
        ("", None),
    ],
)
def test_ip_strings_are_normalised(text: str, expected: str | None) -> None:
    assert normalize_ipv4(text) == expected


def test_mac_is_taken_from_src_when_the_result_lacks_it() -> None:
    assert mac_from_src("VenusE 3.0-0C587B17DF4F") == "0c587b17df4f"
    assert mac_from_src("Venus A-0c:58:7b:17:df:4f") == "0c587b17df4f"
    assert mac_from_src("VenusE") is None
    assert mac_from_src(None) is None
    assert normalize_mac("zz587b17df4f") is None
    assert normalize_mac(12) is None
