"""Colour sources behind one interface, and a factory that builds them from plain settings."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from zoneinfo import ZoneInfo

import httpx

from bot.tempo.calendar import PARIS
from bot.tempo.sources.base import DEFAULT_TIMEOUT_S, SourceDay, TempoSource
from bot.tempo.sources.couleur_tempo import CouleurTempoSource
from bot.tempo.sources.rte import RteTempoSource
from bot.tempo.sources.rte_public import RtePublicSource

__all__ = [
    "CouleurTempoSource",
    "RtePublicSource",
    "RteTempoSource",
    "SourceDay",
    "SourceEndpoints",
    "TempoSource",
    "build_sources",
]

_LOGGER = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True, kw_only=True)
class SourceEndpoints:
    """Base URLs of the three sources (overridable for tests or self-hosted mirrors)."""

    api_couleur_tempo_url: str = CouleurTempoSource.DEFAULT_BASE_URL
    rte_url: str = RteTempoSource.DEFAULT_BASE_URL
    rte_public_url: str = RtePublicSource.DEFAULT_BASE_URL


def build_sources(
    names: Sequence[str],
    client: httpx.AsyncClient,
    *,
    rte_client_id: str | None = None,
    rte_client_secret: str | None = None,
    endpoints: SourceEndpoints | None = None,
    timeout_s: float = DEFAULT_TIMEOUT_S,
    tz: ZoneInfo = PARIS,
) -> list[TempoSource]:
    """Build the sources named in ``names``, in that order; skip ``rte`` without credentials."""
    urls = endpoints or SourceEndpoints()
    sources: list[TempoSource] = []
    for name in names:
        if name == "api-couleur-tempo":
            sources.append(
                CouleurTempoSource(
                    client, base_url=urls.api_couleur_tempo_url, timeout_s=timeout_s, tz=tz
                )
            )
        elif name == "rte":
            if not rte_client_id or not rte_client_secret:
                _LOGGER.warning("Tempo source 'rte' skipped: no RTE client id/secret configured")
                continue
            sources.append(
                RteTempoSource(
                    client,
                    client_id=rte_client_id,
                    client_secret=rte_client_secret,
                    base_url=urls.rte_url,
                    timeout_s=timeout_s,
                    tz=tz,
                )
            )
        elif name == "rte-public":
            sources.append(
                RtePublicSource(client, base_url=urls.rte_public_url, timeout_s=timeout_s)
            )
        else:
            raise ValueError(f"unknown Tempo source {name!r}")
    return sources
