"""The one exception tree of the battery library.

Everything the ``marstek`` package raises is a :class:`MarstekError`. Two branches:

* :class:`MarstekCommunicationError` — the network or the battery let us down (timeouts, error
  replies, rejected or unconfirmed writes). Callers must expect and handle these.
* :class:`MarstekUsageError` — the calling code asked for something invalid (a power beyond the
  model's limit, a reserved slot, a risky method). These are programming errors.

No bare ``TimeoutError``, ``OSError`` or ``JSONDecodeError`` escapes the package.
"""

from __future__ import annotations


class MarstekError(Exception):
    """Root of every error raised by the battery library."""


class MarstekCommunicationError(MarstekError):
    """The battery could not be reached or did not do what was asked; callers must handle it."""


class MarstekConnectionError(MarstekCommunicationError):
    """A local socket could not be opened or a host name could not be resolved."""


class MarstekTimeoutError(MarstekCommunicationError):
    """The battery sent no reply at all within the allowed time (after every try)."""


class MarstekResponseError(MarstekCommunicationError):
    """The battery replied with something that is not a usable Open API reply."""


class MarstekApiError(MarstekCommunicationError):
    """The battery answered with an ``error`` object."""

    def __init__(self, method: str, code: int, message: str, data: int | None = None) -> None:
        super().__init__(f"{method} failed with error {code}: {message}")
        self.method = method
        self.code = code
        self.message = message
        # Undocumented integer the firmware sometimes adds: kept for logs, never interpreted.
        self.data = data


class MethodNotAvailableError(MarstekApiError):
    """The method does not exist on this model or firmware (JSON-RPC code -32601)."""


class WriteRejectedError(MarstekCommunicationError):
    """The battery answered ``set_result: false`` to every try (it is usually busy)."""


class WriteNotConfirmedError(MarstekCommunicationError):
    """A mode change was sent but never read back from the battery."""


class TransportClosedError(MarstekError):
    """The transport was closed while a request was pending, or used after it was closed."""


class MarstekUsageError(MarstekError, ValueError):
    """The calling code passed an invalid argument (a programming error, not a device fault)."""


class UnsafeMethodError(MarstekUsageError):
    """The method is known to harm this model/firmware and was not explicitly allowed."""
