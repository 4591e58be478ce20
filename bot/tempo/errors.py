"""The Tempo layer's exception tree: every failure a caller must handle is a :class:`TempoError`.

Colour sources raise only :class:`TempoSourceError` subclasses (never a bare ``httpx`` error,
``TimeoutError`` or ``JSONDecodeError``); bad price or history files raise :class:`TempoDataError`.
A naive datetime passed to a calendar function is a programming error and raises ``ValueError``.
"""

from __future__ import annotations


class TempoError(Exception):
    """Root of every error the Tempo layer raises on purpose."""


class TempoDataError(TempoError):
    """A shipped or user-supplied data file (prices, history) cannot be used."""


class TempoSourceError(TempoError):
    """A colour source could not answer; ``source`` names it (e.g. ``"rte"``)."""

    def __init__(self, source: str, message: str) -> None:
        super().__init__(f"{source}: {message}")
        self.source = source


class SourceUnavailableError(TempoSourceError):
    """The source is down: connection refused, 5xx, maintenance (503)."""


class SourceTimeoutError(TempoSourceError):
    """The source did not answer within the client timeout."""


class SourceAuthError(TempoSourceError):
    """Credentials refused or missing (401 after one token refresh, 403)."""


class SourceRateLimitedError(TempoSourceError):
    """The source asks us to slow down (429, RTE's global limit 509)."""

    def __init__(self, source: str, message: str, *, retry_after_s: float | None = None) -> None:
        super().__init__(source, message)
        self.retry_after_s = retry_after_s


class SourceRequestError(TempoSourceError):
    """The source refused our request as malformed (400); a bug on our side or an API change."""


class SourceResponseError(TempoSourceError):
    """The answer is unusable: not JSON (or XML), missing fields, unknown colour, wrong date."""
