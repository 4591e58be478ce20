"""Settings in the chat: every editable preference covered, numbers and hours parsed within the
environment's own bounds, values written per language, Tempo sources reordered safely."""

from __future__ import annotations

import random
import string

import pytest

from bot.preferences import EDITABLE
from bot.settings import TEMPO_SOURCE_NAMES
from bot.telegram_ui.callbacks import MAX_BYTES
from bot.telegram_ui.i18n import CATALOGUES
from bot.telegram_ui.schedules.parsing import InputError
from bot.telegram_ui.settings_ui import views
from bot.telegram_ui.settings_ui.catalog import (
    BY_CODE,
    ITEMS,
    format_value,
    parse_number,
    parse_quiet_hours,
    reordered,
)

SOC = BY_CODE["soc"]
TEMP = BY_CODE["tmp"]


def test_every_editable_preference_has_a_code_a_label_and_a_help() -> None:
    assert {item.name for item in ITEMS} == set(EDITABLE)
    assert len(BY_CODE) == len(ITEMS)
    for item in ITEMS:
        for lang in ("fr", "en"):
            assert f"settings.label.{item.code}" in CATALOGUES[lang]
            assert f"settings.help.{item.code}" in CATALOGUES[lang]


def test_bounds_come_from_the_settings() -> None:
    assert (SOC.minimum, SOC.maximum) == (0.0, 100.0)
    assert (TEMP.minimum, TEMP.maximum) == (20.0, 80.0)
    assert (BY_CODE["kva"].minimum, BY_CODE["kva"].maximum) == (3.0, 36.0)


@pytest.mark.parametrize(
    ("text", "expected"),
    [("20", 20.0), ("20,5", 20.5), ("20.5 %", 20.5), ("0", 0.0), ("100%", 100.0), (" 7 ", 7.0)],
)
def test_numbers(text: str, expected: float) -> None:
    assert parse_number(SOC, text) == expected


@pytest.mark.parametrize("text", ["45°C", "45 °C", "45 c", "45,0"])
def test_temperatures_with_their_unit(text: str) -> None:
    assert parse_number(TEMP, text) == 45.0


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("150", "settings.error.range"),
        ("-5", "settings.error.range"),
        ("abc", "settings.error.number"),
        ("nan", "settings.error.number"),
        ("inf", "settings.error.number"),
        ("1e9", "settings.error.number"),
        ("٣٠", "settings.error.number"),
        ("20 kg", "settings.error.number"),
        ("1,2,3", "settings.error.number"),
        ("9999999", "settings.error.number"),
        ("<b>20</b>", "settings.error.number"),
    ],
)
def test_bad_numbers(text: str, key: str) -> None:
    with pytest.raises(InputError) as caught:
        parse_number(SOC, text)
    assert caught.value.key == key


def test_range_refusal_carries_the_bounds() -> None:
    with pytest.raises(InputError) as caught:
        parse_number(TEMP, "19,9")
    assert caught.value.params == {"text": "19,9", "minimum": 20.0, "maximum": 80.0}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("22h-7h", "22:00-07:00"),
        ("22:30-07:00", "22:30-07:00"),
        ("de 23h à 6h30", "23:00-06:30"),
        ("aucune", ""),
        ("Aucune", ""),
        ("none", ""),
        ("-", ""),
    ],
)
def test_quiet_hours(text: str, expected: str) -> None:
    assert parse_quiet_hours(text) == expected


def test_values_in_words() -> None:
    assert format_value(SOC, 20.5, "fr") == "20,5\u202f%"
    assert format_value(SOC, 20.0, "en") == "20%"
    assert format_value(TEMP, 45.0, "fr") == "45 °C"
    assert format_value(BY_CODE["kva"], 9.0, "en") == "9 kVA"
    assert format_value(BY_CODE["wr"], True, "fr") == "Oui"
    assert format_value(BY_CODE["lng"], "en", "fr") == "English"
    assert format_value(BY_CODE["qh"], "", "fr") == "aucune"
    assert format_value(BY_CODE["qh"], "22:00-07:00", "fr") == "22h00 → 07h00"
    sources = format_value(BY_CODE["src"], ["rte-public", "api-couleur-tempo"], "en")
    assert sources == "RTE (public site) → api-couleur-tempo.fr"


def test_sources_move_up_are_removed_and_added() -> None:
    api, rte, public = range(3)
    current = ["api-couleur-tempo", "rte-public"]
    assert reordered(current, "su", public) == ["rte-public", "api-couleur-tempo"]
    assert reordered(current, "sr", api) == ["rte-public"]
    assert reordered(current, "sa", rte) == [*current, "rte"]
    assert current == ["api-couleur-tempo", "rte-public"]  # never changed in place
    with pytest.raises(InputError, match="last_source"):
        reordered(["rte"], "sr", rte)
    for action, index in [("su", api), ("sa", api), ("sr", rte), ("su", 7), ("xx", api)]:
        with pytest.raises(InputError, match=r"settings\.stale"):
            reordered(current, action, index)
    assert len(TEMPO_SOURCE_NAMES) == 3


def test_every_settings_button_fits_telegram_limits() -> None:
    markups = [views.list_keyboard("fr")]
    for item in ITEMS:
        value = list(TEMPO_SOURCE_NAMES) if item.kind == "order" else "22:00-07:00"
        markups.append(views.item_keyboard(item, value, True, "fr"))
    for markup in markups:
        for row in markup.inline_keyboard:
            for button in row:
                assert len(str(button.callback_data).encode()) <= MAX_BYTES


def test_random_text_never_breaks_a_parser() -> None:
    rng = random.Random(7)
    alphabet = string.printable + "éà−\u202f你🙂٣<>&"
    refusals: set[str] = set()
    for _ in range(3000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 30)))
        for parse in (lambda x: parse_number(SOC, x), parse_quiet_hours):
            try:
                parse(text)
            except InputError as err:  # anything else would fail the test
                refusals.add(err.key)
    assert refusals
    assert all(key.startswith(("settings.error.", "schedules.error.")) for key in refusals)
