"""Real HTTP servers on 127.0.0.1 that play the three Tempo colour sources, with scripted failures.

Each server runs stdlib ``http.server`` in a thread (HTTP/1.0: one connection per request, so no
idle keep-alive thread outlives a test). Tests program them with:

- their data (``days``), and for api-couleur-tempo the server's own calendar ``today``;
- :meth:`FakeHttpServer.push` one-shot replies (served before the normal route, in order), or
  :attr:`FakeHttpServer.always` for a persistent one: any status, raw body (malformed JSON,
  XML), and ``delay_s`` for a response slower than the client timeout.

A delayed reply waits on an event that :meth:`FakeHttpServer.stop` sets, so stopping never hangs.
"""

from __future__ import annotations

import base64
import json
import threading
from collections import deque
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any, ClassVar, Self
from urllib.parse import parse_qs, urlsplit
from zoneinfo import ZoneInfo

PARIS = ZoneInfo("Europe/Paris")
CODES = {"BLUE": 1, "WHITE": 2, "RED": 3}
FRENCH = {"BLUE": "BLEU", "WHITE": "BLANC", "RED": "ROUGE"}


@dataclass(frozen=True, slots=True, kw_only=True)
class Reply:
    """One HTTP answer."""

    status: int = 200
    body: bytes = b""
    content_type: str = "application/json"
    delay_s: float = 0.0
    headers: tuple[tuple[str, str], ...] = ()

    @classmethod
    def json(cls, payload: object, *, status: int = 200, delay_s: float = 0.0) -> Reply:
        """Build a JSON reply."""
        return cls(status=status, body=json.dumps(payload).encode(), delay_s=delay_s)

    @classmethod
    def raw(cls, body: str, *, status: int = 200, content_type: str = "application/json") -> Reply:
        """Build a reply with an arbitrary body (malformed JSON, XML, HTML)."""
        return cls(status=status, body=body.encode(), content_type=content_type)

    @classmethod
    def slow(cls, delay_s: float) -> Reply:
        """Build a valid-looking reply that only comes after ``delay_s``."""
        return cls(body=b"{}", delay_s=delay_s)


@dataclass(frozen=True, slots=True, kw_only=True)
class RecordedRequest:
    """What a server received."""

    method: str
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]
    body: bytes


class _Server(ThreadingHTTPServer):
    daemon_threads = False
    block_on_close = True
    owner: FakeHttpServer


class _Handler(BaseHTTPRequestHandler):
    server: _Server

    def do_GET(self) -> None:
        self.server.owner.dispatch(self)

    def do_POST(self) -> None:
        self.server.owner.dispatch(self)

    def log_message(self, format: str, *args: Any) -> None:
        """Keep test output quiet."""


class FakeHttpServer:
    """Base fake: thread, request log, scripted replies; subclasses implement :meth:`route`."""

    prefix: ClassVar[str] = ""

    def __init__(self) -> None:
        self.requests: list[RecordedRequest] = []
        self.always: Reply | None = None
        self._script: deque[Reply] = deque()
        self._lock = threading.Lock()
        self._release = threading.Event()
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None

    @property
    def base_url(self) -> str:
        """Return the URL a client should use as its base URL."""
        assert self._server is not None, "server not started"
        return f"http://127.0.0.1:{self._server.server_address[1]}{self.prefix}"

    def push(self, *replies: Reply) -> None:
        """Serve ``replies`` (in order) to the next requests instead of the normal route."""
        with self._lock:
            self._script.extend(replies)

    def start(self) -> Self:
        """Listen on an ephemeral port of 127.0.0.1."""
        self._server = _Server(("127.0.0.1", 0), _Handler)
        self._server.owner = self
        # A short poll interval: shutdown() waits up to one interval (0.5 s by default).
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.01}, daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        """Release slow replies, stop serving and close every socket."""
        self._release.set()
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()

    def paths(self) -> list[str]:
        """Return the paths requested so far."""
        return [request.path for request in self.requests]

    def dispatch(self, handler: _Handler) -> None:
        """Record the request, pick a reply (script, always, route) and send it."""
        split = urlsplit(handler.path)
        length = int(handler.headers.get("Content-Length") or 0)
        request = RecordedRequest(
            method=handler.command,
            path=split.path,
            query=parse_qs(split.query),
            headers={key.lower(): value for key, value in handler.headers.items()},
            body=handler.rfile.read(length) if length else b"",
        )
        with self._lock:
            self.requests.append(request)
            scripted = self._script.popleft() if self._script else self.always
        reply = scripted or self._route_or_404(request)
        if reply.delay_s and self._release.wait(reply.delay_s):
            return
        try:
            handler.send_response(reply.status)
            handler.send_header("Content-Type", reply.content_type)
            handler.send_header("Content-Length", str(len(reply.body)))
            for name, value in reply.headers:
                handler.send_header(name, value)
            handler.end_headers()
            handler.wfile.write(reply.body)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up (its timeout); nothing to answer to

    def _route_or_404(self, request: RecordedRequest) -> Reply:
        path = request.path.removeprefix(self.prefix)
        return self.route(request, path) or Reply.json({"error": "not found"}, status=404)

    def route(self, request: RecordedRequest, path: str) -> Reply | None:
        """Answer a request the script did not; ``None`` means 404."""
        raise NotImplementedError


