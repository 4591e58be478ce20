"""Household preferences changeable from the chat, stored, effective at once.

The environment (``Settings``) gives the defaults; an admin's change is validated with the very
same rules as the setting, stored in the database (it survives restarts and wins over the
environment), and every listener hears about it so the change takes effect without a restart.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import time
from typing import Any

from pydantic import ValidationError

from bot.settings import Settings, SettingsError, describe_error, parse_quiet_hours
from bot.storage.settings_store import SettingsStore

_log = logging.getLogger(__name__)

__all__ = ["EDITABLE", "PreferenceError", "Preferences", "in_quiet_hours", "parse_quiet_hours"]

PREFIX = "pref:"


@dataclass(frozen=True, slots=True, kw_only=True)
class PreferenceSpec:
    """One preference the household may change from the chat."""

    name: str
    kind: str  # "float", "bool", "choice", "order", "hours"
    choices: tuple[str, ...] = ()


EDITABLE: dict[str, PreferenceSpec] = {
    spec.name: spec
    for spec in (
        PreferenceSpec(name="low_soc_alert_pct", kind="float"),
        PreferenceSpec(name="high_temperature_alert_c", kind="float"),
        PreferenceSpec(name="quiet_hours", kind="hours"),
        PreferenceSpec(name="language", kind="choice", choices=("fr", "en")),
        PreferenceSpec(name="contract_power_kva", kind="float"),
        PreferenceSpec(name="precharge_target_soc_pct", kind="float"),
        PreferenceSpec(
            name="tempo_sources", kind="order", choices=("api-couleur-tempo", "rte", "rte-public")
        ),
        PreferenceSpec(name="treat_white_as_red", kind="bool"),
        PreferenceSpec(name="precharge_when_unknown", kind="bool"),
        PreferenceSpec(name="dry_run", kind="bool"),
    )
}

Listener = Callable[[str, Any], Awaitable[None] | None]


class PreferenceError(ValueError):
    """A value was refused; the message is one French sentence naming the problem."""


def in_quiet_hours(moment: time, window: tuple[time, time] | None) -> bool:
    """Tell whether local time ``moment`` is in the quiet window (which may cross midnight)."""
    if window is None:
        return False
    start, end = window
    if start < end:
        return start <= moment < end
    return moment >= start or moment < end


class Preferences:
    """Effective values: stored overrides over the environment's settings."""

    def __init__(self, settings: Settings, store: SettingsStore) -> None:
        self._settings = settings
        self._store = store
        self._overrides: dict[str, Any] = {}
        self._effective = settings
        self._listeners: list[Listener] = []

    @property
    def current(self) -> Settings:
        """The settings with every stored preference applied."""
        return self._effective

    def add_listener(self, listener: Listener) -> None:
        """Call ``listener(name, value)`` after every change."""
        self._listeners.append(listener)

    async def load(self) -> None:
        """Read the stored preferences (a stored value that no longer validates is ignored)."""
        stored = await self._store.all()
        for key, entry in stored.items():
            name = key.removeprefix(PREFIX)
            if key.startswith(PREFIX) and name in EDITABLE:
                try:
                    self._effective = self._validated({**self._overrides, name: entry.value})
                    self._overrides[name] = entry.value
                except PreferenceError as err:
                    _log.warning("ignored the stored preference %s: %s", name, err)

    def overridden(self, name: str) -> bool:
        """Tell whether ``name`` was changed from the chat (else it is the environment's)."""
        return name in self._overrides

    def value(self, name: str) -> Any:
        """The effective value of ``name``."""
        return getattr(self._effective, name)

    async def set(self, name: str, value: Any, *, by: str | int) -> Any:
        """Validate, store and apply ``value``; on PreferenceError nothing changed."""
        if name not in EDITABLE:
            raise PreferenceError(f"« {name} » ne se règle pas depuis le chat.")
        effective = self._validated({**self._overrides, name: value})
        await self._store.set(PREFIX + name, _jsonable(value), by=by)
        self._overrides[name] = value
        self._effective = effective
        new_value = getattr(effective, name)
        _log.info("preference %s set to %r by %s", name, new_value, by)
        for listener in list(self._listeners):
            try:
                result = listener(name, new_value)
                if result is not None:
                    await result
            except Exception:
                _log.exception("a listener failed on the preference %s", name)
        return new_value

    async def reset(self, name: str, *, by: str | int) -> Any:
        """Back to the environment's value."""
        if name not in EDITABLE:
            raise PreferenceError(f"« {name} » ne se règle pas depuis le chat.")
        await self._store.delete(PREFIX + name)
        self._overrides.pop(name, None)
        self._effective = self._validated(self._overrides)
        value = getattr(self._effective, name)
        for listener in list(self._listeners):
            result = listener(name, value)
            if result is not None:
                await result
        del by
        return value

    def _validated(self, overrides: dict[str, Any]) -> Settings:
        data = self._settings.model_dump()
        data.update(overrides)
        try:
            return Settings.model_validate(data)
        except ValidationError as err:
            raise PreferenceError(describe_error(err, prefix_variable=False)) from None
        except SettingsError as err:
            raise PreferenceError(str(err)) from None


def _jsonable(value: Any) -> Any:
    if isinstance(value, tuple):
        return list(value)
    return value
