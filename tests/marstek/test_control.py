"""Verified mode changes: read back, re-send only after a refusal, silence or failed read-back."""

from __future__ import annotations

from datetime import time, timedelta
from typing import Any

import pytest

from bot.clock import ManualClock
from bot.marstek.client import ClientOptions, MarstekClient
from bot.marstek.commands import AutoMode, ManualSlot, Mode, PassiveMode, UpsMode
from bot.marstek.control import mode_matches, passive_power_applied
from bot.marstek.errors import WriteNotConfirmedError, WriteRejectedError
from bot.marstek.readings import ModeStatus
from bot.marstek.transport import MarstekTransport, TransportOptions
from tests.marstek.fake_battery import Driver, FakeBattery


def set_mode_times(fake: FakeBattery) -> list[float]:
    return [r.at_s for r in fake.methods("ES.SetMode")]


async def test_mode_change_is_confirmed_once_it_shows(
    client: MarstekClient, fake: FakeBattery, driver: Driver
) -> None:
    fake.state.mode = "Passive"
    fake.mode_lag_reads = 2  # the new mode shows only on the third read
    result = await driver.run(client.apply_mode(AutoMode()))
    assert result.sends == 1
    assert result.observed.mode is Mode.AUTO
    assert result.power_applied is None
    assert len(fake.methods("ES.GetMode")) == 3
    assert fake.methods("ES.SetMode")[0].params == {
        "id": 0,
        "config": {"mode": "Auto", "auto_cfg": {"enable": 1}},
    }
    assert client.last_command is not None
    assert client.last_command.confirmed is True
    assert client.last_command.expires_at is None


async def test_busy_refusals_are_retried_with_back_off(
    client: MarstekClient, fake: FakeBattery, driver: Driver
) -> None:
    fake.refuse_set_mode = 2
    result = await driver.run(client.apply_mode(AutoMode()))
    assert result.sends == 3
    first, second, third = set_mode_times(fake)
    assert second - first >= client.options.write_backoff_s
    assert third - second >= 2 * client.options.write_backoff_s


async def test_refused_every_time_is_reported_as_rejected(
    client: MarstekClient, fake: FakeBattery, driver: Driver
) -> None:
    fake.refuse_set_mode = 99
    with pytest.raises(WriteRejectedError):
        await driver.run(client.apply_mode(AutoMode()))
    assert len(fake.methods("ES.SetMode")) == client.options.write_tries
    assert fake.methods("ES.GetMode") == []
    assert client.last_command is None


async def test_lost_reply_is_checked_by_reading_back_not_by_sending_again(
    client: MarstekClient, fake: FakeBattery, driver: Driver
) -> None:
    fake.drop_methods["ES.SetMode"] = 1
    fake.apply_dropped_set_mode = True  # the command arrived, only its reply was lost
    result = await driver.run(client.apply_mode(PassiveMode(power_w=-1500, duration_s=1800)))
    assert len(fake.methods("ES.SetMode")) == 1
    assert result.power_applied is True
    assert client.last_command is not None
    assert client.last_command.expires_at == result.sent_at + timedelta(seconds=1800)


async def test_lost_command_is_sent_again_after_the_read_back_window(
    client: MarstekClient, fake: FakeBattery, driver: Driver
) -> None:
    fake.state.mode = "AI"
    fake.drop_methods["ES.SetMode"] = 1
    result = await driver.run(client.apply_mode(AutoMode()))
    assert result.sends == 2
    first, second = set_mode_times(fake)
    assert second - first >= client.options.verify_window_s


async def test_mode_that_never_shows_is_not_confirmed(
    client: MarstekClient, fake: FakeBattery, driver: Driver
) -> None:
    fake.state.mode = "Auto"
    fake.handlers["ES.SetMode"] = lambda _: {"id": 0, "set_result": True}  # acknowledged, ignored
    with pytest.raises(WriteNotConfirmedError, match="Auto"):
        await driver.run(client.apply_mode(PassiveMode(power_w=500)))
    assert len(fake.methods("ES.SetMode")) == client.options.write_tries
    assert client.last_command is not None
    assert client.last_command.confirmed is False