def season_label(day: date) -> str:
    """Return the Tempo season label of ``day``."""
    start = day.year if day.month >= 9 else day.year - 1
    return f"{start}-{start + 1}"


class CouleurTempoServer(FakeHttpServer):
    """api-couleur-tempo.fr: ``/api/jourTempo/{today|tomorrow|date}``, ``/api/joursTempo``."""

    prefix = "/api"

    def __init__(self, days: Mapping[date, str] | None = None, *, today: date) -> None:
        super().__init__()
        self.days: dict[date, str] = dict(days or {})
        self.today = today

    def entry(self, day: date) -> dict[str, object]:
        """Return the documented JSON object for ``day`` (codeJour 0 when unknown)."""
        code = CODES.get(self.days.get(day, ""), 0)
        labels = {0: "Inconnu", 1: "Bleu", 2: "Blanc", 3: "Rouge"}
        return {
            "dateJour": day.isoformat(),
            "codeJour": code,
            "periode": season_label(day),
            "libCouleur": labels[code],
        }

    def route(self, request: RecordedRequest, path: str) -> Reply | None:
        """Serve the documented endpoints."""
        if path == "/jourTempo/today":
            return Reply.json(self.entry(self.today))
        if path == "/jourTempo/tomorrow":
            return Reply.json(self.entry(self.today + timedelta(days=1)))
        if path.startswith("/jourTempo/"):
            day = date.fromisoformat(path.rsplit("/", 1)[1])
            return Reply.json(self.entry(day)) if day in self.days else None
        if path == "/joursTempo":
            label = request.query.get("periode", [""])[0]
            entries = [self.entry(day) for day in sorted(self.days) if season_label(day) == label]
            return Reply.json(entries)
        return None


@dataclass
class RteState:
    """RTE's OAuth and calendar state, exposed for assertions."""

    tokens: set[str] = field(default_factory=set)
    token_requests: int = 0


