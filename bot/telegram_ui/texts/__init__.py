"""Text catalogues: one module per feature and language, merged here (keys must not collide).

A feature adds ``texts/<feature>.py`` defining ``FR`` and ``EN`` dicts with the same keys,
and one line in ``_MODULES``. Texts are Telegram HTML.
"""

from __future__ import annotations

from bot.telegram_ui.texts import (
    backup_ui,
    batteries_ui,
    charts_ui,
    core_en,
    core_fr,
    export_ui,
    plan_ui,
    savings_ui,
    schedules,
    settings_ui,
)


def _merge(parts: list[dict[str, str]]) -> dict[str, str]:
    merged: dict[str, str] = {}
    for part in parts:
        clash = merged.keys() & part.keys()
        if clash:
            raise KeyError(f"text keys defined twice: {sorted(clash)}")
        merged.update(part)
    return merged


# Feature modules register here: (FR dict, EN dict).
_MODULES: list[tuple[dict[str, str], dict[str, str]]] = [
    (core_fr.TEXTS, core_en.TEXTS),
    (schedules.FR, schedules.EN),
    (settings_ui.FR, settings_ui.EN),
    (charts_ui.FR, charts_ui.EN),
    (batteries_ui.FR, batteries_ui.EN),
    (export_ui.FR, export_ui.EN),
    (backup_ui.FR, backup_ui.EN),
    (plan_ui.FR, plan_ui.EN),
    (savings_ui.FR, savings_ui.EN),
]

FR: dict[str, str] = _merge([fr for fr, _ in _MODULES])
EN: dict[str, str] = _merge([en for _, en in _MODULES])
