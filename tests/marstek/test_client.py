"""The per-battery client against a scripted unit on loopback, on virtual time."""

from __future__ import annotations

import itertools

import pytest

from bot.marstek.client import ClientOptions, MarstekClient
from bot.marstek.commands import Mode, PassiveMode
from bot.marstek.device import Model
from bot.marstek.errors import (
    MarstekApiError,
    MarstekTimeoutError,
    MarstekUsageError,
    MethodNotAvailableError,
    UnsafeMethodError,
    WriteRejectedError,
)
from bot.marstek.transport import MarstekTransport
from tests.marstek.conftest import START, FakeFactory
from tests.marstek.fake_battery import Driver, FakeBattery
from tests.marstek.payloads import E3_139_BAT_STATUS, E3_155_BAT_STATUS, VENUS_A_DEVICE


def gaps(fake: FakeBattery, method: str | None = None) -> list[float]:
    times = [r.at_s for r in fake.received if method is None or r.method == method]
    return [b - a for a, b in itertools.pairwise(times)]


async def test_get_device_remembers_identity(
    client: MarstekClient, fake: FakeBattery, driver: Driver
) -> None:
    before = client.device
    info = await driver.run(client.get_device())
    assert before is None
    assert info.model is Model.VENUS_E3
    assert info.ble_mac == fake.ble_mac
    assert client.device == info
    assert client.capabilities is not None
    assert client.capabilities.es_status is True
    assert fake.received[0].params == {"ble_mac": "0"}


async def test_energy_status_in_the_bot_sign_convention(
    client: MarstekClient, fake: FakeBattery, driver: Driver
) -> None:
    fake.state.ac_power_w = 1200
    fake.state.soc_pct = 77
    status = await driver.run(client.get_energy_status())
    assert (status.soc_pct, status.ac_power_w, status.battery_power_w) == (77, 1200, 1200)
    assert [r.method for r in fake.received] == ["ES.GetStatus"]


async def test_old_e3_firmware_reads_status_through_get_mode(
    client: MarstekClient, fake: FakeBattery, driver: Driver
) -> None:
    fake.device["ver"] = 139
    fake.drop_methods["ES.GetStatus"] = 99  # this firmware never answers it
    fake.state.mode = "Manual"
    await driver.run(client.get_device())
    status = await driver.run(client.get_energy_status())
    assert status.mode is Mode.MANUAL
    assert status.soc_pct == 50
    assert fake.methods("ES.GetStatus") == []


async def test_missing_es_status_falls_back_once_and_remembers(
    client: MarstekClient, fake: FakeBattery, driver: Driver
) -> None:
    fake.errors["ES.GetStatus"] = (-32601, "Method not found")
    first = await driver.run(client.get_energy_status())
    second = await driver.run(client.get_energy_status())
    assert first.mode is second.mode is Mode.AUTO
    assert len(fake.methods("ES.GetStatus")) == 1
    assert len(fake.methods("ES.GetMode")) == 2


async def test_silence_is_retried_at_the_battery_pace(
    client: MarstekClient, fake: FakeBattery, driver: Driver
) -> None:
    fake.drop_next = 2
    status = await driver.run(client.get_mode())
    assert status.mode is Mode.AUTO
    assert len(fake.received) == 3
    assert all(gap >= 5.0 for gap in gaps(fake))
    assert client.health.consecutive_failures == 0
    assert client.health.last_reply_at is not None


async def test_failures_are_counted_per_request_and_reset_by_any_reply(
    client: MarstekClient, fake: FakeBattery, driver: Driver
) -> None:
    fake.drop_next = 6
    for expected in (1, 2):
        with pytest.raises(MarstekTimeoutError, match="after 3 tries"):
            await driver.run(client.get_mode())
        assert client.health.consecutive_failures == expected
    assert len(fake.received) == 6
    assert client.health.last_failure_at is not None
    assert client.health.last_failure_at > START
    fake.errors["ES.GetMode"] = (-32603, "Internal error")
    with pytest.raises(MarstekApiError):
        await driver.run(client.get_mode())
    assert client.health.consecutive_failures == 0


async def test_error_replies_are_not_retried(
    client: MarstekClient, fake: FakeBattery, driver: Driver
) -> None:
    fake.errors["ES.SetMode"] = (-32602, "Invalid params")
    with pytest.raises(MarstekApiError) as caught:
        await driver.run(client.send_mode(PassiveMode(power_w=100)))
    assert caught.value.code == -32602
    assert caught.value.data == 7
    assert len(fake.received) == 1


async def test_a_lost_set_mode_is_never_resent_by_send_mode(
    client: MarstekClient, fake: FakeBattery, driver: Driver
) -> None:
    fake.drop_methods["ES.SetMode"] = 1
    with pytest.raises(MarstekTimeoutError):
        await driver.run(client.send_mode(PassiveMode(power_w=-800)))
    assert len(fake.methods("ES.SetMode")) == 1
    assert client.last_command is None


