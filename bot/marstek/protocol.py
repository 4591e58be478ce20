"""Wire format of the Marstek Open API: JSON-RPC-like datagrams without a ``jsonrpc`` member.

Pure functions only: encode a request, decode a reply, normalise the device's IP strings. The
transport and the client build on these; the simulator may use them too.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Final

from bot.marstek.errors import MarstekApiError, MarstekResponseError, MethodNotAvailableError

DEFAULT_PORT: Final = 30000
DISCOVERY_ID: Final = 0
MAX_REQUEST_ID: Final = 65535
MAX_DATAGRAM_BYTES: Final = 1460

METHOD_GET_DEVICE: Final = "Marstek.GetDevice"
METHOD_ES_STATUS: Final = "ES.GetStatus"
METHOD_ES_MODE: Final = "ES.GetMode"
METHOD_ES_SET_MODE: Final = "ES.SetMode"
METHOD_BAT_STATUS: Final = "Bat.GetStatus"
METHOD_EM_STATUS: Final = "EM.GetStatus"
METHOD_WIFI_STATUS: Final = "Wifi.GetStatus"
METHOD_PV_STATUS: Final = "PV.GetStatus"
METHOD_SET_DOD: Final = "DOD.SET"
METHOD_LED: Final = "Led.Ctrl"
METHOD_BLE_ADV: Final = "Ble.Adv"

ERROR_PARSE: Final = -32700
ERROR_INVALID_REQUEST: Final = -32600
ERROR_METHOD_NOT_FOUND: Final = -32601
ERROR_INVALID_PARAMS: Final = -32602
ERROR_INTERNAL: Final = -32603


@dataclass(frozen=True, slots=True, kw_only=True)
class ApiErrorBody:
    """The ``error`` member of a reply."""

    code: int
    message: str
    data: int | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Reply:
    """One decoded reply datagram: exactly one of ``result`` and ``error`` is set."""

    id: int
    src: str | None
    result: dict[str, Any] | None = None
    error: ApiErrorBody | None = None

    def unwrap(self, method: str) -> dict[str, Any]:
        """Return ``result``, or raise the :class:`MarstekApiError` the error object describes."""
        if self.error is not None:
            error_type = (
                MethodNotAvailableError
                if self.error.code == ERROR_METHOD_NOT_FOUND
                else MarstekApiError
            )
            raise error_type(method, self.error.code, self.error.message, self.error.data)
        if self.result is None:  # pragma: no cover - decode_reply guarantees one of the two
            raise MarstekResponseError(f"{method}: reply has neither result nor error")
        return self.result


def encode_request(request_id: int, method: str, params: Mapping[str, Any]) -> bytes:
    """Encode one request datagram (compact UTF-8 JSON, never empty)."""
    if not 0 <= request_id <= MAX_REQUEST_ID:
        raise ValueError(f"request id {request_id} is outside 0..{MAX_REQUEST_ID}")
    if not method:
        raise ValueError("a request needs a method name")
    body = {"id": request_id, "method": method, "params": dict(params)}
    return json.dumps(body, separators=(",", ":")).encode("utf-8")


def decode_reply(data: bytes) -> Reply:
    """Decode one reply datagram; raise :class:`MarstekResponseError` if it is not one."""
    try:
        body = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as err:
        raise MarstekResponseError(f"reply is not UTF-8 JSON: {data[:80]!r}") from err
    if not isinstance(body, dict):
        raise MarstekResponseError("reply is not a JSON object")
    reply_id = body.get("id")
    if isinstance(reply_id, bool) or not isinstance(reply_id, int):
        raise MarstekResponseError(f"reply has no integer id: {reply_id!r}")
    src = body.get("src")
    src_text = src if isinstance(src, str) else None
    if "error" in body:
        return Reply(id=reply_id, src=src_text, error=_decode_error(body["error"]))
    result = body.get("result")
    if not isinstance(result, dict):
        raise MarstekResponseError("reply has neither a result object nor an error object")
    return Reply(id=reply_id, src=src_text, result=result)


def _decode_error(error: object) -> ApiErrorBody:
    if not isinstance(error, dict):
        raise MarstekResponseError(f"error member is not an object: {error!r}")
    code = error.get("code")
    if isinstance(code, bool) or not isinstance(code, int):
        raise MarstekResponseError(f"error object has no integer code: {error!r}")
    data = error.get("data")
    return ApiErrorBody(
        code=code,
        message=str(error.get("message", "")),
        data=data if isinstance(data, int) and not isinstance(data, bool) else None,
    )


def normalize_ipv4(text: str) -> str | None:
    """Return ``text`` as canonical dotted IPv4 (``"10.01.05.02"`` → ``"10.1.5.2"``) or None."""
    parts = text.strip().split(".")
    if len(parts) != 4 or not all(part.isdigit() for part in parts):
        return None
    numbers = [int(part) for part in parts]
    if any(number > 255 for number in numbers):
        return None
    return ".".join(str(number) for number in numbers)


def mac_from_src(src: str | None) -> str | None:
    """Return the BLE MAC at the end of a reply's ``src`` (``"VenusE 3.0-0c587b17df4f"``)."""
    if not src or "-" not in src:
        return None
    return normalize_mac(src.rsplit("-", 1)[1])


def normalize_mac(text: object) -> str | None:
    """Return a MAC as 12 lowercase hex digits without separators, or None if it is not one."""
    if not isinstance(text, str):
        return None
    digits = "".join(ch for ch in text.strip().lower() if ch not in ":-. ")
    if len(digits) != 12 or any(ch not in "0123456789abcdef" for ch in digits):
        return None
    return digits
