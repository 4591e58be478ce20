"""Wire format of the Open API as the device sees it: parse requests, build replies."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

PARSE_ERROR = -32700
INVALID_REQUEST = -32600
METHOD_NOT_FOUND = -32601
INVALID_PARAMS = -32602
INTERNAL_ERROR = -32603

_MESSAGES = {
    PARSE_ERROR: "Parse error",
    INVALID_REQUEST: "Invalid Request",
    METHOD_NOT_FOUND: "Method not found",
    INVALID_PARAMS: "Invalid params",
    INTERNAL_ERROR: "Internal error",
}

WRITE_METHODS = frozenset({"ES.SetMode", "DOD.SET", "Led.Ctrl", "Ble.Adv"})
_ID_MASK = 0xFFFF


class RpcError(Exception):
    """A JSON-RPC-ish error the unit answers with."""

    def __init__(self, code: int, *, request_id: int = 0, message: str | None = None) -> None:
        self.code = code
        self.request_id = request_id
        self.message = message or _MESSAGES.get(code, "Error")
        super().__init__(f"{code} {self.message}")


@dataclass(frozen=True, slots=True, kw_only=True)
class Request:
    """One decoded request."""

    id: int
    method: str
    params: dict[str, Any]


def parse_request(data: bytes) -> Request:
    """Decode a datagram, raising :class:`RpcError` the way a unit answers bad input."""
    try:
        message = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as err:
        raise RpcError(PARSE_ERROR) from err
    if not isinstance(message, dict):
        raise RpcError(INVALID_REQUEST)
    raw_id = message.get("id")
    if not isinstance(raw_id, int) or isinstance(raw_id, bool):
        raise RpcError(INVALID_REQUEST)
    # The device keeps ids on 16 bits: larger ids come back truncated.
    request_id = raw_id & _ID_MASK
    method = message.get("method")
    if not isinstance(method, str) or not method:
        raise RpcError(INVALID_REQUEST, request_id=request_id)
    params = message.get("params", {})
    if params is None:
        params = {}
    if not isinstance(params, dict):
        raise RpcError(INVALID_PARAMS, request_id=request_id)
    return Request(id=request_id, method=method, params=params)


def peek_method(data: bytes) -> str | None:
    """Return the method name of a datagram, or None when it has none."""
    try:
        return parse_request(data).method
    except RpcError:
        return None


def result_message(request_id: int, src: str, result: dict[str, Any]) -> dict[str, Any]:
    """Build a success reply."""
    return {"id": request_id, "src": src, "result": result}


def error_message(request_id: int, src: str, error: RpcError) -> dict[str, Any]:
    """Build an error reply."""
    return {"id": request_id, "src": src, "error": {"code": error.code, "message": error.message}}


def encode(message: dict[str, Any]) -> bytes:
    """Serialise pretty-printed with tabs, like real units."""
    return json.dumps(message, indent="\t").encode("utf-8")
