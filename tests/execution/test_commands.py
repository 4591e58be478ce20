"""From plan actions to device commands: mapping, fail-safe countdowns, no duplicate sends."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.execution.commands import (
    MAX_COUNTDOWN,
    crossing_pauses,
    desired_command,
    direction,
    needs_sending,
)
from bot.marstek import AutoMode, Mode, PassiveMode, SentCommand, UpsMode
from bot.planning.model import Action, PlanInterval, ReasonCode, Source

NOW = datetime(2026, 1, 14, 21, 0, tzinfo=UTC)


def _interval(action: Action, hours: float = 8.0) -> PlanInterval:
    return PlanInterval(
        start=NOW,
        end=NOW + timedelta(hours=hours),
        action=action,
        reason=ReasonCode.PRECHARGE_RED,
        source=Source.STRATEGY,
    )


def test_forced_states_are_passive_with_at_most_one_hour_countdown() -> None:
    charge = desired_command(_interval(Action.charge(1234.4, 100)), NOW)
    assert charge.command == PassiveMode(power_w=-1234, duration_s=3600)
    assert charge.mode is Mode.PASSIVE
    hold = desired_command(_interval(Action.hold(), hours=0.25), NOW)
    assert hold.command == PassiveMode(power_w=0, duration_s=16 * 60)
    huge = desired_command(_interval(Action.discharge(9000)), NOW)
    assert isinstance(huge.command, PassiveMode)
    assert huge.command.power_w == 2500
    assert huge.command.duration_s <= MAX_COUNTDOWN.total_seconds()


def test_self_consumption_is_auto_until_the_reserve_then_a_hold() -> None:
    keep = _interval(Action.self_consumption(floor_soc_pct=60))
    assert desired_command(keep, NOW, soc_pct=80).command == AutoMode()
    held = desired_command(keep, NOW, soc_pct=60.5)
    assert held.command == PassiveMode(power_w=0, duration_s=int(MAX_COUNTDOWN.total_seconds()))
    assert desired_command(_interval(Action.device("UPS")), NOW).command == UpsMode()
    assert desired_command(_interval(Action.device("Manual")), NOW).command is None


def test_a_command_in_force_is_not_sent_again_until_its_countdown_runs_low() -> None:
    desired = desired_command(_interval(Action.charge(1000, 100)), NOW)
    assert isinstance(desired.command, PassiveMode)
    sent = SentCommand(command=desired.command, sent_at=NOW, confirmed=True)
    refresh = timedelta(minutes=7)
    assert not needs_sending(
        desired, last=sent, observed_mode=Mode.PASSIVE, now=NOW, refresh_before=refresh
    )
    later = NOW + timedelta(minutes=54)
    assert needs_sending(
        desired, last=sent, observed_mode=Mode.PASSIVE, now=later, refresh_before=refresh
    )
    # someone switched the battery to Auto behind the bot's back: corrected at once
    assert needs_sending(
        desired, last=sent, observed_mode=Mode.AUTO, now=NOW, refresh_before=refresh
    )
    # after a restart nothing is remembered: sent once
    assert needs_sending(
        desired, last=None, observed_mode=Mode.PASSIVE, now=NOW, refresh_before=refresh
    )
    auto = desired_command(_interval(Action.self_consumption()), NOW)
    assert not needs_sending(
        auto, last=None, observed_mode=Mode.AUTO, now=NOW, refresh_before=refresh
    )


@pytest.mark.parametrize(
    ("command", "expected"),
    [
        (PassiveMode(power_w=-500), -1),
        (PassiveMode(power_w=800), 1),
        (PassiveMode(power_w=0), 0),
        (AutoMode(), 1),
        (UpsMode(), -1),
        (None, 0),
    ],
)
def test_direction(command: object, expected: int) -> None:
    assert direction(command) == expected  # type: ignore[arg-type]


def test_a_slightly_different_setpoint_is_not_resent_but_a_real_change_is() -> None:
    sent_cmd = PassiveMode(power_w=-1200, duration_s=3600)
    sent = SentCommand(command=sent_cmd, sent_at=NOW, confirmed=True)
    refresh = timedelta(minutes=7)
    near = desired_command(_interval(Action.charge(1260, 100)), NOW)
    far = desired_command(_interval(Action.charge(2000, 100)), NOW)
    stop = desired_command(_interval(Action.hold()), NOW)
    kwargs = {"last": sent, "observed_mode": Mode.PASSIVE, "now": NOW, "refresh_before": refresh}
    assert not needs_sending(near, **kwargs)  # type: ignore[arg-type]
    assert needs_sending(far, **kwargs)  # type: ignore[arg-type]
    assert needs_sending(stop, **kwargs)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("current", "target", "paused"),
    [
        # 22:00: every battery goes from discharging to charging: all pause first.
        ({"a": 1, "b": 1, "c": 1}, {"a": -1, "b": -1, "c": -1}, ["a", "b", "c"]),
        # One idle battery starts charging while another still discharges: that one pauses.
        ({"a": 1, "b": 0}, {"a": -1, "b": -1}, ["a"]),
        # Discharging → idle, or idle → charging alone: no crossing, nothing to pause.
        ({"a": 1, "b": 1}, {"a": 0, "b": 0}, []),
        ({"a": 0, "b": 0}, {"a": -1, "b": -1}, []),
        # Nothing changes direction: nothing to pause.
        ({"a": 1, "b": 0}, {"a": 1, "b": 0}, []),
        # Already crossing (a unit set by hand): the one that changes stops first.
        ({"a": 1, "b": -1}, {"a": 1, "b": 0}, ["b"]),
        # 06:00: charging → discharging.
        ({"a": -1, "b": -1}, {"a": 1, "b": 1}, ["a", "b"]),
        # A battery with no plan later (unreachable) is left out of the pauses.
        ({"a": 1, "b": 1}, {"a": -1}, ["a"]),
    ],
)
def test_batteries_pause_before_directions_cross(
    current: dict[str, int], target: dict[str, int], paused: list[str]
) -> None:
    assert crossing_pauses(current, target) == paused
