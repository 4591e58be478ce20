"""Device identity and the firmware quirks that decide what may be sent."""

from __future__ import annotations

import pytest

from bot.marstek.device import (
    Model,
    capabilities_for,
    firmware_major,
    identify_model,
    parse_device_info,
)
from bot.marstek.errors import MarstekResponseError
from tests.marstek.payloads import E3_139_DEVICE, VENUS_A_DEVICE


@pytest.mark.parametrize(
    ("name", "model"),
    [
        ("VenusE 3.0", Model.VENUS_E3),
        ("VenusE", Model.VENUS_E2),
        ("VenusC", Model.VENUS_C),
        ("VenusA", Model.VENUS_A),
        ("Venus A", Model.VENUS_A),
        ("VenusD", Model.VENUS_D),
        ("VNSE3-0", Model.VENUS_E3),
        ("Jupiter", Model.UNKNOWN),
    ],
)
def test_model_names(name: str, model: Model) -> None:
    assert identify_model(name) is model


@pytest.mark.parametrize(("ver", "major"), [(139, 139), (155, 155), (1476, 147), (1500, 150)])
def test_four_digit_versions_are_dotted(ver: int, major: int) -> None:
    assert firmware_major(ver) == major


@pytest.mark.parametrize(
    ("model", "ver", "expected"),
    [
        # expected: (es_status, pack_status_safe, pack_scaling_bug, api_may_switch_off)
        (Model.VENUS_E3, 139, (False, False, True, False)),
        (Model.VENUS_E3, 147, (True, False, False, True)),
        (Model.VENUS_E3, 1476, (True, False, False, True)),
        (Model.VENUS_E3, 149, (True, False, False, False)),
        (Model.VENUS_E3, 150, (True, True, False, False)),
        (Model.VENUS_E2, 155, (True, False, False, False)),
        (Model.VENUS_E2, 156, (True, True, False, False)),
        (Model.VENUS_A, 1476, (True, False, False, True)),
        (Model.VENUS_D, 150, (True, True, False, False)),
        (Model.VENUS_C, 120, (True, True, False, False)),
        (Model.VENUS_E3, None, (True, False, False, False)),
        (Model.UNKNOWN, 200, (True, False, False, False)),
    ],
)
def test_capabilities_follow_the_documented_quirks(
    model: Model, ver: int | None, expected: tuple[bool, bool, bool, bool]
) -> None:
    caps = capabilities_for(model, ver)
    flags = (caps.es_status, caps.pack_status_safe, caps.pack_scaling_bug, caps.api_may_switch_off)
    assert flags == expected


@pytest.mark.parametrize(
    ("model", "limit"),
    [
        (Model.VENUS_E3, 2500),
        (Model.VENUS_C, 2500),
        (Model.VENUS_D, 2200),
        (Model.VENUS_A, 1500),
        (Model.UNKNOWN, 1500),
    ],
)
def test_power_limits(model: Model, limit: int) -> None:
    assert capabilities_for(model, 155).max_power_w == limit


def test_pv_inputs_only_on_a_and_d() -> None:
    assert [m for m in Model if capabilities_for(m, 155).pv_inputs] == [
        Model.VENUS_D,
        Model.VENUS_A,
    ]


def test_device_info_from_venus_a() -> None:
    info = parse_device_info(VENUS_A_DEVICE, "VenusA-acd9297a11b2")
    assert info.model is Model.VENUS_A
    assert info.firmware == 1476
    assert info.ip == "192.168.1.42"
    assert info.wifi_mac == "acd9297a11b3"
    assert info.capabilities.max_power_w == 1500


def test_ble_mac_comes_from_src_when_missing() -> None:
    result = {k: v for k, v in E3_139_DEVICE.items() if k != "ble_mac"}
    info = parse_device_info(result, "VenusE 3.0-0C587B17DF4F")
    assert info.ble_mac == "0c587b17df4f"
    assert info.capabilities.es_status is False


def test_device_without_any_mac_is_refused() -> None:
    with pytest.raises(MarstekResponseError):
        parse_device_info({"device": "VenusC", "ver": 120}, "VenusC")


def test_sparse_device_reply() -> None:
    info = parse_device_info({"ver": "148", "ip": 5}, "X-0c587b17df4f")
    assert (info.model, info.model_name, info.firmware, info.ip) == (
        Model.UNKNOWN,
        "unknown",
        148,
        None,
    )
