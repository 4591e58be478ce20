"""api-couleur-tempo.fr: free, no authentication; the default colour source.

``/jourTempo/today`` and ``/jourTempo/tomorrow`` follow the server's Paris *calendar* date, not the
Tempo day, so the date in every answer is checked against the one asked for. ``codeJour`` 0 means
"not published yet" (an answer, not an error); a 404 on a single day means the same.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import httpx

from bot.tempo.calendar import PARIS, local_date
from bot.tempo.errors import SourceResponseError
from bot.tempo.model import TempoColor
from bot.tempo.seasons import Season
from bot.tempo.sources.base import (
    DEFAULT_TIMEOUT_S,
    SourceDay,
    check_status,
    parse_day,
    parse_json,
    send,
)

_CODES = {0: None, 1: TempoColor.BLUE, 2: TempoColor.WHITE, 3: TempoColor.RED}
HTTP_NOT_FOUND = 404


class CouleurTempoSource:
    """Client of api-couleur-tempo.fr (``/jourTempo/…`` and ``/joursTempo?periode=``)."""

    DEFAULT_BASE_URL = "https://www.api-couleur-tempo.fr/api"

    def __init__(
        self,
        client: httpx.AsyncClient,
        *,
        base_url: str = DEFAULT_BASE_URL,
        timeout_s: float = DEFAULT_TIMEOUT_S,
        tz: ZoneInfo = PARIS,
    ) -> None:
        self._client = client
        self._base_url = base_url.rstrip("/")
        self._timeout_s = timeout_s
        self._tz = tz

    @property
    def name(self) -> str:
        """Return ``"api-couleur-tempo"``."""
        return "api-couleur-tempo"

    async def fetch_day(self, day: date, *, now: datetime) -> SourceDay:
        """Return the colour of ``day`` (today/tomorrow endpoints when they match, else by date)."""
        today = local_date(now, self._tz)
        if day == today:
            path = "/jourTempo/today"
        elif day == today + timedelta(days=1):
            path = "/jourTempo/tomorrow"
        else:
            path = f"/jourTempo/{day.isoformat()}"
        response = await send(
            self._client, self.name, "GET", self._base_url + path, timeout_s=self._timeout_s
        )
        if response.status_code == HTTP_NOT_FOUND:
            return SourceDay(day=day, color=None, final=False)
        check_status(self.name, response)
        answer = self._parse_entry(parse_json(self.name, response))
        if answer.day != day:
            raise SourceResponseError(self.name, f"asked for {day}, got {answer.day}")
        return answer

    async def fetch_range(self, first: date, last: date, *, now: datetime) -> list[SourceDay]:
        """Return the days of ``[first, last]`` from the whole-season endpoint(s)."""
        found: dict[date, SourceDay] = {}
        season = Season.of(first)
        while season.first_day <= last:
            for answer in await self._season(season):
                if first <= answer.day <= last:
                    found[answer.day] = answer
            season = season.next()
        return [found[day] for day in sorted(found)]

    async def _season(self, season: Season) -> list[SourceDay]:
        response = await send(
            self._client,
            self.name,
            "GET",
            f"{self._base_url}/joursTempo",
            timeout_s=self._timeout_s,
            params={"periode": season.label},
        )
        check_status(self.name, response)
        payload = parse_json(self.name, response)
        if not isinstance(payload, list):
            raise SourceResponseError(self.name, "season answer is not a list")
        answers = [self._parse_entry(item) for item in payload]
        stray = [answer.day for answer in answers if not season.contains(answer.day)]
        if stray:
            raise SourceResponseError(self.name, f"season {season.label} holds {stray[0]}")
        return answers

    def _parse_entry(self, item: object) -> SourceDay:
        if not isinstance(item, dict):
            raise SourceResponseError(self.name, "day answer is not an object")
        if "dateJour" not in item or "codeJour" not in item:
            raise SourceResponseError(self.name, "day answer lacks dateJour or codeJour")
        code = item["codeJour"]
        if isinstance(code, bool) or not isinstance(code, int) or code not in _CODES:
            raise SourceResponseError(self.name, f"codeJour {code!r} is not 0–3")
        color = _CODES[code]
        return SourceDay(
            day=parse_day(self.name, item["dateJour"]), color=color, final=color is not None
        )
