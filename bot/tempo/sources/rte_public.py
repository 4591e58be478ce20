"""RTE's public web site JSON (no authentication): one season's colours per request.

``GET /cms/open_data/v1/tempo?season=2025-2026`` → ``{"values": {"2025-09-01": "BLUE", …}}``;
colour words may be English or French. Days absent from ``values`` are not published yet.
"""

from __future__ import annotations

from datetime import date, datetime

import httpx

from bot.tempo.errors import SourceResponseError
from bot.tempo.seasons import Season
from bot.tempo.sources.base import (
    DEFAULT_TIMEOUT_S,
    SourceDay,
    check_status,
    parse_color_word,
    parse_day,
    parse_json,
    send,
)


class RtePublicSource:
    """Client of ``services-rte.com``'s season JSON."""

    DEFAULT_BASE_URL = "https://www.services-rte.com"
    PATH = "/cms/open_data/v1/tempo"

    def __init__(
        self,
        client: httpx.AsyncClient,
        *,
        base_url: str = DEFAULT_BASE_URL,
        timeout_s: float = DEFAULT_TIMEOUT_S,
    ) -> None:
        self._client = client
        self._base_url = base_url.rstrip("/")
        self._timeout_s = timeout_s

    @property
    def name(self) -> str:
        """Return ``"rte-public"``."""
        return "rte-public"

    async def fetch_day(self, day: date, *, now: datetime) -> SourceDay:
        """Return the colour of ``day`` from its season's file (unknown if absent)."""
        del now  # the season file does not depend on the time of asking
        for answer in await self._season(Season.of(day)):
            if answer.day == day:
                return answer
        return SourceDay(day=day, color=None, final=False)

    async def fetch_range(self, first: date, last: date, *, now: datetime) -> list[SourceDay]:
        """Return the published days of ``[first, last]``, ascending."""
        del now
        found: list[SourceDay] = []
        season = Season.of(first)
        while season.first_day <= last:
            found.extend(a for a in await self._season(season) if first <= a.day <= last)
            season = season.next()
        return sorted(found, key=lambda answer: answer.day)

    async def _season(self, season: Season) -> list[SourceDay]:
        response = await send(
            self._client,
            self.name,
            "GET",
            self._base_url + self.PATH,
            timeout_s=self._timeout_s,
            params={"season": season.label},
        )
        check_status(self.name, response)
        payload = parse_json(self.name, response)
        values = payload.get("values") if isinstance(payload, dict) else None
        if not isinstance(values, dict):
            raise SourceResponseError(self.name, "answer lacks a values object")
        answers: list[SourceDay] = []
        for key, word in values.items():
            day = parse_day(self.name, key)
            if not season.contains(day):
                raise SourceResponseError(self.name, f"season {season.label} holds {day}")
            color = parse_color_word(self.name, word)
            answers.append(SourceDay(day=day, color=color, final=color is not None))
        return answers
