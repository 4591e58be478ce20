"""Times, days, powers and windows as people type them; every refusal names its reason."""

from __future__ import annotations

import random
import string
from datetime import time

import pytest

from bot.telegram_ui.schedules.parsing import (
    ALL_DAYS,
    WEEKDAYS,
    WEEKEND,
    InputError,
    parse_days,
    parse_power,
    parse_time,
    parse_window,
    shown,
)

MON, TUE, WED, THU, FRI, SAT, SUN = (1 << day for day in range(7))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("22h30", time(22, 30)),
        ("22:30", time(22, 30)),
        ("22.30", time(22, 30)),
        ("22 h 30", time(22, 30)),
        ("7h", time(7)),
        ("7H", time(7)),
        ("07:05", time(7, 5)),
        ("7", time(7)),
        ("0h", time(0)),
        ("24h", time(0)),
        ("24:00", time(0)),
        ("minuit", time(0)),
        ("Midi", time(12)),
        ("noon", time(12)),
        ("  23h59 ", time(23, 59)),
        ("１２h", time(12)),  # full-width digits of an East Asian keyboard
    ],
)
def test_times(text: str, expected: time) -> None:
    assert parse_time(text) == expected


@pytest.mark.parametrize("text", ["22h70", "25h", "24h30", "12:60", "99:00"])
def test_impossible_times_say_so(text: str) -> None:
    with pytest.raises(InputError) as caught:
        parse_time(text)
    assert caught.value.key == "schedules.error.time"
    assert caught.value.params == {"text": text}


@pytest.mark.parametrize(
    "text", ["", "abc", "22h5", "22h300", "-3h", "٢٢h", "1e9", "22h30m", "<b>7h</b>", "🕙"]
)
def test_shapeless_times_are_refused(text: str) -> None:
    with pytest.raises(InputError) as caught:
        parse_time(text)
    assert caught.value.key == "schedules.error.time_shape"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("tous les jours", ALL_DAYS),
        ("Tous les jours", ALL_DAYS),
        ("every day", ALL_DAYS),
        ("lun-ven", WEEKDAYS),
        ("lun – ven", WEEKDAYS),
        ("du lundi au vendredi", WEEKDAYS),
        ("mon-fri", WEEKDAYS),
        ("en semaine", WEEKDAYS),
        ("week-end", WEEKEND),
        ("Week-End", WEEKEND),
        ("weekend", WEEKEND),
        ("sam, dim", WEEKEND),
        ("samedi et dimanche", WEEKEND),
        ("lun,mer,ven", MON | WED | FRI),
        ("lun mer ven", MON | WED | FRI),
        ("Mercredi", WED),
        ("les mardis", TUE),
        ("ven-lun", FRI | SAT | SUN | MON),
        ("jeudi;vendredi", THU | FRI),
        ("lun-mer, week-end", MON | TUE | WED | SAT | SUN),
        ("dim-dim", SUN),
    ],
)
def test_days(text: str, expected: int) -> None:
    assert parse_days(text) == expected


@pytest.mark.parametrize(
    ("text", "token"),
    [
        ("funday", "funday"),
        ("lun-xyz", "lun-xyz"),
        ("42", "42"),
        ("lun, mars", "mars"),
        ("понедельник", "понедельник"),
        ("🙂", "🙂"),
        (",,,", ",,,"),
    ],
)
def test_unknown_days_name_the_culprit(text: str, token: str) -> None:
    with pytest.raises(InputError) as caught:
        parse_days(text)
    assert caught.value.key == "schedules.error.days"
    assert caught.value.params["token"] == token


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1500", 1500),
        ("1500 W", 1500),
        ("1500w", 1500),
        ("1 500 W", 1500),
        ("1\u202f500 W", 1500),
        ("1,5 kW", 1500),
        ("1.5kw", 1500),
        ("2 kW", 2000),
        ("800 watts", 800),
        ("0,6", 1),
    ],
)
def test_powers(text: str, expected: int) -> None:
    assert parse_power(text) == expected


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("-500", "schedules.error.power_sign"),
        ("−500", "schedules.error.power_sign"),
        ("+500", "schedules.error.power_sign"),
        ("0", "schedules.error.power_zero"),
        ("0,4 W", "schedules.error.power_zero"),
        ("abc", "schedules.error.power_shape"),
        ("1e9", "schedules.error.power_shape"),
        ("٣٠٠٠", "schedules.error.power_shape"),
        ("1,5 MW", "schedules.error.power_shape"),
        ("99999999999", "schedules.error.power_shape"),
        ("<b>1</b>", "schedules.error.power_shape"),
    ],
)
def test_bad_powers(text: str, key: str) -> None:
    with pytest.raises(InputError) as caught:
        parse_power(text)
    assert caught.value.key == key


def test_huge_power_is_a_number_checked_later_against_the_limit() -> None:
    assert parse_power("999999999") == 999_999_999


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("22h-7h", (time(22), time(7))),
        ("22:00-07:00", (time(22), time(7))),
        ("22h30 – 6h", (time(22, 30), time(6))),
        ("de 22h à 7h", (time(22), time(7))),
        ("from 22:00 to 07:00", (time(22), time(7))),
    ],
)
def test_windows(text: str, expected: tuple[time, time]) -> None:
    assert parse_window(text) == expected


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("22h", "schedules.error.window_shape"),
        ("22h-", "schedules.error.window_shape"),
        ("22h-7h-8h", "schedules.error.window_shape"),
        ("25h-7h", "schedules.error.time"),
        ("22h-22h", "schedules.error.same_time"),
    ],
)
def test_bad_windows(text: str, key: str) -> None:
    with pytest.raises(InputError) as caught:
        parse_window(text)
    assert caught.value.key == key


def test_quoted_input_is_shortened_to_one_line() -> None:
    assert shown("  a\n b  ") == "a b"
    assert len(shown("x" * 500)) == 24


def test_random_text_never_breaks_a_parser() -> None:
    rng = random.Random(20260114)
    alphabet = string.printable + "éèàçœ–—−\u202f\u00a0你好🙂🔋٣апр<>&\"'"
    refusals: set[str] = set()
    for _ in range(3000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 40)))
        for parser in (parse_time, parse_days, parse_power, parse_window):
            try:
                parser(text)
            except InputError as err:  # anything else would fail the test
                refusals.add(err.key)
    assert refusals
    assert all(key.startswith("schedules.error.") for key in refusals)
