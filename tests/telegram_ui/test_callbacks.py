"""Callback data: round trips, the 64-byte limit, and forged or stale data rejected."""

from __future__ import annotations

import pytest

from bot.telegram_ui.callbacks import (
    MAX_BYTES,
    Action,
    Callback,
    CallbackDataError,
    encode,
    encode_confirm,
    parse,
)


def test_round_trip_of_every_kind() -> None:
    assert parse(encode(Action.STATUS_REFRESH)) == Callback(Action.STATUS_REFRESH)
    assert parse(encode(Action.PASSIVE_RUN, "*", -2500, 3600)) == Callback(
        Action.PASSIVE_RUN, ("*", "-2500", "3600")
    )
    confirm = parse(encode_confirm(Action.PASSIVE_RUN, 1_800_000_000, 3, 2500, 900))
    assert confirm == Callback(Action.PASSIVE_RUN, ("3", "2500", "900"), expires_at=1_800_000_000)
    assert confirm.int_arg(1) == 2500


def test_longest_real_button_fits() -> None:
    data = encode_confirm(Action.MANUAL_RUN, 9_999_999_999, "*", -2500, "2200-0600")
    assert len(data.encode()) <= MAX_BYTES


@pytest.mark.parametrize(
    "forged",
    [
        None,
        "",
        "v1",
        "v2|st",
        "v1|zz",
        "v1|mt",  # missing argument
        "v1|mt|1|2",  # one too many
        "v1|mt|1 OR 1=1",
        "v1|mt|☃",
        "v1|ok|pr|soon|1|2|3",  # expiry not a number
        "v1|ok|ok|123|x",  # confirmation of a confirmation
        "v1|ok|pr|123|1|2",  # wrong inner arity
        "v1|" + "x" * 80,
    ],
)
def test_forged_or_malformed_data_is_refused(forged: str | None) -> None:
    assert parse(forged) is None


def test_programming_errors_are_caught_when_building() -> None:
    with pytest.raises(CallbackDataError):
        encode(Action.MODE_TARGET)
    with pytest.raises(CallbackDataError):
        encode(Action.MODE_TARGET, "a|b")
    with pytest.raises(CallbackDataError):
        encode(Action.CONFIRM)
    with pytest.raises(CallbackDataError):
        encode(Action.MODE_TARGET, "x" * 70)