class RteServer(FakeHttpServer):
    """RTE OAuth2 token endpoint and ``tempo_like_calendars`` (newest first, midnight days)."""

    token_path = "/token/oauth/"
    calendar_path = "/open_api/tempo_like_supply_contract/v1/tempo_like_calendars"

    def __init__(
        self,
        days: Mapping[date, str] | None = None,
        *,
        client_id: str = "id-123",
        client_secret: str = "secret-456",  # noqa: S107 (a fake credential)
        token_lifetime_s: int = 7200,
    ) -> None:
        super().__init__()
        self.days: dict[date, str] = dict(days or {})
        self.fallback_days: set[date] = set()
        self.client_id = client_id
        self.client_secret = client_secret
        self.token_lifetime_s = token_lifetime_s
        self.state = RteState()

    def revoke_tokens(self) -> None:
        """Make every issued token invalid (as if it expired on RTE's side)."""
        with self._lock:
            self.state.tokens.clear()

    def route(self, request: RecordedRequest, path: str) -> Reply | None:
        """Serve the token and calendar endpoints."""
        if path == self.token_path and request.method == "POST":
            return self._token(request)
        if path == self.calendar_path and request.method == "GET":
            return self._calendar(request)
        return None

    def _token(self, request: RecordedRequest) -> Reply:
        expected = base64.b64encode(f"{self.client_id}:{self.client_secret}".encode()).decode()
        grant = parse_qs(request.body.decode()).get("grant_type", [""])[0]
        if request.headers.get("authorization") != f"Basic {expected}":
            return Reply.json({"error": "invalid_client"}, status=401)
        if grant != "client_credentials":
            return Reply.json({"error": "unsupported_grant_type"}, status=400)
        with self._lock:
            self.state.token_requests += 1
            token = f"token-{self.state.token_requests}"
            self.state.tokens.add(token)
        return Reply.json(
            {"access_token": token, "token_type": "Bearer", "expires_in": self.token_lifetime_s}
        )

    def _calendar(self, request: RecordedRequest) -> Reply:
        bearer = request.headers.get("authorization", "").removeprefix("Bearer ")
        with self._lock:
            valid = bearer in self.state.tokens
        if not valid:
            return Reply.json({"error": "invalid_token"}, status=401)
        start_text = request.query.get("start_date", [None])[0]
        end_text = request.query.get("end_date", [None])[0]
        if (start_text is None) != (end_text is None) or start_text is None or end_text is None:
            return _rte_error("TMPLIKSUPCON_TMPLIKCAL_F01", "start_date and end_date go together")
        try:
            start, end = datetime.fromisoformat(start_text), datetime.fromisoformat(end_text)
        except ValueError:
            return _rte_error("TMPLIKSUPCON_TMPLIKCAL_F02", "bad date format")
        if start.tzinfo is None or end.tzinfo is None:
            return _rte_error("TMPLIKSUPCON_TMPLIKCAL_F02", "dates need an offset")
        span = (end.date() - start.date()).days
        if not 1 <= span <= 366:
            return _rte_error("TMPLIKSUPCON_TMPLIKCAL_F04", "window must be 1 to 366 days")
        values = [
            self._value(day)
            for day in sorted(self.days, reverse=True)
            if start.date() <= day < end.date()
        ]
        return Reply.json(
            {
                "tempo_like_calendars": {
                    "start_date": start_text,
                    "end_date": end_text,
                    "values": values,
                }
            }
        )

    def _value(self, day: date) -> dict[str, object]:
        start = datetime.combine(day, time(0), tzinfo=PARIS)
        end = datetime.combine(day + timedelta(days=1), time(0), tzinfo=PARIS)
        updated = datetime.combine(day - timedelta(days=1), time(10, 20), tzinfo=PARIS)
        return {
            "start_date": start.isoformat(),
            "end_date": end.isoformat(),
            "value": self.days[day],
            "updated_date": updated.isoformat(),
            "fallback": day in self.fallback_days,
        }


def _rte_error(code: str, description: str) -> Reply:
    return Reply.json({"error": code, "error_description": description}, status=400)


class RtePublicServer(FakeHttpServer):
    """``services-rte.com``'s ``/cms/open_data/v1/tempo?season=YYYY-YYYY``."""

    def __init__(self, days: Mapping[date, str] | None = None, *, french: bool = False) -> None:
        super().__init__()
        self.days: dict[date, str] = dict(days or {})
        self.french = french

    def route(self, request: RecordedRequest, path: str) -> Reply | None:
        """Serve one season's colours."""
        if path != "/cms/open_data/v1/tempo":
            return None
        label = request.query.get("season", [""])[0]
        values = {
            day.isoformat(): FRENCH[color] if self.french else color
            for day, color in sorted(self.days.items())
            if season_label(day) == label
        }
        return Reply.json({"values": values})
