"""A fake Telegram Bot API server on 127.0.0.1 for end-to-end tests of the real PTB application.

The bot talks real HTTP to this server (PTB's ``base_url``/``base_file_url``); tests play Telegram
users with :class:`tests.fakes.telegram_user.FakeUser`, read what the bot sent (``server.state``,
``server.calls``) and inject faults: 429 + ``retry_after``, 5xx, dropped connections, delays,
outages. All runs in the test's event loop; every request wakes the waiters, so nothing sleeps.

Fixture and test::

    from tests.fakes.telegram_api import FakeTelegramServer, Fault, OutageMode
    from tests.fakes.telegram_user import FakeUser, running_application

    @pytest.fixture
    async def telegram() -> AsyncIterator[FakeTelegramServer]:
        async with FakeTelegramServer() as server:  # pass clock=ManualClock(...) if needed
            yield server

    async def test_status(telegram: FakeTelegramServer) -> None:
        app = telegram.configure(Application.builder()).build()  # or the bot's own builder,
        app.add_handler(CommandHandler("status", status))  # fed telegram.settings_overrides()
        alice = FakeUser(telegram, 1001, "Alice")
        async with running_application(app):
            await alice.send("/status")
            reply = await alice.next_message(timeout=5)
            telegram.inject(Fault.retry_after(3), method="sendMessage")
            async with telegram.outage(OutageMode.DROP):
                ...
        assert "SOC" in reply.text
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import math
import re
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, TypeVar
from urllib.parse import unquote

from telegram.ext import ApplicationBuilder

from bot.clock import Clock, SystemClock
from tests.fakes.telegram_http import (
    HttpParseError,
    HttpRequest,
    decode_params,
    error_response,
    http_response,
    json_response,
    read_request,
)
from tests.fakes.telegram_methods import BotApiMethods
from tests.fakes.telegram_state import BotApiState
from tests.fakes.telegram_values import (
    ApiCall,
    ApiError,
    BotProfile,
    CallbackQueryRecord,
    ChatMessage,
    Fault,
    FaultKind,
    JsonDict,
    OutageMode,
    Params,
    WaitTimeoutError,
)

DEFAULT_TOKEN = "123456789:AAFakeTokenForMarstekAutomationTests"
_T = TypeVar("_T")
_BuilderT = TypeVar("_BuilderT", bound="ApplicationBuilder[Any, Any, Any, Any, Any, Any]")
_METHOD_PATH_RE = re.compile(r"/bot([^/]+)/([A-Za-z_]+)")
_CONFLICT = (
    "Conflict: terminated by other getUpdates request; "
    "make sure that only one bot instance is running"
)


@dataclass(slots=True)
class _FaultRule:
    fault: Fault
    method: str | None  # lower-case method name, None = every method
    remaining: int | None  # None = until clear_faults()


class FakeTelegramServer:
    """The fake Bot API: state, methods, HTTP on 127.0.0.1, faults and waiting helpers."""

    def __init__(
        self,
        *,
        token: str = DEFAULT_TOKEN,
        bot_username: str = "marstek_test_bot",
        bot_first_name: str = "Marstek Test",
        clock: Clock | None = None,
    ) -> None:
        self.token = token
        self.clock: Clock = clock or SystemClock()
        bot = BotProfile(
            user_id=int(token.partition(":")[0]), first_name=bot_first_name, username=bot_username
        )
        self.state = BotApiState(bot=bot, clock=self.clock)
        self.methods = BotApiMethods(self.state)
        self.calls: list[ApiCall] = []
        self._rules: list[_FaultRule] = []
        self._bans: dict[str | None, datetime] = {}
        self._outage: OutageMode | None = None
        self._server: asyncio.Server | None = None
        self._port = 0
        self._connections: set[asyncio.Task[None]] = set()
        self._changed = asyncio.Event()
        self._poll_tickets = itertools.count(1)
        self._active_poll = 0
        self._waiting_polls = 0
        self._started_at = 0.0

    # --- lifecycle -----------------------------------------------------------------------
    async def start(self) -> None:
        """Listen on an ephemeral port of 127.0.0.1."""
        self._started_at = asyncio.get_running_loop().time()
        await self._listen()

    async def stop(self) -> None:
        """Close the port and every open connection (pending long polls included)."""
        await self._close_listener()
        await self._drop_connections()

    async def __aenter__(self) -> FakeTelegramServer:
        await self.start()
        return self

    async def __aexit__(self, *_exc: object) -> None:
        await self.stop()

    async def _listen(self) -> None:
        self._server = await asyncio.start_server(self._serve, "127.0.0.1", self._port)
        self._port = self._server.sockets[0].getsockname()[1]

    async def _close_listener(self) -> None:
        if self._server is not None:
            self._server.close()
            await self._server.wait_closed()
            self._server = None

    async def _drop_connections(self) -> None:
        tasks = list(self._connections)
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)

    # --- addresses -----------------------------------------------------------------------
    @property
    def port(self) -> int:
        """The TCP port (stable across REFUSE outages)."""
        return self._port

    @property
    def base_url(self) -> str:
        """Value for ``ApplicationBuilder.base_url`` (PTB appends the token)."""
        return f"http://127.0.0.1:{self._port}/bot"

    @property
    def base_file_url(self) -> str:
        """Value for ``ApplicationBuilder.base_file_url`` (PTB appends the token)."""
        return f"http://127.0.0.1:{self._port}/file/bot"

    def configure(self, builder: _BuilderT) -> _BuilderT:
        """Point a PTB ``ApplicationBuilder`` at this server (token and both URLs)."""
        return builder.token(self.token).base_url(self.base_url).base_file_url(self.base_file_url)

    def settings_overrides(self) -> dict[str, str]:
        """``bot.settings.Settings`` field values that point the real bot at this server."""
        return {
            "telegram_token": self.token,
            "telegram_base_url": self.base_url,
            "telegram_base_file_url": self.base_file_url,
        }

    # --- faults --------------------------------------------------------------------------
    def inject(self, fault: Fault, *, method: str | None = None, times: int | None = 1) -> None:
        """Apply ``fault`` to the next ``times`` calls of ``method`` (None: any method,
        getUpdates included; ``times=None``: until :meth:`clear_faults`)."""
        self._rules.append(
            _FaultRule(fault=fault, method=method and method.lower(), remaining=times)
        )

    def clear_faults(self) -> None:
        """Forget pending faults and lift 429 bans."""
        self._rules.clear()
        self._bans.clear()

    async def set_outage(self, mode: OutageMode | None) -> None:
        """Start (``mode``) or end (``None``) an outage; open connections are dropped."""
        previous, self._outage = self._outage, mode
        if mode in (OutageMode.REFUSE, OutageMode.DROP):
            await self._drop_connections()
        if mode is OutageMode.REFUSE:
            await self._close_listener()
        elif previous is OutageMode.REFUSE:
            await self._listen()  # same port: PTB keeps its base_url
        self.notify()

    @asynccontextmanager
    async def outage(self, mode: OutageMode = OutageMode.REFUSE) -> AsyncIterator[None]:
        """An outage for the duration of the ``async with`` block."""
        await self.set_outage(mode)
        try:
            yield
        finally:
            await self.set_outage(None)

    def _pick_fault(self, method: str) -> Fault | None:
        now = self.clock.now()
        for scope in (method, None):
            until = self._bans.get(scope)
            if until is not None and now < until:
                remaining_s = max(1, math.ceil((until - now).total_seconds()))
                return Fault.retry_after(remaining_s, enforced=False)
        for rule in self._rules:
            if rule.method not in (None, method):
                continue
            if rule.remaining is not None:
                rule.remaining -= 1
                if rule.remaining <= 0:
                    self._rules.remove(rule)
            if rule.fault.kind is FaultKind.RETRY_AFTER and rule.fault.enforced:
                self._bans[rule.method] = now + timedelta(seconds=rule.fault.retry_after_s)
            return rule.fault
        return None

    # --- what happened -------------------------------------------------------------------
    def calls_to(self, method: str) -> list[ApiCall]:
        """Recorded calls of one method (case-insensitive), oldest first."""
        return [call for call in self.calls if call.method.lower() == method.lower()]

    @property
    def unknown_calls(self) -> list[ApiCall]:
        """Calls of methods this fake does not implement (answered 404)."""
        return [call for call in self.calls if call.description == "Not Found: method not found"]

    @property
    def waiting_polls(self) -> int:
        """How many ``getUpdates`` long polls are waiting for an update right now."""
        return self._waiting_polls

    def notify(self) -> None:
        """Wake every waiter (long polls, user helpers): something changed."""
        self._changed.set()
        self._changed = asyncio.Event()

    async def _wait_change(self, timeout_s: float) -> None:
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(timeout_s):
                await self._changed.wait()

    async def wait_until(
        self, condition: Callable[[], _T | None], *, timeout_s: float = 5.0, what: str = ""
    ) -> _T:
        """Return ``condition()``'s first value that is neither None nor False, re-checked
        after every change; raise :class:`WaitTimeoutError` after ``timeout_s``."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout_s
        while True:
            result = condition()
            if result is not None and result is not False:
                return result
            remaining_s = deadline - loop.time()
            if remaining_s <= 0:
                raise WaitTimeoutError(f"nothing after {timeout_s} s while waiting for {what}")
            await self._wait_change(remaining_s)

    async def wait_for_call(
        self, method: str, *, since: int = 0, timeout_s: float = 5.0
    ) -> ApiCall:
        """The first call of ``method`` recorded at index ``since`` or later in :attr:`calls`."""

        def found() -> ApiCall | None:
            return next((c for c in self.calls[since:] if c.method.lower() == method.lower()), None)

        return await self.wait_until(found, timeout_s=timeout_s, what=f"a {method} call")

    # --- what users do (used by FakeUser) ------------------------------------------------
    def deliver_message(self, user_id: int, text: str) -> ChatMessage:
        """Queue a message typed by a registered user."""
        message = self.state.user_message(user_id, text)
        self.notify()
        return message

    def deliver_callback(
        self, user_id: int, message: ChatMessage | None, data: str, *, forged: bool
    ) -> CallbackQueryRecord:
        """Queue a callback query of a registered user."""
        query = self.state.callback_query(user_id, message, data, forged=forged)
        self.notify()
        return query

    # --- HTTP ----------------------------------------------------------------------------
    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        assert task is not None
        self._connections.add(task)
        try:
            while True:
                request = await read_request(reader)
                if request is None:
                    break
                response = await self._respond(request)
                if response is None:
                    break
                writer.write(response)
                await writer.drain()
                if not request.keep_alive:
                    break
        except (HttpParseError, ConnectionError):
            pass  # the client went away or spoke garbage: just close
        finally:
            self._connections.discard(task)
            writer.close()
            with contextlib.suppress(OSError):
                await writer.wait_closed()

    async def _respond(self, request: HttpRequest) -> bytes | None:
        arrived_at = self.clock.now()
        elapsed_s = asyncio.get_running_loop().time() - self._started_at
        if request.method == "GET" and request.path.startswith("/file/bot"):
            return self._download(request.path)
        match = _METHOD_PATH_RE.fullmatch(request.path)
        if match is None:
            return json_response(404, {"ok": False, "error_code": 404, "description": "Not Found"})
        token, method = match.groups()
        status, payload, params, fault = await self._execute(token, method, request)
        result = payload.get("result") if payload else None
        self.calls.append(
            ApiCall(
                method=method,
                params=params.values,
                files=params.files,
                at=arrived_at,
                elapsed_s=elapsed_s,
                status=status,
                fault=fault,
                result=result,
                description=payload.get("description") if payload else None,
            )
        )
        self.notify()
        if status is None or payload is None:
            return None
        if fault is OutageMode.BAD_GATEWAY:
            page = b"<html><body><h1>502 Bad Gateway</h1></body></html>"
            return http_response(502, page, content_type="text/html")
        return json_response(status, payload, keep_alive=request.keep_alive)

    async def _execute(
        self, token: str, method: str, request: HttpRequest
    ) -> tuple[int | None, JsonDict | None, Params, FaultKind | OutageMode | None]:
        """Run one call: (status, JSON body, params, fault); status None means drop."""
        params = Params(values={})
        if self._outage is not None:
            if self._outage is OutageMode.BAD_GATEWAY:
                return 502, {}, params, self._outage
            return None, None, params, self._outage
        fault: FaultKind | None = None
        try:
            values, files = decode_params(request)
            params = Params(values=values, files=files)
            self._check_token(token)
            picked = self._pick_fault(method.lower())
            fault = None if picked is None else picked.kind
            if picked is not None:
                await self._apply_fault(picked)
                if picked.kind is FaultKind.DROP:
                    return None, None, params, fault
            if method.lower() == "getupdates":
                result: object = await self._get_updates(params)
            else:
                result = self.methods.call(method, params)
        except ApiError as err:
            return err.status, err.payload(), params, fault
        return 200, {"ok": True, "result": result}, params, fault

    def _check_token(self, token: str) -> None:
        if token != self.token:
            raise ApiError(401, "Unauthorized")

    async def _apply_fault(self, fault: Fault) -> None:
        if fault.kind is FaultKind.DELAY:
            await asyncio.sleep(fault.delay_s)
        elif fault.kind is FaultKind.RETRY_AFTER:
            raise ApiError(
                429,
                f"Too Many Requests: retry after {fault.retry_after_s}",
                parameters={"retry_after": fault.retry_after_s},
            )
        elif fault.kind is FaultKind.HTTP_ERROR:
            raise ApiError(fault.status, fault.description)

    def _download(self, path: str) -> bytes:
        prefix, path = f"/file/bot{self.token}/", unquote(path)  # PTB quotes the token's ":"
        stored = (
            self.state.file_by_path(path.removeprefix(prefix)) if path.startswith(prefix) else None
        )
        if stored is None:
            return error_response(ApiError(404, "Not Found"))
        mime = stored.mime_type or "application/octet-stream"
        return http_response(200, stored.content, content_type=mime)

    async def _get_updates(self, params: Params) -> list[JsonDict]:
        if self.state.webhook_url:
            raise ApiError(
                409,
                "Conflict: can't use getUpdates method while webhook is active; use "
                "deleteWebhook to delete the webhook first",
            )
        self.state.confirm(params.int_("offset"))
        self.state.set_allowed_updates(params.get("allowed_updates"))
        limit = min(max(params.int_("limit") or 100, 1), 100)
        try:
            timeout_s = max(float(params.get("timeout") or 0), 0.0)
        except (TypeError, ValueError) as err:
            raise ApiError(400, "Bad Request: invalid timeout specified") from err
        ticket = next(self._poll_tickets)
        self._active_poll = ticket
        self.notify()  # an older long poll wakes up and ends with 409 Conflict
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout_s
        while True:
            if self._active_poll != ticket:
                raise ApiError(409, _CONFLICT)
            updates = self.state.peek_updates(limit)
            remaining_s = deadline - loop.time()
            if updates or remaining_s <= 0:
                return updates
            self._waiting_polls += 1
            try:
                await self._wait_change(remaining_s)
            finally:
                self._waiting_polls -= 1


__all__ = [
    "DEFAULT_TOKEN",
    "ApiCall",
    "FakeTelegramServer",
    "Fault",
    "FaultKind",
    "OutageMode",
    "WaitTimeoutError",
]
