"""Inline-button callback data: encoded and parsed in one place, strictly validated.

Format: ``v1|<action>|<arg>|<arg>…`` (ASCII, ≤ 64 bytes, Telegram's limit). Anything that does
not parse exactly — an unknown action, a wrong argument count, a non-integer where an integer is
expected, another version — yields ``None``: a forged or stale button then does nothing.
Buttons that force a charge or discharge carry an expiry instant (Unix seconds) on their
"confirm" step so that an old confirmation cannot fire hours later.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

VERSION = "v1"
MAX_BYTES = 64
_SEP = "|"
_ARG = re.compile(r"^[A-Za-z0-9_.:*+-]{1,24}$")


class Action(StrEnum):
    """Every button action the bot understands, with its argument count below."""

    MENU = "m"
    STATUS = "st"
    STATUS_REFRESH = "sr"
    MODE_START = "mo"
    MODE_TARGET = "mt"  # target
    MODE_PICK = "mp"  # target, mode
    PASSIVE_POWER = "pp"  # target, power_w
    PASSIVE_RUN = "pr"  # target, power_w, duration_s
    MANUAL_POWER = "mw"  # target, power_w
    MANUAL_RUN = "mr"  # target, power_w, window
    CONFIRM = "ok"  # inner action code, expires_at, *inner args
    TEMPO = "tp"
    LANGUAGE = "lg"  # language
    CANCEL = "x"


_ARITY: dict[Action, int] = {
    Action.MENU: 0,
    Action.STATUS: 0,
    Action.STATUS_REFRESH: 0,
    Action.MODE_START: 0,
    Action.MODE_TARGET: 1,
    Action.MODE_PICK: 2,
    Action.PASSIVE_POWER: 2,
    Action.PASSIVE_RUN: 3,
    Action.MANUAL_POWER: 2,
    Action.MANUAL_RUN: 3,
    Action.TEMPO: 0,
    Action.LANGUAGE: 1,
    Action.CANCEL: 0,
}


class CallbackDataError(ValueError):
    """Raised when the bot itself tries to build invalid callback data (a programming error)."""


@dataclass(frozen=True, slots=True)
class Callback:
    """One parsed button press: an action and its string arguments."""

    action: Action
    args: tuple[str, ...] = ()
    expires_at: int | None = None

    def int_arg(self, index: int) -> int:
        """Return argument ``index`` as an int (parsing already guaranteed it is one)."""
        return int(self.args[index])


def encode(action: Action, *args: object) -> str:
    """Build callback data for ``action``; raises CallbackDataError if it cannot be valid."""
    if action is Action.CONFIRM:
        raise CallbackDataError("use encode_confirm for confirmation buttons")
    return _join([VERSION, action.value, *map(str, args)], action, len(args))


def encode_confirm(inner: Action, expires_at: int, *args: object) -> str:
    """Build the "tap again to confirm" button for ``inner`` that expires at ``expires_at``."""
    if inner is Action.CONFIRM:
        raise CallbackDataError("a confirmation cannot confirm a confirmation")
    parts = [VERSION, Action.CONFIRM.value, inner.value, str(expires_at), *map(str, args)]
    return _join(parts, inner, len(args))


def _join(parts: list[str], action: Action, arity: int) -> str:
    if _ARITY[action] != arity:
        raise CallbackDataError(f"{action.name} takes {_ARITY[action]} argument(s), got {arity}")
    if any(not _ARG.match(part) for part in parts[2:]):
        raise CallbackDataError(f"invalid callback argument in {parts!r}")
    data = _SEP.join(parts)
    if len(data.encode()) > MAX_BYTES:
        raise CallbackDataError(f"callback data too long: {data!r}")
    return data


def parse(data: str | None) -> Callback | None:
    """Parse callback data; ``None`` for anything that is not exactly what the bot sends."""
    if not data or len(data.encode("utf-8", "replace")) > MAX_BYTES:
        return None
    parts = data.split(_SEP)
    if len(parts) < 2 or parts[0] != VERSION:
        return None
    try:
        action = Action(parts[1])
    except ValueError:
        return None
    args = parts[2:]
    if any(not _ARG.match(arg) for arg in args):
        return None
    if action is Action.CONFIRM:
        return _parse_confirm(args)
    if len(args) != _ARITY[action]:
        return None
    return Callback(action, tuple(args))


def _parse_confirm(args: list[str]) -> Callback | None:
    if len(args) < 2 or not args[1].isdigit():
        return None
    try:
        inner = Action(args[0])
    except ValueError:
        return None
    if inner is Action.CONFIRM or len(args) - 2 != _ARITY[inner]:
        return None
    return Callback(inner, tuple(args[2:]), expires_at=int(args[1]))


_FEATURE_CODE = re.compile(r"^[a-z]{2,3}$")
_CORE_CODES = frozenset(a.value for a in Action)


def encode_feature(code: str, *args: object) -> str:
    """Callback data for a feature's button: ``v1|<code>|args…`` (≤ 64 bytes)."""
    if not _FEATURE_CODE.match(code) or code in _CORE_CODES:
        raise CallbackDataError(f"invalid feature code {code!r}")
    parts = [VERSION, code, *map(str, args)]
    if any(not _ARG.match(part) for part in parts[2:]):
        raise CallbackDataError(f"invalid callback argument in {parts!r}")
    data = _SEP.join(parts)
    if len(data.encode()) > MAX_BYTES:
        raise CallbackDataError(f"callback data too long: {data!r}")
    return data


def parse_feature(data: str | None) -> tuple[str, tuple[str, ...]] | None:
    """``(code, args)`` of a feature button, or None (the feature validates the args)."""
    if not data or len(data.encode("utf-8", "replace")) > MAX_BYTES:
        return None
    parts = data.split(_SEP)
    if len(parts) < 2 or parts[0] != VERSION or not _FEATURE_CODE.match(parts[1]):
        return None
    if parts[1] in _CORE_CODES:
        return None
    args = parts[2:]
    if any(not _ARG.match(arg) for arg in args):
        return None
    return parts[1], tuple(args)
