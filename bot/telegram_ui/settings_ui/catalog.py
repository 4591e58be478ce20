"""The household preferences as the chat shows them: short button codes, units, bounds, and
the pure parsers and formatters of their values.

Bounds come from the ``Settings`` field itself, so the chat refuses exactly what the
environment would refuse (``Preferences.set`` checks again before storing).
"""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass
from typing import Any

from annotated_types import Ge, Gt, Le, Lt

from bot.preferences import EDITABLE
from bot.settings import TEMPO_SOURCE_NAMES, Settings
from bot.telegram_ui import format as fmt
from bot.telegram_ui.i18n import Lang, t
from bot.telegram_ui.schedules.parsing import InputError, parse_window, shown

# Button codes stay short: callback data is limited to 64 bytes.
CODES: dict[str, str] = {
    "low_soc_alert_pct": "soc",
    "high_temperature_alert_c": "tmp",
    "quiet_hours": "qh",
    "language": "lng",
    "contract_power_kva": "kva",
    "precharge_target_soc_pct": "pre",
    "tempo_sources": "src",
    "treat_white_as_red": "wr",
    "precharge_when_unknown": "unk",
    "dry_run": "dry",
}
UNITS: dict[str, str] = {
    "low_soc_alert_pct": "%",
    "high_temperature_alert_c": "°C",
    "contract_power_kva": "kVA",
    "precharge_target_soc_pct": "%",
}
NO_QUIET_HOURS = frozenset({"aucune", "aucun", "non", "rien", "none", "no", "off", "0", "-"})
_NUMBER = re.compile(r"^(-?)([0-9]{1,6})(?:[.,]([0-9]{1,3}))?$")
_UNIT_SUFFIX = re.compile(r"\s*(%|°\s*c|°|degres|degrees|c|kva|kw)$")


@dataclass(frozen=True, slots=True, kw_only=True)
class SettingItem:
    """One preference in the chat."""

    code: str
    name: str
    kind: str
    choices: tuple[str, ...] = ()
    unit: str | None = None
    minimum: float | None = None
    maximum: float | None = None


def _bounds(name: str) -> tuple[float | None, float | None]:
    low: float | None = None
    high: float | None = None
    for rule in Settings.model_fields[name].metadata:
        if isinstance(rule, Ge | Gt):
            low = float(rule.ge if isinstance(rule, Ge) else rule.gt)  # type: ignore[arg-type]
        elif isinstance(rule, Le | Lt):
            high = float(rule.le if isinstance(rule, Le) else rule.lt)  # type: ignore[arg-type]
    return low, high


def _items() -> tuple[SettingItem, ...]:
    items: list[SettingItem] = []
    for name, spec in EDITABLE.items():
        code = CODES.get(name)
        if code is None:
            continue  # a preference added later shows up once it has a code and texts
        low, high = _bounds(name) if spec.kind == "float" else (None, None)
        items.append(
            SettingItem(
                code=code,
                name=name,
                kind=spec.kind,
                choices=spec.choices,
                unit=UNITS.get(name),
                minimum=low,
                maximum=high,
            )
        )
    return tuple(items)


ITEMS: tuple[SettingItem, ...] = _items()
BY_CODE: dict[str, SettingItem] = {item.code: item for item in ITEMS}


def _plain(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return " ".join("".join(c for c in decomposed if not unicodedata.combining(c)).split())


def parse_number(item: SettingItem, text: str) -> float:
    """A number typed for ``item`` (``12,5``, ``20 %``, ``45°C``), within its bounds."""
    key = _plain(text).replace("\u2212", "-")
    key = _UNIT_SUFFIX.sub("", key).replace(" ", "")
    match = _NUMBER.match(key)
    if match is None:
        raise InputError("settings.error.number", text=shown(text))
    sign, whole, fraction = match.groups()
    value = float(f"{sign}{whole}.{fraction or 0}")
    if not math.isfinite(value) or (
        (item.minimum is not None and value < item.minimum)
        or (item.maximum is not None and value > item.maximum)
    ):
        raise InputError(
            "settings.error.range", text=shown(text), minimum=item.minimum, maximum=item.maximum
        )
    return value


def parse_quiet_hours(text: str) -> str:
    """``22h-7h`` → ``"22:00-07:00"``; ``aucune`` → ``""`` (no quiet hours)."""
    if _plain(text) in NO_QUIET_HOURS:
        return ""
    start, end = parse_window(text)
    return f"{start:%H:%M}-{end:%H:%M}"


def format_number(value: float, unit: str | None, lang: Lang) -> str:
    """``15 %``, ``45 °C``, ``9 kVA`` (one decimal when needed)."""
    decimals = 0 if float(value).is_integer() else 1
    number = fmt.number(value, lang, decimals)
    if unit is None:
        return number
    if unit == "%":
        return f"{number}\u202f%" if lang == "fr" else f"{number}%"
    return f"{number} {unit}"


def source_label(name: str, lang: Lang) -> str:
    """A Tempo source's name for people."""
    return t(lang, f"settings.source.{name}") if name in TEMPO_SOURCE_NAMES else fmt.escape(name)


def format_value(item: SettingItem, value: Any, lang: Lang) -> str:
    """The value as the chat shows it."""
    if item.kind == "float":
        return format_number(float(value), item.unit, lang)
    if item.kind == "bool":
        return t(lang, "settings.yes" if value else "settings.no")
    if item.kind == "choice":
        return t(lang, f"settings.choice.{value}") if value in item.choices else fmt.escape(value)
    if item.kind == "order":
        return " → ".join(source_label(str(name), lang) for name in value)
    text = str(value or "")
    if not text:
        return t(lang, "settings.quiet.none")
    start, _, end = text.partition("-")
    window = parse_window(f"{start}-{end}")
    return " → ".join(fmt.clock_time_of(moment, lang) for moment in window)


def reordered(current: list[str], action: str, index: int) -> list[str]:
    """The source list after moving up (``su``), removing (``sr``) or adding (``sa``) one."""
    if not 0 <= index < len(TEMPO_SOURCE_NAMES):
        raise InputError("settings.stale")
    name = TEMPO_SOURCE_NAMES[index]
    sources = list(current)
    if action == "sa" and name not in sources:
        return [*sources, name]
    if action == "sr" and name in sources:
        if len(sources) == 1:
            raise InputError("settings.error.last_source")
        return [s for s in sources if s != name]
    if action == "su" and name in sources and sources.index(name) > 0:
        at = sources.index(name)
        sources[at - 1], sources[at] = sources[at], sources[at - 1]
        return sources
    raise InputError("settings.stale")
