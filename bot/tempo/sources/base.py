"""What every colour source returns, the interface they share, and the one HTTP failure mapping.

Each source is an async client on an injected ``httpx.AsyncClient`` with an injectable base URL.
Every failure becomes a :class:`~bot.tempo.errors.TempoSourceError`; "not published yet" is not
a failure but a :class:`SourceDay` whose ``color`` is ``None``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Protocol

import httpx

from bot.tempo.errors import (
    SourceAuthError,
    SourceRateLimitedError,
    SourceRequestError,
    SourceResponseError,
    SourceTimeoutError,
    SourceUnavailableError,
)
from bot.tempo.model import TempoColor

DEFAULT_TIMEOUT_S = 10.0
_COLOR_WORDS = {
    "BLUE": TempoColor.BLUE,
    "BLEU": TempoColor.BLUE,
    "WHITE": TempoColor.WHITE,
    "BLANC": TempoColor.WHITE,
    "RED": TempoColor.RED,
    "ROUGE": TempoColor.RED,
}
_UNKNOWN_WORDS = frozenset({"", "UNKNOWN", "INCONNU", "NON_DEFINI", "UNDEFINED", "NONE"})


@dataclass(frozen=True, slots=True, kw_only=True)
class SourceDay:
    """One source's answer for one Tempo day: a colour or ``None`` (not known yet).

    ``final`` is ``False`` when the source itself flags the colour as not definitive (e.g. RTE's
    ``fallback``); the 10:40 provisional rule is applied by the service, not here.
    """

    day: date
    color: TempoColor | None
    final: bool


class TempoSource(Protocol):
    """A colour source: one day, or a range of days (for the season back-fill)."""

    @property
    def name(self) -> str:
        """Return the source's name in settings (``"api-couleur-tempo"``, ``"rte"``, …)."""
        ...

    async def fetch_day(self, day: date, *, now: datetime) -> SourceDay:
        """Return the colour of Tempo day ``day`` as the source knows it at ``now``."""
        ...

    async def fetch_range(self, first: date, last: date, *, now: datetime) -> list[SourceDay]:
        """Return what the source knows of ``[first, last]``, ascending (missing days omitted)."""
        ...


def parse_color_word(source: str, word: object) -> TempoColor | None:
    """Map ``BLUE``/``BLEU``/… to a colour, an "unknown" word to ``None``; refuse anything else."""
    if not isinstance(word, str):
        raise SourceResponseError(source, f"colour {word!r} is not a word")
    key = word.strip().upper()
    if key in _UNKNOWN_WORDS:
        return None
    if key not in _COLOR_WORDS:
        raise SourceResponseError(source, f"unknown colour word {word!r}")
    return _COLOR_WORDS[key]


def parse_day(source: str, text: object) -> date:
    """Parse ``YYYY-MM-DD`` (or an ISO datetime, keeping its own local date)."""
    if not isinstance(text, str):
        raise SourceResponseError(source, f"date {text!r} is not a string")
    try:
        if "T" in text:
            return datetime.fromisoformat(text).date()
        return date.fromisoformat(text)
    except ValueError as err:
        raise SourceResponseError(source, f"bad date {text!r}") from err


async def send(
    client: httpx.AsyncClient,
    source: str,
    method: str,
    url: str,
    *,
    timeout_s: float,
    **kwargs: Any,
) -> httpx.Response:
    """Send one request; map timeouts and transport failures to source errors."""
    try:
        return await client.request(method, url, timeout=timeout_s, **kwargs)
    except httpx.TimeoutException as err:
        raise SourceTimeoutError(source, f"no answer within {timeout_s:g} s") from err
    except httpx.HTTPError as err:
        raise SourceUnavailableError(source, f"{type(err).__name__}: {err}") from err


def _retry_after_s(response: httpx.Response) -> float | None:
    value = response.headers.get("Retry-After", "").strip()
    try:
        return float(value) if value else None
    except ValueError:
        return None


def _error_code(response: httpx.Response) -> str:
    try:
        payload = json.loads(response.content)
    except ValueError:
        return ""
    if isinstance(payload, dict):
        return " ".join(
            str(payload[key]) for key in ("error", "error_description") if key in payload
        )
    return ""


def check_status(source: str, response: httpx.Response) -> None:
    """Raise the source error matching a non-2xx status (400/401/403/429/5xx/509/…)."""
    status = response.status_code
    if 200 <= status < 300:
        return
    detail = f"HTTP {status} {_error_code(response)}".strip()
    if status == 400:
        raise SourceRequestError(source, detail)
    if status in (401, 403):
        raise SourceAuthError(source, detail)
    if status in (429, 509):
        raise SourceRateLimitedError(source, detail, retry_after_s=_retry_after_s(response))
    if status >= 500:
        raise SourceUnavailableError(source, detail)
    raise SourceResponseError(source, f"unexpected {detail}")


def parse_json(source: str, response: httpx.Response) -> object:
    """Return the decoded JSON body; XML/HTML or bad JSON raise :class:`SourceResponseError`."""
    content_type = response.headers.get("Content-Type", "").lower()
    if "xml" in content_type or response.content.lstrip().startswith(b"<"):
        raise SourceResponseError(source, f"XML/HTML instead of JSON ({content_type or 'no type'})")
    try:
        return json.loads(response.content)
    except ValueError as err:
        raise SourceResponseError(source, "malformed JSON") from err
