"""Texts in the reader's language: one catalogue per language, the same keys in each."""

from __future__ import annotations

import logging
from typing import Literal

from bot.telegram_ui.texts import EN, FR

Lang = Literal["fr", "en"]
LANGUAGES: tuple[Lang, ...] = ("fr", "en")
CATALOGUES: dict[Lang, dict[str, str]] = {"fr": FR, "en": EN}

_log = logging.getLogger(__name__)


def normalize_lang(code: str | None, default: Lang = "fr") -> Lang:
    """Map a Telegram ``language_code`` (``fr-FR``, ``en``, …) to a supported language."""
    if code:
        prefix = code.split("-")[0].lower()
        if prefix == "fr":
            return "fr"
        if prefix == "en":
            return "en"
    return default


def t(lang: Lang, key: str, **params: object) -> str:
    """Return the text ``key`` in ``lang`` with ``params`` filled in."""
    template = CATALOGUES[lang].get(key) or CATALOGUES["fr"].get(key)
    if template is None:
        _log.error("missing text %s", key)
        return key
    try:
        return template.format(**params)
    except (KeyError, IndexError, ValueError):
        _log.exception("bad parameters for text %s", key)
        return template
