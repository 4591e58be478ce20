"""ES.SetMode commands: exact wire configs, validation, overnight windows."""

from __future__ import annotations

from datetime import time

import pytest

from bot.marstek.commands import (
    EVERY_DAY,
    AiMode,
    AutoMode,
    ManualSlot,
    Mode,
    PassiveMode,
    UpsMode,
    split_overnight,
)
from bot.marstek.errors import MarstekUsageError


def test_simple_mode_configs() -> None:
    assert AutoMode().config() == {"mode": "Auto", "auto_cfg": {"enable": 1}}
    assert AiMode().config() == {"mode": "AI", "ai_cfg": {"enable": 1}}
    assert UpsMode().config() == {"mode": "UPS", "ups_cfg": {"enable": 1}}
    assert [c.mode for c in (AutoMode(), AiMode(), UpsMode())] == [Mode.AUTO, Mode.AI, Mode.UPS]


def test_passive_config_keeps_the_device_sign() -> None:
    command = PassiveMode(power_w=-1500, duration_s=900)
    assert command.config() == {"mode": "Passive", "passive_cfg": {"power": -1500, "cd_time": 900}}
    assert PassiveMode(power_w=800).duration_s == 3600


def test_documented_manual_slot_example() -> None:
    slot = ManualSlot(slot=0, start=time(22, 0), end=time(23, 59), power_w=-1500)
    assert slot.config() == {
        "mode": "Manual",
        "manual_cfg": {
            "time_num": 0,
            "start_time": "22:00",
            "end_time": "23:59",
            "week_set": 127,
            "power": -1500,
            "enable": 1,
        },
    }


def test_manual_slot_self_consumption_and_weekdays() -> None:
    slot = ManualSlot(
        slot=3,
        start=time(6, 5),
        end=time(7, 0),
        power_w=None,
        weekdays=frozenset({0, 6}),
        enabled=False,
    )
    cfg = slot.config()["manual_cfg"]
    assert (cfg["power"], cfg["week_set"], cfg["enable"], cfg["start_time"]) == (-1, 65, 0, "06:05")


@pytest.mark.parametrize(
    "build",
    [
        lambda: PassiveMode(power_w=2600),
        lambda: PassiveMode(power_w=-2501),
        lambda: PassiveMode(power_w=100, duration_s=3601),
        lambda: PassiveMode(power_w=100, duration_s=0),
        lambda: PassiveMode(power_w=1.5),  # type: ignore[arg-type]
        lambda: PassiveMode(power_w=True),
        lambda: ManualSlot(slot=9, start=time(1), end=time(2), power_w=0),
        lambda: ManualSlot(slot=10, start=time(1), end=time(2), power_w=0),
        lambda: ManualSlot(slot=-1, start=time(1), end=time(2), power_w=0),
        lambda: ManualSlot(slot=0, start=time(22), end=time(6), power_w=0),
        lambda: ManualSlot(slot=0, start=time(6), end=time(6), power_w=0),
        lambda: ManualSlot(slot=0, start=time(1, 0, 30), end=time(2), power_w=0),
        lambda: ManualSlot(slot=0, start=time(1), end=time(2), power_w=0, weekdays=frozenset()),
        lambda: ManualSlot(slot=0, start=time(1), end=time(2), power_w=0, weekdays=frozenset({7})),
        lambda: ManualSlot(slot=0, start=time(1), end=time(2), power_w=3000),
    ],
)
def test_invalid_commands_are_programming_errors(build: object) -> None:
    with pytest.raises(MarstekUsageError):
        build()  # type: ignore[operator]


def test_usage_errors_are_value_errors() -> None:
    with pytest.raises(ValueError, match="reserved"):
        ManualSlot(slot=9, start=time(1), end=time(2), power_w=0)


def test_window_within_a_day_is_one_piece() -> None:
    assert split_overnight(time(1), time(5)) == [(time(1), time(5), EVERY_DAY)]


def test_overnight_window_splits_and_shifts_the_morning_to_the_next_day() -> None:
    # Friday and Sunday nights: the morning halves run on Saturday and Monday.
    pieces = split_overnight(time(22), time(6), frozenset({4, 6}))
    assert pieces == [
        (time(22), time(23, 59), frozenset({4, 6})),
        (time(0), time(6), frozenset({5, 0})),
    ]
    for index, (start, end, days) in enumerate(pieces):
        ManualSlot(slot=index, start=start, end=end, power_w=-1000, weekdays=days)


def test_overnight_edges() -> None:
    assert split_overnight(time(23, 59), time(6)) == [(time(0), time(6), EVERY_DAY)]
    assert split_overnight(time(22), time(0)) == [(time(22), time(23, 59), EVERY_DAY)]
    with pytest.raises(MarstekUsageError):
        split_overnight(time(6), time(6))
