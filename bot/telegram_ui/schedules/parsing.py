"""Pure parsers for what people type: times ("22h30", "22:30", "7h"), days ("lun-ven",
"week-end", "tous les jours"), powers ("1500", "1,5 kW") and time windows ("22h-7h").

Every refusal raises :class:`InputError` with a text key and its parameters, so the message is
written in the reader's language by the caller; nothing here knows about Telegram.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import time
from typing import Any

ALL_DAYS = 0b111_1111
WEEKDAYS = 0b001_1111
WEEKEND = 0b110_0000
MAX_SHOWN = 24
MAX_POWER_DIGITS = 9


class InputError(ValueError):
    """A typed value was refused: ``key`` names the text explaining why, ``params`` fill it."""

    def __init__(self, key: str, **params: Any) -> None:
        super().__init__(key)
        self.key = key
        self.params = params


def shown(text: str) -> str:
    """What the user typed, trimmed and shortened for quoting back in a message."""
    one_line = " ".join(text.split())
    return one_line if len(one_line) <= MAX_SHOWN else one_line[: MAX_SHOWN - 1] + "…"


def _normalized(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    plain = re.sub(r"[\u2010-\u2015\u2212]", "-", plain)
    return " ".join(plain.split())


# --- times ----------------------------------------------------------------------------------

_TIME = re.compile(r"^([0-9]{1,2})\s*(?:(?:h|:|\.)\s*([0-9]{1,2})?)?$")
_NAMED_TIMES = {"minuit": time(0), "midnight": time(0), "midi": time(12), "noon": time(12)}


def parse_time(text: str) -> time:
    """A wall-clock time: ``22h30``, ``22:30``, ``22.30``, ``7h``, ``7``, ``24h`` (= 00:00)."""
    key = _normalized(text)
    if key in _NAMED_TIMES:
        return _NAMED_TIMES[key]
    match = _TIME.match(key)
    if match is None:
        raise InputError("schedules.error.time_shape", text=shown(text))
    hours = int(match.group(1))
    minutes_text = match.group(2)
    minutes = int(minutes_text) if minutes_text is not None else 0
    if minutes_text is not None and len(minutes_text) != 2:
        raise InputError("schedules.error.time_shape", text=shown(text))
    if minutes > 59 or hours > 24 or (hours == 24 and minutes):
        raise InputError("schedules.error.time", text=shown(text))
    return time(hours % 24, minutes)


def parse_window(text: str) -> tuple[time, time]:
    """Two times: ``22h-7h``, ``22:00-07:00``, ``22h à 7h``, ``de 22h à 7h``, ``22:00 to 07:00``."""
    key = _normalized(text)
    key = re.sub(r"^(de|from)\s+", "", key)
    parts = re.split(r"\s*(?:-|\s(?:a|to|jusqu'a)\s)\s*", key)
    if len(parts) != 2 or not all(parts):
        raise InputError("schedules.error.window_shape", text=shown(text))
    start, end = parse_time(parts[0]), parse_time(parts[1])
    if start == end:
        raise InputError("schedules.error.same_time")
    return start, end


# --- days -----------------------------------------------------------------------------------

_DAY_NAMES: dict[str, int] = {}
for _index, _names in enumerate(
    (
        ("lundi", "lun", "lu", "monday", "mon", "mo"),
        ("mardi", "mar", "ma", "tuesday", "tue", "tues", "tu"),
        ("mercredi", "mer", "me", "wednesday", "wed"),
        ("jeudi", "jeu", "je", "thursday", "thu", "thur", "thurs", "th"),
        ("vendredi", "ven", "ve", "friday", "fri", "fr"),
        ("samedi", "sam", "sa", "saturday", "sat"),
        ("dimanche", "dim", "di", "sunday", "sun", "su"),
    )
):
    for _name in _names:
        _DAY_NAMES[_name] = _index
        if len(_name) > 4:
            _DAY_NAMES[_name + "s"] = _index  # "les lundis", "mondays"

_PHRASES: dict[str, int] = {
    **dict.fromkeys(
        (
            "tous les jours",
            "tout les jours",
            "chaque jour",
            "toute la semaine",
            "tlj",
            "7/7",
            "7j/7",
            "tous",
            "every day",
            "everyday",
            "daily",
            "all",
            "all days",
            "all week",
        ),
        ALL_DAYS,
    ),
    **dict.fromkeys(
        (
            "semaine",
            "en semaine",
            "la semaine",
            "jours de semaine",
            "jours ouvres",
            "jours ouvrables",
            "weekdays",
            "week days",
            "workdays",
        ),
        WEEKDAYS,
    ),
    **dict.fromkeys(
        ("week-end", "weekend", "week end", "le week-end", "we", "weekends", "week-ends"),
        WEEKEND,
    ),
}


def _day_token(token: str, original: str) -> int:
    if token in _PHRASES:
        return _PHRASES[token]
    if token in _DAY_NAMES:
        return 1 << _DAY_NAMES[token]
    first, sep, last = token.partition("-")
    if sep and first in _DAY_NAMES and last in _DAY_NAMES:
        start, stop = _DAY_NAMES[first], _DAY_NAMES[last]
        span = (stop - start) % 7  # "ven-lun" runs over the week-end
        return sum(1 << ((start + step) % 7) for step in range(span + 1))
    raise InputError("schedules.error.days", text=shown(original), token=shown(token))


def parse_days(text: str) -> int:
    """A set of weekdays as a mask (bit 0 = Monday): ``lun-ven``, ``week-end``, ``lun,mer``…"""
    key = _normalized(text)
    key = re.sub(r"\s*-\s*", "-", key)
    if key in _PHRASES:
        return _PHRASES[key]
    key = re.sub(r"^(le|les|du|on|the)\s+", "", key)
    key = re.sub(r"\s+(et|and|&|\+)\s+", ",", key)
    key = re.sub(r"\s+(au|a|to)\s+", "-", key)  # "lundi au vendredi"
    key = re.sub(r"^(de|from)\s+", "", key)
    tokens = [tok for tok in re.split(r"[,;/\s]+", key) if tok]
    if not tokens:
        raise InputError("schedules.error.days", text=shown(text), token=shown(text))
    mask = 0
    for token in tokens:
        mask |= _day_token(token, text)
    return mask


# --- powers ---------------------------------------------------------------------------------

_POWER = re.compile(r"^([0-9]+)(?:[.,]([0-9]+))?\s*(w|watts?|kw|kilowatts?)?$")


def parse_power(text: str) -> int:
    """A power in whole watts: ``1500``, ``1500 W``, ``1 500 W``, ``1,5 kW``; must be > 0."""
    key = _normalized(text)
    key = re.sub(r"(?<=[0-9])[ \u00a0\u202f](?=[0-9]{3}\b)", "", key)
    if key.startswith(("-", "+")):
        raise InputError("schedules.error.power_sign", text=shown(text))
    match = _POWER.match(key)
    if match is None or len(match.group(1)) > MAX_POWER_DIGITS:
        raise InputError("schedules.error.power_shape", text=shown(text))
    whole, fraction, unit = match.groups()
    value = float(f"{whole}.{fraction or 0}")
    if unit is not None and unit.startswith("k"):
        value *= 1000
    watts = round(value)
    if watts <= 0:
        raise InputError("schedules.error.power_zero")
    return watts