async def test_methods_missing_on_the_model(
    client: MarstekClient, fake: FakeBattery, driver: Driver
) -> None:
    with pytest.raises(MethodNotAvailableError):
        await driver.run(client.get_pv_status())
    fake.handlers["Wifi.GetStatus"] = lambda _: {"ssid": "home", "rssi": -61}
    wifi = await driver.run(client.get_wifi_status())
    assert wifi.rssi_dbm == -61
    fake.handlers["EM.GetStatus"] = lambda _: {"ct_state": 1, "total_power": 350}
    meter = await driver.run(client.get_meter_status())
    assert meter.total_power_w == 350


async def test_pack_status_is_refused_unless_firmware_is_known_safe(
    client: MarstekClient, fake: FakeBattery, driver: Driver
) -> None:
    fake.handlers["Bat.GetStatus"] = lambda _: dict(E3_155_BAT_STATUS)
    with pytest.raises(UnsafeMethodError):
        await driver.run(client.get_pack_status())  # identity unknown yet
    fake.device["ver"] = 147
    await driver.run(client.get_device())
    with pytest.raises(UnsafeMethodError, match="147"):
        await driver.run(client.get_pack_status())
    assert fake.methods("Bat.GetStatus") == []
    fake.device["ver"] = 155
    await driver.run(client.get_device())
    pack = await driver.run(client.get_pack_status())
    assert pack.temperature_c == 23.5


async def test_pack_status_on_old_firmware_when_explicitly_allowed(
    client: MarstekClient, fake: FakeBattery, driver: Driver
) -> None:
    fake.device["ver"] = 139
    fake.handlers["Bat.GetStatus"] = lambda _: dict(E3_139_BAT_STATUS)
    await driver.run(client.get_device())
    pack = await driver.run(client.get_pack_status(allow_risky=True))
    assert (pack.temperature_c, pack.remaining_wh, pack.corrected) == (23.5, 2560, True)


async def test_power_beyond_the_model_limit_is_refused_before_sending(
    client: MarstekClient, fake: FakeBattery, driver: Driver
) -> None:
    fake.device.update(VENUS_A_DEVICE)
    await driver.run(client.get_device())
    sent = len(fake.received)
    with pytest.raises(MarstekUsageError, match="1500"):
        await driver.run(client.send_mode(PassiveMode(power_w=-2000)))
    with pytest.raises(MarstekUsageError):
        await driver.run(client.apply_mode(PassiveMode(power_w=1501)))
    assert len(fake.received) == sent


async def test_settings_are_written_with_the_firmware_encoding(
    client: MarstekClient, fake: FakeBattery, driver: Driver
) -> None:
    for method in ("DOD.SET", "Led.Ctrl", "Ble.Adv"):
        fake.handlers[method] = lambda _: {"id": 0, "set_result": True}
    assert client.soc_floor_pct == 12
    await driver.run(client.set_depth_of_discharge(70))
    await driver.run(client.set_led(False))
    await driver.run(client.set_ble_advertising(True))
    assert [(r.method, r.params) for r in fake.received] == [
        ("DOD.SET", {"value": 70}),
        ("Led.Ctrl", {"state": 0}),
        ("Ble.Adv", {"enable": 0}),  # 0 means advertising ON
    ]
    settings = client.written_settings
    assert (settings.dod_pct, settings.led_on, settings.ble_advertising) == (70, False, True)
    assert client.soc_floor_pct == 30


@pytest.mark.parametrize("dod", [29, 89, 100])
async def test_depth_of_discharge_range(
    client: MarstekClient, fake: FakeBattery, driver: Driver, dod: int
) -> None:
    with pytest.raises(MarstekUsageError):
        await driver.run(client.set_depth_of_discharge(dod))
    assert fake.received == []


async def test_refused_setting_is_retried_with_back_off_then_reported(
    client: MarstekClient, fake: FakeBattery, driver: Driver
) -> None:
    answers = iter([False, False, True, False, False, False])
    fake.handlers["Led.Ctrl"] = lambda _: {"set_result": next(answers)}
    await driver.run(client.set_led(True))
    assert len(fake.received) == 3
    assert all(gap >= client.options.write_backoff_s for gap in gaps(fake))
    with pytest.raises(WriteRejectedError):
        await driver.run(client.set_led(True))
    assert len(fake.received) == 6
    assert client.written_settings.led_on is True  # the first write, the only one accepted


async def test_unanswered_setting_ends_in_a_timeout(
    client: MarstekClient, fake: FakeBattery, driver: Driver
) -> None:
    fake.drop_methods["DOD.SET"] = 99
    with pytest.raises(MarstekTimeoutError, match=r"DOD\.SET"):
        await driver.run(client.set_depth_of_discharge(50))
    assert len(fake.received) == client.options.write_tries
    assert client.written_settings.dod_pct is None


async def test_host_names_are_resolved(
    transport: MarstekTransport, make_fake: FakeFactory, driver: Driver
) -> None:
    local = await make_fake("127.0.0.1")
    client = MarstekClient(transport, "localhost", port=local.port, options=ClientOptions())
    status = await driver.run(client.get_mode())
    assert status.mode is Mode.AUTO
    assert client.name == "localhost"


def test_client_arguments_are_checked(transport: MarstekTransport) -> None:
    with pytest.raises(MarstekUsageError):
        MarstekClient(transport, "127.0.0.2", port=0)
    with pytest.raises(MarstekUsageError):
        ClientOptions(tries=0)
    with pytest.raises(MarstekUsageError):
        ClientOptions(verify_poll_s=-1)
