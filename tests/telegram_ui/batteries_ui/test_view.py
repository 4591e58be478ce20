"""The pure parts of /batteries: button references, name checks, remembered discoveries, list."""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from bot.marstek import DeviceInfo, DiscoveredDevice
from bot.marstek.device import Model
from bot.monitor.availability import Availability
from bot.monitor.manager import BatteryError, clean_name
from bot.monitor.snapshot import BatterySnapshot
from bot.telegram_ui.batteries_ui.view import (
    Found,
    Watch,
    battery_list,
    battery_ref,
    default_name,
    discovery_json,
    found_line,
    name_problem,
    pretty_mac,
    resolve_ref,
    stored_found,
    watched_as,
)

NOW = datetime(2026, 1, 14, 9, 0, tzinfo=UTC)
NAMES = ["Venus 1", "Venus 2", "Venus 3"]
DEVICE = DeviceInfo(
    ble_mac="0c587b17df01", model=Model.VENUS_E3, model_name="VenusE 3.0", firmware=153
)


def test_a_reference_names_one_battery_until_the_list_changes() -> None:
    index, crc = battery_ref(1, "Venus 2")
    assert resolve_ref(index, crc, NAMES) == "Venus 2"
    assert resolve_ref(index, crc, ["Venus 1", "Garage", "Venus 3"]) is None  # renamed
    assert resolve_ref(index, crc, ["Venus 1"]) is None  # removed
    assert resolve_ref(index, crc, ["Venus 2", "Venus 1"]) is None  # moved
    for bad_index, bad_crc in [
        ("-1", crc),
        ("1.0", crc),
        ("١", crc),
        ("1000", crc),
        (index, "XYZ"),
    ]:
        assert resolve_ref(bad_index, bad_crc, NAMES) is None


@pytest.mark.parametrize(
    ("typed", "problem"),
    [
        ("", "batteries.name_empty"),
        (" \t\n ", "batteries.name_empty"),
        ("\u2800", "batteries.name_empty"),
        ("\u3164 \u3164", "batteries.name_empty"),
        ("x" * 41, "batteries.name_too_long"),
        ("a\u200bb", "batteries.name_invisible"),
        ("a\x00b", "batteries.name_invisible"),
        ("/start", "batteries.name_command"),
        ("  Venus   1 ", "batteries.name_taken"),
        ("Garage", None),
        ("x" * 40, None),
        ("Батарея ☀️", None),
        ("<b>&amp;</b>", None),
    ],
)
def test_name_problems(typed: str, problem: str | None) -> None:
    assert name_problem(typed, NAMES) == problem


def test_keeping_its_own_name_is_not_a_clash() -> None:
    assert name_problem("Venus 2", NAMES, current="Venus 2") is None


def test_whatever_the_manager_refuses_the_chat_explains_first() -> None:
    rng = random.Random(20260114)
    pool = "aZé9 -_/.\t\n\u200b\x07\u2800\u3164🔋电Я<>&$\\\"'\u00a0\u202f"
    for _ in range(3000):
        typed = "".join(rng.choice(pool) for _ in range(rng.randint(0, 45)))
        try:
            clean_name(typed)
        except BatteryError:
            assert name_problem(typed, []) is not None, repr(typed)
        if name_problem(typed, []) is None:
            assert clean_name(typed) == " ".join(typed.split())


def test_default_name_is_the_first_free_venus() -> None:
    assert default_name([]) == "Venus 1"
    assert default_name(["Venus 1", "Venus 3"]) == "Venus 2"
    assert default_name(NAMES) == "Venus 4"


def test_a_discovery_is_remembered_for_an_hour() -> None:
    found = Found.of(DiscoveredDevice(info=DEVICE, addresses=("127.0.0.4",), port=30000))
    stored = discovery_json([found], NOW)
    assert stored_found(stored, found.mac, NOW + timedelta(minutes=59)) == found
    assert stored_found(stored, found.mac, NOW + timedelta(minutes=61)) is None
    assert stored_found(stored, found.mac, NOW - timedelta(minutes=1)) is None  # from the future
    assert stored_found(stored, "0c587b17df02", NOW) is None
    assert stored_found(stored, "0C587B17DF01", NOW) is None
    assert stored_found(None, found.mac, NOW) is None
    assert stored_found({"at": "yesterday"}, found.mac, NOW) is None
    assert stored_found({"at": NOW.isoformat(), "devices": "x"}, found.mac, NOW) is None
    naive = {"at": NOW.replace(tzinfo=None).isoformat(), "devices": stored["devices"]}
    assert stored_found(naive, found.mac, NOW) is None


@pytest.mark.parametrize(
    "value",
    [
        None,
        [],
        {"mac": "0c587b17df01", "host": "127.0.0.4", "port": "x", "model": "m"},
        {"mac": "0c587b17df01", "host": "127.0.0.4", "port": 0, "model": "m"},
        {"mac": "0c587b17df01", "host": "127.0.0.4", "port": 70000, "model": "m"},
        {"mac": "zz587b17df01", "host": "127.0.0.4", "port": 30000, "model": "m"},
        {"mac": "0c587b17df01", "port": 30000, "model": "m"},
        {"mac": "0c587b17df01", "host": "h", "port": 1, "model": "m", "firmware": "new"},
    ],
)
def test_malformed_remembered_answers_are_ignored(value: object) -> None:
    assert Found.from_json(value) is None


def _snapshot(name: str, **changes: object) -> BatterySnapshot:
    base = BatterySnapshot(
        name=name,
        host="127.0.0.2",
        port=30000,
        battery_id=1,
        device=DEVICE,
        status=None,
        status_at=None,
        mode=None,
        mode_at=None,
        meter=None,
        meter_at=None,
        temperature_c=None,
        availability=Availability.UNKNOWN,
        failures=0,
        unreachable_since=None,
        api_disabled_suspected=False,
        last_error=None,
    )
    return replace(base, **changes)  # type: ignore[arg-type]


def test_the_list_escapes_names_and_tells_each_state() -> None:
    text = battery_list(
        [
            _snapshot("<b>Cave</b>"),
            _snapshot("Garage", availability=Availability.UNREACHABLE, device=None),
        ],
        "fr",
    )
    assert "Batteries suivies</b> (2)" in text
    assert "1. <b>&lt;b&gt;Cave&lt;/b&gt;</b> — <code>127.0.0.2:30000</code>" in text
    assert "VenusE 3.0 · firmware 153 · ⏳ pas encore de mesure" in text
    assert "2. <b>Garage</b>" in text
    assert "? · ⚠️ injoignable" in text
    assert "No battery" in battery_list([], "en")


def test_pretty_mac() -> None:
    assert pretty_mac("0c587b17df01") == "0c:58:7b:17:df:01"


def test_an_answer_is_watched_by_its_address_or_else_by_its_mac() -> None:
    found = Found.of(DiscoveredDevice(info=DEVICE, addresses=("127.0.0.9",), port=30000))
    here = _snapshot("Cave", host="127.0.0.9")
    moved = _snapshot("Cave", host="127.0.0.2")
    other = _snapshot("Garage", host="127.0.0.3", device=replace(DEVICE, ble_mac="0c587b17df99"))
    assert watched_as(found, [other, here]) == Watch(
        name="Cave", address="127.0.0.9:30000", moved=False
    )
    watch = watched_as(found, [other, moved])
    assert watch == Watch(name="Cave", address="127.0.0.2:30000", moved=True)
    assert "retirez-la puis ajoutez-la" in found_line(found, watch, "fr")
    assert watched_as(found, [other]) is None
    assert "pas encore suivie" in found_line(found, None, "fr")
