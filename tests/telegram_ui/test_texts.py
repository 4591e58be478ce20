"""Both catalogues have the same keys and the same placeholders; formatting per language."""

from __future__ import annotations

import string
from datetime import timedelta

import pytest

from bot.telegram_ui import format as fmt
from bot.telegram_ui.i18n import CATALOGUES, normalize_lang, t
from bot.tempo.model import TempoColor


def _fields(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def test_catalogues_have_the_same_keys_and_placeholders() -> None:
    fr, en = CATALOGUES["fr"], CATALOGUES["en"]
    assert set(fr) == set(en)
    for key in fr:
        assert _fields(fr[key]) == _fields(en[key]), key


@pytest.mark.parametrize(
    ("code", "expected"),
    [("fr", "fr"), ("fr-FR", "fr"), ("en-GB", "en"), ("de", "fr"), (None, "fr")],
)
def test_language_codes(code: str | None, expected: str) -> None:
    assert normalize_lang(code) == expected


def test_numbers_powers_and_money_per_language() -> None:
    assert fmt.power(-1234, "fr") == "−1,2 kW"
    assert fmt.power(-1234, "en") == "−1.2 kW"
    assert fmt.power(850, "fr") == "850 W"
    assert fmt.power(-0.2, "fr") == "0 W"
    assert fmt.power(None, "en") == "—"
    assert fmt.percent(57, "fr") == "57\u202f%"
    assert fmt.euros(0.706, "fr", 4) == "0,7060\u00a0€"
    assert fmt.euros(0.706, "en", 4) == "€0.7060"
    assert fmt.energy(12345, "fr") == "12,3 kWh"
    assert fmt.number(15360, "fr") == "15\u202f360"


def test_ages_and_colours() -> None:
    assert fmt.age(timedelta(seconds=12), "fr") == "il y a 12 s"
    assert fmt.age(timedelta(minutes=11), "en") == "11 min ago"
    assert fmt.age(timedelta(hours=5), "fr") == "il y a 5 h"
    assert fmt.color(TempoColor.RED, "fr") == "🔴 Rouge"
    assert fmt.color(None, "en") == "❔ unknown"


def test_missing_parameters_never_raise() -> None:
    assert t("fr", "status.none")
    assert "{name}" in t("fr", "start.welcome")  # template returned as is
    assert t("en", "no.such.key") == "no.such.key"
