"""Logging: human-readable lines by default, JSON lines when asked; secrets never written.

Lines about a battery carry ``extra={"battery": …, "action": …}``; both formats show them.
A filter masks any registered secret (the Telegram token appears in PTB's request URLs).
"""

from __future__ import annotations

import json
import logging
import sys
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any, Literal

_CONTEXT_FIELDS = ("battery", "action", "user", "job")
_MASK = "***"


class SecretMaskFilter(logging.Filter):
    """Replace every known secret in a record's message and arguments by ``***``."""

    def __init__(self, secrets: Iterable[str]) -> None:
        super().__init__()
        self._secrets = sorted({s for s in secrets if s and len(s) >= 6}, key=len, reverse=True)

    def mask(self, text: str) -> str:
        """Return ``text`` with every secret masked."""
        for secret in self._secrets:
            text = text.replace(secret, _MASK)
        return text

    def filter(self, record: logging.LogRecord) -> bool:
        """Mask the fully formatted message in place (always keeps the record)."""
        if not self._secrets:
            return True
        try:
            message = record.getMessage()
        except (TypeError, ValueError):
            return True
        record.msg = self.mask(message)
        record.args = None
        if record.exc_info and record.exc_info[1] is not None:
            record.exc_text = self.mask(logging.Formatter().formatException(record.exc_info))
            record.exc_info = None
        return True


def _context(record: logging.LogRecord) -> dict[str, Any]:
    return {key: getattr(record, key) for key in _CONTEXT_FIELDS if hasattr(record, key)}


class TextFormatter(logging.Formatter):
    """``2026-01-15 10:40:02 INFO bot.monitor [battery=salon action=poll] message``."""

    def __init__(self) -> None:
        super().__init__("%(asctime)s %(levelname)s %(name)s %(context)s%(message)s")

    def format(self, record: logging.LogRecord) -> str:
        """Render one line with the battery/action context in brackets."""
        context = _context(record)
        record.context = (
            "[" + " ".join(f"{k}={v}" for k, v in context.items()) + "] " if context else ""
        )
        return super().format(record)


class JsonFormatter(logging.Formatter):
    """One JSON object per line, with the context fields as top-level keys."""

    def format(self, record: logging.LogRecord) -> str:
        """Render the record as a JSON line."""
        payload: dict[str, Any] = {
            "ts": datetime.fromtimestamp(record.created, UTC).isoformat(),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            **{k: str(v) for k, v in _context(record).items()},
        }
        if record.exc_info:
            payload["exc"] = self.formatException(record.exc_info)
        elif record.exc_text:
            payload["exc"] = record.exc_text
        return json.dumps(payload, ensure_ascii=False)


def configure_logging(
    *,
    level: str = "INFO",
    fmt: Literal["text", "json"] = "text",
    secrets: Iterable[str] = (),
    stream: Any = None,
) -> logging.Handler:
    """Install one root handler (replacing earlier ones) and return it."""
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.setFormatter(JsonFormatter() if fmt == "json" else TextFormatter())
    handler.addFilter(SecretMaskFilter(secrets))
    root = logging.getLogger()
    for old in list(root.handlers):
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(level)
    # httpx logs every request URL at INFO, and PTB's URLs embed the token.
    logging.getLogger("httpx").setLevel(logging.WARNING)
    logging.getLogger("apscheduler").setLevel(logging.WARNING)
    return handler