async def test_passive_acknowledged_but_not_applied_is_resent_ten_seconds_later(
    client: MarstekClient, fake: FakeBattery, driver: Driver
) -> None:
    fake.ignore_passive_sends = 1
    result = await driver.run(client.apply_mode(PassiveMode(power_w=1200)))
    assert result.sends == 2
    assert result.power_applied is True
    first, second = set_mode_times(fake)
    assert second - first >= client.options.passive_resend_after_s


async def test_passive_resend_waits_even_when_the_read_back_window_is_short(
    clock: ManualClock, fake: FakeBattery
) -> None:
    options = ClientOptions(verify_window_s=2.0, verify_poll_s=1.0)
    fast = TransportOptions(local_host="127.0.0.1", local_port=0, request_gap_s=1.0)
    async with MarstekTransport(clock=clock, options=fast) as transport:
        client = MarstekClient(transport, fake.ip, port=fake.port, options=options)
        fake.ignore_passive_sends = 1
        driver = Driver(clock=clock, transport=transport, fakes=[fake])
        result = await driver.run(client.apply_mode(PassiveMode(power_w=-900)))
    assert result.sends == 2
    first, second = set_mode_times(fake)
    assert second - first >= options.passive_resend_after_s


async def test_passive_power_never_applied_is_returned_not_hidden(
    client: MarstekClient, fake: FakeBattery, driver: Driver
) -> None:
    fake.ignore_passive_sends = 99
    result = await driver.run(client.apply_mode(PassiveMode(power_w=1200)))
    assert result.sends == client.options.write_tries
    assert result.observed.mode is Mode.PASSIVE
    assert result.power_applied is False


async def test_full_battery_cannot_prove_a_charge_setpoint(
    client: MarstekClient, fake: FakeBattery, driver: Driver
) -> None:
    fake.state.soc_pct = 100
    fake.ignore_passive_sends = 99
    result = await driver.run(client.apply_mode(PassiveMode(power_w=-2500)))
    assert result.sends == 1
    assert result.power_applied is None


async def test_ups_reading_back_as_manual_is_accepted(
    client: MarstekClient, fake: FakeBattery, driver: Driver
) -> None:
    def ups_shows_as_manual(_: dict[str, Any]) -> dict[str, Any]:
        fake.state.mode = "Manual"
        return {"id": 0, "set_result": True}

    fake.handlers["ES.SetMode"] = ups_shows_as_manual
    result = await driver.run(client.apply_mode(UpsMode()))
    assert result.observed.mode is Mode.MANUAL
    assert result.sends == 1


async def test_manual_slot_is_confirmed_by_the_mode_only(
    client: MarstekClient, fake: FakeBattery, driver: Driver
) -> None:
    slot = ManualSlot(slot=2, start=time(22), end=time(23, 59), power_w=-1000)
    result = await driver.run(client.apply_mode(slot))
    assert result.observed.mode is Mode.MANUAL
    assert fake.methods("ES.SetMode")[0].params["config"]["manual_cfg"]["time_num"] == 2


def status(ac_power_w: float | None, soc_pct: float | None = 50) -> ModeStatus:
    return ModeStatus(
        mode=Mode.PASSIVE,
        mode_raw="Passive",
        soc_pct=soc_pct,
        ac_power_w=ac_power_w,
        backup_power_w=0,
        meter=None,
    )


@pytest.mark.parametrize(
    ("power_w", "reading", "expected"),
    [
        (1000, status(990), True),
        (1000, status(499), False),
        (1000, status(-1000), False),
        (-1000, status(-600), True),
        (0, status(30), True),
        (0, status(300), False),
        (1000, status(None), None),
        (1000, status(0, soc_pct=12), None),
        (-1000, status(0, soc_pct=100), None),
        (-1000, status(0, soc_pct=12), False),
    ],
)
def test_passive_power_judgement(power_w: int, reading: ModeStatus, expected: bool | None) -> None:
    command = PassiveMode(power_w=power_w)
    assert passive_power_applied(command, reading, soc_floor_pct=12) is expected


def test_only_passive_power_is_judged() -> None:
    assert passive_power_applied(AutoMode(), status(0), soc_floor_pct=12) is None


def test_mode_matching() -> None:
    assert mode_matches(AutoMode(), Mode.AUTO)
    assert not mode_matches(AutoMode(), Mode.AI)
    assert not mode_matches(AutoMode(), None)
    assert mode_matches(UpsMode(), Mode.UPS)
    assert mode_matches(UpsMode(), Mode.MANUAL)
