"""Minimal HTTP/1.1 for the fake Telegram Bot API: read a request, decode its parameters, answer.

Enough for httpx (python-telegram-bot's transport): keep-alive, ``Content-Length`` or chunked
bodies, and the three encodings the Bot API accepts: JSON, url-encoded forms and multipart forms.
"""

from __future__ import annotations

import asyncio
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from http import HTTPStatus
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from tests.fakes.telegram_values import ApiError, UploadPart, bad_request

# Form fields that are plain strings in the Bot API: never JSON-decode them ("123" stays text).
_STRING_FIELDS = frozenset(
    {
        "action",
        "business_connection_id",
        "callback_query_id",
        "caption",
        "description",
        "document",
        "file_id",
        "inline_message_id",
        "language_code",
        "message_effect_id",
        "name",
        "parse_mode",
        "photo",
        "secret_token",
        "short_description",
        "text",
        "title",
        "url",
    }
)
_DISPOSITION_RE = re.compile(r'\b(name|filename)="((?:[^"\\]|\\.)*)"')


class HttpParseError(Exception):
    """The bytes received are not an HTTP request this server understands."""


@dataclass(frozen=True, slots=True, kw_only=True)
class HttpRequest:
    """One parsed HTTP request."""

    method: str
    target: str
    headers: Mapping[str, str]
    body: bytes

    @property
    def path(self) -> str:
        """The path part of the target."""
        return urlsplit(self.target).path

    @property
    def keep_alive(self) -> bool:
        """Whether the client wants the connection kept open afterwards."""
        return self.headers.get("connection", "").lower() != "close"


async def read_request(reader: asyncio.StreamReader) -> HttpRequest | None:
    """Read one request; ``None`` on a clean end of stream between requests."""
    try:
        head = await reader.readuntil(b"\r\n\r\n")
    except asyncio.IncompleteReadError as err:
        if err.partial.strip():
            raise HttpParseError("truncated request head") from err
        return None
    except asyncio.LimitOverrunError as err:
        raise HttpParseError("request head too large") from err
    lines = head.decode("latin-1").split("\r\n")
    try:
        method, target, _version = lines[0].split(" ", 2)
    except ValueError as err:
        raise HttpParseError(f"bad request line {lines[0]!r}") from err
    headers: dict[str, str] = {}
    for line in lines[1:]:
        name, sep, value = line.partition(":")
        if sep:
            headers[name.strip().lower()] = value.strip()
    try:
        if headers.get("transfer-encoding", "").lower() == "chunked":
            body = await _read_chunked(reader)
        else:
            body = await reader.readexactly(int(headers.get("content-length", "0")))
    except (asyncio.IncompleteReadError, ValueError) as err:
        raise HttpParseError("truncated or malformed body") from err
    return HttpRequest(method=method.upper(), target=target, headers=headers, body=body)


async def _read_chunked(reader: asyncio.StreamReader) -> bytes:
    chunks: list[bytes] = []
    while True:
        size = int((await reader.readuntil(b"\r\n")).split(b";")[0].strip(), 16)
        if size == 0:
            while (await reader.readuntil(b"\r\n")) != b"\r\n":
                pass  # trailers are ignored
            return b"".join(chunks)
        chunks.append(await reader.readexactly(size))
        await reader.readexactly(2)


def _field(name: str, value: str) -> Any:
    """Decode a form value: PTB JSON-encodes everything except plain strings."""
    if name in _STRING_FIELDS:
        return value
    try:
        return json.loads(value)
    except ValueError:
        return value


def decode_params(request: HttpRequest) -> tuple[dict[str, Any], dict[str, UploadPart]]:
    """Decode query string and body into (parameters, uploaded file parts); 400 if malformed."""
    values: dict[str, Any] = {
        k: _field(k, v) for k, v in parse_qsl(urlsplit(request.target).query, True)
    }
    files: dict[str, UploadPart] = {}
    content_type = request.headers.get("content-type", "")
    mime = content_type.split(";")[0].strip().lower()
    if mime == "application/json":
        try:
            data = json.loads(request.body or b"{}")
        except ValueError as err:
            raise bad_request("can't parse JSON encoded request body") from err
        if not isinstance(data, dict):
            raise bad_request("request body must be a JSON object")
        values.update(data)
    elif mime == "application/x-www-form-urlencoded":
        body = request.body.decode("utf-8", "replace")
        values.update({k: _field(k, v) for k, v in parse_qsl(body, True)})
    elif mime == "multipart/form-data":
        boundary = re.search(r'boundary="?([^";]+)"?', content_type)
        if boundary is None:
            raise bad_request("multipart body without boundary")
        for part in _multipart(request.body, boundary.group(1).encode("latin-1")):
            if part.filename is None:
                values[part.name] = _field(part.name, part.content.decode("utf-8", "replace"))
            else:
                files[part.name] = part
    elif request.body:
        raise bad_request(f"unsupported Content-Type {mime!r}")
    return values, files


def _multipart(body: bytes, boundary: bytes) -> list[UploadPart]:
    parts: list[UploadPart] = []
    for section in body.split(b"--" + boundary)[1:]:
        if section.startswith(b"--"):
            break
        head, sep, content = section.removeprefix(b"\r\n").partition(b"\r\n\r\n")
        if not sep:
            raise bad_request("malformed multipart body")
        headers = {
            name.strip().lower(): value.strip()
            for name, _, value in (
                line.partition(":") for line in head.decode("utf-8", "replace").split("\r\n")
            )
        }
        fields = dict(_DISPOSITION_RE.findall(headers.get("content-disposition", "")))
        if "name" not in fields:
            raise bad_request("multipart part without a name")
        parts.append(
            UploadPart(
                name=fields["name"],
                filename=fields.get("filename"),
                content_type=headers.get("content-type"),
                content=content.removesuffix(b"\r\n"),
            )
        )
    return parts


def http_response(
    status: int, body: bytes, *, content_type: str = "application/json", keep_alive: bool = True
) -> bytes:
    """Serialize a complete HTTP/1.1 response."""
    try:
        reason = HTTPStatus(status).phrase
    except ValueError:
        reason = "Unknown"
    head = (
        f"HTTP/1.1 {status} {reason}\r\n"
        f"Content-Type: {content_type}\r\n"
        f"Content-Length: {len(body)}\r\n"
        f"Connection: {'keep-alive' if keep_alive else 'close'}\r\n\r\n"
    )
    return head.encode("latin-1") + body


def json_response(status: int, payload: Mapping[str, object], *, keep_alive: bool = True) -> bytes:
    """Serialize a JSON response."""
    body = json.dumps(payload, ensure_ascii=False).encode()
    return http_response(status, body, keep_alive=keep_alive)


def error_response(error: ApiError, *, keep_alive: bool = True) -> bytes:
    """Serialize a Bot API error."""
    return json_response(error.status, error.payload(), keep_alive=keep_alive)
