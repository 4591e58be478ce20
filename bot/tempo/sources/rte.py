"""RTE "Tempo Like Supply Contract": the official API, OAuth2 client credentials.

The token is cached until its expiry minus a margin; a 401 on the calendar drops it, fetches a
new one and retries once. RTE gives days midnight → midnight with an offset; the local date of
``start_date`` is the Tempo day (its 06:00 shift is the calendar module's business). RTE refuses
``end_date`` beyond D+2 and windows over 366 days, so requests are clipped and split here.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import httpx

from bot.tempo.calendar import PARIS, local_date, require_aware
from bot.tempo.errors import SourceAuthError, SourceResponseError
from bot.tempo.sources.base import (
    DEFAULT_TIMEOUT_S,
    SourceDay,
    check_status,
    parse_color_word,
    parse_day,
    parse_json,
    send,
)

MAX_WINDOW_DAYS = 366
HTTP_UNAUTHORIZED = 401
DEFAULT_TOKEN_LIFETIME_S = 7200


@dataclass(frozen=True, slots=True, kw_only=True)
class _Token:
    value: str
    refresh_at: datetime


class RteTempoSource:
    """Client of RTE's ``tempo_like_calendars`` endpoint."""

    DEFAULT_BASE_URL = "https://digital.iservices.rte-france.com"
    TOKEN_PATH = "/token/oauth/"  # noqa: S105 (a URL path, not a secret)
    CALENDAR_PATH = "/open_api/tempo_like_supply_contract/v1/tempo_like_calendars"

    def __init__(
        self,
        client: httpx.AsyncClient,
        *,
        client_id: str,
        client_secret: str,
        base_url: str = DEFAULT_BASE_URL,
        timeout_s: float = DEFAULT_TIMEOUT_S,
        token_margin: timedelta = timedelta(minutes=5),
        tz: ZoneInfo = PARIS,
    ) -> None:
        if not client_id or not client_secret:
            raise ValueError("RTE source needs a client id and a client secret")
        self._client = client
        self._auth = httpx.BasicAuth(client_id, client_secret)
        self._base_url = base_url.rstrip("/")
        self._timeout_s = timeout_s
        self._margin = token_margin
        self._tz = tz
        self._token: _Token | None = None
        self._token_lock = asyncio.Lock()

    def __repr__(self) -> str:
        return f"RteTempoSource(base_url={self._base_url!r})"

    @property
    def name(self) -> str:
        """Return ``"rte"``."""
        return "rte"

    async def fetch_day(self, day: date, *, now: datetime) -> SourceDay:
        """Return the colour of ``day``; days after tomorrow are unknown without asking."""
        if day > local_date(now, self._tz) + timedelta(days=1):
            return SourceDay(day=day, color=None, final=False)
        for answer in await self._calendar(day, day, now):
            if answer.day == day:
                return answer
        return SourceDay(day=day, color=None, final=False)

    async def fetch_range(self, first: date, last: date, *, now: datetime) -> list[SourceDay]:
        """Return the published days of ``[first, last]`` (clipped to tomorrow), ascending."""
        last = min(last, local_date(now, self._tz) + timedelta(days=1))
        found: list[SourceDay] = []
        window_first = first
        while window_first <= last:
            window_last = min(last, window_first + timedelta(days=MAX_WINDOW_DAYS - 1))
            found.extend(await self._calendar(window_first, window_last, now))
            window_first = window_last + timedelta(days=1)
        return sorted(found, key=lambda answer: answer.day)

    async def _calendar(self, first: date, last: date, now: datetime) -> list[SourceDay]:
        params = {
            "start_date": self._midnight(first),
            "end_date": self._midnight(last + timedelta(days=1)),
        }
        url = self._base_url + self.CALENDAR_PATH
        response = await self._get(url, params, now, refresh=False)
        if response.status_code == HTTP_UNAUTHORIZED:
            response = await self._get(url, params, now, refresh=True)
            if response.status_code == HTTP_UNAUTHORIZED:
                raise SourceAuthError(self.name, "token refused twice (HTTP 401)")
        check_status(self.name, response)
        return self._parse_calendar(parse_json(self.name, response), first, last)

    async def _get(
        self, url: str, params: dict[str, str], now: datetime, *, refresh: bool
    ) -> httpx.Response:
        token = await self._access_token(now, refresh=refresh)
        headers = {"Authorization": f"Bearer {token}", "Accept": "application/json"}
        return await send(
            self._client,
            self.name,
            "GET",
            url,
            timeout_s=self._timeout_s,
            params=params,
            headers=headers,
        )

    def _midnight(self, day: date) -> str:
        return datetime.combine(day, time(0), tzinfo=self._tz).isoformat()

    async def _access_token(self, now: datetime, *, refresh: bool) -> str:
        now_utc = require_aware(now)
        async with self._token_lock:
            if refresh:
                self._token = None
            if self._token is None or now_utc >= self._token.refresh_at:
                self._token = await self._fetch_token(now_utc)
            return self._token.value

    async def _fetch_token(self, now: datetime) -> _Token:
        response = await send(
            self._client,
            self.name,
            "POST",
            self._base_url + self.TOKEN_PATH,
            timeout_s=self._timeout_s,
            auth=self._auth,
            data={"grant_type": "client_credentials"},
            headers={"Accept": "application/json"},
        )
        if response.status_code in (400, 401, 403):
            raise SourceAuthError(self.name, f"token request refused (HTTP {response.status_code})")
        check_status(self.name, response)
        payload = parse_json(self.name, response)
        if not isinstance(payload, dict) or not isinstance(payload.get("access_token"), str):
            raise SourceResponseError(self.name, "token answer lacks access_token")
        lifetime = payload.get("expires_in", DEFAULT_TOKEN_LIFETIME_S)
        if isinstance(lifetime, bool) or not isinstance(lifetime, int | float) or lifetime <= 0:
            raise SourceResponseError(self.name, f"bad expires_in {lifetime!r}")
        life = timedelta(seconds=float(lifetime))
        # Short-lived tokens still get used for half their life rather than never.
        usable = life - self._margin if life > 2 * self._margin else life / 2
        return _Token(value=payload["access_token"], refresh_at=now + usable)

    def _parse_calendar(self, payload: object, first: date, last: date) -> list[SourceDay]:
        calendars = payload.get("tempo_like_calendars") if isinstance(payload, dict) else None
        values = calendars.get("values") if isinstance(calendars, dict) else None
        if not isinstance(values, list):
            raise SourceResponseError(self.name, "answer lacks tempo_like_calendars.values")
        answers: list[SourceDay] = []
        for item in values:
            if not isinstance(item, dict) or "start_date" not in item:
                raise SourceResponseError(self.name, "calendar value lacks start_date")
            if "value" not in item:
                raise SourceResponseError(self.name, f"calendar value lacks value: {item!r}")
            day = parse_day(self.name, item["start_date"])
            if not first <= day <= last:
                raise SourceResponseError(self.name, f"asked for {first}…{last}, got {day}")
            color = parse_color_word(self.name, item["value"])
            final = color is not None and item.get("fallback") is not True
            answers.append(SourceDay(day=day, color=color, final=final))
        return sorted(answers, key=lambda answer: answer.day)
